from . import test_data
from . import test_resolver
from . import test_delegation
from . import test_security
from . import test_approval
from . import test_document
from . import test_tour
from . import test_integrity
