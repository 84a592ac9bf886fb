from . import test_project
from . import test_after_sales
from . import test_tour
from . import test_integrity
from . import test_access
from . import test_lang
from . import test_pool
from . import test_deliverables
