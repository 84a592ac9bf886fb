from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Leads from before the stage history was recorded get theirs from
    what their chatter kept: tracked stage changes, who made them, the force
    wizard's notes; or their current stage since its last change."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["techdept.lead.stage.entry"]._techdept_backfill()
