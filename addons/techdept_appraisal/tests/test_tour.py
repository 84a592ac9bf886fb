from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .test_appraisal import AppraisalCase
from .test_cycle import CycleCase

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

    def test_each_sees_only_his_buttons(self):
        Worklog = self.env["techdept.worklog"].with_user(self.user_presales)
        for day, hours in (("2026-11-03", 5), ("2026-11-20", 3)):
            Worklog.create(
                {"date": day, "kind": "training", "hours": hours, "name": "培训"}
            )
        appraisal = self._of(self.emp_presales)
        with freeze_time("2026-12-02"):
            appraisal.with_user(self.user_presales_mgr).action_refresh()
        self._score_all(appraisal, self.user_presales_mgr, 80)
        appraisal.with_user(self.user_presales_mgr).action_mark_scored()
        appraisal.with_user(self.user_presales_mgr).action_approval_submit()
        appraisal.with_user(self.user_director).action_approval_approve()
        self.assertEqual(appraisal.state, "approved")
        for user in self.user_director | self.user_presales:
            user.write({"lang": "zh_CN", "password": user.login})
        url = (
            f"/odoo/action-techdept_appraisal.techdept_appraisal_action/{appraisal.id}"
        )
        self.start_tour(
            url, "techdept_appraisal_director_buttons_tour", login="ap_director"
        )
        self.assertEqual(appraisal.state, "approved")
        self.start_tour(
            url, "techdept_appraisal_employee_buttons_tour", login="ap_presales"
        )
        self.assertEqual(appraisal.state, "acknowledged")


@tagged("post_install", "-at_install")
class TestSelfAssessmentTour(HttpCase, CycleCase):
    """An engineer assesses himself in the web client, in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(MODULES, ["zh_CN"])
        cls.user_eng2.write({"lang": "zh_CN", "password": cls.user_eng2.login})

    def test_employee_assesses_himself(self):
        form = self._form(self.emp_eng2)
        self._agree_goals(form)
        self._open_scoring()
        self.assertEqual(form.state, "self_assessment")
        self.start_tour(
            "/odoo/action-techdept_appraisal.techdept_appraisal_sheet_action",
            "techdept_appraisal_self_assessment_tour",
            login="ap_engineer2",
        )
        sheet = form.sudo().sheet_id
        self.assertTrue(sheet.self_submitted_date)
        self.assertEqual(set(sheet.line_ids.mapped("self_comment")), {"按计划完成"})
        self.assertAlmostEqual(sheet.self_total, 90.0, places=2)
        # In the appraiser's hands now, his own scores still to come.
        self.assertEqual(form.state, "draft")
        self.assertAlmostEqual(form.with_user(self.user_om).self_total, 90.0, places=2)
        # (The items computed from the suite are scored by the server.)
        self.assertFalse(
            form.line_ids.filtered(lambda li: li.is_scored and li.source == "manual")
        )
