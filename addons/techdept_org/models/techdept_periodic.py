from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.osv import expression

FREQUENCIES = [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")]


def period_bounds(frequency, day):
    """(first day, last day) of the ``frequency`` period holding ``day``: the
    day itself, its week from Monday to Sunday, or its month."""
    if frequency == "daily":
        return day, day
    if frequency == "weekly":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    return start, start + relativedelta(day=31)


class TechdeptPeriodicMixin(models.AbstractModel):
    """A report due once a period (a day, a week, a month): its period, its
    deadline on the working calendar, and lateness. The server creates these
    reports for each period; a consumer says when one counts as submitted."""

    _name = "techdept.periodic.mixin"
    _description = "Periodic Report"

    frequency = fields.Selection(FREQUENCIES, required=True, readonly=True)
    period_start = fields.Date(
        string="Period Start", required=True, readonly=True, index=True
    )
    period_end = fields.Date(string="Period End", required=True, readonly=True)
    period_label = fields.Char(string="Period", compute="_compute_period_label")
    deadline = fields.Date(
        string="Due On",
        required=True,
        readonly=True,
        index=True,
        help="The report is due by this day: the period's last working day, "
        "plus the template's working days of grace.",
    )
    is_late = fields.Boolean(
        string="Late",
        readonly=True,
        index=True,
        copy=False,
        help="Not submitted by its due day: submitted late, or still missing.",
    )
    is_missing = fields.Boolean(
        string="Missing",
        compute="_compute_is_missing",
        search="_search_is_missing",
        help="Past its due day and still not submitted.",
    )

    @api.depends("frequency", "period_start")
    @api.depends_context("lang")
    def _compute_period_label(self):
        for report in self:
            report.period_label = report._techdept_period_label(
                report.frequency, report.period_start
            )

    @api.model
    def _techdept_period_label(self, frequency, start):
        if not start:
            return ""
        if frequency == "weekly":
            year, week, _day = start.isocalendar()
            week_number = str(week).zfill(2)
            return self.env._("%(year)s-W%(week)s", year=year, week=week_number)
        if frequency == "monthly":
            month_number = str(start.month).zfill(2)
            return self.env._("%(year)s-%(month)s", year=start.year, month=month_number)
        return fields.Date.to_string(start)

    def _techdept_submitted_domain(self):
        """The reports of the model that count as submitted."""
        raise NotImplementedError

    def _compute_is_missing(self):
        today = fields.Date.context_today(self)
        submitted = self.filtered_domain(self._techdept_submitted_domain())
        for report in self:
            report.is_missing = report not in submitted and report.deadline < today

    def _search_is_missing(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return [("id", "=", 0)]
        today = fields.Date.context_today(self)
        submitted = expression.normalize_domain(self._techdept_submitted_domain())
        missing = expression.AND([[("deadline", "<", today)], ["!", *submitted]])
        if (operator == "=") == value:
            return missing
        return ["!", *expression.normalize_domain(missing)]

    @api.model
    def _techdept_period(self, frequency, day, due_days, company=None):
        """(start, end, deadline) of the ``frequency`` period holding ``day``:
        due ``due_days`` working days after the period's last working day.
        None when the period has no working day (a day off, a week of
        holidays): nothing is due for it."""
        calendar = self.env["techdept.calendar"]._for_company(company)
        start, end = period_bounds(frequency, day)
        last = end
        while last >= start and not calendar._is_working_day(last):
            last -= timedelta(days=1)
        if last < start:
            return None
        deadline, _provisional = calendar._add_working_days(last, max(due_days, 0))
        return start, end, deadline

    @api.model
    def _techdept_working_days_left(self, deadline, company=None, today=None):
        """Working days from ``today`` to ``deadline`` (0 on the day itself,
        negative once it passed)."""
        today = today or fields.Date.context_today(self)
        calendar = self.env["techdept.calendar"]._for_company(company)
        if deadline < today:
            return -1
        return calendar._working_days_between(today, deadline)
