from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TechdeptCrmCase

# Measured on Odoo 18.0; the same whatever the number of leads and items:
# the leads' stages, then one query for the gate.
GATE_QUERIES = 2


@tagged("post_install", "-at_install")
class TestStageGate(TechdeptCrmCase):
    def test_pipeline_is_the_policys(self):
        stages = self.env["crm.stage"].search([])
        self.assertEqual(stages.mapped("techdept_code"), ["1", "2", "3", "4", "5"])
        self.assertTrue(self.stage5.is_won)
        self.assertEqual(self.stage2.techdept_item_ids.mapped("code"), ["2.2", "2.5"])
        self.assertEqual(
            self.stage3.techdept_item_ids.mapped("code"), ["3.2", "3.3", "3.7", "3.8"]
        )
        self.assertEqual(len(self.env["techdept.presales.phase"].search([])), 6)
        item_32 = self.env.ref("techdept_crm_stages.item_3_2")
        self.assertEqual(
            set(item_32.document_type_ids.mapped("code")),
            {
                "site_survey",
                "customer_requirements",
                "technical_solution",
                "product_list",
            },
        )
        self.assertEqual(
            item_32.chain_id.step_ids.mapped("approver_type"),
            ["role", "field", "function"],
        )

    def test_write_is_refused_with_what_is_missing(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        self.assertEqual(lead.techdept_item_ids.mapped("code"), ["2.2", "2.5"])
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.user_sales).write({"stage_id": self.stage3.id})
        message = str(caught.exception)
        self.assertIn("Data centre upgrade", message)
        self.assertIn("2.2", message)
        self.assertIn("Customer Requirements Specification", message)
        self.assertIn("2.5", message)
        self.assertEqual(lead.stage_id, self.stage2)

        self._deliver(lead, "2.2")
        with self.assertRaisesRegex(UserError, "2.5") as caught:
            lead.with_user(self.user_sales).write({"stage_id": self.stage3.id})
        self.assertNotIn("2.2", str(caught.exception))
        self._deliver(lead, "2.5")
        lead.with_user(self.user_sales).write({"stage_id": self.stage3.id})
        self.assertEqual(lead.stage_id, self.stage3)
        self.assertEqual(
            lead.techdept_item_ids.mapped("code"),
            ["2.2", "2.5", "3.2", "3.3", "3.7", "3.8"],
        )

    def test_skipping_stages_checks_each_of_them(self):
        lead = self._lead()
        with self.assertRaisesRegex(UserError, "2.2") as caught:
            lead.with_user(self.user_sales).write({"stage_id": self.stage4.id})
        self.assertIn("3.2", str(caught.exception))
        self.assertIn("3.8", str(caught.exception))

    def test_form_path(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        form = Form(lead.with_user(self.user_sales))
        form.stage_id = self.stage3
        with self.assertRaisesRegex(UserError, "2.2"):
            form.save()

    def test_import_path(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        xmlid = lead.get_external_id()[lead.id] or ""
        if not xmlid:
            self.env["ir.model.data"].create(
                {
                    "name": f"lead_{lead.id}",
                    "module": "__import__",
                    "model": "crm.lead",
                    "res_id": lead.id,
                }
            )
            xmlid = f"__import__.lead_{lead.id}"
        result = (
            self.env["crm.lead"]
            .with_user(self.user_sales)
            .load(
                ["id", "stage_id/id"],
                [[xmlid, "techdept_crm_stages.stage_solution_confirmation"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertTrue(
            any("2.2" in message["message"] for message in result["messages"])
        )
        self.assertEqual(lead.stage_id, self.stage2)
        # A new lead imported straight into a later stage is refused too.
        result = (
            self.env["crm.lead"]
            .with_user(self.user_sales)
            .load(
                ["name", "stage_id/id"],
                [["Imported", "techdept_crm_stages.stage_tender"]],
            )
        )
        self.assertFalse(result["ids"])

    def test_many_leads_at_once(self):
        ready = self._lead(name="Ready")
        blocked = self._lead(name="Blocked")
        (ready | blocked).with_user(self.user_sales).write({"stage_id": self.stage2.id})
        self._deliver(ready, "2.2")
        self._deliver(ready, "2.5")
        with self.assertRaises(UserError) as caught:
            (ready | blocked).with_user(self.user_sales).write(
                {"stage_id": self.stage3.id}
            )
        self.assertIn("Blocked", str(caught.exception))
        self.assertNotIn("Ready:", str(caught.exception))
        self.assertEqual((ready | blocked).stage_id, self.stage2)

    def test_won_goes_through_the_gate(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        with self.assertRaisesRegex(UserError, "2.2"):
            lead.with_user(self.user_sales).action_set_won()
        # Lost is not a move forward: it keeps working.
        lead.with_user(self.user_sales).action_set_lost()
        self.assertFalse(lead.active)

    def test_backward_move_is_allowed_and_logged(self):
        lead = self._lead()
        self._through_stage_2(lead)
        # Even by a salesperson without an email address.
        self.user_sales.email = False
        lead.with_user(self.user_sales).stage_id = self.stage2
        self.assertEqual(lead.stage_id, self.stage2)
        self.assertTrue(
            any("Moved back" in message.body for message in lead.message_ids)
        )
        # Moving forward again: its items are still complete.
        lead.with_user(self.user_sales).stage_id = self.stage3

    def test_forced_move_by_director_with_a_reason(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        wizard = (
            self.env["techdept.stage.force.wizard"]
            .with_user(self.user_director)
            .create(
                {
                    "lead_ids": [(6, 0, lead.ids)],
                    "stage_id": self.stage3.id,
                    "reason": "Customer deadline",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(lead.stage_id, self.stage3)
        self.assertIn("Customer deadline", lead.message_ids[0].body)
        # The general manager's office may force too.
        self.env["techdept.stage.force.wizard"].with_user(self.user_gm).create(
            {
                "lead_ids": [(6, 0, lead.ids)],
                "stage_id": self.stage4.id,
                "reason": "Tender opens",
            }
        ).action_confirm()
        self.assertEqual(lead.stage_id, self.stage4)

    def test_forced_move_refused_to_others(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        for user in (self.user_presales_mgr, self.user_sales, self.user_presales):
            wizard = (
                self.env["techdept.stage.force.wizard"]
                .with_user(user)
                .create(
                    {
                        "lead_ids": [(6, 0, lead.ids)],
                        "stage_id": self.stage3.id,
                        "reason": "Please",
                    }
                )
            )
            with self.assertRaisesRegex(AccessError, "Only the technical director"):
                wizard.action_confirm()
        # Nor through the context of an RPC call, whoever sends it: the gate
        # applies.
        for user in (self.user_presales_mgr, self.user_sales, self.user_director):
            with self.assertRaisesRegex(UserError, "cannot move to"):
                lead.with_user(user).with_context(techdept_force_stage=True).write(
                    {"stage_id": self.stage3.id}
                )
        self.assertEqual(lead.stage_id, self.stage2)

    def test_gate_query_count_is_flat(self):
        def measure(n):
            leads = self.env["crm.lead"].create(
                [
                    {
                        "name": f"L{i}",
                        "type": "opportunity",
                        "user_id": self.user_sales.id,
                    }
                    for i in range(n)
                ]
            )
            leads.write({"stage_id": self.stage2.id})
            for lead in leads:
                self._deliver(lead, "2.2", user=self.env.user)
                self._deliver(lead, "2.5", user=self.env.user)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            leads._techdept_check_gate(self.stage3)
            return self.cr.sql_log_count - before, leads

        one, _leads = measure(1)
        fifty, leads = measure(50)
        self.assertEqual(one, fifty)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=GATE_QUERIES):
            leads._techdept_check_gate(self.stage3)

    def test_kanban_costs_no_extra_query(self):
        leads = self.env["crm.lead"].create(
            [
                {"name": f"K{i}", "type": "opportunity", "user_id": self.user_sales.id}
                for i in range(20)
            ]
        )
        leads.write({"stage_id": self.stage2.id})
        Lead = self.env["crm.lead"].with_user(self.user_presales_mgr)
        base = {
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "stage_id": {"fields": {"display_name": {}}},
        }
        ours = dict(
            base,
            techdept_progress={},
            techdept_item_count={},
            techdept_item_done_count={},
            techdept_blocked={},
        )

        def count(spec):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Lead.web_search_read([("id", "in", leads.ids)], spec)
            return self.cr.sql_log_count - before

        count(ours)  # warm the caches
        self.assertLessEqual(count(ours), count(base) + 1)
