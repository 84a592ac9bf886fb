# A model of the tests' own, made approvable the way any consumer does it.
# Imported inside setUpClass only, through odoo-test-helper's FakeModelLoader.
from odoo import fields, models


class TechdeptApprovalTester(models.Model):
    _name = "techdept.approval.tester"
    _description = "Approval Tester"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _approval_chain_code = "tester_chain"
    _approval_locked_fields = ["name", "amount"]

    name = fields.Char(required=True)
    amount = fields.Integer()
    note = fields.Char()
    salesperson_id = fields.Many2one("res.users")
    done_count = fields.Integer()
    rejected_count = fields.Integer()

    def _on_approval_done(self):
        for record in self:
            record.done_count += 1

    def _on_approval_rejected(self):
        for record in self:
            record.rejected_count += 1
