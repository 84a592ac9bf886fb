from odoo.tests import HttpCase, tagged

from .common import TechdeptProjectCase, force_phase

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
]


@tagged("post_install", "-at_install")
class TestProjectTours(HttpCase, TechdeptProjectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(MODULES, ["zh_CN"])
        for user in cls.user_b | cls.user_presales:
            user.write({"lang": "zh_CN", "password": user.login})

    def test_handover_accepted_and_team_assigned(self):
        lead = self._won_lead(name="智慧园区一期")
        self._document(lead, "deepened_plan", self.user_presales)
        action = lead.with_user(self.user_b).action_techdept_create_project()
        project = self.env["project.project"].browse(action["res_id"])
        project.techdept_handover_ids.with_user(
            self.user_presales
        ).action_approval_submit()
        self.start_tour(
            "/odoo/action-techdept_org.techdept_approval_line_action_mine",
            "techdept_project_handover_tour",
            login="prj_impl_manager",
        )
        self.assertEqual(project.techdept_handover_ids.approval_state, "approved")
        self.assertEqual(
            project.techdept_phase_id,
            self.env.ref("techdept_project.phase_implementation_preparation"),
        )
        self.assertEqual(project.techdept_assignment_ids.employee_id, self.emp_e1)
        self.assertEqual(self.emp_e1.parent_id, self.emp_b)

    def test_deliverable_written_reviewed_and_archived(self):
        project = self.env["project.project"].create(
            {
                "name": "智慧园区二期",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": self.emp_b.id,
            }
        )
        self.env["techdept.assignment"].create(
            {
                "project_id": project.id,
                "employee_id": self.emp_e1.id,
                "role": "project_manager",
            }
        )
        self.user_e1.write({"lang": "zh_CN", "password": self.user_e1.login})
        document = self._document(
            project, "construction_plan", self.user_e1, "园区施工组织计划"
        )
        self.start_tour(
            f"/odoo/action-techdept_project.project_project_action_implementation/{project.id}",
            "techdept_project_deliverable_submit_tour",
            login="prj_engineer1",
        )
        self.assertEqual(document.approval_state, "pending")
        self.start_tour(
            "/odoo/action-techdept_org.techdept_approval_line_action_mine",
            "techdept_project_deliverable_archive_tour",
            login="prj_impl_manager",
        )
        self.assertEqual(document.approval_state, "approved")
        self.assertTrue(document.archive_date)

    def test_acceptance_hands_over_to_om(self):
        project = self.env["project.project"].create(
            {
                "name": "智慧园区三期",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": self.emp_b.id,
            }
        )
        self.env["techdept.assignment"].create(
            {
                "project_id": project.id,
                "employee_id": self.emp_e1.id,
                "role": "project_manager",
            }
        )
        force_phase(
            project, self.env.ref("techdept_project.phase_implementation_acceptance")
        )
        documents = self._document(project, "acceptance_documents", self.user_e1)
        documents.with_user(self.user_e1).action_approval_submit()
        documents.with_user(self.user_b).action_approval_approve()
        documents.with_user(self.user_director).action_approval_approve()
        acceptance = self.env["techdept.acceptance"].create(
            {
                "project_id": project.id,
                "service_date_from": "2027-01-01",
                "service_date_to": "2029-12-31",
                "onsite_engineer_ids": [(6, 0, self.emp_e2.ids)],
            }
        )
        acceptance.with_user(self.user_e1).action_approval_submit()
        acceptance.with_user(self.user_b).action_approval_approve()
        self.user_director.write(
            {"lang": "zh_CN", "password": self.user_director.login}
        )
        self.start_tour(
            "/odoo/action-techdept_org.techdept_approval_line_action_mine",
            "techdept_project_acceptance_tour",
            login="prj_director",
        )
        self.assertEqual(acceptance.approval_state, "approved")
        self.assertEqual(acceptance.om_project_id.techdept_kind, "om")
        self.assertEqual(self.emp_e1.parent_id, self.emp_a)

    def test_implementation_manager_plans_from_the_pool(self):
        project = self.env["project.project"].create(
            {
                "name": "数据中心扩容",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": self.emp_b.id,
            }
        )
        self.env["techdept.assignment"].create(
            {"project_id": project.id, "employee_id": self.emp_e1.id}
        )
        self.assertFalse(self.user_b.has_group("hr.group_hr_user"))
        self.start_tour(
            "/odoo/action-techdept_project.techdept_pool_engineer_action",
            "techdept_project_pool_planning_tour",
            login="prj_impl_manager",
        )
        assignment = project.techdept_assignment_ids.filtered(
            lambda a: a.employee_id == self.emp_e2
        )
        self.assertEqual(assignment.state, "active")
        self.assertEqual(self.emp_e2.parent_id, self.emp_b)
