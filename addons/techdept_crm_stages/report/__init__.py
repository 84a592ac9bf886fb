from . import techdept_lead_stage_report
