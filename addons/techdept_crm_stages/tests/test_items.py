from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TechdeptCrmCase


@tagged("post_install", "-at_install")
class TestStageItems(TechdeptCrmCase):
    def _todos(self, lead, user):
        return lead.activity_ids.filtered(lambda a: a.user_id == user)

    def test_presales_engineer_gets_the_upload_todo(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        todos = self._todos(lead, self.user_presales)
        self.assertEqual(len(todos), 2)
        self.assertTrue(any("2.2" in summary for summary in todos.mapped("summary")))
        self._deliver(lead, "2.2")
        self.assertEqual(len(self._todos(lead, self.user_presales)), 1)
        self.assertEqual(self._line(lead, "2.2").state, "done")

    def test_without_presales_engineer_the_manager_is_asked(self):
        lead = self._lead(techdept_presales_user_id=False)
        lead.with_user(self.user_sales).stage_id = self.stage2
        self.assertEqual(len(self._todos(lead, self.user_presales_mgr)), 2)

    def test_solution_bundle_chain_in_order(self):
        lead = self._lead()
        self._through_stage_2(lead)
        line = self._line(lead, "3.2")
        with self.assertRaisesRegex(UserError, "still needs"):
            line.with_user(self.user_presales).action_approval_submit()
        self._deliver(lead, "3.2")
        self.assertEqual(line.state, "ready")
        line.with_user(self.user_presales).action_approval_submit()
        self.assertEqual(line.state, "pending")
        # Frozen while in review.
        with self.assertRaisesRegex(UserError, "under review or approved"):
            line.document_ids[0].with_user(self.user_presales).name = "Changed"

        order = [
            (self.user_director, (self.user_sales, self.user_gm, self.user_presales)),
            (self.user_sales, (self.user_director, self.user_gm, self.user_sales2)),
            (self.user_gm, (self.user_director, self.user_sales, self.user_commerce)),
        ]
        for approver, others in order:
            for other in others:
                with self.assertRaises(UserError):
                    line.with_user(other).action_approval_approve()
            line.with_user(approver).action_approval_approve()
        self.assertEqual(line.state, "approved")
        self.assertTrue(line.is_complete)
        # 3.3 follows: the presales engineer is asked for the demonstration.
        demo = self._line(lead, "3.3")
        self.assertEqual(demo.state, "todo")
        self.assertTrue(
            any(
                "3.3" in (summary or "")
                for summary in self._todos(lead, self.user_presales).mapped("summary")
            )
        )
        with self.assertRaisesRegex(UserError, "Only"):
            demo.with_user(self.user_sales).action_mark_done()
        demo.with_user(self.user_presales).action_mark_done()
        self.assertEqual(demo.state, "done")

    def test_demonstration_waits_for_the_solution_approval(self):
        lead = self._lead()
        self._through_stage_2(lead)
        demo = self._line(lead, "3.3")
        self.assertEqual(demo.state, "waiting")
        with self.assertRaisesRegex(UserError, "not approved yet"):
            demo.with_user(self.user_presales).action_mark_done()

    def test_demonstration_follows_its_trigger_both_ways(self):
        """The task is ready once the solution is approved, and waits again
        when the director reopens the solution."""
        lead = self._lead()
        self._through_stage_2(lead)
        solution = self._deliver(lead, "3.2")
        solution.with_user(self.user_presales).action_approval_submit()
        for approver in (self.user_director, self.user_sales, self.user_gm):
            solution.with_user(approver).action_approval_approve()
        demo = self._line(lead, "3.3")
        self.assertEqual(demo.state, "todo")
        solution.with_user(self.user_director)._approval_reopen("Price changed")
        self.assertEqual(solution.approval_state, "draft")
        self.assertEqual(demo.state, "waiting")
        self.env.flush_all()
        self.assertEqual(
            demo.search([("id", "=", demo.id), ("state", "=", "waiting")]), demo
        )

    def test_the_followed_items_follow_the_configuration(self):
        """A line's approval looks for the lines that follow it only when its
        item is someone's trigger: that set follows every change of a trigger."""
        Item = self.env["techdept.stage.item"]
        solution = self.env.ref("techdept_crm_stages.item_3_2")
        demo = self.env.ref("techdept_crm_stages.item_3_3")
        self.assertIn(solution.id, Item._followed_item_ids())
        demo.trigger_item_id = False
        self.assertNotIn(solution.id, Item._followed_item_ids())
        demo.trigger_item_id = solution
        self.assertIn(solution.id, Item._followed_item_ids())
        other = Item.create(
            {
                "code": "3.9",
                "name": "Follow-up",
                "kind": "task",
                "stage_id": demo.stage_id.id,
                "trigger_item_id": demo.trigger_item_id.id,
            }
        )
        demo.trigger_item_id = False
        self.assertIn(solution.id, Item._followed_item_ids())
        other.unlink()
        self.assertNotIn(solution.id, Item._followed_item_ids())

    def test_commerce_items_and_their_chains(self):
        lead = self._lead()
        self._through_stage_2(lead)
        final = self._deliver(lead, "3.7", user=self.user_commerce)
        final.with_user(self.user_commerce).action_approval_submit()
        self.assertEqual(final.approval_current_user_ids, self.user_director)
        final.with_user(self.user_director).action_approval_approve()
        self.assertEqual(final.approval_current_user_ids, self.user_gm)
        final.with_user(self.user_gm).action_approval_approve()
        self.assertEqual(final.state, "approved")

        checklist = self._deliver(lead, "3.8", user=self.user_commerce)
        checklist.with_user(self.user_commerce).action_approval_submit()
        for user in (self.user_director, self.user_sales, self.user_gm):
            self.assertEqual(checklist.approval_current_user_ids, user)
            checklist.with_user(user).action_approval_approve()
        self.assertTrue(checklist.is_complete)

    def test_rejection_blocks_until_resubmitted(self):
        lead = self._lead()
        self._through_stage_2(lead)
        line = self._deliver(lead, "3.2")
        line.with_user(self.user_presales).action_approval_submit()
        line.with_user(self.user_director)._approval_reject("Product list outdated")
        self.assertEqual(line.state, "rejected")
        with self.assertRaisesRegex(UserError, "rejected"):
            lead._techdept_check_gate(self.stage4)
        # The documents can change again, then the bundle goes back for review.
        line.document_ids[0].with_user(self.user_presales).name = "Product list v2"
        line.with_user(self.user_presales).action_approval_submit()
        self.assertEqual(line.approval_round, 2)

    @freeze_time("2026-12-07")
    def test_director_absent_his_deputy_approves(self):
        """A/B inside a chain: the director is on leave; his deputy approves
        the 3.2 bundle's first step on his behalf."""
        self.env.ref(
            "techdept_org.dept_technical"
        ).techdept_deputy_id = self.emp_presales_mgr
        leave_type = self.env["hr.leave.type"].create(
            {
                "name": "Annual",
                "requires_allocation": "no",
                "leave_validation_type": "hr",
            }
        )
        lead = self._lead()
        self._through_stage_2(lead)
        line = self._deliver(lead, "3.2")
        line.with_user(self.user_presales).action_approval_submit()
        leave = (
            self.env["hr.leave"]
            .sudo()
            .create(
                {
                    "employee_id": self.emp_director.id,
                    "holiday_status_id": leave_type.id,
                    "request_date_from": date(2026, 12, 7),
                    "request_date_to": date(2026, 12, 8),
                }
            )
        )
        leave.action_validate()
        self.assertTrue(line.with_user(self.user_presales_mgr).can_approve)
        line.with_user(self.user_presales_mgr).action_approval_approve()
        first = line.approval_line_ids.sorted("sequence")[0]
        self.assertEqual(first.acted_by_id, self.user_presales_mgr)
        self.assertEqual(first.on_behalf_of_id, self.user_director)
        self.assertEqual(line.approval_current_user_ids, self.user_sales)

    def test_full_path_to_won(self):
        lead = self._lead()
        self._through_stage_2(lead)
        self._approve_all(
            self._deliver(lead, "3.2"),
            self.user_director,
            self.user_sales,
            self.user_gm,
        )
        self._line(lead, "3.3").with_user(self.user_presales).action_mark_done()
        for code, users in (
            ("3.7", (self.user_director, self.user_gm)),
            ("3.8", (self.user_director, self.user_sales, self.user_gm)),
        ):
            line = self._deliver(lead, code, user=self.user_commerce)
            line.with_user(self.user_commerce).action_approval_submit()
            for user in users:
                line.with_user(user).action_approval_approve()
        self.assertFalse(lead.techdept_blocked)
        lead.with_user(self.user_sales).stage_id = self.stage4
        self._deliver(lead, "4.2")
        self._approve_all(self._deliver(lead, "4.5"), self.user_director, self.user_gm)
        lead.with_user(self.user_sales).action_set_won()
        self.assertEqual(lead.stage_id, self.stage5)
        self.assertEqual(
            lead.techdept_item_ids.mapped("code"),
            ["2.2", "2.5", "3.2", "3.3", "3.7", "3.8", "4.2", "4.5", "5.1", "5.2"],
        )
        self.assertEqual(lead.techdept_item_count, 10)
        self.assertEqual(lead.techdept_item_done_count, 8)
