from . import techdept_approval_reject_wizard
from . import techdept_approval_collab_wizard
