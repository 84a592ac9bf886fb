from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.techdept_org.tests.common import techdept_person
from odoo.addons.techdept_org.tests.integrity import RefusalMixin

from .common import TechdeptProjectCase

SERVER = "cannot be written directly: the system sets them"


@tagged("post_install", "-at_install")
class TestProjectRoutines(RefusalMixin, TechdeptProjectCase):
    """Progress reports of engineers on projects, and the on-site reports of
    an O&M service."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_e3, cls.emp_e3 = techdept_person(
            cls.env,
            "prj_engineer3",
            "techdept_org.group_engineer",
            "aftersales_engineer",
            "dept_om",
        )
        Project = cls.env["project.project"].with_user(cls.user_director)
        cls.cloud = Project.create(
            {
                "name": "E-government cloud",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": cls.emp_b.id,
                "techdept_project_manager_id": cls.emp_e2.id,
            }
        )
        cls.campus = Project.create(
            {
                "name": "Smart campus",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": cls.emp_b.id,
                "techdept_project_manager_id": cls.emp_e3.id,
            }
        )
        cls.service = Project.create(
            {
                "name": "O&M: service centre",
                "techdept_kind": "om",
                "techdept_om_manager_id": cls.emp_a.id,
                "techdept_onsite_engineer_ids": [Command.set(cls.emp_e2.ids)],
                "techdept_aftersales_engineer_ids": [Command.set(cls.emp_e1.ids)],
                "techdept_service_date_from": date(2026, 1, 1),
                "techdept_service_date_to": date(2028, 12, 31),
                "techdept_onsite_report_frequency": "weekly",
                "techdept_onsite_report_due_days": 2,
            }
        )
        Assignment = cls.env["techdept.assignment"].with_user(cls.user_b)
        with freeze_time("2026-06-08"):
            for project, employee, role in (
                (cls.cloud, cls.emp_e2, "project_manager"),
                (cls.cloud, cls.emp_e1, "implementation_engineer"),
                (cls.campus, cls.emp_e3, "project_manager"),
                (cls.campus, cls.emp_e1, "implementation_engineer"),
            ):
                Assignment.create(
                    {
                        "project_id": project.id,
                        "employee_id": employee.id,
                        "role": role,
                        "date_from": date(2026, 6, 8),
                        "date_to": date(2026, 6, 30),
                        "confirm_double_booking": True,
                    }
                )
        cls.Report = cls.env["techdept.progress.report"]
        cls.Onsite = cls.env["techdept.onsite.report"]

    def _progress(self, employee, user, day, submit_on):
        with freeze_time(day):
            self.Report._cron_progress_reports()
        start = day - timedelta(days=day.weekday())
        report = self.Report.search(
            [("employee_id", "=", employee.id), ("period_start", "=", start)]
        )
        for section in report.with_user(user).section_ids:
            section.body = "Cabling of the server room."
        with freeze_time(submit_on):
            report.with_user(user).action_submit()
        return report

    def test_engineer_on_two_projects_reports_to_each_project_manager(self):
        report = self._progress(
            self.emp_e1, self.user_e1, date(2026, 6, 10), date(2026, 6, 12)
        )
        reviews = report.review_ids
        self.assertEqual(reviews.reviewer_id, self.emp_e2 | self.emp_e3)
        self.assertEqual(
            set(reviews.mapped("origin_name")), {"E-government cloud", "Smart campus"}
        )
        with freeze_time("2026-06-12"):
            report.with_user(self.user_e2).action_review("Rack 3 done.")
        self.assertEqual(
            report.state, "submitted", "the other project manager still reads"
        )
        self.assertEqual(report.review_progress, "1/2")
        with freeze_time("2026-06-15"):
            report.with_user(self.user_e3).action_review()
        self.assertEqual(report.state, "reviewed")
        # Each project manager reads the report he reviews.
        self.assertTrue(report.with_user(self.user_e3).section_ids)
        projects = report.figure_ids.filtered(lambda f: f.kind == "projects_touched")
        self.assertEqual(projects.value, 2)

    def test_project_manager_reports_to_the_implementation_manager(self):
        report = self._progress(
            self.emp_e2, self.user_e2, date(2026, 6, 10), date(2026, 6, 12)
        )
        self.assertEqual(report.review_ids.reviewer_id, self.emp_b)
        self.assertEqual(report.review_ids.origin_name, "E-government cloud")

    def test_off_projects_the_om_manager_reviews(self):
        report = self._progress(
            self.emp_e1, self.user_e1, date(2026, 7, 8), date(2026, 7, 10)
        )
        self.assertEqual(report.review_ids.reviewer_id, self.emp_a)
        self.assertFalse(report.review_ids.origin_name)

    def _onsite(self, day=date(2026, 6, 10)):
        with freeze_time(day):
            self.Onsite._cron_onsite_reports()
        return self.Onsite.search(
            [
                ("project_id", "=", self.service.id),
                ("period_start", "<=", day),
                ("period_end", ">=", day),
            ]
        )

    def _repair(self, project=None):
        return (
            self.env["techdept.repair"]
            .with_user(self.user_e2)
            .create(
                {
                    "name": "Dome camera returned",
                    "project_id": (project or self.service).id,
                    "equipment": "Hall dome camera",
                    "fault": "Pan-tilt stuck.",
                }
            )
        )

    def test_onsite_report_written_on_site_reviewed_by_the_om_manager(self):
        report = self._onsite()
        self.assertEqual(
            (report.period_start, report.deadline),
            (date(2026, 6, 8), date(2026, 6, 16)),
        )
        self.assertEqual(self._onsite(), report, "once per period")
        repair = self._repair()
        report.with_user(self.user_e2).write(
            {
                "work_done": "Weekly inspection of the server room.",
                "incidents": "UPS alarm on Tuesday, reset.",
                "repair_ids": [Command.set(repair.ids)],
                "site_changes": "The customer plans a second data hall.",
            }
        )
        with freeze_time("2026-06-15"):
            report.with_user(self.user_e2).action_approval_submit()
        self.assertEqual(report.approval_state, "pending")
        self.assertEqual(report.employee_id, self.emp_e2)
        self.assertFalse(report.is_late)
        self.assertEqual(report.approval_current_user_ids, self.user_a)
        report.with_user(self.user_a).action_approval_approve()
        self.assertEqual(report.approval_state, "approved")
        self.assertRefused(
            UserError,
            "cannot be changed",
            lambda: report.with_user(self.user_e2).write({"work_done": "Nothing."}),
            records=report,
            fields=["work_done"],
        )
        # The engineer's weekly report counts it, with the repair.
        progress = self._progress(
            self.emp_e2, self.user_e2, date(2026, 6, 15), date(2026, 6, 19)
        )
        kinds = {figure.kind: figure.value for figure in progress.figure_ids}
        self.assertEqual(kinds.get("onsite_reports"), 1)

    def test_late_onsite_reports_per_service(self):
        report = self._onsite()
        with freeze_time("2026-06-15"):
            self.Onsite._cron_onsite_reports()
        todo = report.activity_ids
        self.assertEqual(todo.user_id, self.user_e2, "reminded the working day before")
        with freeze_time("2026-06-17"):
            self.Onsite._cron_onsite_reports()
            self.assertTrue(report.is_late)
            self.assertTrue(report.is_missing)
            self.assertEqual(self.service.techdept_onsite_late_count, 1)
            late = self.Onsite.with_user(self.user_a).search(
                [("is_missing", "=", True), ("project_id", "=", self.service.id)]
            )
            self.assertEqual(late, report)
            report.with_user(self.user_e2).work_done = "Inspection."
            report.with_user(self.user_e2).action_approval_submit()
        self.assertTrue(report.is_late)
        self.assertFalse(
            report.activity_ids.filtered(lambda a: a.user_id == self.user_e2)
        )

    def test_onsite_report_integrity(self):
        report = self._onsite()
        self.assertRefused(
            AccessError,
            "created by the system only",
            lambda: self.Onsite.with_user(self.user_e2).create(
                {
                    "project_id": self.service.id,
                    "frequency": "weekly",
                    "period_start": date(2026, 5, 4),
                    "period_end": date(2026, 5, 10),
                    "deadline": date(2026, 12, 31),
                }
            ),
            model="techdept.onsite.report",
        )
        self.assertRefused(
            AccessError,
            SERVER,
            lambda: (
                report.with_user(self.user_e2)
                .with_context(techdept_server=True)
                .write({"is_late": False, "deadline": date(2026, 12, 31)})
            ),
            records=report,
            fields=["is_late", "deadline"],
        )
        self.assertRefused(
            AccessError,
            "Only the on-site engineers",
            lambda: report.with_user(self.user_e1).write({"work_done": "Mine."}),
            records=report,
            fields=["work_done"],
        )
        self.assertRefused(
            AccessError,
            "Only the on-site engineers",
            lambda: report.with_user(self.user_e1).action_approval_submit(),
            records=report,
            fields=["approval_state"],
        )
        other = (
            self.env["project.project"]
            .with_user(self.user_director)
            .create({"name": "O&M: other", "techdept_kind": "om"})
        )
        foreign = (
            self.env["techdept.repair"]
            .with_user(self.user_director)
            .create(
                {
                    "name": "Other repair",
                    "project_id": other.id,
                    "equipment": "Switch",
                    "fault": "Dead.",
                }
            )
        )
        self.assertRefused(
            ValidationError,
            "is not a repair of",
            lambda: (
                report.with_user(self.user_e2)
                .sudo()
                .write({"repair_ids": [Command.set(foreign.ids)]})
            ),
            records=report,
            fields=["repair_ids"],
        )
        with self.assertRaises(AccessError):
            report.with_user(self.user_outsider).read(["work_done"])
