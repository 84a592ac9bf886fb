from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestWorkingCalendar(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.ref("techdept_org.techdept_calendar_cn")

    def test_shipped_year_from_the_source(self):
        year = self.calendar.year_ids.filtered(lambda y: y.year == 2026)
        self.assertTrue(year.source.startswith("chinesecalendar "))
        days = {day.date: day for day in self.calendar.day_ids}
        for day in range(1, 8):
            self.assertEqual(days[date(2026, 10, day)].kind, "holiday")
            self.assertEqual(days[date(2026, 10, day)].holiday, "national_day")
        # 调休: the Sunday before and the Saturday after are worked.
        self.assertEqual(days[date(2026, 9, 20)].kind, "workday")
        self.assertEqual(days[date(2026, 10, 10)].kind, "workday")
        self.assertEqual(year.holiday_count, 33)
        self.assertEqual(year.workday_count, 6)

    def test_working_days(self):
        calendar = self.calendar
        self.assertFalse(calendar._is_working_day(date(2026, 10, 1)))  # Thursday
        self.assertTrue(calendar._is_working_day(date(2026, 10, 10)))  # Saturday
        self.assertFalse(calendar._is_working_day(date(2026, 10, 11)))  # Sunday
        self.assertTrue(calendar._is_working_day(date(2026, 10, 12)))
        self.assertEqual(
            calendar._add_working_days(date(2026, 9, 30), 3),
            (date(2026, 10, 10), False),
        )
        self.assertEqual(
            calendar._add_working_days(date(2026, 9, 30), 0),
            (date(2026, 9, 30), False),
        )
        # Spring Festival: 15 to 23 February, Saturday the 28th worked.
        self.assertEqual(
            calendar._add_working_days(date(2026, 2, 13), 1),
            (date(2026, 2, 14), False),
        )
        self.assertEqual(
            calendar._add_working_days(date(2026, 2, 14), 1),
            (date(2026, 2, 24), False),
        )
        self.assertEqual(
            calendar._working_days_between(date(2026, 9, 30), date(2026, 10, 12)), 4
        )

    def test_nth_working_day_of_a_month(self):
        calendar = self.calendar
        self.assertEqual(
            calendar._nth_working_day(date(2026, 10, 1), 1), (date(2026, 10, 8), False)
        )
        self.assertEqual(
            calendar._nth_working_day(date(2026, 10, 1), 5),
            (date(2026, 10, 13), False),
        )
        self.assertEqual(
            calendar._nth_working_day(date(2026, 12, 1), 5), (date(2026, 12, 7), False)
        )

    def test_provisional_year_counts_weekends_only(self):
        calendar = self.calendar
        self.assertNotIn(2027, calendar._covered_years())
        # New Year's Day 2027 is a Friday: counted as worked, and said so.
        self.assertEqual(
            calendar._nth_working_day(date(2027, 1, 1), 1), (date(2027, 1, 1), True)
        )
        self.assertEqual(
            calendar._add_working_days(date(2026, 12, 31), 1), (date(2027, 1, 1), True)
        )
        with freeze_time("2026-06-01"):
            self.assertEqual(calendar.provisional_years, "2027")
        arch = self.env["techdept.calendar"].get_view(view_type="form")["arch"]
        self.assertIn('name="provisional_years"', arch)
        arch = self.env["techdept.approval.line"].get_view(view_type="form")["arch"]
        self.assertIn("deadline_provisional", arch)

    def test_make_up_days_are_weekend_days(self):
        with self.assertRaisesRegex(ValidationError, "weekday"):
            self.env["techdept.calendar.day"].create(
                {
                    "calendar_id": self.calendar.id,
                    "date": date(2027, 1, 4),
                    "kind": "workday",
                }
            )

    def test_a_company_calendar_wins_and_odoo_calendar_is_untouched(self):
        Calendar = self.env["techdept.calendar"]
        self.assertEqual(Calendar._for_company(), self.calendar)
        branch = self.env["res.company"].create({"name": "Branch"})
        own = Calendar.create({"name": "Branch calendar", "company_id": branch.id})
        self.assertEqual(Calendar._for_company(branch), own)
        self.assertEqual(Calendar._for_company(self.env.company), self.calendar)
        # Odoo's standard working schedule still works on the National Day:
        # its time off and planning are not this calendar's business.
        resource_calendar = self.env.company.resource_calendar_id
        self.assertFalse(
            resource_calendar.global_leave_ids.filtered(
                lambda leave: leave.date_from.date() == date(2026, 10, 1)
            )
        )
        self.assertGreater(
            resource_calendar.get_work_hours_count(
                datetime(2026, 10, 1, 0, 0), datetime(2026, 10, 1, 23, 59)
            ),
            0,
        )
