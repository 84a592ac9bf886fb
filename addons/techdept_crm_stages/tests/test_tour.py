from odoo.tests import HttpCase, tagged

from .common import TechdeptCrmCase

MODULES = [
    "base",
    "web",
    "mail",
    "hr",
    "hr_holidays",
    "crm",
    "techdept_org",
    "techdept_crm_stages",
]


@tagged("post_install", "-at_install")
class TestCrmTours(HttpCase, TechdeptCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(MODULES, ["zh_CN"])
        users = (
            cls.user_sales
            | cls.user_presales
            | cls.user_director
            | cls.user_gm
            | cls.user_commerce
            | cls.user_presales_mgr
        )
        users.write({"lang": "zh_CN"})
        for user in users:
            user.password = user.login

    def _lead_url(self, lead):
        return f"/odoo/action-crm.crm_lead_action_pipeline/{lead.id}"

    def test_presales_uploads_and_moves_the_lead(self):
        lead = self._lead(name="人民医院网络改造")
        lead.with_user(self.user_sales).stage_id = self.stage2
        self._deliver(lead, "2.5")
        self.start_tour(
            self._lead_url(lead),
            "techdept_crm_presales_upload_tour",
            login="crm_presales",
        )
        self.assertEqual(lead.stage_id, self.stage3)
        self.assertEqual(
            set(self._line(lead, "2.2").document_ids.mapped("name")),
            {"医院网络需求说明书", "医院机房勘察表"},
        )
        self.assertEqual(
            set(self._line(lead, "2.2").document_ids.attachment_ids.mapped("name")),
            {"医院网络需求说明书.txt", "医院机房勘察表.txt"},
        )

    def test_gate_refusal_shown_as_a_titled_warning(self):
        lead = self._lead(name="人民医院网络改造")
        lead.with_user(self.user_sales).stage_id = self.stage2
        self.start_tour(
            self._lead_url(lead), "techdept_crm_gate_dialog_tour", login="crm_presales"
        )
        self.assertEqual(lead.stage_id, self.stage2)

    def test_solution_reviewed_by_director_sales_gm_then_advances(self):
        lead = self._lead(name="税务局数据中心扩容")
        self._through_stage_2(lead)
        for code, users in (
            ("3.7", (self.user_director, self.user_gm)),
            ("3.8", (self.user_director, self.user_sales, self.user_gm)),
        ):
            line = self._deliver(lead, code, user=self.user_commerce)
            line.with_user(self.user_commerce).action_approval_submit()
            for user in users:
                line.with_user(user).action_approval_approve()
        bundle = self._deliver(lead, "3.2")
        bundle.with_user(self.user_presales).action_approval_submit()
        approvals = "/odoo/action-techdept_org.techdept_approval_line_action_mine"
        for login, user in (
            ("crm_director", self.user_director),
            ("crm_sales", self.user_sales),
            ("crm_gm", self.user_gm),
        ):
            self.assertEqual(bundle.approval_current_user_ids, user)
            self.start_tour(approvals, "techdept_crm_review_tour", login=login)
        self.assertEqual(bundle.approval_state, "approved")
        self.start_tour(
            self._lead_url(lead),
            "techdept_crm_demonstration_tour",
            login="crm_presales",
        )
        self.assertEqual(self._line(lead, "3.3").state, "done")
        self.start_tour(
            self._lead_url(lead), "techdept_crm_advance_tour", login="crm_presales"
        )
        self.assertEqual(lead.stage_id, self.stage4)

    def test_presales_uploads_from_his_default_pipeline(self):
        lead = self._lead(name="人民医院网络改造")
        lead.with_user(self.user_sales).stage_id = self.stage2
        self._deliver(lead, "2.5")
        # Unassigned, so he may read it, but not his as presales engineer.
        other = self._lead(name="港口安防升级", techdept_presales_user_id=False)
        other.user_id = False
        self.assertIn(
            other, self.env["crm.lead"].with_user(self.user_presales).search([])
        )
        self.start_tour(
            "/odoo/crm", "techdept_crm_presales_pipeline_tour", login="crm_presales"
        )
        self.assertEqual(
            set(self._line(lead, "2.2").document_ids.mapped("name")),
            {"医院网络需求说明书", "医院机房勘察表"},
        )
        self.assertEqual(self._line(lead, "2.2").state, "done")

    def test_each_sees_only_his_buttons(self):
        lead = self._lead(name="税务局数据中心扩容")
        self._through_stage_2(lead)
        bundle = self._deliver(lead, "3.2")
        bundle.with_user(self.user_presales).action_approval_submit()
        bundle.with_user(self.user_director).action_approval_approve()
        bundle.with_user(self.user_sales).action_approval_approve()
        self.assertEqual(bundle.approval_current_user_ids, self.user_gm)
        url = f"/odoo/action-techdept_crm_stages.techdept_lead_item_action/{bundle.id}"
        self.start_tour(
            url, "techdept_crm_submitter_buttons_tour", login="crm_presales"
        )
        self.start_tour(url, "techdept_crm_approver_buttons_tour", login="crm_gm")
        self.assertEqual(bundle.approval_state, "approved")
