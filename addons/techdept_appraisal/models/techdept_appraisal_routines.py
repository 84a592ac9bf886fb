from odoo import fields, models, tools

from .techdept_appraisal import _number

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

    def _computation_text(self):
        text = super()._computation_text()
        if text or self.source not in dict(ROUTINE_SOURCES):
            return text
        period = self.appraisal_id.period_id
        values = {
            "start": tools.format_date(self.env, period.date_from),
            "end": tools.format_date(self.env, period.date_to),
            "count": self.value_count,
            "value": _number(self.value),
            "target": _number(self.target),
        }
        _ = self.env._
        if self.source == "reports_on_time":
            if not self.value_count:
                return _(
                    "No progress report due from %(start)s to %(end)s: 100%% "
                    "(nothing was asked).",
                    **values,
                )
            return _(
                "%(count)s progress reports due from %(start)s to %(end)s: "
                "%(value)s%% submitted on time (target %(target)s%%).",
                **values,
            )
        if self.source == "reports_reviewed_on_time":
            if not self.value_count:
                return _(
                    "No progress report of his team to review from %(start)s to "
                    "%(end)s: 100%% (nothing was asked).",
                    **values,
                )
            return _(
                "%(count)s reviews of his team's progress reports due from "
                "%(start)s to %(end)s: %(value)s%% given on time (target "
                "%(target)s%%).",
                **values,
            )
        if self.source == "training_hours":
            if not self.value_count:
                return _(
                    "No training session attended from %(start)s to %(end)s: "
                    "0 hours (target %(target)s hours).",
                    **values,
                )
            return _(
                "%(count)s training sessions attended from %(start)s to "
                "%(end)s: %(value)s hours (target %(target)s hours).",
                **values,
            )
        if not self.value_count:
            return _(
                "No training session he was invited to from %(start)s to "
                "%(end)s: 100%% (nothing was asked).",
                **values,
            )
        return _(
            "%(count)s training sessions he was invited to from %(start)s to "
            "%(end)s: %(value)s%% attended (target %(target)s%%).",
            **values,
        )


class TechdeptAppraisal(models.Model):
    _inherit = "techdept.appraisal"

    def _kpi_full_when_nothing_due(self, totals, with_count=False):
        """{employee id: percentage on time} from {employee id: (due, on
        time)}; 100 for whoever had nothing due: nothing was asked of him.
        With ``with_count``: {employee id: (percentage, number due)}."""
        result = {}
        for employee in self.employee_id:
            due, on_time = totals.get(employee.id, (0, 0))
            value = 100.0 * on_time / due if due else 100.0
            result[employee.id] = (value, due) if with_count else value
        return result

    def _kpi_reports_on_time(self, with_count=False):
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
        return self._kpi_full_when_nothing_due(totals, with_count)

    def _kpi_reports_reviewed_on_time(self, with_count=False):
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
        return self._kpi_full_when_nothing_due(totals, with_count)

    def _kpi_training_hours(self, with_count=False):
        """Hours of training attended in the month (sessions held)."""
        start, end = self._month_bounds()
        hours = self.env["techdept.training.attendance"]._techdept_hours(
            self.employee_id, start, end
        )
        return {
            employee_id: (row["hours"], row["attended"]) if with_count else row["hours"]
            for employee_id, row in hours.items()
        }

    def _kpi_training_attendance(self, with_count=False):
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
        return self._kpi_full_when_nothing_due(totals, with_count)
