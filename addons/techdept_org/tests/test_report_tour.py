from odoo.tests import HttpCase, tagged

from .test_tour import MODULES


@tagged("post_install", "-at_install")
class TestReportTours(HttpCase):
    """An engineer writes and submits his weekly report; his manager reviews
    it; both in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(MODULES, ["zh_CN"])
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        cls.env["techdept.delegation"].search([]).unlink()

    @classmethod
    def _person(cls, login, group, job, department):
        user = cls.env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "lang": "zh_CN",
                "groups_id": [(6, 0, [cls.env.ref(f"techdept_org.{group}").id])],
            }
        )
        employee = cls.env["hr.employee"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "job_id": cls.env.ref(f"techdept_org.job_{job}").id,
                "department_id": cls.env.ref(f"techdept_org.{department}").id,
            }
        )
        return user, employee

    def test_weekly_report_written_then_reviewed(self):
        engineer, emp_engineer = self._person(
            "tour_onsite", "group_engineer", "onsite_engineer", "dept_om"
        )
        manager, emp_manager = self._person(
            "tour_om_manager", "group_manager", "om_manager", "dept_om"
        )
        self.env.ref("techdept_org.dept_om").write(
            {"manager_id": emp_manager.id, "techdept_deputy_id": False}
        )
        self.start_tour("/odoo", "techdept_report_write_tour", login="tour_onsite")
        report = self.env["techdept.progress.report"].search(
            [("employee_id", "=", emp_engineer.id)]
        )
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.review_ids.reviewer_id, emp_manager)
        self.assertTrue(report.figure_ids)
        self.assertIn("机房巡检三次", report.section_ids[0].body)
        self.start_tour(
            "/odoo/action-techdept_org.techdept_progress_report_action_to_review",
            "techdept_report_review_tour",
            login="tour_om_manager",
        )
        self.assertEqual(report.state, "reviewed")
        self.assertEqual(report.review_ids.comment, "巡检及时，请跟踪UPS告警原因。")
        self.assertEqual(report.review_ids.reviewed_by_id, manager)
