from . import techdept_appraisal_xlsx
