from . import techdept_grade_band
from . import techdept_kpi_template
from . import techdept_appraisal_period
from . import techdept_appraisal
from . import techdept_appraisal_sheet
from . import techdept_appraisal_appeal
from . import techdept_bonus
from . import techdept_appraisal_routines
