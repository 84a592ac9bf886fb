from . import techdept_approval_reject_wizard
