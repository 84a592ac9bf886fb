from . import techdept_presales_phase
from . import crm_stage
from . import techdept_stage_item
from . import techdept_lead_item
from . import techdept_document
from . import crm_lead
from . import techdept_worklog
from . import crm_team
