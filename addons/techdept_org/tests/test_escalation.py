from datetime import date

from freezegun import freeze_time
from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TechdeptOrgCase


class EscalationCase(TechdeptOrgCase):
    """The tests' approvable model, a one-step chain held by the O&M manager
    (A, whose deputy is the implementation manager B) and a general
    manager's office."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, "odoo.addons.techdept_approval_tests")
        cls.loader.backup_registry()
        from .fake_models import TechdeptApprovalTester

        cls.loader.update_registry((TechdeptApprovalTester,))
        cls.Tester = cls.env["techdept.approval.tester"]
        cls.env["ir.model.access"].create(
            {
                "name": "tester",
                "model_id": cls.env["ir.model"]._get_id("techdept.approval.tester"),
                "group_id": cls.env.ref("base.group_user").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
                "perm_unlink": True,
            }
        )
        cls.user_gm = new_test_user(
            cls.env, login="td_gm", groups="techdept_org.group_gm_office"
        )
        cls.emp_gm = cls.env["hr.employee"].create(
            {
                "name": "Td Gm",
                "user_id": cls.user_gm.id,
                "department_id": cls.env.ref("techdept_org.dept_gm_office").id,
            }
        )
        cls.env.ref("techdept_org.dept_gm_office").manager_id = cls.emp_gm
        # Demo data may name a robot on the departments: none here unless a
        # test names one.
        cls.env["hr.department"].search([]).techdept_robot_id = False
        cls.chain = cls.env["techdept.approval.chain"].create(
            {
                "name": "Tester chain",
                "code": "tester_chain",
                "model_id": cls.env["ir.model"]._get_id("techdept.approval.tester"),
                "step_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "name": "O&M review",
                            "approver_type": "function",
                            "function": "om",
                            "deadline_days": 3,
                            "escalation_days": 1,
                        }
                    ),
                ],
            }
        )
        cls.step = cls.chain.step_ids
        cls.Line = cls.env["techdept.approval.line"]
        cls.Escalation = cls.env["techdept.approval.escalation"]

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _submit(self, name="Solution", user=None):
        record = self.Tester.with_user(user or self.user_engineer).create(
            {"name": name, "amount": 10}
        )
        record.action_approval_submit()
        return record

    def _pending(self, record):
        return record.approval_line_ids.filtered(lambda line: line.state == "pending")

    def _escalate_on(self, day):
        with freeze_time(day):
            self.Line._cron_escalate()
            self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestEscalation(EscalationCase):
    def test_national_day_then_deputy_then_director(self):
        # Opened on the eve of the National Day holiday (1-7 October 2026):
        # three working days are the 8th, the 9th and Saturday the 10th, a
        # make-up working day.
        with freeze_time("2026-09-30 10:00:00"):
            record = self._submit()
        line = self._pending(record)
        self.assertEqual(line.approver_ids, self.user_a)
        self.assertEqual(line.deadline, date(2026, 10, 10))
        self.assertEqual(line.escalation_date, date(2026, 10, 12))
        self.assertFalse(line.deadline_provisional)

        for day in ("2026-10-01", "2026-10-05", "2026-10-07", "2026-10-10"):
            with freeze_time(day):
                line.invalidate_recordset(["is_overdue"])
                self.assertFalse(line.is_overdue, day)
            self._escalate_on(day)
            self.assertFalse(line.escalation_state, day)
        self.assertFalse(self.Escalation.search([("line_id", "=", line.id)]))

        # Overdue on the 11th: A's deputy (B, through the deputy department)
        # is reminded; the reminder is posted on the record.
        self._escalate_on("2026-10-11")
        self.assertEqual(line.escalation_state, "reminded")
        reminder = self.Escalation.search([("line_id", "=", line.id)])
        self.assertEqual(reminder.level, "reminder")
        self.assertEqual(reminder.user_id, self.user_a)
        self.assertEqual(reminder.notified_user_ids, self.user_b)
        message = record.message_ids[0]
        self.assertIn("overdue", message.body)
        self.assertIn(self.user_b.partner_id, message.partner_ids)
        # The deputy may not decide while A is present.
        with self.assertRaises(UserError):
            record.with_user(self.user_b).action_approval_approve()

        # Idempotent: again the same day, and the next day (the escalation
        # waits one working day after the deadline: Monday the 12th).
        self._escalate_on("2026-10-11")
        self._escalate_on("2026-10-12")
        self.assertEqual(line.escalation_state, "reminded")
        self.assertEqual(len(self.Escalation.search([("line_id", "=", line.id)])), 1)

        # Tuesday the 13th: it escalates to the technical director.
        self._escalate_on("2026-10-13")
        self.assertEqual(line.escalation_state, "escalated")
        self.assertEqual(line.escalated_user_ids, self.user_director)
        escalation = self.Escalation.search(
            [("line_id", "=", line.id), ("level", "=", "escalation")]
        )
        self.assertEqual(escalation.user_id, self.user_a)
        self.assertEqual(escalation.notified_user_ids, self.user_director)
        self.assertIn("escalated to Td Director", record.message_ids[0].body)
        todo = self.env["mail.activity"].search(
            [("techdept_approval_line_id", "=", line.id)]
        )
        self.assertIn(self.user_director, todo.user_id)
        self._escalate_on("2026-10-14")
        self.assertEqual(len(self.Escalation.search([("line_id", "=", line.id)])), 2)

        # The guard lets the director decide; it is in his approvals.
        self.assertTrue(record.with_user(self.user_director).can_approve)
        self.assertIn(
            line,
            self.Line.with_user(self.user_director).search([("can_review", "=", True)]),
        )
        with freeze_time("2026-10-14 09:00:00"):
            record.with_user(self.user_director).action_approval_approve()
        self.assertEqual(record.approval_state, "approved")
        self.assertEqual(line.acted_by_id, self.user_director)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("techdept_approval_line_id", "=", line.id)]
            )
        )
        # Counted per approver: A has one reminder and one escalation; A
        # sees them, an engineer who may not read the record does not.
        tester = self.env["ir.model"]._get_id("techdept.approval.tester")
        self.env["ir.rule"].create(
            [
                {
                    "name": "tester: engineers read their own",
                    "model_id": tester,
                    "groups": [Command.link(self.env.ref("base.group_user").id)],
                    "domain_force": "[('create_uid', '=', user.id)]",
                },
                {
                    "name": "tester: managers read all",
                    "model_id": tester,
                    "groups": [
                        Command.link(self.env.ref("techdept_org.group_manager").id)
                    ],
                    "domain_force": "[(1, '=', 1)]",
                },
            ]
        )
        mine = self.Escalation.with_user(self.user_a).search(
            [("user_id", "=", self.user_a.id)]
        )
        self.assertEqual(sorted(mine.mapped("level")), ["escalation", "reminder"])
        self.assertFalse(
            self.Escalation.with_user(self.user_onsite).search(
                [("line_id", "=", line.id)]
            )
        )
        with self.assertRaises(AccessError):
            escalation.with_user(self.user_onsite).read(["level"])

    def test_the_overdue_director_escalates_to_the_gm_office(self):
        self.step.write({"approver_type": "role", "role": "director"})
        with freeze_time("2026-11-02 10:00:00"):
            record = self._submit()
        line = self._pending(record)
        self.assertEqual(line.deadline, date(2026, 11, 5))
        self._escalate_on("2026-11-06")
        self.assertEqual(line.escalation_state, "reminded")
        # Past Friday the 6th, the one working day of grace.
        self._escalate_on("2026-11-07")
        self.assertEqual(line.escalated_user_ids, self.user_gm)
        record.with_user(self.user_gm).action_approval_approve()
        self.assertEqual(record.approval_state, "approved")

    def test_escalated_step_of_all_approvers_is_settled_by_one_decision(self):
        self.step.write(
            {
                "approver_type": "users",
                "user_ids": [Command.set((self.user_a | self.user_b).ids)],
                "approval_mode": "all",
                "escalation_days": 0,
                "escalation_role": "presales_manager",
            }
        )
        with freeze_time("2026-11-02 10:00:00"):
            record = self._submit()
            record.with_user(self.user_b).action_approval_approve()
        line = self._pending(record)
        # No second delay: reminded and escalated the day it is overdue.
        self._escalate_on("2026-11-06")
        self.assertEqual(line.escalation_state, "escalated")
        self.assertEqual(line.escalated_user_ids, self.user_presales_mgr)
        escalations = self.Escalation.search([("line_id", "=", line.id)])
        self.assertEqual(escalations.user_id, self.user_a)
        record.with_user(self.user_presales_mgr).action_approval_approve()
        self.assertEqual(record.approval_state, "approved")

    def test_a_step_that_does_not_escalate(self):
        self.step.escalate = False
        with freeze_time("2026-11-02 10:00:00"):
            record = self._submit()
        line = self._pending(record)
        self.assertFalse(line.escalation_date)
        self._escalate_on("2026-11-20")
        self.assertTrue(line.is_overdue)
        self.assertFalse(line.escalation_state)
        self.assertFalse(self.Escalation.search([("line_id", "=", line.id)]))

    def test_provisional_year_counts_weekends_until_loaded(self):
        calendar = self.env.ref("techdept_org.techdept_calendar_cn")
        # The calendar ships 2026; 2027 is provisional, and the calendar says so.
        self.assertIn(2026, calendar.year_ids.mapped("year"))
        self.assertNotIn(2027, calendar.year_ids.mapped("year"))
        with freeze_time("2026-12-01"):
            calendar.invalidate_recordset(["provisional_years"])
            self.assertEqual(calendar.provisional_years, "2027")
        with freeze_time("2026-12-30 10:00:00"):
            record = self._submit()
        line = self._pending(record)
        # 31 December, then Friday 1 January 2027 counted as worked, then
        # Monday the 4th.
        self.assertEqual(line.deadline, date(2027, 1, 4))
        self.assertTrue(line.deadline_provisional)
        # The year is published and loaded: New Year's Day is a holiday.
        calendar.write(
            {
                "year_ids": [Command.create({"year": 2027, "source": "test"})],
                "day_ids": [
                    Command.create(
                        {
                            "date": date(2027, 1, 1),
                            "kind": "holiday",
                            "holiday": "new_years_day",
                        }
                    )
                ],
            }
        )
        self._escalate_on("2027-01-02")
        self.assertEqual(line.deadline, date(2027, 1, 5))
        self.assertFalse(line.deadline_provisional)
        todo = self.env["mail.activity"].search(
            [("techdept_approval_line_id", "=", line.id)]
        )
        self.assertEqual(todo.date_deadline, date(2027, 1, 5))

    def test_demo_holds_an_escalated_review(self):
        document = self.env.ref(
            "techdept_org.document_service_report_demo", raise_if_not_found=False
        )
        if not document:
            self.skipTest("installed without demo data")
        line = document.approval_line_ids.filtered(lambda ln: ln.state == "pending")
        self.assertEqual(line.escalation_state, "escalated")
        self.assertEqual(
            self.Escalation.search([("line_id", "=", line.id)]).mapped("level"),
            ["escalation", "reminder"],
        )
