import io
import subprocess
import tempfile
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import TechdeptOrgCase
from .integrity import RefusalMixin

SERVER = "cannot be written directly: the system sets them"
# The week of 8 June 2026: Monday to Sunday, due on Friday the 12th
# (engineers) or Monday the 15th (managers, a working day of grace).
MONDAY = date(2026, 6, 8)
HOSTILE_CONTEXT = {"techdept_server": True, "techdept_report_unlock": True}


class ReportCase(TechdeptOrgCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["techdept.progress.report"]
        cls.template = cls.env.ref("techdept_org.report_template_engineer")
        cls.manager_template = cls.env.ref("techdept_org.report_template_manager")
        cls.supervision_manager = cls.env.ref("techdept_org.dept_supervision")

    def _reports(self, day=MONDAY):
        with freeze_time(day):
            self.Report._cron_progress_reports()
        return self.Report.search(
            [("period_start", "<=", day), ("period_end", ">=", day)]
        )

    def _report(self, employee, day=MONDAY):
        return self._reports(day).filtered(lambda r: r.employee_id == employee)

    def _write(self, report, user, text="Cabled rack 3."):
        for section in report.with_user(user).section_ids:
            section.body = f"{section.name}: {text}"

    def _submit(self, employee, user, day):
        report = self._report(employee, MONDAY)
        self._write(report, user)
        with freeze_time(day):
            report.with_user(user).action_submit()
        return report


@tagged("post_install", "-at_install")
class TestProgressReport(ReportCase):
    def test_reports_made_once_per_period_with_their_sections(self):
        reports = self._reports()
        authors = reports.employee_id
        self.assertEqual(
            authors,
            self.emp_engineer
            | self.emp_onsite
            | self.emp_a
            | self.emp_b
            | self.emp_presales_mgr,
        )
        mine = reports.filtered(lambda r: r.employee_id == self.emp_engineer)
        self.assertEqual(mine.template_id, self.template)
        self.assertEqual(
            (mine.period_start, mine.period_end), (MONDAY, date(2026, 6, 14))
        )
        self.assertEqual(mine.deadline, date(2026, 6, 12))
        self.assertEqual(len(mine.section_ids), 3)
        manager = reports.filtered(lambda r: r.employee_id == self.emp_a)
        self.assertEqual(manager.deadline, date(2026, 6, 15))
        self.assertEqual(self._reports(), reports, "the same day makes nothing more")
        self.assertEqual(mine.with_context(lang="en_US").period_label, "2026-W24")

    def test_due_on_the_last_working_day_before_a_holiday(self):
        # 19 June 2026 is the Dragon Boat Festival: the week ends on Thursday.
        report = self._report(self.emp_engineer, date(2026, 6, 16))
        self.assertEqual(report.deadline, date(2026, 6, 18))

    def test_submit_fills_figures_and_asks_the_om_manager(self):
        report = self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 11))
        self.assertEqual(report.state, "submitted")
        self.assertFalse(report.is_late)
        self.assertEqual(report.review_ids.reviewer_id, self.emp_a)
        kinds = set(report.figure_ids.mapped("kind"))
        self.assertLessEqual(
            {"approvals_decided", "documents_submitted", "documents_approved"}, kinds
        )
        todo = report.activity_ids.filtered(lambda a: a.user_id == self.user_a)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.date_deadline, date(2026, 6, 15))
        with freeze_time("2026-06-12"):
            report.with_user(self.user_a).action_review("Good week.")
        self.assertEqual(report.state, "reviewed")
        review = report.review_ids
        self.assertEqual(review.reviewed_by_id, self.user_a)
        self.assertFalse(review.on_behalf)
        self.assertFalse(review.is_late)
        self.assertEqual(review.comment, "Good week.")
        self.assertFalse(
            report.activity_ids.filtered(lambda a: a.user_id == self.user_a)
        )
        self.assertIn("Good week.", report.message_ids[0].body)
        self.assertEqual(
            report.message_ids[0].partner_ids, self.user_engineer.partner_id
        )

    def test_the_manager_acting_on_the_report_date_reviews(self):
        # A is away on the 12th, the report's date: B (his deputy) reviews.
        self._leave(self.emp_a, date(2026, 6, 11), date(2026, 6, 12))
        report = self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 12))
        self.assertEqual(report.review_ids.reviewer_id, self.emp_b)
        self.assertEqual(report.review_ids.holder_id, self.emp_a)
        with self.assertRaisesRegex(UserError, "not yours to review"):
            with freeze_time("2026-06-15"):
                report.with_user(self.user_a).action_review()
        with freeze_time("2026-06-15"):
            report.with_user(self.user_b).action_review()
        self.assertEqual(report.state, "reviewed")

    def test_whoever_acts_for_an_absent_reviewer_reviews(self):
        report = self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 10))
        self.assertEqual(report.review_ids.reviewer_id, self.emp_a)
        self._leave(self.emp_a, date(2026, 6, 15), date(2026, 6, 16))
        with freeze_time("2026-06-15"):
            self.assertTrue(report.with_user(self.user_b).can_review)
            self.assertIn(
                report,
                self.Report.with_user(self.user_b).search([("can_review", "=", True)]),
            )
            report.with_user(self.user_b).action_review()
        review = report.review_ids
        self.assertEqual(review.reviewed_by_id, self.user_b)
        self.assertTrue(review.on_behalf)
        self.assertIn("on behalf of", report.message_ids[0].body)

    def test_managers_report_to_the_director(self):
        report = self._submit(self.emp_a, self.user_a, date(2026, 6, 12))
        self.assertEqual(report.review_ids.reviewer_id, self.emp_director)
        self.assertEqual(report.template_id, self.manager_template)

    def test_reminder_then_late_then_missing(self):
        report = self._report(self.emp_engineer)
        with freeze_time("2026-06-09"):
            self.Report._cron_progress_reports()
        self.assertFalse(report.activity_ids, "three working days before: no reminder")
        with freeze_time("2026-06-11"):
            self.Report._cron_progress_reports()
            self.Report._cron_progress_reports()
        todo = report.activity_ids
        self.assertEqual(len(todo), 1, "one reminder, however often the job runs")
        self.assertEqual(
            (todo.user_id, todo.date_deadline), (self.user_engineer, date(2026, 6, 12))
        )
        with freeze_time("2026-06-15"):
            self.Report._cron_progress_reports()
            self.assertTrue(report.is_late)
            self.assertTrue(report.is_missing)
            self.assertIn(report, self.Report.search([("is_missing", "=", True)]))
            self._write(report, self.user_engineer)
            report.with_user(self.user_engineer).action_submit()
            self.assertTrue(report.is_late, "submitted after its day: late")
            self.assertFalse(report.is_missing)
            self.assertNotIn(report, self.Report.search([("is_missing", "=", True)]))
        self.assertFalse(
            report.activity_ids.filtered(lambda a: a.user_id == self.user_engineer)
        )

    def test_overdue_review_is_late(self):
        report = self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 10))
        self.assertEqual(report.review_ids.deadline, date(2026, 6, 12))
        with freeze_time("2026-06-16"):
            self.Report._cron_progress_reports()
        self.assertTrue(report.review_ids.is_late)

    def test_required_sections(self):
        report = self._report(self.emp_engineer)
        with self.assertRaisesRegex(UserError, "Write .* before submitting"):
            report.with_user(self.user_engineer).action_submit()
        report.with_user(self.user_engineer).section_ids[:2].write({"body": "Done."})
        with freeze_time("2026-06-10"):
            report.with_user(self.user_engineer).action_submit()
        self.assertEqual(report.state, "submitted")

    def test_withdraw_before_review_only(self):
        report = self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 10))
        with freeze_time("2026-06-10"):
            report.with_user(self.user_engineer).action_withdraw()
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.review_ids)
        self.assertFalse(report.activity_ids)
        self._write(report, self.user_engineer, "Cabled racks 3 and 4.")
        with freeze_time("2026-06-11"):
            report.with_user(self.user_engineer).action_submit()
            report.with_user(self.user_a).action_review()
        with self.assertRaisesRegex(UserError, "cannot be withdrawn"):
            report.with_user(self.user_engineer).action_withdraw()

    def test_open_current_report(self):
        with freeze_time("2026-06-10"):
            action = self.Report.with_user(self.user_onsite).action_open_current()
        report = self.Report.browse(action["res_id"])
        self.assertEqual(report.employee_id, self.emp_onsite)
        self.assertEqual(report.period_start, MONDAY)
        with self.assertRaisesRegex(UserError, "No progress report is due"):
            self.Report.with_user(self.user_director).action_open_current()
        with self.assertRaisesRegex(UserError, "no employee record"):
            self.Report.with_user(self.user_plain).action_open_current()

    def test_who_reads_which_report(self):
        reports = self._reports()
        mine = reports.filtered(lambda r: r.employee_id == self.emp_engineer)
        onsite = reports.filtered(lambda r: r.employee_id == self.emp_onsite)
        as_engineer = self.Report.with_user(self.user_engineer)
        self.assertEqual(as_engineer.search([("id", "in", reports.ids)]), mine)
        with self.assertRaises(AccessError):
            onsite.with_user(self.user_engineer).read(["state"])
        # The O&M manager reads his group's, not the presales manager.
        om_reads = self.Report.with_user(self.user_a).search(
            [("id", "in", reports.ids)]
        )
        self.assertEqual(
            om_reads,
            mine | onsite | reports.filtered(lambda r: r.employee_id == self.emp_a),
        )
        presales_reads = self.Report.with_user(self.user_presales_mgr).search(
            [("id", "in", reports.ids)]
        )
        self.assertNotIn(mine, presales_reads)
        with self.assertRaises(AccessError):
            mine.with_user(self.user_presales_mgr).section_ids.read(["body"])
        self.assertEqual(
            self.Report.with_user(self.user_director).search(
                [("id", "in", reports.ids)]
            ),
            reports,
        )
        # B reads A's group while he acts for him.
        self._leave(self.emp_a, date(2026, 6, 8), date(2026, 6, 12))
        with freeze_time("2026-06-10"):
            self.assertIn(
                mine,
                self.Report.with_user(self.user_b).search([("id", "in", reports.ids)]),
            )
        with freeze_time("2026-06-22"):
            self.assertNotIn(
                mine,
                self.Report.with_user(self.user_b).search([("id", "in", reports.ids)]),
            )

    def test_digest_sheet(self):
        self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 11))
        with freeze_time("2026-06-16"):
            self.Report._cron_progress_reports()
            wizard = (
                self.env["techdept.report.digest.wizard"]
                .with_user(self.user_a)
                .create({"date": date(2026, 6, 10)})
            )
            names = wizard.report_ids.employee_id
            self.assertEqual(names, self.emp_engineer | self.emp_onsite)
            self.assertEqual(
                wizard._techdept_counts(),
                {
                    "expected": 2,
                    "submitted": 1,
                    "late": 1,
                    "missing": 1,
                    "reviewed": 0,
                    "to_review": 1,
                },
            )
            filename, content = wizard._techdept_xlsx_file()
        self.assertEqual(filename, "progress-reports-2026-W24.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        by_name = {row[0]: row for row in rows}
        self.assertEqual(set(by_name), {"Td Engineer", "Td Onsite"})
        header = [cell.value for cell in sheet[2]]
        done = header.index("Done This Period")
        self.assertEqual(
            by_name["Td Engineer"][done], "Done This Period: Cabled rack 3."
        )
        self.assertEqual(by_name["Td Onsite"][header.index("Missing")], "Yes")
        figures = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
        self.assertTrue(figures)
        self.assertTrue(all(row[0] == "Td Engineer" for row in figures))


@tagged("post_install", "-at_install")
class TestProgressReportIntegrity(RefusalMixin, ReportCase):
    """Forgeries of progress reports: refused, nothing changed."""

    def test_client_cannot_create_or_own_reports(self):
        Report = self.Report.with_user(self.user_engineer)
        self.assertRefused(
            AccessError,
            "created by the system only",
            lambda: Report.create(
                {
                    "employee_id": self.emp_engineer.id,
                    "template_id": self.template.id,
                    "frequency": "weekly",
                    "period_start": MONDAY,
                    "period_end": date(2026, 6, 14),
                    "deadline": date(2026, 6, 30),
                }
            ),
            model="techdept.progress.report",
        )
        report = self._report(self.emp_engineer)
        for vals in (
            {"state": "reviewed"},
            {"is_late": False},
            {"deadline": date(2026, 12, 31)},
            {"employee_id": self.emp_onsite.id},
        ):
            self.assertRefused(
                AccessError,
                SERVER,
                lambda vals=vals: (
                    report.with_user(self.user_engineer)
                    .with_context(**HOSTILE_CONTEXT)
                    .write(vals)
                ),
                records=report,
                fields=["state", "is_late", "deadline", "employee_id"],
            )

    def test_only_the_author_writes_and_only_before_submitting(self):
        report = self._report(self.emp_engineer)
        section = report.section_ids[:1]
        self.assertRefused(
            AccessError,
            "Only Td Engineer writes",
            lambda: section.with_user(self.user_a).write({"body": "Nothing done."}),
            records=section,
            fields=["body"],
        )
        self.assertRefused(
            AccessError,
            "Only Td Engineer submits",
            lambda: report.with_user(self.user_a).action_submit(),
            records=report,
            fields=["state"],
        )
        self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 10))
        self.assertRefused(
            UserError,
            "cannot be changed",
            lambda: (
                section.with_user(self.user_engineer)
                .with_context(**HOSTILE_CONTEXT)
                .write({"body": "Rewritten."})
            ),
            records=section,
            fields=["body"],
        )
        with freeze_time("2026-06-11"):
            report.with_user(self.user_a).action_review()
        # Nobody edits a reviewed report, the director neither.
        for user, error in (
            (self.user_engineer, UserError),
            (self.user_director, AccessError),
        ):
            self.assertRefused(
                error,
                "cannot be changed|Only Td Engineer writes",
                lambda user=user: section.with_user(user).write({"body": "Edited."}),
                records=section,
                fields=["body"],
            )
        self.assertRefused(
            UserError,
            "cannot be deleted",
            lambda: report.with_user(self.user_director).unlink(),
            model="techdept.progress.report",
        )

    def test_sections_through_the_report_form(self):
        report = self._report(self.emp_engineer)
        other = self._report(self.emp_onsite)
        section = report.section_ids[:1]
        as_author = report.with_user(self.user_engineer)
        as_author.write({"section_ids": [(1, section.id, {"body": "Racks cabled."})]})
        self.assertEqual(section.body, "Racks cabled.")
        for commands in (
            [(0, 0, {"template_section_id": section.template_section_id.id})],
            [(2, section.id)],
            [(3, section.id)],
            [(5,)],
            [(6, 0, [])],
            [(1, section.id, {"report_id": other.id})],
            [(1, other.section_ids[:1].id, {"body": "Not mine."})],
            [(4, other.section_ids[:1].id)],
        ):
            self.assertRefused(
                AccessError,
                "only their text is written",
                lambda commands=commands: as_author.write({"section_ids": commands}),
                records=report.section_ids | other.section_ids,
                fields=["body", "report_id"],
                model="techdept.progress.report.section",
            )
        self.assertRefused(
            AccessError,
            "Only Td Engineer writes",
            lambda: report.with_user(self.user_a).write(
                {"section_ids": [(1, section.id, {"body": "Rewritten by A."})]}
            ),
            records=section,
            fields=["body"],
        )

    def test_only_a_reviewer_reviews(self):
        report = self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 10))
        for user in (
            self.user_engineer,
            self.user_onsite,
            self.user_b,
            self.user_director,
        ):
            self.assertRefused(
                UserError,
                "not yours to review",
                lambda user=user: (
                    report.with_user(user)
                    .with_context(**HOSTILE_CONTEXT)
                    .action_review("Seen.")
                ),
                records=report,
                fields=["state", "review_progress"],
            )
        self.assertRefused(
            ValidationError,
            "A review comment is a text",
            lambda: report.with_user(self.user_a).action_review(["forged"]),
            records=report,
            fields=["state"],
        )

    def test_parts_are_the_servers(self):
        report = self._submit(self.emp_engineer, self.user_engineer, date(2026, 6, 10))
        figure = report.figure_ids[:1]
        review = report.review_ids
        Figure = self.env["techdept.progress.report.figure"].with_user(
            self.user_engineer
        )
        self.assertRefused(
            AccessError,
            "You are not allowed|created by the system only",
            lambda: Figure.create(
                {"report_id": report.id, "kind": "approvals_decided", "value": 99}
            ),
            model="techdept.progress.report.figure",
        )
        self.assertRefused(
            AccessError,
            SERVER,
            lambda: figure.with_user(self.user_engineer).write({"value": 99}),
            records=figure,
            fields=["value"],
        )
        self.assertRefused(
            AccessError,
            SERVER,
            lambda: review.with_user(self.user_a).write({"state": "done"}),
            records=review,
            fields=["state"],
        )
        onsite_section = self._report(self.emp_onsite).section_ids[:1]
        self.assertRefused(
            AccessError,
            SERVER,
            lambda: onsite_section.with_user(self.user_onsite).write(
                {"report_id": report.id, "body": "Moved."}
            ),
            records=onsite_section,
            fields=["report_id", "body"],
        )
        self.assertRefused(
            AccessError,
            "not allowed to delete",
            lambda: (
                self._report(self.emp_onsite)
                .section_ids[:1]
                .with_user(self.user_onsite)
                .unlink()
            ),
            model="techdept.progress.report.section",
        )


@tagged("post_install", "-at_install")
class TestProgressReportDigestPdf(HttpCase):
    """The weekly digest as a PDF with Chinese text."""

    def test_digest_pdf_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["techdept_org"], ["zh_CN"])
        self.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        from .common import techdept_person

        manager, emp_manager = techdept_person(
            self.env,
            "pdf_om_manager",
            "techdept_org.group_manager",
            "om_manager",
            "dept_om",
            manages="dept_om",
        )
        manager.lang = "zh_CN"
        engineer, emp_engineer = techdept_person(
            self.env,
            "pdf_engineer",
            "techdept_org.group_engineer",
            "onsite_engineer",
            "dept_om",
        )
        emp_engineer.name = "郑凯"
        Report = self.env["techdept.progress.report"]
        with freeze_time("2026-06-10"):
            Report._cron_progress_reports()
        report = Report.search([("employee_id", "=", emp_engineer.id)])
        for section in report.with_user(engineer).section_ids:
            section.body = "完成政务服务中心机房巡检"
        with freeze_time("2026-06-11"):
            report.with_user(engineer).action_submit()
        wizard = (
            self.env["techdept.report.digest.wizard"]
            .with_user(manager)
            .with_context(lang="zh_CN")
            .create({"date": date(2026, 6, 10)})
        )
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, _kind = (
                self.env["ir.actions.report"]
                .with_user(manager)
                .with_context(force_report_rendering=True, lang="zh_CN")
                ._render_qweb_pdf("techdept_org.report_digest", res_ids=wizard.ids)
            )
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", file.name, "-"],
                check=True,
                capture_output=True,
                text=True,
                encoding="utf-8",
            ).stdout
        self.assertIn("郑凯", text)
        self.assertIn("完成政务服务中心机房巡检", text)
        self.assertIn("2026年第24周", text)
        radicals = {char for char in text if 0x2E80 <= ord(char) <= 0x2FDF}
        self.assertFalse(radicals)
