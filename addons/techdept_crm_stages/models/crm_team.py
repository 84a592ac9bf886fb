from odoo import api, models

# Roles whose pipeline is the leads they are the presales engineer of, not
# those they sell.
PRESALES_ROLES = ("presales_engineer",)


class CrmTeam(models.Model):
    _inherit = "crm.team"

    @api.model
    def action_your_pipeline(self):
        """A presales engineer's pipeline opens on his presales leads."""
        action = super().action_your_pipeline()
        if self.env.user.employee_id.techdept_role in PRESALES_ROLES:
            context = dict(action.get("context") or {})
            context.pop("search_default_assigned_to_me", None)
            context["search_default_filter_techdept_presales_mine"] = 1
            action["context"] = context
        return action
