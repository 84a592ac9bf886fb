import base64

from odoo.tests import HttpCase, tagged

MODULES = ["base", "web", "mail", "hr", "hr_holidays", "techdept_org"]


@tagged("post_install", "-at_install")
class TestOrgTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(MODULES, ["zh_CN"])
        # The tours bring their own people.
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False

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

    def test_director_reads_department_and_duties_in_chinese(self):
        self._person("tour_director", "group_director", "director", "dept_technical")
        self.start_tour("/odoo", "techdept_org_director_tour", login="tour_director")

    def test_document_reviewed_by_two_then_in_the_knowledge_base(self):
        author, _employee = self._person(
            "tour_pm", "group_engineer", "project_manager", "dept_implementation"
        )
        _user, manager = self._person(
            "tour_impl_manager",
            "group_manager",
            "implementation_manager",
            "dept_implementation",
        )
        director, director_employee = self._person(
            "tour_director", "group_director", "director", "dept_technical"
        )
        self.env.ref("techdept_org.dept_implementation").manager_id = manager
        self.env.ref("techdept_org.dept_technical").manager_id = director_employee
        document = (
            self.env["techdept.document"]
            .with_user(author)
            .create(
                {
                    "name": "机房实施方案",
                    "type_id": self.env.ref(
                        "techdept_org.document_type_implementation_plan"
                    ).id,
                }
            )
        )
        document.attachment_ids = self.env["ir.attachment"].create(
            {
                "name": "plan.txt",
                "datas": base64.b64encode(b"phase 1: cabling"),
                "res_model": document._name,
                "res_id": document.id,
            }
        )
        self.start_tour(
            "/odoo/action-techdept_org.techdept_document_action",
            "techdept_document_submit_tour",
            login="tour_pm",
        )
        self.assertEqual(document.approval_state, "pending")
        self.start_tour(
            "/odoo/action-techdept_org.techdept_approval_line_action_mine",
            "techdept_document_approve_tour",
            login="tour_impl_manager",
        )
        self.assertEqual(document.approval_current_user_ids, director)
        self.start_tour(
            "/odoo/action-techdept_org.techdept_approval_line_action_mine",
            "techdept_document_archive_tour",
            login="tour_director",
        )
        self.assertEqual(document.approval_state, "approved")
        self.assertTrue(document.archive_date)
