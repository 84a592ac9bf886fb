from odoo import api, models

from .techdept_guard import has_server_flag, with_server_flag

# A change of any of these may start, move or end a delegation period.
_DELEGATION_FIELDS = {"state", "request_date_from", "request_date_to", "employee_id"}
# Raised while a time off is validated: its periods are synced once, after
# Odoo has written all of the validation (see action_validate).
_VALIDATING = "techdept_leave_validating"


class HrLeave(models.Model):
    _inherit = "hr.leave"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        self.env["techdept.delegation"]._techdept_sync_from_leaves(leaves, fresh=True)
        return leaves

    def write(self, vals):
        result = super().write(vals)
        if _DELEGATION_FIELDS & vals.keys() and not has_server_flag(
            self.env, _VALIDATING
        ):
            self.env["techdept.delegation"]._techdept_sync_from_leaves(self)
        return result

    def action_validate(self, check_state=True):
        # The validation writes the state, then the approver and the
        # meeting: the periods are synced after, so that the time off is
        # written once. Only a validated time off has periods.
        fresh = all(leave.state != "validate" for leave in self)
        result = super(HrLeave, with_server_flag(self, _VALIDATING)).action_validate(
            check_state
        )
        self.env["techdept.delegation"]._techdept_sync_from_leaves(self, fresh=fresh)
        return result

    def unlink(self):
        # Through the ORM (not the cascade) so moved activities go back.
        self.env["techdept.delegation"].sudo().search(
            [("leave_id", "in", self.ids)]
        ).unlink()
        return super().unlink()
