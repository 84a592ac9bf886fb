from odoo import fields, models

from .techdept_worklog import WORKLOG_KINDS


class TechdeptProgressReport(models.Model):
    _inherit = "techdept.progress.report"

    def _techdept_report_figures(self):
        """Add the work log's hours by category and the leads worked on:
        logged, or given a document by the author in the period."""
        figures = super()._techdept_report_figures()
        employee = self.employee_id
        worklogs = (
            self.env["techdept.worklog"]
            .sudo()
            .search(
                [
                    ("employee_id", "=", employee.id),
                    ("date", ">=", self.period_start),
                    ("date", "<=", self.period_end),
                ]
            )
        )
        for index, (kind, _label) in enumerate(WORKLOG_KINDS):
            lines = worklogs.filtered(lambda line, kind=kind: line.kind == kind)
            if lines:
                figures.append(
                    {
                        "kind": "worklog_hours",
                        "key": kind,
                        "sequence": 100 + index,
                        "value": sum(lines.mapped("hours")),
                        "detail": self._techdept_names(lines.mapped("name")),
                    }
                )
        leads = worklogs.lead_id
        if self.user_id:
            start, end = self._techdept_window()
            documents = (
                self.env["techdept.document"]
                .sudo()
                .search(
                    [
                        ("author_id", "=", self.user_id.id),
                        ("res_model", "=", "crm.lead"),
                        ("write_date", ">=", start),
                        ("write_date", "<", end),
                    ]
                )
            )
            leads |= self.env["crm.lead"].sudo().browse(documents.mapped("res_id"))
        leads = leads.exists()
        if leads or employee.techdept_role in ("presales_engineer", "presales_manager"):
            figures.append(
                {
                    "kind": "leads_touched",
                    "sequence": 120,
                    "value": len(leads),
                    "detail": self._techdept_names(leads.mapped("name")),
                }
            )
        return figures


class TechdeptProgressReportFigure(models.Model):
    _inherit = "techdept.progress.report.figure"

    kind = fields.Selection(
        selection_add=[
            ("worklog_hours", "Work log hours"),
            ("leads_touched", "Leads and opportunities worked on"),
        ],
        ondelete={"worklog_hours": "cascade", "leads_touched": "cascade"},
    )

    def _techdept_key_label(self):
        if self.kind == "worklog_hours":
            kinds = dict(
                self.env["techdept.worklog"]
                ._fields["kind"]
                ._description_selection(self.env)
            )
            return kinds.get(self.key, self.key)
        return super()._techdept_key_label()
