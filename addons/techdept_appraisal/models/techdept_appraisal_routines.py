from odoo import fields, models

# KPI sources from the department's routines: progress reports and training.
ROUTINE_SOURCES = [
    ("reports_on_time", "Progress Reports Submitted On Time"),
    ("reports_reviewed_on_time", "Team's Progress Reports Reviewed On Time"),
    ("training_hours", "Training Hours Attended"),
    ("training_attendance", "Training Sessions Attended"),
]


class TechdeptKpiTemplateLine(models.Model):
    _inherit = "techdept.kpi.template.line"

    source = fields.Selection(
        selection_add=ROUTINE_SOURCES,
        ondelete={key: "set default" for key, _label in ROUTINE_SOURCES},
    )


class TechdeptAppraisalLine(models.Model):
    _inherit = "techdept.appraisal.line"

    source = fields.Selection(selection_add=ROUTINE_SOURCES)


class TechdeptAppraisal(models.Model):
    _inherit = "techdept.appraisal"

    def _kpi_full_when_nothing_due(self, totals):
        """{employee id: percentage on time} from {employee id: (due, on
        time)}; 100 for whoever had nothing due: nothing was asked of him."""
        return {
            employee.id: (
                100.0 * totals[employee.id][1] / totals[employee.id][0]
                if totals.get(employee.id, (0, 0))[0]
                else 100.0
            )
            for employee in self.employee_id
        }

    def _kpi_reports_on_time(self):
        """The progress reports due in the month, as a percentage submitted
        by their due day. A report not due yet does not count; one past its
        day and not submitted counts as late."""
        start, end = self._month_bounds()
        today = fields.Date.context_today(self)
        rows = (
            self.env["techdept.progress.report"]
            .sudo()
            .search_read(
                [
                    ("employee_id", "in", self.employee_id.ids),
                    ("deadline", ">=", start),
                    ("deadline", "<=", end),
                ],
                ["employee_id", "state", "is_late", "deadline"],
            )
        )
        totals = {}
        for row in rows:
            submitted = row["state"] != "draft"
            if not submitted and row["deadline"] >= today:
                continue
            due, on_time = totals.get(row["employee_id"][0], (0, 0))
            totals[row["employee_id"][0]] = (
                due + 1,
                on_time + (submitted and not row["is_late"]),
            )
        return self._kpi_full_when_nothing_due(totals)

    def _kpi_reports_reviewed_on_time(self):
        """The reviews of progress reports due in the month from the manager
        (as reviewer, or acting for one on the report's date), as a
        percentage given by their day."""
        start, end = self._month_bounds()
        today = fields.Date.context_today(self)
        rows = (
            self.env["techdept.progress.report.review"]
            .sudo()
            .search_read(
                [
                    ("reviewer_id", "in", self.employee_id.ids),
                    ("deadline", ">=", start),
                    ("deadline", "<=", end),
                ],
                ["reviewer_id", "state", "is_late", "deadline"],
            )
        )
        totals = {}
        for row in rows:
            done = row["state"] == "done"
            if not done and row["deadline"] >= today:
                continue
            due, on_time = totals.get(row["reviewer_id"][0], (0, 0))
            totals[row["reviewer_id"][0]] = (
                due + 1,
                on_time + (done and not row["is_late"]),
            )
        return self._kpi_full_when_nothing_due(totals)

    def _kpi_training_hours(self):
        """Hours of training attended in the month (sessions held)."""
        start, end = self._month_bounds()
        hours = self.env["techdept.training.attendance"]._techdept_hours(
            self.employee_id, start, end
        )
        return {employee_id: row["hours"] for employee_id, row in hours.items()}

    def _kpi_training_attendance(self):
        """The sessions held in the month the employee was invited to, as a
        percentage attended."""
        start, end = self._month_bounds()
        hours = self.env["techdept.training.attendance"]._techdept_hours(
            self.employee_id, start, end
        )
        totals = {
            employee_id: (row["invited"], row["invited_attended"])
            for employee_id, row in hours.items()
        }
        return self._kpi_full_when_nothing_due(totals)
