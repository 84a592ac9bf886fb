from . import test_appraisal
from . import test_reports
from . import test_bonus
from . import test_tour
from . import test_integrity
from . import test_rpc
from . import test_working_calendar
from . import test_access_matrix
