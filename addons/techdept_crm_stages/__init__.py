from . import models
from . import report
from . import wizard
from . import demo


def post_init_hook(env):
    """Leads that exist when the addon is installed get their stage history
    from what their chatter kept."""
    env["techdept.lead.stage.entry"]._techdept_backfill()
