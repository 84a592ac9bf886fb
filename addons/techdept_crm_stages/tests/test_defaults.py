from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.techdept_org.models.techdept_guard import with_server_flag

from ..models.crm_lead import FORCE_FLAG
from .common import TechdeptCrmCase


@tagged("post_install", "-at_install")
class TestRoleDefaults(TechdeptCrmCase):
    """Each role's lists open on what is his."""

    def test_presales_engineer_pipeline_opens_on_his_leads(self):
        mine = self._lead(name="Mine")
        other = self._lead(name="Someone else's", techdept_presales_user_id=False)
        action = (
            self.env["crm.team"].with_user(self.user_presales).action_your_pipeline()
        )
        context = action["context"]
        self.assertEqual(context.get("search_default_filter_techdept_presales_mine"), 1)
        self.assertNotIn("search_default_assigned_to_me", context)
        # The filter it names exists and keeps his leads only.
        arch = self.env["crm.lead"].get_views([(False, "search")])["views"]["search"][
            "arch"
        ]
        self.assertIn('name="filter_techdept_presales_mine"', arch)
        leads = (
            self.env["crm.lead"]
            .with_user(self.user_presales)
            .search([("techdept_presales_user_id", "=", self.user_presales.id)])
        )
        self.assertIn(mine, leads)
        self.assertNotIn(other, leads)
        # A salesperson keeps CRM's own default: the leads he sells.
        context = (
            self.env["crm.team"].with_user(self.user_sales).action_your_pipeline()
        )["context"]
        self.assertEqual(context.get("search_default_assigned_to_me"), 1)
        self.assertNotIn("search_default_filter_techdept_presales_mine", context)
        # The department's pipeline menu opens the same per-user action.
        menu = self.env.ref("techdept_crm_stages.techdept_pipeline_menu")
        self.assertEqual(menu.action, self.env.ref("crm.action_your_pipeline"))

    def test_work_log_opens_on_my_entries(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "techdept_crm_stages.techdept_worklog_action"
        )
        context = safe_eval(action["context"], {"uid": self.user_presales.id})
        self.assertEqual(context.get("search_default_filter_my"), 1)
        arch = self.env["techdept.worklog"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        self.assertIn('name="filter_my"', arch)

    def test_force_wizard_proposes_the_next_stage(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        action = lead.with_user(self.user_director).action_techdept_force_stage()
        Wizard = self.env[action["res_model"]].with_user(self.user_director)
        form = Form(Wizard.with_context(**action["context"]))
        self.assertEqual(form.stage_id, self.stage3)
        # Leads in different stages: the director chooses.
        other = self._lead(name="Other")
        form = Form(Wizard.with_context(default_lead_ids=(lead | other).ids))
        self.assertFalse(form.stage_id)
        # The last stage has no next one.
        won = self._lead(name="Won")
        with_server_flag(won, FORCE_FLAG).stage_id = self.stage5
        self.assertFalse(Wizard._next_stage(won))

    def test_to_approve_filter_on_stage_items(self):
        lead = self._lead()
        self._through_stage_2(lead)
        bundle = self._deliver(lead, "3.2")
        bundle.with_user(self.user_presales).action_approval_submit()
        Item = self.env["techdept.lead.item"]
        arch = Item.with_user(self.user_director).get_views([(False, "search")])[
            "views"
        ]["search"]["arch"]
        # Its own "To Review by Me" filter stands for it.
        self.assertEqual(arch.count("can_approve"), 1)
        self.assertEqual(
            Item.with_user(self.user_director).search([("can_approve", "=", True)]),
            bundle,
        )
        self.assertFalse(
            Item.with_user(self.user_sales).search([("can_approve", "=", True)])
        )

    def test_lead_form_says_what_the_stage_asks(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        guidance = lead.with_user(self.user_presales).techdept_stage_guidance
        for text in (
            self.stage2.name,
            "2.2 Customer requirements and site survey",
            "2.5 Solution presentation and configuration",
            f"Presales: {self.user_presales.name}",
            self.env.ref("techdept_org.document_type_site_survey").name,
            "To Deliver",
            "Blocking",
        ):
            self.assertIn(text, guidance)
        self.assertNotIn("3.2", guidance)
        self._deliver(lead, "2.2")
        lead.invalidate_recordset(["techdept_stage_guidance"])
        guidance = lead.with_user(self.user_presales).techdept_stage_guidance
        self.assertIn("Done", guidance)
        self.assertIn('title="Uploaded"', guidance)
        # Stage 3: the review chain of the solution bundle, commerce's items.
        self._through_stage_2(lead)
        lead.invalidate_recordset(["techdept_stage_guidance"])
        guidance = lead.with_user(self.user_sales).techdept_stage_guidance
        self.assertIn("3.2 Solution bundle", guidance)
        self.assertIn("→", guidance)
        self.assertIn(f"Commerce: {self.user_commerce.name}", guidance)
