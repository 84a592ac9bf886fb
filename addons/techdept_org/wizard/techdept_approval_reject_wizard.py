import ast

from odoo import fields, models


class TechdeptApprovalRejectWizard(models.TransientModel):
    _name = "techdept.approval.reject.wizard"
    _description = "Reject a Review"

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True)
    comment = fields.Text(string="Reason", required=True)

    def action_confirm(self):
        self.ensure_one()
        records = self.env[self.res_model].browse(ast.literal_eval(self.res_ids))
        records._approval_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
