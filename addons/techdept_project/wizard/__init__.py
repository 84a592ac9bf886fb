from . import techdept_phase_force_wizard
