from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

HOLIDAYS = [
    ("new_years_day", "New Year's Day"),
    ("spring_festival", "Spring Festival"),
    ("tomb_sweeping_day", "Tomb-sweeping Day"),
    ("labour_day", "Labour Day"),
    ("dragon_boat_festival", "Dragon Boat Festival"),
    ("mid_autumn_festival", "Mid-autumn Festival"),
    ("national_day", "National Day"),
    ("anti_fascist_70th_day", "Victory Day (70th Anniversary)"),
]


class TechdeptCalendarCacheMixin(models.AbstractModel):
    """The working calendar is read from a cache: any change to a calendar,
    its years or its days clears it."""

    _name = "techdept.calendar.cache.mixin"
    _description = "Cached Working Calendar"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()


class TechdeptCalendar(models.Model):
    """The working days of the suite's deadlines: Monday to Friday, less the
    public holidays, plus the weekend days worked instead (调休).

    Kept apart from resource.calendar on purpose: Odoo computes time off and
    planning from its standard calendar, which this one must not change. The
    years come from scripts/update-calendar.py; a year not loaded yet is
    provisional: its deadlines count weekends only."""

    _name = "techdept.calendar"
    _inherit = ["techdept.calendar.cache.mixin"]
    _description = "Working Calendar"
    _order = "company_id, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to use the calendar in every company that has none "
        "of its own.",
    )
    year_ids = fields.One2many("techdept.calendar.year", "calendar_id", string="Years")
    day_ids = fields.One2many("techdept.calendar.day", "calendar_id", string="Days")
    provisional_years = fields.Char(
        compute="_compute_provisional_years",
        help="This year or the next, when its holidays are not loaded yet: "
        "their deadlines count weekends only.",
    )

    @api.depends("year_ids.year")
    def _compute_provisional_years(self):
        this_year = fields.Date.context_today(self).year
        for calendar in self:
            covered = set(calendar.year_ids.mapped("year"))
            calendar.provisional_years = ", ".join(
                str(year) for year in (this_year, this_year + 1) if year not in covered
            )

    @api.model
    def _for_company(self, company=None):
        """The calendar of ``company``: its own, or else the shared one."""
        company = company or self.env.company
        return self.browse(self._for_company_id(company.id))

    @api.model
    @tools.ormcache("company_id")
    def _for_company_id(self, company_id):
        return (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [("company_id", "in", [company_id, False])],
                order="company_id, id",
                limit=1,
            )
            .id
        )

    @tools.ormcache("self.id")
    def _calendar_data(self):
        """(years loaded, {date: 'holiday' | 'workday'}): read once, kept until
        a calendar, a year or a day changes. Do not modify."""
        if not self.id:
            return frozenset(), {}
        years = (
            self.env["techdept.calendar.year"]
            .sudo()
            .search_read([("calendar_id", "=", self.id)], ["year"])
        )
        days = (
            self.env["techdept.calendar.day"]
            .sudo()
            .search_read([("calendar_id", "=", self.id)], ["date", "kind"])
        )
        return (
            frozenset(row["year"] for row in years),
            {row["date"]: row["kind"] for row in days},
        )

    def _covered_years(self):
        return self._calendar_data()[0]

    def _is_working_day(self, day):
        kind = self._calendar_data()[1].get(day)
        if kind:
            return kind == "workday"
        return day.weekday() < 5

    def _add_working_days(self, day, count):
        """(date, provisional): the ``count``-th working day after ``day``
        (``day`` itself for 0), and whether a year on the way was not loaded
        (counted on weekends only)."""
        covered = self._covered_years()
        provisional = day.year not in covered
        current = day
        added = 0
        while added < count:
            current += timedelta(days=1)
            provisional = provisional or current.year not in covered
            if self._is_working_day(current):
                added += 1
        return current, provisional

    def _nth_working_day(self, month_start, count):
        """(date, provisional): the ``count``-th working day of the month of
        ``month_start`` (the first working day for 1)."""
        first = month_start.replace(day=1)
        current = first
        seen = 0
        while True:
            if self._is_working_day(current):
                seen += 1
                if seen >= max(count, 1):
                    break
            current += timedelta(days=1)
        covered = self._covered_years()
        return current, current.year not in covered or first.year not in covered

    def _working_days_between(self, start, end):
        """Working days after ``start`` up to ``end`` included."""
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            count += self._is_working_day(current)
        return count


class TechdeptCalendarYear(models.Model):
    """A year whose public holidays are loaded: not provisional."""

    _name = "techdept.calendar.year"
    _inherit = ["techdept.calendar.cache.mixin"]
    _description = "Working Calendar Year"
    _order = "calendar_id, year"
    _rec_name = "year"

    calendar_id = fields.Many2one(
        "techdept.calendar", required=True, ondelete="cascade", index=True
    )
    year = fields.Integer(required=True)
    source = fields.Char(help="Where the dates of the year come from.")
    holiday_count = fields.Integer(string="Holidays", compute="_compute_counts")
    workday_count = fields.Integer(
        string="Make-up Working Days", compute="_compute_counts"
    )

    _sql_constraints = [
        (
            "calendar_year_uniq",
            "UNIQUE(calendar_id, year)",
            "A year is loaded once per calendar.",
        ),
    ]

    def _compute_counts(self):
        groups = self.env["techdept.calendar.day"]._read_group(
            [("calendar_id", "in", self.calendar_id.ids)],
            ["calendar_id", "date:year", "kind"],
            ["__count"],
        )
        counts = {
            (calendar.id, year.year, kind): count
            for calendar, year, kind, count in groups
        }
        for record in self:
            key = (record.calendar_id.id, record.year)
            record.holiday_count = counts.get((*key, "holiday"), 0)
            record.workday_count = counts.get((*key, "workday"), 0)


class TechdeptCalendarDay(models.Model):
    """A dated exception to Monday-to-Friday: a public holiday, or a weekend
    day worked instead (调休)."""

    _name = "techdept.calendar.day"
    _inherit = ["techdept.calendar.cache.mixin"]
    _description = "Working Calendar Day"
    _order = "calendar_id, date"
    _rec_name = "date"

    calendar_id = fields.Many2one(
        "techdept.calendar", required=True, ondelete="cascade", index=True
    )
    date = fields.Date(required=True)
    kind = fields.Selection(
        [("holiday", "Public Holiday"), ("workday", "Make-up Working Day")],
        required=True,
    )
    holiday = fields.Selection(HOLIDAYS, help="The holiday the day belongs to.")
    note = fields.Char()

    _sql_constraints = [
        (
            "calendar_date_uniq",
            "UNIQUE(calendar_id, date)",
            "A day is listed once per calendar.",
        ),
    ]

    @api.constrains("kind", "date")
    def _check_kind(self):
        for day in self:
            if day.kind == "workday" and day.date.weekday() < 5:
                raise ValidationError(
                    self.env._(
                        "%(date)s is a weekday: only a Saturday or a Sunday can "
                        "be a make-up working day.",
                        date=day.date,
                    )
                )
