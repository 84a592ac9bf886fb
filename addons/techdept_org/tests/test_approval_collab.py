import json
from datetime import date

from freezegun import freeze_time
from lxml import etree
from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..exceptions import ApprovalRefusal, ApprovalUnassigned
from .common import TechdeptOrgCase

# Measured on Odoo 18.0; it does not grow with the number of pending steps.
COUNTER_QUERIES = 4


@tagged("post_install", "-at_install")
class TestApprovalCollaboration(TechdeptOrgCase):
    """Counter, bulk decisions, conditional and supervisor steps, copies,
    added approvers, forwarding and reminders, on a model of the tests' own."""

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
        cls.user_sales = new_test_user(
            cls.env, login="td_sales", groups="base.group_user", name="Td Sales"
        )
        cls.user_gm = new_test_user(
            cls.env,
            login="td_gm",
            groups="techdept_org.group_gm_office",
            name="Td Gm",
        )
        cls.emp_gm = cls.env["hr.employee"].create(
            {
                "name": "Td Gm",
                "user_id": cls.user_gm.id,
                "department_id": cls.env.ref("techdept_org.dept_gm_office").id,
            }
        )
        cls.env.ref("techdept_org.dept_gm_office").manager_id = cls.emp_gm
        cls.model_id = cls.env["ir.model"]._get_id("techdept.approval.tester")
        cls.chain = cls.env["techdept.approval.chain"].create(
            {
                "name": "Tester chain",
                "code": "tester_chain",
                "model_id": cls.model_id,
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
                ],
            }
        )
        cls.step_director, cls.step_sales = cls.chain.step_ids.sorted("sequence")

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _record(self, user=None, **values):
        return self.Tester.with_user(user or self.user_engineer).create(
            {
                "name": "Solution",
                "amount": 10,
                "salesperson_id": self.user_sales.id,
                **values,
            }
        )

    def _submitted(self, user=None, **values):
        record = self._record(user, **values)
        record.action_approval_submit()
        return record

    def _pending(self, record):
        return record.approval_line_ids.filtered(lambda line: line.state == "pending")

    def _todo_users(self, record):
        return (
            self.env["mail.activity"]
            .search([("res_model", "=", record._name), ("res_id", "=", record.id)])
            .user_id
        )

    def _om_first(self, **chain_values):
        """The first step goes to the O&M manager (A), whose department holds
        the engineers."""
        self.step_director.write({"role": "om_manager", "name": "O&M manager"})
        self.chain.write(chain_values)

    # The counter of the top bar

    def _counter(self, user):
        return (
            self.env["techdept.approval.line"]
            .with_user(user)
            .get_techdept_approval_counter()
        )

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - before

    def test_counter_is_my_approvals_in_constant_queries(self):
        self._submitted()
        self._counter(self.user_director)  # warm the caches of rules and groups
        small = self._queries(lambda: self._counter(self.user_director))
        records = self.Tester.with_user(self.user_engineer).create(
            [{"name": f"R{i}", "salesperson_id": self.user_sales.id} for i in range(40)]
        )
        records.action_approval_submit()
        large = self._queries(lambda: self._counter(self.user_director))
        self.assertEqual(small, large)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=COUNTER_QUERIES):
            counter = self._counter(self.user_director)
        mine = (
            self.env["techdept.approval.line"]
            .with_user(self.user_director)
            .search([("can_review", "=", True)])
        )
        self.assertEqual(counter["count"], 41)
        self.assertEqual(counter["count"], len(mine))
        self.assertEqual(
            counter["kinds"],
            [{"id": self.model_id, "name": "Approval Tester", "count": 41}],
        )
        self.assertEqual(self._counter(self.user_sales)["count"], 0)
        self.assertEqual(self._counter(self.user_engineer)["count"], 0)

    @freeze_time("2026-12-07")
    def test_counter_counts_for_an_absent_holder(self):
        self._om_first()
        self._submitted()
        self.assertEqual(self._counter(self.user_a)["count"], 1)
        self.assertEqual(self._counter(self.user_b)["count"], 0)
        self._leave(self.emp_a, date(2026, 12, 7), date(2026, 12, 8))
        self.assertEqual(self._counter(self.user_b)["count"], 1)

    def _bus_targets(self):
        """Partners told through the bus that their approvals changed, as
        the transaction would commit now."""
        self.env.cr.flush()
        rows = (
            self.env["bus.bus"]
            .sudo()
            .search([("id", ">", getattr(self, "bus_mark", 0))], order="id")
        )
        if rows:
            self.bus_mark = rows[-1].id
        partners = self.env["res.partner"]
        for row in rows:
            if json.loads(row.message)["type"] == "techdept_approval/updated":
                _db, model, res_id = json.loads(row.channel)
                self.assertEqual(model, "res.partner")
                partners |= partners.browse(res_id)
        return partners

    def test_counter_follows_steps_over_the_bus(self):
        self._bus_targets()
        record = self._submitted()
        self.assertEqual(self._bus_targets(), self.user_director.partner_id)
        record.with_user(self.user_director).action_approval_approve()
        self.assertEqual(
            self._bus_targets(),
            self.user_director.partner_id | self.user_sales.partner_id,
        )
        record.action_approval_cancel()
        self.assertEqual(self._bus_targets(), self.user_sales.partner_id)
        self.assertFalse(self._bus_targets())

    @freeze_time("2026-12-07")
    def test_counter_of_the_deputy_follows_too(self):
        self._om_first()
        self._leave(self.emp_a, date(2026, 12, 7), date(2026, 12, 8))
        self._bus_targets()
        records = self._submitted(name="One") | self._submitted(name="Two")
        self.assertEqual(
            self._bus_targets(), self.user_a.partner_id | self.user_b.partner_id
        )
        records.with_user(self.user_b).action_approval_bulk_approve()
        self.assertEqual(
            self._bus_targets(),
            self.user_a.partner_id
            | self.user_b.partner_id
            | self.user_sales.partner_id,
        )

    # Bulk decisions

    def test_bulk_approve_fifty_with_one_refused(self):
        records = self.Tester.with_user(self.user_engineer).create(
            [
                {"name": f"Bulk {i}", "salesperson_id": self.user_sales.id}
                for i in range(50)
            ]
        )
        records.action_approval_submit()
        # One of them is past the director already: its step is the
        # salesperson's, not his.
        refused = records[17]
        refused.with_user(self.user_director).action_approval_approve()
        decisions = refused.approval_line_ids.decision_ids

        action = records.with_user(self.user_director).action_approval_bulk_approve()

        approved = records - refused
        self.assertEqual(
            set(approved.mapped(lambda r: self._pending(r).step_name)), {"Sales"}
        )
        self.assertEqual(
            approved.approval_line_ids.decision_ids.user_id, self.user_director
        )
        self.assertEqual(len(approved.approval_line_ids.decision_ids), 49)
        # Nothing approved for the refused one.
        self.assertEqual(refused.approval_line_ids.decision_ids, decisions)
        self.assertEqual(self._pending(refused).step_name, "Sales")
        self.assertFalse(self._pending(refused).approved_user_ids)
        params = action["params"]
        self.assertEqual(params["type"], "warning")
        self.assertTrue(params["sticky"])
        self.assertIn("49 approved.", params["message"])
        self.assertIn(
            "Bulk 17: Only Td Sales (or whoever acts for them) may review step "
            "Sales of Bulk 17.",
            params["message"],
        )
        # All approvable: a success that goes away.
        again = self._submitted(name="Again")
        action = again.with_user(self.user_director).action_approval_bulk_approve()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(action["params"]["message"], "1 approved.")

    def test_bulk_approve_from_my_approvals(self):
        first, second = self._submitted(name="First"), self._submitted(name="Second")
        second.with_user(self.user_director).action_approval_approve()
        Line = self.env["techdept.approval.line"].with_user(self.user_director)
        lines = Line.search(
            [("res_id", "in", (first | second).ids), ("res_model", "=", first._name)]
        )
        action = lines.action_bulk_approve()
        self.assertEqual(self._pending(first).step_name, "Sales")
        # Second's Sales step was not the director's: nothing done for it.
        self.assertEqual(self._pending(second).step_name, "Sales")
        self.assertIn("1 approved", action["params"]["message"])
        self.assertIn("not yours to review", action["params"]["message"])

    def test_bulk_reject_with_one_comment(self):
        records = self._submitted(name="One") | self._submitted(name="Two")
        stranger = self._submitted(name="Three")
        stranger.with_user(self.user_director).action_approval_approve()
        action = (
            (records | stranger)
            .with_user(self.user_director)
            .action_approval_bulk_reject()
        )
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_director)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.count, 3)
        wizard.comment = "Budget missing"
        report = wizard.save().action_confirm()
        self.assertEqual(records.mapped("approval_state"), ["rejected", "rejected"])
        self.assertEqual(
            records.approval_line_ids.filtered(
                lambda ln: ln.state == "rejected"
            ).mapped("comment"),
            ["Budget missing", "Budget missing"],
        )
        self.assertEqual(stranger.approval_state, "pending")
        self.assertIn("2 rejected", report["params"]["message"])
        self.assertIn("Three", report["params"]["message"])
        # From My Approvals, the same wizard with the steps.
        other = self._submitted(name="Four")
        lines = self._pending(other).with_user(self.user_director)
        action = lines.action_bulk_reject()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_director)
            .with_context(**action["context"])
        )
        wizard.comment = "Out of scope"
        wizard.save().action_confirm()
        self.assertEqual(other.approval_state, "rejected")
        # A forged target is refused clearly.
        forged = (
            self.env["techdept.approval.bulk.reject.wizard"]
            .with_user(self.user_director)
            .create({"res_model": "res.partner", "res_ids": "[1]", "comment": "x"})
        )
        with self.assertRaisesRegex(ApprovalRefusal, "Choose the records"):
            forged.action_confirm()

    def test_lists_and_forms_carry_the_buttons(self):
        arch = etree.fromstring(self.Tester.get_view(view_type="list")["arch"])
        self.assertEqual(
            arch.xpath("//header/button/@name"),
            ["action_approval_bulk_approve", "action_approval_bulk_reject"],
        )
        Document = self.env["techdept.document"]
        arch = etree.fromstring(Document.get_view(view_type="list")["arch"])
        self.assertIn(
            "action_approval_bulk_approve", arch.xpath("//header/button/@name")
        )
        arch = etree.fromstring(Document.get_view(view_type="form")["arch"])
        for name in (
            "action_approval_add_approver",
            "action_approval_forward",
            "action_approval_remind",
        ):
            self.assertTrue(arch.xpath(f"//header/button[@name='{name}']"), name)
        self.assertTrue(arch.xpath("//field[@name='condition_note']"))

    # Conditional steps

    def _gm_step_above(self, amount):
        return self.env["techdept.approval.step"].create(
            {
                "chain_id": self.chain.id,
                "sequence": 3,
                "name": "GM office",
                "approver_type": "function",
                "function": "gm_office",
                "condition_domain": f"[('amount', '>', {amount})]",
            }
        )

    def test_conditional_step_applies_only_when_its_condition_holds(self):
        step = self._gm_step_above(500000)
        self.assertEqual(step.condition_description, "Amount > 500,000")
        small = self._submitted(amount=10)
        large = self._submitted(amount=600000)
        gm_small = small.approval_line_ids.filtered(
            lambda ln: ln.step_name == "GM office"
        )
        gm_large = large.approval_line_ids.filtered(
            lambda ln: ln.step_name == "GM office"
        )
        self.assertEqual(gm_small.state, "skipped")
        self.assertEqual(gm_small.condition_note, "not required, Amount > 500,000")
        self.assertEqual(gm_large.state, "waiting")
        self.assertEqual(gm_large.condition_note, "required, Amount > 500,000")
        self.assertTrue(any("Director → Sales." in m.body for m in small.message_ids))
        self.assertTrue(
            any("Director → Sales → GM office." in m.body for m in large.message_ids)
        )
        for record in (small, large):
            record.with_user(self.user_director).action_approval_approve()
            record.with_user(self.user_sales).action_approval_approve()
        self.assertEqual(small.approval_state, "approved")
        self.assertEqual(large.approval_state, "pending")
        self.assertEqual(self._pending(large).approver_ids, self.user_gm)
        large.with_user(self.user_gm).action_approval_approve()
        self.assertEqual(large.approval_state, "approved")
        # Checked when the review starts: a later change does not matter.
        self.assertEqual(gm_small.state, "skipped")

    def test_condition_is_checked_and_described(self):
        with self.assertRaises(ValidationError) as caught:
            self._gm_step_above("'many'")
        self.assertIn("cannot be used", str(caught.exception))
        step = self._gm_step_above(5)
        for wrong in ("[('no_such_field', '=', 1)]", "[('amount', '>'", "'amount'"):
            with self.assertRaises(ValidationError) as caught:
                step.condition_domain = wrong
            self.assertIn("cannot be used", str(caught.exception))
        step.condition_domain = (
            f"['|', ('salesperson_id', '=', {self.user_sales.id}), "
            "'&', ('amount', '>=', 7), ('name', 'ilike', 'x')]"
        )
        self.assertEqual(
            step.condition_description,
            "Salesperson = Td Sales or (Amount ≥ 7 and Name contains “x”)",
        )
        # No step applies: nothing to review, said clearly.
        self.step_director.condition_domain = "[('amount', '<', 0)]"
        self.step_sales.condition_domain = "[('amount', '<', 0)]"
        step.condition_domain = "[('amount', '<', 0)]"
        with self.assertRaisesRegex(
            ApprovalUnassigned, "No step of chain Tester chain applies"
        ):
            self._submitted()

    # Supervisor steps (分级审批)

    def test_supervisor_steps_follow_the_organisation(self):
        # Nobody has a manager of his own yet: the departments' managers.
        (
            self.emp_engineer | self.emp_a | self.emp_b | self.emp_director
        ).parent_id = False
        self.step_director.write({"approver_type": "supervisor", "supervisor_level": 1})
        record = self._submitted()
        self.assertEqual(self._pending(record).approver_ids, self.user_a)
        self.step_director.supervisor_level = 2
        self.assertEqual(
            self._pending(self._submitted()).approver_ids, self.user_director
        )
        self.step_director.supervisor_level = 9
        self.assertEqual(
            self._pending(self._submitted()).approver_ids, self.user_director
        )
        # His manager (parent_id) comes first: lent to B's project.
        self.emp_engineer.parent_id = self.emp_b
        self.step_director.supervisor_level = 1
        self.assertEqual(self._pending(self._submitted()).approver_ids, self.user_b)
        self.step_director.supervisor_level = 2
        self.assertEqual(
            self._pending(self._submitted()).approver_ids, self.user_director
        )
        # At the top of the organisation nobody is above: a clear error.
        with self.assertRaisesRegex(ApprovalUnassigned, "Nobody can review"):
            self._submitted(self.user_director)
        with self.assertRaises(ValidationError) as caught:
            self.step_director.supervisor_level = 0
        self.assertIn("manager level", str(caught.exception))

    @freeze_time("2026-12-07")
    def test_supervisor_absent_his_deputy_approves(self):
        self.step_director.write({"approver_type": "supervisor", "supervisor_level": 1})
        record = self._submitted()
        self._leave(self.emp_a, date(2026, 12, 7), date(2026, 12, 8))
        record.with_user(self.user_b).action_approval_approve()
        line = record.approval_line_ids.sorted("sequence")[0]
        self.assertEqual(line.acted_by_id, self.user_b)
        self.assertEqual(line.on_behalf_of_id, self.user_a)

    # 加签: one more approver, before or after the approver's decision

    def test_add_approver_before_his_decision(self):
        self._om_first(allow_add_approver=True)
        record = self._submitted()
        line = self._pending(record)
        self.assertTrue(record.with_user(self.user_a).can_add_approver)
        action = record.with_user(self.user_a).action_approval_add_approver()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_a)
            .with_context(**action["context"])
        )
        wizard.user_id = self.user_onsite
        wizard.position = "before"
        wizard.reason = "He installed the site"
        wizard.save().action_confirm()

        added = self._pending(record)
        self.assertEqual(added.added_from_line_id, line)
        self.assertEqual(added.approver_ids, self.user_onsite)
        self.assertEqual(line.state, "waiting")
        self.assertEqual(self._todo_users(record), self.user_onsite)
        self.assertEqual(record.approval_current_user_ids, self.user_onsite)
        decision = line.decision_ids
        self.assertRecordValues(
            decision,
            [
                {
                    "decision": "added",
                    "user_id": self.user_a.id,
                    "target_user_id": self.user_onsite.id,
                    "comment": "He installed the site",
                }
            ],
        )
        # One addition per step; A cannot decide meanwhile.
        with self.assertRaises(ApprovalRefusal):
            record.with_user(self.user_a).action_approval_approve()
        record.with_user(self.user_onsite).action_approval_approve()
        self.assertEqual(self._pending(record), line)
        self.assertEqual(self._todo_users(record), self.user_a)
        self.assertFalse(record.with_user(self.user_a).can_add_approver)
        with self.assertRaisesRegex(ApprovalRefusal, "one per step"):
            record.with_user(self.user_a)._approval_add_approver(
                self.user_b, "before", "again"
            )
        record.with_user(self.user_a).action_approval_approve()
        self.assertEqual(self._pending(record).step_name, "Sales")
        ordered = record._approval_round_lines()
        self.assertEqual(
            ordered.mapped("approver_ids")[:2], self.user_onsite | self.user_a
        )
        self.assertEqual(ordered[0], added)

    def test_add_approver_after_his_decision(self):
        self._om_first(allow_add_approver=True)
        record = self._submitted()
        line = self._pending(record)
        record.with_user(self.user_a)._approval_add_approver(
            self.user_director, "after", "Large site", "Fine by me"
        )
        self.assertEqual(line.state, "approved")
        self.assertEqual(line.comment, "Fine by me")
        added = self._pending(record)
        self.assertEqual(added.added_position, "after")
        self.assertEqual(added.approver_ids, self.user_director)
        self.assertEqual(self._todo_users(record), self.user_director)
        record.with_user(self.user_director).action_approval_approve()
        self.assertEqual(self._pending(record).step_name, "Sales")
        self.assertEqual(
            record._approval_round_lines().mapped("step_name"),
            ["O&M manager", "O&M manager (added approver)", "Sales"],
        )

    def test_add_approver_refusals(self):
        self._om_first()
        record = self._submitted()
        with self.assertRaisesRegex(ApprovalRefusal, "does not let approvers add"):
            record.with_user(self.user_a)._approval_add_approver(
                self.user_b, "before", "x"
            )
        self.chain.allow_add_approver = True
        for user in (
            self.user_b,
            self.user_engineer,
            self.user_plain,
            self.user_director,
        ):
            with self.assertRaisesRegex(ApprovalRefusal, "may review step"):
                record.with_user(user)._approval_add_approver(
                    self.user_onsite, "before", "x"
                )
            with self.assertRaises(ApprovalRefusal):
                record.with_user(user).action_approval_add_approver()
        with self.assertRaisesRegex(ApprovalRefusal, "reason is required"):
            record.with_user(self.user_a)._approval_add_approver(
                self.user_b, "before", " "
            )
        # Not the submitter, not himself, not a portal user.
        portal = new_test_user(self.env, login="td_portal", groups="base.group_portal")
        for user in (self.user_engineer, self.user_a, portal):
            with self.assertRaisesRegex(ApprovalRefusal, "cannot be added"):
                record.with_user(self.user_a)._approval_add_approver(
                    user, "before", "x"
                )
        self.assertEqual(len(record.approval_line_ids), 2)

    # Forwarding

    def test_forward_within_the_department_with_its_audit(self):
        self._om_first(forward_policy="department")
        record = self._submitted()
        line = self._pending(record)
        action = record.with_user(self.user_a).action_approval_forward()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_a)
            .with_context(**action["context"])
        )
        wizard.user_id = self.user_onsite
        wizard.reason = "On site this week"
        wizard = wizard.save()
        # His department, but neither himself nor the submitter.
        self.assertIn(self.user_onsite, wizard.candidate_user_ids)
        self.assertNotIn(self.user_a, wizard.candidate_user_ids)
        self.assertNotIn(self.user_engineer, wizard.candidate_user_ids)
        self.assertNotIn(self.user_b, wizard.candidate_user_ids)
        wizard.action_confirm()

        self.assertEqual(line.approver_ids, self.user_onsite)
        self.assertEqual(self._todo_users(record), self.user_onsite)
        self.assertRecordValues(
            line.decision_ids,
            [
                {
                    "decision": "forwarded",
                    "user_id": self.user_a.id,
                    "target_user_id": self.user_onsite.id,
                    "comment": "On site this week",
                }
            ],
        )
        self.assertIn("forwarded", record.message_ids[0].body)
        self.assertFalse(record.with_user(self.user_a).can_approve)
        with self.assertRaises(ApprovalRefusal):
            record.with_user(self.user_a).action_approval_approve()
        record.with_user(self.user_onsite).action_approval_approve()
        self.assertEqual(line.acted_by_id, self.user_onsite)

    def test_forward_policies_and_refusals(self):
        self._om_first()
        record = self._submitted()
        with self.assertRaisesRegex(
            ApprovalRefusal, "does not let a step be forwarded"
        ):
            record.with_user(self.user_a)._approval_forward(self.user_onsite, "x")
        line = self._pending(record)
        self.chain.forward_policy = "role"
        other_om, _emp = self._person_like("td_om_second", "om_manager", self.dept_om)
        self.assertEqual(line._approval_forward_candidates(self.user_a), other_om)
        self.chain.forward_policy = "top_department"
        candidates = line._approval_forward_candidates(self.user_a)
        self.assertIn(self.user_b, candidates)
        self.assertIn(self.user_director, candidates)
        self.assertNotIn(self.user_engineer, candidates)  # the submitter
        self.assertNotIn(self.user_plain, candidates)  # not in the department
        self.chain.forward_policy = "department"
        with self.assertRaisesRegex(ApprovalRefusal, "cannot take step"):
            record.with_user(self.user_a)._approval_forward(self.user_b, "x")
        with self.assertRaisesRegex(ApprovalRefusal, "reason is required"):
            record.with_user(self.user_a)._approval_forward(self.user_onsite, "")
        for user in (
            self.user_b,
            self.user_engineer,
            self.user_plain,
            self.user_director,
        ):
            with self.assertRaisesRegex(ApprovalRefusal, "may review step"):
                record.with_user(user)._approval_forward(self.user_onsite, "x")
            with self.assertRaises(ApprovalRefusal):
                record.with_user(user).action_approval_forward()
            wizard = (
                self.env["techdept.approval.forward.wizard"]
                .with_user(user)
                .create(
                    {"line_id": line.id, "user_id": self.user_onsite.id, "reason": "x"}
                )
            )
            with self.assertRaises(ApprovalRefusal):
                wizard.action_confirm()
        self.assertEqual(line.approver_ids, self.user_a)
        self.assertFalse(line.decision_ids)

    def _person_like(self, login, job, department):
        user = new_test_user(
            self.env, login=login, groups="techdept_org.group_manager", name=login
        )
        employee = self.env["hr.employee"].create(
            {
                "name": login,
                "user_id": user.id,
                "job_id": self.env.ref(f"techdept_org.job_{job}").id,
                "department_id": department.id,
            }
        )
        return user, employee

    # 抄送: copied people read and are told, but do not decide

    def test_copied_people_read_are_told_and_do_not_decide(self):
        # The tester's records are for their creators only, as many records
        # of the suite are for those who work on them.
        self.env["ir.rule"].create(
            [
                {
                    "name": "tester: own",
                    "model_id": self.model_id,
                    "domain_force": "['|', ('create_uid', '=', user.id), "
                    "('salesperson_id', '=', user.id)]",
                    "groups": [Command.link(self.env.ref("base.group_user").id)],
                },
                {
                    "name": "tester: director",
                    "model_id": self.model_id,
                    "domain_force": "[(1, '=', 1)]",
                    "groups": [
                        Command.link(self.env.ref("techdept_org.group_director").id)
                    ],
                },
            ]
        )
        reader = new_test_user(self.env, login="td_reader", groups="base.group_user")
        self.chain.cc_user_ids = self.user_plain
        self.step_sales.cc_job_ids = self.env.ref("techdept_org.job_om_manager")
        self.step_sales.cc_user_ids = reader
        record = self._submitted()
        uncopied = self._record(name="Other")
        Line = self.env["techdept.approval.line"]

        # The chain's copy reads the record and every step, not the others.
        record.with_user(self.user_plain).check_access("read")
        self.assertEqual(
            Line.with_user(self.user_plain).search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)]
            ),
            record.approval_line_ids,
        )
        self.assertFalse(
            Line.with_user(self.user_plain).search(
                [("res_model", "=", record._name), ("res_id", "=", uncopied.id)]
            )
        )
        with self.assertRaises(AccessError):
            uncopied.with_user(self.user_plain).check_access("read")
        with self.assertRaises(AccessError):
            uncopied.with_user(self.user_plain).read(["name"])
        self.assertEqual(
            record.with_user(self.user_plain).read(["name"])[0]["name"], "Solution"
        )

        # He does not decide.
        with self.assertRaises(ApprovalRefusal):
            record.with_user(self.user_plain).action_approval_approve()

        def told(user):
            return self.env["mail.message"].search(
                [
                    ("model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("message_type", "=", "user_notification"),
                    ("partner_ids", "in", user.partner_id.ids),
                ]
            )

        self.assertEqual(len(told(self.user_plain)), 1)  # the review started
        self.assertFalse(told(reader))
        record.with_user(self.user_director).action_approval_approve()
        # The Sales step opened: its copies are told, and may read it.
        self.assertEqual(len(told(reader)), 1)
        self.assertEqual(len(told(self.user_a)), 1)
        record.with_user(reader).check_access("read")
        self.assertEqual(self._pending(record).cc_user_ids, reader | self.user_a)
        record.with_user(self.user_sales).action_approval_approve()
        self.assertEqual(len(told(reader)), 2)  # the step is decided
        self.assertEqual(len(told(self.user_plain)), 2)  # the review ended
        self.assertIn("Approved", told(self.user_plain)[0].body)
        # Copied to Me lists them.
        copied = Line.with_user(reader).search(
            [
                "|",
                ("cc_user_ids", "in", [reader.id]),
                ("chain_cc_user_ids", "in", [reader.id]),
            ]
        )
        self.assertEqual(
            copied,
            record.approval_line_ids.filtered(lambda line: line.step_name == "Sales"),
        )
        # The decisions on the record are his to read too.
        decisions = self.env["techdept.approval.decision"].with_user(self.user_plain)
        self.assertEqual(
            decisions.search([("line_id", "in", record.approval_line_ids.ids)]),
            record.approval_line_ids.decision_ids,
        )

    # 催办: the submitter's reminder, once per interval

    def test_remind_once_per_interval(self):
        with freeze_time("2026-12-01 08:00:00"):
            record = self._submitted()
            line = self._pending(record)
            self.assertTrue(record.with_user(self.user_engineer).can_remind)
            record.with_user(self.user_engineer).action_approval_remind()
            self.assertEqual(line.reminder_count, 1)
            reminder = record.message_ids[0]
            self.assertIn("reminds", reminder.body)
            self.assertIn(self.user_director.partner_id, reminder.partner_ids)
            with self.assertRaisesRegex(ApprovalRefusal, "remind them again after"):
                record.with_user(self.user_engineer).action_approval_remind()
        with freeze_time("2026-12-02 07:59:00"):
            with self.assertRaisesRegex(ApprovalRefusal, "once every 24 hours"):
                record.with_user(self.user_engineer).action_approval_remind()
        with freeze_time("2026-12-02 08:00:00"):
            record.with_user(self.user_engineer).action_approval_remind()
            self.assertEqual(line.reminder_count, 2)
        self.env["ir.config_parameter"].set_param(
            "techdept_org.approval_reminder_hours", "2"
        )
        with freeze_time("2026-12-02 10:00:00"):
            record.with_user(self.user_engineer).action_approval_remind()
        self.chain.reminder_hours = 5
        with (
            freeze_time("2026-12-02 14:00:00"),
            self.assertRaisesRegex(ApprovalRefusal, "once every 5 hours"),
        ):
            record.with_user(self.user_engineer).action_approval_remind()
        self.assertEqual(line.reminder_count, 3)

    def test_remind_refusals(self):
        record = self._submitted()
        for user in (self.user_director, self.user_sales, self.user_plain, self.user_a):
            self.assertFalse(record.with_user(user).can_remind)
            with self.assertRaisesRegex(ApprovalRefusal, "Only Td Engineer"):
                record.with_user(user).action_approval_remind()
            with self.assertRaises(ApprovalRefusal):
                self._pending(record).with_user(user).action_remind()
        draft = self._record(name="Draft")
        with self.assertRaisesRegex(ApprovalRefusal, "not in review"):
            draft.action_approval_remind()
        self.assertEqual(self._pending(record).reminder_count, 0)

    # No public method trusts its caller, nor a context key

    def test_public_methods_refuse_wrong_actors(self):
        self._om_first(allow_add_approver=True, forward_policy="top_department")
        record = self._submitted()
        line = self._pending(record)
        for user in (self.user_b, self.user_plain, self.user_engineer):
            forged = record.with_user(user).with_context(
                techdept_server=True, active_test=False
            )
            report = forged.action_approval_bulk_approve()
            self.assertIn("0 approved", report["params"]["message"])
            for method in ("action_approval_forward", "action_approval_add_approver"):
                with self.assertRaises(ApprovalRefusal):
                    getattr(forged, method)()
            for method in ("action_forward", "action_add_approver"):
                with self.assertRaises(ApprovalRefusal):
                    getattr(line.with_user(user), method)()
            add = (
                self.env["techdept.approval.add.wizard"]
                .with_user(user)
                .create(
                    {"line_id": line.id, "user_id": self.user_onsite.id, "reason": "x"}
                )
            )
            with self.assertRaises(ApprovalRefusal):
                add.action_confirm()
        self.assertEqual(line.state, "pending")
        self.assertEqual(line.approver_ids, self.user_a)
        self.assertFalse(line.decision_ids)
        self.assertEqual(len(record.approval_line_ids), 2)
        # Steps and decisions are the engine's: no client writes them.
        for user in (self.user_a, self.user_engineer):
            with self.assertRaises(AccessError):
                line.with_user(user).write({"approver_ids": [Command.link(user.id)]})
            with self.assertRaises(AccessError):
                line.with_user(user).write({"reminder_count": 0})
            with self.assertRaises(AccessError):
                self.env["techdept.approval.decision"].with_user(user).create(
                    {"line_id": line.id, "user_id": user.id, "decision": "forwarded"}
                )
            with self.assertRaises(AccessError):
                self.chain.with_user(user).forward_policy = "none"
