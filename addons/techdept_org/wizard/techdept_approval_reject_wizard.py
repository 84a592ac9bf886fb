import ast

from odoo import fields, models
from odoo.exceptions import UserError


class TechdeptApprovalRejectWizard(models.TransientModel):
    """Asks for the written reason of a rejection or of a reopening."""

    _name = "techdept.approval.reject.wizard"
    _description = "Reject or Reopen a Review"

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True)
    action = fields.Selection(
        [("reject", "Reject"), ("reopen", "Reopen")],
        required=True,
        default="reject",
    )
    comment = fields.Text(string="Reason", required=True)

    def _records(self):
        """The approvable records the wizard acts on; a clear error for
        anything else a client may have sent."""
        self.ensure_one()
        approvable = self.env["techdept.approval.line"]._techdept_approvable_models()
        try:
            ids = ast.literal_eval(self.res_ids or "")
        except (ValueError, SyntaxError):
            ids = None
        if (
            self.res_model not in approvable
            or not isinstance(ids, list)
            or not ids
            or not all(isinstance(res_id, int) and res_id > 0 for res_id in ids)
        ):
            raise UserError(self.env._("Choose the records to review again."))
        records = self.env[self.res_model].browse(ids).exists()
        if len(records) != len(set(ids)):
            raise UserError(self.env._("Some of these records no longer exist."))
        return records

    def action_confirm(self):
        records = self._records()
        if self.action == "reopen":
            records._approval_reopen(self.comment)
        else:
            records._approval_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
