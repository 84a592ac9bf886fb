from . import techdept_appraisal_appeal_wizard
