from odoo import api, models

# A change of any of these may start, move or end a delegation period.
_DELEGATION_FIELDS = {"state", "request_date_from", "request_date_to", "employee_id"}


class HrLeave(models.Model):
    _inherit = "hr.leave"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        self.env["techdept.delegation"]._techdept_sync_from_leaves(leaves, fresh=True)
        return leaves

    def write(self, vals):
        # Only a validated time off has periods: one validated now has none
        # to look for.
        fresh = vals.get("state") == "validate" and all(
            leave.state != "validate" for leave in self
        )
        result = super().write(vals)
        if _DELEGATION_FIELDS & vals.keys():
            self.env["techdept.delegation"]._techdept_sync_from_leaves(
                self, fresh=fresh
            )
        return result

    def unlink(self):
        # Through the ORM (not the cascade) so moved activities go back.
        self.env["techdept.delegation"].sudo().search(
            [("leave_id", "in", self.ids)]
        ).unlink()
        return super().unlink()
