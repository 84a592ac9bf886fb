import base64

from odoo.tests import HttpCase, tagged

MODULES = ["base", "web", "mail", "hr", "hr_holidays", "techdept_org"]


@tagged("post_install", "-at_install")
class TestApprovalTours(HttpCase):
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

    def test_director_approves_two_plans_from_the_counter(self):
        author, _employee = self._person(
            "tour_pm", "group_engineer", "project_manager", "dept_implementation"
        )
        manager, manager_employee = self._person(
            "tour_impl_manager",
            "group_manager",
            "implementation_manager",
            "dept_implementation",
        )
        director, director_employee = self._person(
            "tour_director", "group_director", "director", "dept_technical"
        )
        self.env.ref("techdept_org.dept_implementation").manager_id = manager_employee
        self.env.ref("techdept_org.dept_technical").manager_id = director_employee
        documents = self.env["techdept.document"]
        for name in ("机房搬迁方案", "核心交换机割接方案"):
            document = (
                self.env["techdept.document"]
                .with_user(author)
                .create(
                    {
                        "name": name,
                        "type_id": self.env.ref(
                            "techdept_org.document_type_implementation_plan"
                        ).id,
                    }
                )
            )
            document.attachment_ids = self.env["ir.attachment"].create(
                {
                    "name": "plan.txt",
                    "datas": base64.b64encode(name.encode()),
                    "res_model": document._name,
                    "res_id": document.id,
                }
            )
            document.action_approval_submit()
            document.with_user(manager).action_approval_approve()
            documents |= document
        self.assertEqual(documents.approval_current_user_ids, director)
        self.start_tour("/odoo", "techdept_approval_bulk_tour", login="tour_director")
        self.assertEqual(documents.mapped("approval_state"), ["approved", "approved"])
        self.assertEqual(
            documents.approval_line_ids.decision_ids.filtered(
                lambda d: d.user_id == director
            ).mapped("decision"),
            ["approved", "approved"],
        )
