from datetime import date

from freezegun import freeze_time
from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from ..exceptions import ApprovalRefusal
from .common import TechdeptOrgCase

# Budgets measured on Odoo 18.0; they do not grow with the number of records.
MY_APPROVALS_QUERIES = 3
# The next step's deadline on the working calendar, its robot notice (demo
# data names a robot on the technical department), the copied people, the
# next line's approvers and the to-dos written in each approver's language
# included.
STEP_QUERIES = 34


@tagged("post_install", "-at_install")
class TestApprovalEngine(TechdeptOrgCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A module name of the tests' own: loading the fake model under
        # techdept_org would rebuild that module's models without what the
        # addons installed after it add to them.
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
        cls.user_sales = new_test_user(
            cls.env, login="td_sales", groups="base.group_user"
        )
        cls.user_gm, cls.emp_gm = cls._person_in(
            "td_gm",
            "techdept_org.group_gm_office",
            cls.env.ref("techdept_org.dept_gm_office"),
        )
        cls.env.ref("techdept_org.dept_gm_office").manager_id = cls.emp_gm
        # presales → technical director → salesperson → general manager's office
        cls.chain = cls.env["techdept.approval.chain"].create(
            {
                "name": "Tester chain",
                "code": "tester_chain",
                "model_id": cls.env["ir.model"]._get_id("techdept.approval.tester"),
                "step_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "name": "Director",
                            "approver_type": "role",
                            "role": "director",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "name": "Sales",
                            "approver_type": "field",
                            "field_id": cls.env["ir.model.fields"]
                            ._get("techdept.approval.tester", "salesperson_id")
                            .id,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "name": "GM office",
                            "approver_type": "function",
                            "function": "gm_office",
                        }
                    ),
                ],
            }
        )

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    @classmethod
    def _person_in(cls, login, groups, department):
        user = new_test_user(cls.env, login=login, groups=groups)
        employee = cls.env["hr.employee"].create(
            {"name": login, "user_id": user.id, "department_id": department.id}
        )
        return user, employee

    def _record(self, **values):
        return self.Tester.with_user(self.user_engineer).create(
            {
                "name": "Solution",
                "amount": 10,
                "salesperson_id": self.user_sales.id,
                **values,
            }
        )

    def _pending(self, record):
        return record.approval_line_ids.filtered(lambda line: line.state == "pending")

    def _todo_users(self, record):
        return (
            self.env["mail.activity"]
            .search([("res_model", "=", record._name), ("res_id", "=", record.id)])
            .user_id
        )

    def test_chain_in_order_by_the_right_users(self):
        record = self._record()
        record.action_approval_submit()
        self.assertEqual(record.approval_state, "pending")
        self.assertEqual(self._pending(record).approver_ids, self.user_director)
        self.assertEqual(self._todo_users(record), self.user_director)

        # The submitter, the salesperson and a bystander may not act yet.
        for user in (self.user_engineer, self.user_sales, self.user_a):
            with self.assertRaisesRegex(UserError, "Td Director"):
                record.with_user(user).action_approval_approve()
            with self.assertRaises(UserError):
                record.with_user(user).action_approval_reject()

        record.with_user(self.user_director).action_approval_approve(
            comment="Sound design"
        )
        self.assertEqual(self._pending(record).step_name, "Sales")
        self.assertEqual(self._todo_users(record), self.user_sales)
        with self.assertRaisesRegex(UserError, "td_sales|Td Sales"):
            record.with_user(self.user_director).action_approval_approve()

        record.with_user(self.user_sales).action_approval_approve()
        self.assertEqual(self._pending(record).approver_ids, self.user_gm)
        record.with_user(self.user_gm).action_approval_approve()

        self.assertEqual(record.approval_state, "approved")
        self.assertEqual(record.done_count, 1)
        self.assertFalse(self._todo_users(record))
        lines = record.approval_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("state"), ["approved"] * 3)
        self.assertEqual(
            lines.acted_by_id, self.user_director | self.user_sales | self.user_gm
        )
        self.assertEqual(lines[0].comment, "Sound design")
        self.assertEqual(lines[0].decision_ids.user_id, self.user_director)
        self.assertIn("Solution", lines[0].decision_ids.seen)
        self.assertIn("Approved", record.message_ids[0].body)

    def test_reject_needs_a_reason_then_resubmit(self):
        record = self._record()
        record.action_approval_submit()
        action = record.with_user(self.user_director).action_approval_reject()
        self.assertEqual(action["res_model"], "techdept.approval.reject.wizard")
        with self.assertRaisesRegex(UserError, "comment is required"):
            record.with_user(self.user_director)._approval_reject("  ")
        wizard = Form(
            self.env["techdept.approval.reject.wizard"]
            .with_user(self.user_director)
            .with_context(**action["context"])
        )
        wizard.comment = "Budget missing"
        wizard.save().action_confirm()
        self.assertEqual(record.approval_state, "rejected")
        self.assertEqual(record.rejected_count, 1)
        self.assertEqual(
            record.approval_line_ids.sorted("sequence").mapped("state"),
            ["rejected", "cancelled", "cancelled"],
        )
        self.assertFalse(self._todo_users(record))
        self.assertIn("Budget missing", record.message_ids[0].body)

        # Fixed and resubmitted: a new round; the first one is kept.
        record.with_user(self.user_engineer).amount = 12
        record.with_user(self.user_engineer).action_approval_submit()
        self.assertEqual(record.approval_round, 2)
        self.assertEqual(len(record.approval_line_ids), 6)
        self.assertEqual(
            record.approval_line_ids.filtered(lambda line: line.round == 1).mapped(
                "state"
            ),
            ["rejected", "cancelled", "cancelled"],
        )
        self.assertEqual(self._pending(record).round, 2)

    def test_all_must_approve(self):
        other = new_test_user(self.env, login="td_second", groups="base.group_user")
        self.chain.step_ids[0].write(
            {
                "approver_type": "users",
                "user_ids": [Command.set((self.user_director | other).ids)],
                "approval_mode": "all",
            }
        )
        record = self._record()
        record.action_approval_submit()
        self.assertEqual(self._todo_users(record), self.user_director | other)
        record.with_user(other).action_approval_approve()
        self.assertEqual(self._pending(record).step_name, "Director")
        self.assertEqual(self._todo_users(record), self.user_director)
        self.assertFalse(record.with_user(other).can_approve)
        with self.assertRaises(UserError):
            record.with_user(other).action_approval_approve()
        record.with_user(self.user_director).action_approval_approve()
        self.assertEqual(self._pending(record).step_name, "Sales")
        self.assertEqual(
            self._pending(record)
            .browse(record.approval_line_ids.sorted("sequence")[0].id)
            .approved_user_ids,
            self.user_director | other,
        )

    def test_no_self_approval_unless_allowed(self):
        record = self.Tester.with_user(self.user_director).create(
            {"name": "Director's own", "salesperson_id": self.user_sales.id}
        )
        # The director holds the step he submitted: it goes to whoever is
        # above him; at the top of the organisation nobody is, so it stops.
        with self.assertRaisesRegex(UserError, "Nobody can review"):
            record.action_approval_submit()
        self.chain.allow_self_approval = True
        record.with_user(self.user_director).action_approval_submit()
        record.with_user(self.user_director).action_approval_approve()
        self.assertEqual(self._pending(record).step_name, "Sales")

    def test_self_submitted_step_goes_above(self):
        self.chain.step_ids[0].write(
            {"approver_type": "function", "function": "presales"}
        )
        record = self.Tester.with_user(self.user_presales_mgr).create(
            {"name": "Presales own", "salesperson_id": self.user_sales.id}
        )
        record.action_approval_submit()
        self.assertEqual(self._pending(record).approver_ids, self.user_director)
        with self.assertRaisesRegex(UserError, "Td Director"):
            record.with_user(self.user_presales_mgr).action_approval_approve()

    @freeze_time("2026-12-07")
    def test_deputy_approves_on_behalf_of_absent_holder(self):
        self.chain.step_ids[0].write({"approver_type": "role", "role": "om_manager"})
        record = self._record()
        record.action_approval_submit()
        self.assertEqual(self._todo_users(record), self.user_a)
        self.assertFalse(record.with_user(self.user_b).can_approve)

        self._leave(self.emp_a, date(2026, 12, 7), date(2026, 12, 9))
        # A's to-do moved to B with the delegation; B may act for A.
        self.assertEqual(self._todo_users(record), self.user_b)
        self.assertTrue(record.with_user(self.user_b).can_approve)
        mine = (
            self.env["techdept.approval.line"]
            .with_user(self.user_b)
            .search([("can_review", "=", True)])
        )
        self.assertEqual(mine, self._pending(record))
        self.assertIn(
            record,
            self.Tester.with_user(self.user_b).search([("can_approve", "=", True)]),
        )

        record.with_user(self.user_b).action_approval_approve()
        line = record.approval_line_ids.sorted("sequence")[0]
        self.assertRecordValues(
            line,
            [
                {
                    "state": "approved",
                    "acted_by_id": self.user_b.id,
                    "on_behalf_of_id": self.user_a.id,
                }
            ],
        )
        self.assertEqual(line.decision_ids.on_behalf_of_id, self.user_a)
        self.assertTrue(any("on behalf of" in m.body for m in record.message_ids))

    @freeze_time("2026-12-07")
    def test_director_absent_his_deputy_approves(self):
        self.dept_technical.techdept_deputy_id = self.emp_presales_mgr
        record = self._record()
        record.action_approval_submit()
        self._leave(self.emp_director, date(2026, 12, 7), date(2026, 12, 7))
        record.with_user(self.user_presales_mgr).action_approval_approve()
        line = record.approval_line_ids.sorted("sequence")[0]
        self.assertEqual(line.on_behalf_of_id, self.user_director)
        self.assertEqual(line.acted_by_id, self.user_presales_mgr)

    def test_activities_follow_a_delegation_that_starts_later(self):
        self.chain.step_ids[0].write({"approver_type": "role", "role": "om_manager"})
        with freeze_time("2026-12-01"):
            record = self._record()
            record.action_approval_submit()
            delegation = self.env["techdept.delegation"].create(
                {
                    "employee_id": self.emp_a.id,
                    "deputy_id": self.emp_b.id,
                    "department_id": self.dept_om.id,
                    "date_from": date(2026, 12, 7),
                    "date_to": date(2026, 12, 8),
                }
            )
            self.assertEqual(self._todo_users(record), self.user_a)
        with freeze_time("2026-12-07"):
            self.env["techdept.delegation"]._cron_sync()
            self.assertEqual(self._todo_users(record), self.user_b)
        with freeze_time("2026-12-09"):
            self.env["techdept.delegation"]._cron_sync()
            self.assertEqual(self._todo_users(record), self.user_a)
            self.assertEqual(delegation.state, "done")

    def test_cancel_by_submitter_or_director_only(self):
        record = self._record()
        record.action_approval_submit()
        with self.assertRaisesRegex(UserError, "withdraw"):
            record.with_user(self.user_sales).action_approval_cancel()
        record.with_user(self.user_engineer).action_approval_cancel()
        self.assertEqual(record.approval_state, "cancelled")
        self.assertFalse(self._todo_users(record))
        with self.assertRaisesRegex(UserError, "cannot be approved"):
            record.with_user(self.user_director).action_approval_approve()
        record.with_user(self.user_engineer).action_approval_submit()
        record.with_user(self.user_director).action_approval_cancel()
        self.assertEqual(record.approval_state, "cancelled")

    def test_locked_fields_and_refused_deletion(self):
        record = self._record()
        record.action_approval_submit()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            record.with_user(self.user_engineer).name = "Changed"
        record.with_user(self.user_engineer).note = "Free to change"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            record.with_user(self.user_engineer).unlink()
        for user in (self.user_director, self.user_sales, self.user_gm):
            record.with_user(user).action_approval_approve()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            record.with_user(self.user_director).amount = 99
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            record.unlink()
        with self.assertRaisesRegex(UserError, "cannot be submitted"):
            record.action_approval_submit()

        draft = self._record(name="Draft")
        draft.action_approval_submit()
        draft.action_approval_cancel()
        lines = draft.approval_line_ids
        draft.unlink()
        self.assertFalse(lines.exists())

    def test_missing_approver_is_a_clear_error(self):
        record = self._record(salesperson_id=False)
        record.action_approval_submit()
        with self.assertRaisesRegex(UserError, "Nobody can review step Sales"):
            record.with_user(self.user_director).action_approval_approve()
        # Nothing half-written: the director's step is still to be reviewed.
        self.assertEqual(self._pending(record).step_name, "Director")

    def test_overdue_lines_are_flagged(self):
        with freeze_time("2026-12-01"):
            record = self._record()
            record.action_approval_submit()
            line = self._pending(record)
            self.assertEqual(line.deadline, date(2026, 12, 4))
            self.assertFalse(line.is_overdue)
        with freeze_time("2026-12-05"):
            line.invalidate_recordset(["is_overdue"])
            self.assertTrue(line.is_overdue)
            Line = self.env["techdept.approval.line"]
            self.assertIn(line, Line.search([("is_overdue", "=", True)]))
            self.assertNotIn(line, Line.search([("is_overdue", "=", False)]))

    def _queries(self, func):
        """Number of queries ``func`` runs, cold cache, flushed."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _submit_many(self, n):
        records = self.Tester.with_user(self.user_engineer).create(
            [{"name": f"R{i}", "salesperson_id": self.user_sales.id} for i in range(n)]
        )
        records.action_approval_submit()
        return records

    def test_my_approvals_query_count_is_flat(self):
        Line = self.env["techdept.approval.line"].with_user(self.user_director)

        def search():
            return Line.search([("can_review", "=", True)])

        self._submit_many(1)
        search()  # warm the caches of rules and groups
        small = self._queries(search)
        self._submit_many(40)
        large = self._queries(search)
        self.assertEqual(small, large)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=MY_APPROVALS_QUERIES):
            self.assertEqual(len(search()), 41)

    def test_step_transition_query_count_is_flat(self):
        def approve(records):
            return lambda: (
                records[0].with_user(self.user_director).action_approval_approve()
            )

        # Warm up under the measure's conditions (cold record cache).
        self._queries(approve(self._submit_many(1)))
        small = self._queries(approve(self._submit_many(1)))
        large = self._queries(approve(self._submit_many(30)))
        self.assertEqual(small, large)
        records = self._submit_many(30)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=STEP_QUERIES):
            approve(records)()

    def _done_activity_messages(self, record):
        return record.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_activities")
        )

    def test_decided_todos_are_removed_without_a_done_message(self):
        """A decision removes the step's to-dos: the decision's own message
        names who decided, a "done" message per to-do would repeat it."""
        other = new_test_user(self.env, login="td_third", groups="base.group_user")
        self.chain.step_ids[0].write(
            {
                "approver_type": "users",
                "user_ids": [Command.set((self.user_director | other).ids)],
                "approval_mode": "any",
            }
        )
        # Withdrawn: nobody decided, the to-dos go without a trace.
        record = self._record()
        record.action_approval_submit()
        self.assertEqual(self._todo_users(record), self.user_director | other)
        record.action_approval_cancel()
        self.assertFalse(self._todo_users(record))
        self.assertFalse(self._done_activity_messages(record))
        # Rejected: both to-dos go, the rejection names its author.
        record.action_approval_submit()
        before = record.message_ids
        record.with_user(self.user_director)._approval_reject("No budget")
        self.assertFalse(self._todo_users(record))
        self.assertFalse(self._done_activity_messages(record))
        decision = record.message_ids - before
        self.assertEqual(len(decision), 1)
        self.assertEqual(decision.author_id, self.user_director.partner_id)
        self.assertIn("No budget", decision.body)
        # Approved by one of "any": both to-dos go, the next step's comes.
        record.action_approval_submit()
        before = record.message_ids
        record.with_user(other).action_approval_approve()
        self.assertFalse(self._done_activity_messages(record))
        decision = (record.message_ids - before).filtered(
            lambda m: m.message_type != "user_notification"
        )
        self.assertEqual(len(decision), 1)
        self.assertEqual(decision.author_id, other.partner_id)
        self.assertEqual(self._todo_users(record), self.user_sales)

    def test_a_step_decided_meanwhile_is_not_decided_again(self):
        """Two approvers of an "any" step open it in My Approvals; the
        second one's click does not fall on the next step, which is his
        too, but says who decided."""
        other = new_test_user(
            self.env, login="td_quick", name="Quick Colleague", groups="base.group_user"
        )
        self.chain.step_ids[0].write(
            {
                "approver_type": "users",
                "user_ids": [Command.set((self.user_director | other).ids)],
                "approval_mode": "any",
            }
        )
        self.chain.step_ids[1].write(
            {
                "approver_type": "users",
                "user_ids": [Command.set(self.user_director.ids)],
            }
        )
        record = self._record()
        record.action_approval_submit()
        first = record.approval_line_ids.sorted("sequence")[0]
        seen = first.with_user(self.user_director)
        first.with_user(other).action_approve()
        with self.assertRaisesRegex(
            ApprovalRefusal, "was already decided by Quick Colleague"
        ):
            seen.action_approve()
        with self.assertRaisesRegex(ApprovalRefusal, "already decided"):
            seen.action_reject()
        second = record.approval_line_ids.sorted("sequence")[1]
        self.assertEqual(second.state, "pending")
        self.assertFalse(second.decision_ids)

    def test_reopen_by_the_director_with_a_reason(self):
        record = self._record()
        record.action_approval_submit()
        for user in (self.user_director, self.user_sales, self.user_gm):
            record.with_user(user).action_approval_approve()
        self.assertTrue(record.with_user(self.user_director).can_reopen)
        for user in (self.user_engineer, self.user_sales, self.user_gm, self.user_a):
            self.assertFalse(record.with_user(user).can_reopen)
            with self.assertRaisesRegex(UserError, "Only the Technical Director"):
                record.with_user(user)._approval_reopen("Please")
        with self.assertRaisesRegex(UserError, "reason is required"):
            record.with_user(self.user_director)._approval_reopen("  ")
        action = record.with_user(self.user_director).action_approval_reopen()
        wizard = Form(
            self.env["techdept.approval.reject.wizard"]
            .with_user(self.user_director)
            .with_context(**action["context"])
        )
        wizard.comment = "The amount was wrong"
        wizard.save().action_confirm()
        self.assertEqual(record.approval_state, "draft")
        # Unfrozen now, and the decided round is kept with the reopening.
        record.with_user(self.user_engineer).amount = 11
        decision = record.approval_line_ids.decision_ids.filtered(
            lambda d: d.decision == "reopened"
        )
        self.assertEqual(decision.user_id, self.user_director)
        self.assertEqual(decision.comment, "The amount was wrong")
        self.assertIn("The amount was wrong", record.message_ids[0].body)
        record.with_user(self.user_engineer).action_approval_submit()
        self.assertEqual(record.approval_round, 2)
        self.assertEqual(len(record.approval_line_ids), 6)
        # A draft record has nothing to reopen.
        with self.assertRaisesRegex(UserError, "cannot be reopened"):
            record.with_user(self.user_director)._approval_reopen("Again")

    def test_engine_fields_are_the_engines(self):
        record = self._record()
        for values in (
            {"approval_state": "approved"},
            {"approval_round": 5},
            {"approval_submitted_by_id": self.user_director.id},
            {"approval_line_ids": [Command.clear()]},
        ):
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                record.with_user(self.user_engineer).write(values)
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                self.Tester.with_user(self.user_engineer).create(
                    dict(values, name="Forged", salesperson_id=self.user_sales.id)
                )
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.Tester.with_user(self.user_engineer).with_context(
                default_approval_state="approved"
            ).create({"name": "Forged"})
        # No context key lifts the freeze either.
        record.action_approval_submit()
        for key in ("techdept_approval_unlock", "techdept_server"):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                record.with_user(self.user_engineer).with_context(
                    **{key: True}
                ).amount = 99
        self.assertEqual(record.approval_state, "pending")
        self.assertEqual(record.amount, 10)
