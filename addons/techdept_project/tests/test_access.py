from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import TechdeptProjectCase


@tagged("post_install", "-at_install")
class TestProjectAccess(TechdeptProjectCase):
    """Anyone in the company may use Odoo's Projects and the employee
    directory: the department's fields must not lock them out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_project = new_test_user(
            cls.env,
            login="prj_plain_project_user",
            groups="project.group_project_user",
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "Data centre",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": cls.emp_b.id,
            }
        )
        cls.assignment = cls.env["techdept.assignment"].create(
            {"project_id": cls.project.id, "employee_id": cls.emp_e1.id}
        )

    def test_project_user_outside_the_department_opens_projects(self):
        project = self.project.with_user(self.user_project)
        # The form as the web client loads it: view and every field in it.
        form = Form(project)
        self.assertEqual(form.techdept_assignment_ids.ids, self.assignment.ids)
        values = project.read([])[0]
        self.assertEqual(values["techdept_assignment_ids"], self.assignment.ids)
        self.assertNotIn("techdept_handover_ids", values)
        self.assertNotIn("techdept_repair_ids", values)
        # The team is no secret, but only the department's managers change it.
        with self.assertRaises(AccessError):
            self.assignment.with_user(self.user_project).write(
                {"role": "project_manager"}
            )
        with self.assertRaises(AccessError):
            self.env["techdept.assignment"].with_user(self.user_project).create(
                {"project_id": self.project.id, "employee_id": self.emp_e2.id}
            )

    def test_pool_without_hr_rights(self):
        # Engineers and managers read employees as public profiles.
        for user in (self.user_e2, self.user_b, self.user_project):
            Employee = self.env["hr.employee"].with_user(user)
            free = Employee.search([("techdept_is_free", "=", True)])
            self.assertIn(self.emp_e2, free, user.login)
            self.assertNotIn(self.emp_e1, free, user.login)
            values = Employee.browse(self.emp_e1.id).read(
                ["techdept_current_project_ids", "techdept_is_free"]
            )[0]
            self.assertEqual(values["techdept_current_project_ids"], self.project.ids)
            self.assertFalse(values["techdept_is_free"])
