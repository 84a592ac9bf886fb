from odoo.tests import HttpCase, tagged

from .test_appraisal import AppraisalCase

MODULES = [
    "base",
    "web",
    "mail",
    "hr",
    "hr_holidays",
    "crm",
    "project",
    "techdept_org",
    "techdept_crm_stages",
    "techdept_project",
    "techdept_appraisal",
]


@tagged("post_install", "-at_install")
class TestAppraisalTours(HttpCase, AppraisalCase):
    """A month of appraisals in the web client, in Chinese: the appraiser
    scores and submits, the director approves, the employee acknowledges."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(MODULES, ["zh_CN"])
        cls.user_om.write({"lang": "zh_CN", "password": cls.user_om.login})

    def test_month_end_to_end(self):
        appraisal = self._of(self.emp_eng2)
        self.start_tour(
            "/odoo/action-techdept_appraisal.techdept_appraisal_action",
            "techdept_appraisal_score_tour",
            login="ap_om",
        )
        self.assertEqual(appraisal.state, "submitted")
        self.assertEqual(appraisal.total_score, 88)
        appraisal.with_user(self.user_director).action_approval_approve()
        appraisal.with_user(self.user_eng2).action_acknowledge()
        self.assertEqual(appraisal.state, "acknowledged")
