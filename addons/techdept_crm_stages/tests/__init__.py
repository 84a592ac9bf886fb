from . import test_gate
from . import test_items
from . import test_security
from . import test_worklog
from . import test_tour
from . import test_integrity
from . import test_lang
from . import test_defaults
