from odoo import fields, models


class TechdeptProgressReportReviewWizard(models.TransientModel):
    """Mark a progress report reviewed, with a comment for its author."""

    _name = "techdept.progress.report.review.wizard"
    _description = "Review a Progress Report"

    report_id = fields.Many2one(
        "techdept.progress.report", required=True, readonly=True, ondelete="cascade"
    )
    comment = fields.Text(help="What the author reads in the report's history.")

    def action_confirm(self):
        self.ensure_one()
        self.report_id.action_review(self.comment or None)
        return {"type": "ir.actions.act_window_close"}
