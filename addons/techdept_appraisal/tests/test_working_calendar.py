from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_appraisal import AppraisalCase


@tagged("post_install", "-at_install")
class TestWorkingCalendar(AppraisalCase):
    def test_deadline_is_the_nth_working_day_of_the_next_month(self):
        # A company of its own: demo data may hold these months already.
        company = self.env["res.company"].create({"name": "Calendar test"})
        Period = self.env["techdept.appraisal.period"].with_company(company)
        # September's forms: 1-7 October are the National Day holiday,
        # Saturday the 10th is worked: the 8th, 9th, 10th, 12th, 13th.
        september = Period.create({"date_from": date(2026, 9, 1)})
        self.assertEqual(september.deadline, date(2026, 10, 13))
        self.assertFalse(september.deadline_provisional)
        self.env["ir.config_parameter"].sudo().set_param(
            "techdept_appraisal.deadline_day", 1
        )
        august = Period.create({"date_from": date(2026, 8, 1)})
        self.assertEqual(august.deadline, date(2026, 9, 1))
        july = Period.create({"date_from": date(2026, 7, 1)})
        self.assertEqual(july.deadline, date(2026, 8, 3))  # 1 August: a Saturday
        self.assertEqual(self.period.deadline, date(2026, 12, 7))
        self.assertFalse(self.period.deadline_provisional)

    def test_deadline_in_a_provisional_year(self):
        company = self.env["res.company"].create({"name": "Calendar test"})
        december = (
            self.env["techdept.appraisal.period"]
            .with_company(company)
            .create({"date_from": date(2026, 12, 1)})
        )
        # 2027 is not loaded: New Year's Day counts as worked, and the month
        # says its deadline is provisional.
        self.assertEqual(december.deadline, date(2027, 1, 7))
        self.assertTrue(december.deadline_provisional)
        arch = self.env["techdept.appraisal.period"].get_view(view_type="form")["arch"]
        self.assertIn("deadline_provisional", arch)

    def test_an_escalated_review_is_not_on_time(self):
        chain = self.env["techdept.approval.chain"].create(
            {
                "name": "O&M review",
                "code": "ap_test_om_review",
                "step_ids": [
                    Command.create(
                        {
                            "name": "O&M manager",
                            "approver_type": "users",
                            "user_ids": [Command.set(self.user_om.ids)],
                            "deadline_days": 3,
                            "escalation_days": 1,
                        }
                    )
                ],
            }
        )
        doc_type = self.env["techdept.document.type"].create(
            {"name": "Test report", "code": "ap_test_report", "chain_id": chain.id}
        )
        Line = self.env["techdept.approval.line"]

        def submitted_on(day, name):
            with freeze_time(day):
                document = (
                    self.env["techdept.document"]
                    .with_user(self.user_eng)
                    .create({"name": name, "type_id": doc_type.id})
                )
                document.attachment_ids = (
                    self.env["ir.attachment"]
                    .with_user(self.user_eng)
                    .create({"name": "report.txt", "raw": b"report"})
                )
                document.with_user(self.user_eng).action_approval_submit()
            return document

        def escalate(day):
            with freeze_time(day):
                Line._cron_escalate()

        # On time: decided the day before its deadline (5 November).
        on_time = submitted_on("2026-11-02 10:00:00", "On time")
        with freeze_time("2026-11-04 10:00:00"):
            on_time.with_user(self.user_om).action_approval_approve()
        # Escalated to the director, who decides it.
        by_director = submitted_on("2026-11-09 10:00:00", "Escalated")
        escalate("2026-11-13")
        escalate("2026-11-16")
        line = by_director.approval_line_ids
        self.assertEqual(line.escalated_user_ids, self.user_director)
        with freeze_time("2026-11-16 11:00:00"):
            by_director.with_user(self.user_director).action_approval_approve()
        kpi = self.appraisals._kpi_approvals_on_time()
        self.assertEqual(kpi[self.emp_om.id], 50.0)

        # Escalated, then decided by the approver himself: counted once, late.
        late = submitted_on("2026-11-16 10:00:00", "Late")
        escalate("2026-11-20")
        escalate("2026-11-23")
        self.assertEqual(late.approval_line_ids.escalation_state, "escalated")
        with freeze_time("2026-11-23 11:00:00"):
            late.with_user(self.user_om).action_approval_approve()
        kpi = self.appraisals._kpi_approvals_on_time()
        self.assertAlmostEqual(kpi[self.emp_om.id], 100.0 / 3, places=2)
        # Whoever the review escalated to is not measured by it.
        director_kpi = (
            self.env["techdept.appraisal"]
            .new({"employee_id": self.emp_director.id, "period_id": self.period.id})
            ._kpi_approvals_on_time()
        )
        self.assertNotIn(self.emp_director.id, director_kpi)
