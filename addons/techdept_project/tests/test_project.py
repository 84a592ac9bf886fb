from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TechdeptProjectCase, force_phase

# Measured on Odoo 18.0; flat in the number of projects and engineers.
GATE_QUERIES = 11
POOL_QUERIES = 4


@tagged("post_install", "-at_install")
class TestProjectPath(TechdeptProjectCase):
    def _project_from_lead(self):
        lead = self._won_lead()
        self._document(lead, "technical_solution", self.user_presales)
        self._document(lead, "deepened_plan", self.user_presales)
        action = lead.with_user(self.user_b).action_techdept_create_project()
        return lead, self.env["project.project"].browse(action["res_id"])

    def _approve(self, document, *users):
        document.action_approval_submit()
        for user in users:
            document.with_user(user).action_approval_approve()

    def _phase(self, code):
        return self.env.ref(f"techdept_project.phase_implementation_{code}")

    @freeze_time("2026-12-01")
    def test_whole_path_from_won_lead_to_om(self):
        lead, project = self._project_from_lead()
        self.assertEqual(project.techdept_kind, "implementation")
        self.assertEqual(project.techdept_lead_id, lead)
        self.assertEqual(lead.techdept_project_count, 1)
        self.assertEqual(project.techdept_implementation_manager_id, self.emp_b)
        self.assertEqual(project.techdept_phase_id, self._phase("handover"))
        handover = project.techdept_handover_ids
        self.assertEqual(len(handover.document_ids), 2)
        with self.assertRaisesRegex(UserError, "already"):
            lead.with_user(self.user_b).action_techdept_create_project()

        # Presales hands over; the implementation manager accepts.
        with self.assertRaisesRegex(UserError, "handover from presales"):
            project.with_user(self.user_b).techdept_phase_id = self._phase(
                "preparation"
            )
        handover.with_user(self.user_presales).action_approval_submit()
        with self.assertRaises(UserError):
            handover.with_user(self.user_a).action_approval_approve()
        handover.with_user(self.user_b).action_approval_approve()
        self.assertEqual(project.techdept_phase_id, self._phase("preparation"))

        # The team from the pool: the line manager follows.
        Assignment = self.env["techdept.assignment"].with_user(self.user_b)
        Assignment.create(
            {
                "project_id": project.id,
                "employee_id": self.emp_e1.id,
                "role": "project_manager",
            }
        )
        Assignment.create({"project_id": project.id, "employee_id": self.emp_e2.id})
        self.assertEqual((self.emp_e1 | self.emp_e2).parent_id, self.emp_b)
        self.assertIn(self.user_e1, project.techdept_member_user_ids)

        # Deliverables of the preparation phase, written by the project manager.
        with self.assertRaisesRegex(UserError, "Implementation Plan"):
            project.with_user(self.user_b).techdept_phase_id = self._phase(
                "construction"
            )
        plan = self._document(project, "implementation_plan", self.user_e1)
        self._approve(plan.with_user(self.user_e1), self.user_b, self.user_director)
        for code in ("construction_plan", "training_plan"):
            self._approve(
                self._document(project, code, self.user_e1).with_user(self.user_e1),
                self.user_b,
            )
        project.with_user(self.user_b).techdept_phase_id = self._phase("construction")
        project.with_user(self.user_b).techdept_phase_id = self._phase("acceptance")

        # Acceptance and internal review hand the project over to O&M.
        acceptance_docs = self._document(project, "acceptance_documents", self.user_e1)
        self._approve(
            acceptance_docs.with_user(self.user_e1), self.user_b, self.user_director
        )
        action = project.with_user(self.user_b).action_techdept_accept()
        acceptance = self.env["techdept.acceptance"].browse(action["res_id"])
        with self.assertRaisesRegex(UserError, "service period"):
            acceptance.with_user(self.user_e1).action_approval_submit()
        acceptance.with_user(self.user_b).write(
            {
                "service_date_from": date(2027, 1, 1),
                "service_date_to": date(2029, 12, 31),
                "aftersales_engineer_ids": [(6, 0, self.emp_e1.ids)],
                "onsite_engineer_ids": [(6, 0, self.emp_e2.ids)],
            }
        )
        acceptance.with_user(self.user_e1).action_approval_submit()
        acceptance.with_user(self.user_b).action_approval_approve()
        acceptance.with_user(self.user_director).action_approval_approve()

        service = acceptance.om_project_id
        self.assertEqual(service.techdept_kind, "om")
        self.assertEqual(service.techdept_origin_project_id, project)
        self.assertEqual(service.techdept_onsite_engineer_ids, self.emp_e2)
        self.assertTrue(project.techdept_phase_id.is_closed)
        self.assertEqual(
            set(project.techdept_assignment_ids.mapped("state")), {"ended"}
        )
        self.assertEqual((self.emp_e1 | self.emp_e2).parent_id, self.emp_a)
        om_handover = project.techdept_handover_ids.filtered(lambda h: h.kind == "om")
        self.assertEqual(om_handover.approval_state, "pending")
        self.assertEqual(om_handover.approval_current_user_ids, self.user_a)
        with self.assertRaisesRegex(UserError, "accepted"):
            project.unlink()

    @freeze_time("2026-12-07")
    def test_engineer_returns_to_the_om_manager_even_while_he_is_away(self):
        project = self.env["project.project"].create(
            {
                "name": "Camera upgrade",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": self.emp_b.id,
            }
        )
        assignment = self.env["techdept.assignment"].create(
            {
                "project_id": project.id,
                "employee_id": self.emp_e1.id,
                "date_from": date(2026, 12, 1),
            }
        )
        self.assertEqual(self.emp_e1.parent_id, self.emp_b)
        self.env["techdept.delegation"].create(
            {
                "employee_id": self.emp_a.id,
                "deputy_id": self.emp_b.id,
                "department_id": self.env.ref("techdept_org.dept_om").id,
                "date_from": date(2026, 12, 7),
                "date_to": date(2026, 12, 9),
            }
        )
        assignment.action_end()
        self.assertEqual(assignment.state, "ended")
        # Back to A, who holds the position: B acts for him through the
        # delegation, the line manager is not rewritten.
        self.assertEqual(self.emp_e1.parent_id, self.emp_a)
        self.assertEqual(
            self.env["techdept.resolver"]._acting_employee(self.emp_a), self.emp_b
        )
        # When A is back, nothing has to move.
        with freeze_time("2026-12-10"):
            self.env["techdept.delegation"]._cron_sync()
        self.assertEqual(self.emp_e1.parent_id, self.emp_a)
        # The cron does not bring an ended assignment back.
        self.env["techdept.assignment"]._cron_sync()
        self.assertEqual(assignment.state, "ended")

    def test_assignments_refuse_bad_input(self):
        project = self.env["project.project"].create(
            {
                "name": "P1",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": self.emp_b.id,
            }
        )
        other = self.env["project.project"].create(
            {
                "name": "P2",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": self.emp_b.id,
            }
        )
        Assignment = self.env["techdept.assignment"].with_user(self.user_b)
        with (
            self.assertRaisesRegex(ValidationError, "before it starts"),
            self.env.cr.savepoint(),
        ):
            Assignment.create(
                {
                    "project_id": project.id,
                    "employee_id": self.emp_e1.id,
                    "date_from": date(2030, 1, 10),
                    "date_to": date(2030, 1, 1),
                }
            )
        with (
            self.assertRaisesRegex(
                ValidationError, "not a technical engineer of the pool"
            ),
            self.env.cr.savepoint(),
        ):
            Assignment.create(
                {"project_id": project.id, "employee_id": self.emp_presales.id}
            )
        Assignment.create({"project_id": project.id, "employee_id": self.emp_e1.id})
        with (
            self.assertRaisesRegex(ValidationError, "already on P1"),
            self.env.cr.savepoint(),
        ):
            Assignment.create({"project_id": other.id, "employee_id": self.emp_e1.id})
        double = Assignment.create(
            {
                "project_id": other.id,
                "employee_id": self.emp_e1.id,
                "confirm_double_booking": True,
            }
        )
        self.assertTrue(double.overlap_warning)
        with self.assertRaises(AccessError):
            self.env["techdept.assignment"].with_user(self.user_e2).create(
                {"project_id": project.id, "employee_id": self.emp_e2.id}
            )

    def test_forced_phase_by_the_director_only(self):
        _lead, project = self._project_from_lead()
        wizard = self.env["techdept.phase.force.wizard"]
        with self.assertRaisesRegex(UserError, "Only the technical director"):
            wizard.with_user(self.user_b).create(
                {
                    "project_ids": [(6, 0, project.ids)],
                    "phase_id": self._phase("preparation").id,
                    "reason": "x",
                }
            ).action_confirm()
        wizard.with_user(self.user_director).create(
            {
                "project_ids": [(6, 0, project.ids)],
                "phase_id": self._phase("construction").id,
                "reason": "Customer started early",
            }
        ).action_confirm()
        self.assertEqual(project.techdept_phase_id, self._phase("construction"))
        self.assertIn("Customer started early", project.message_ids[0].body)

    def test_supervision_project_needs_its_plan(self):
        project = self.env["project.project"].create(
            {"name": "Metro line supervision", "techdept_kind": "supervision"}
        )
        self.assertEqual(
            project.techdept_phase_id,
            self.env.ref("techdept_project.phase_supervision_planning"),
        )
        with self.assertRaisesRegex(UserError, "Supervision Plan"):
            project.techdept_phase_id = self.env.ref(
                "techdept_project.phase_supervision_supervising"
            )

    def test_members_see_their_handovers_only(self):
        _lead, project = self._project_from_lead()
        handover = project.techdept_handover_ids
        Handover = self.env["techdept.handover"]
        self.assertIn(self.user_presales, project.techdept_member_user_ids)
        self.assertEqual(
            Handover.with_user(self.user_presales).search([("id", "=", handover.id)]),
            handover,
        )
        self.assertFalse(
            Handover.with_user(self.user_outsider).search([("id", "=", handover.id)])
        )
        self.assertEqual(
            Handover.with_user(self.user_a).search([("id", "=", handover.id)]), handover
        )

    def test_phase_gate_query_count_is_flat(self):
        phase = self._phase("construction")

        def measure(n):
            projects = self.env["project.project"].create(
                [{"name": f"P{i}", "techdept_kind": "implementation"} for i in range(n)]
            )
            force_phase(projects, self._phase("preparation"))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            with self.assertRaises(UserError):
                projects._techdept_check_phase_gate(phase)
            return self.cr.sql_log_count - before, projects

        measure(1)  # warm the caches
        small, _projects = measure(1)
        large, projects = measure(30)
        self.assertEqual(small, large)
        self.env.invalidate_all()
        with (
            self.assertQueryCount(__system__=GATE_QUERIES),
            self.assertRaises(UserError),
        ):
            projects._techdept_check_phase_gate(phase)

    def test_pool_view_query_count_is_flat(self):
        project = self.env["project.project"].create(
            {
                "name": "Pool",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": self.emp_b.id,
            }
        )
        self.env["techdept.assignment"].create(
            {"project_id": project.id, "employee_id": self.emp_e1.id}
        )
        pool = self.env["hr.employee"].search([("techdept_is_pool", "=", True)])
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=POOL_QUERIES):
            pool._compute_techdept_current_project_ids()
        self.assertEqual(self.emp_e1.techdept_current_project_ids, project)
        self.assertTrue(self.emp_e2.techdept_is_free)
        self.assertIn(
            self.emp_e2,
            self.env["hr.employee"].search([("techdept_is_free", "=", True)]),
        )
        self.assertNotIn(
            self.emp_e1,
            self.env["hr.employee"].search([("techdept_is_free", "=", True)]),
        )
