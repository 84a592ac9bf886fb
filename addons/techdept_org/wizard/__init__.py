from . import techdept_approval_reject_wizard
from . import techdept_approval_collab_wizard
from . import techdept_report_review_wizard
from . import techdept_report_digest_wizard
