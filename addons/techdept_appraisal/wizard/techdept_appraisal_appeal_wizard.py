from odoo import fields, models

from odoo.addons.techdept_org.models.techdept_guard import as_server

from ..models.techdept_appraisal_appeal import APPEAL_OUTCOMES


class TechdeptAppraisalAppealWizard(models.TransientModel):
    """Asks the employee why he appeals his approved form."""

    _name = "techdept.appraisal.appeal.wizard"
    _description = "Appeal an Appraisal"

    appraisal_id = fields.Many2one(
        "techdept.appraisal", required=True, ondelete="cascade"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        """The appeal, submitted for decision in the employee's name; the
        form, the window and the employee are checked again here, whatever
        the wizard was opened with."""
        self.ensure_one()
        appraisal = self.appraisal_id.with_env(self.env)
        appraisal.check_access("read")
        appraisal._check_can_appeal()
        appeal = as_server(self.env["techdept.appraisal.appeal"].sudo()).create(
            {"appraisal_id": appraisal.id, "reason": self.reason}
        )
        appeal.with_env(self.env).action_approval_submit()
        return {
            "type": "ir.actions.act_window",
            "res_model": "techdept.appraisal.appeal",
            "res_id": appeal.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }


class TechdeptAppraisalAppealDecision(models.TransientModel):
    """Asks the approver of an appeal for the reasons of his decision."""

    _name = "techdept.appraisal.appeal.decision"
    _description = "Decide an Appeal"

    appeal_id = fields.Many2one(
        "techdept.appraisal.appeal", required=True, ondelete="cascade"
    )
    outcome = fields.Selection(APPEAL_OUTCOMES, required=True)
    comment = fields.Text(string="Reasons", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.appeal_id._decide(self.outcome, self.comment)
        return {"type": "ir.actions.act_window_close"}
