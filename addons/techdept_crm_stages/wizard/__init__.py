from . import techdept_stage_force_wizard
