from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import TechdeptProjectCase, force_phase


@tagged("post_install", "-at_install")
class TestDeliverablesChecklist(TechdeptProjectCase):
    """The project form lists the deliverables each phase requires, how far
    each is and who delivers it; its team uploads them in place."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["project.project"].create(
            {
                "name": "Data centre",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": cls.emp_b.id,
            }
        )
        force_phase(cls.project, cls._phase("preparation"))
        cls.env["techdept.assignment"].create(
            {
                "project_id": cls.project.id,
                "employee_id": cls.emp_e1.id,
                "role": "project_manager",
            }
        )

    @classmethod
    def _phase(cls, code):
        return cls.env.ref(f"techdept_project.phase_implementation_{code}")

    def _row(self, code, user=None):
        # The checklist is read from the database: forget what was read.
        self.env.invalidate_all()
        doc_type = self.env.ref(f"techdept_org.document_type_{code}")
        rows = self.project.with_user(user or self.user_b).techdept_deliverable_ids
        return rows.filtered(lambda r: r.type_id == doc_type)

    def test_rows_per_phase_with_their_status(self):
        rows = self.project.with_user(self.user_b).techdept_deliverable_ids
        self.assertEqual(
            [(r.phase_id, r.type_id.code, r.phase_position, r.state) for r in rows],
            [
                (
                    self._phase("preparation"),
                    "implementation_plan",
                    "current",
                    "missing",
                ),
                (self._phase("preparation"), "construction_plan", "current", "missing"),
                (self._phase("preparation"), "training_plan", "current", "missing"),
                (self._phase("acceptance"), "acceptance_documents", "next", "missing"),
            ],
        )
        # Who delivers: the implementation manager until there is a project
        # manager.
        self.assertEqual(rows.responsible_id, self.emp_b)
        self.project.techdept_project_manager_id = self.emp_e1
        self.assertEqual(self._row("training_plan").responsible_id, self.emp_e1)

        plan = self._document(self.project, "construction_plan", self.user_e1)
        self.assertEqual(self._row("construction_plan").state, "draft")
        self.assertEqual(self._row("construction_plan").document_id, plan)
        plan.with_user(self.user_e1).action_approval_submit()
        self.assertEqual(self._row("construction_plan").state, "review")
        wizard = Form(
            self.env["techdept.approval.reject.wizard"]
            .with_user(self.user_b)
            .with_context(
                **plan.with_user(self.user_b).action_approval_reject()["context"]
            )
        )
        wizard.comment = "Missing the cabling schedule"
        wizard.save().action_confirm()
        self.assertEqual(self._row("construction_plan").state, "rejected")
        plan.with_user(self.user_e1).action_approval_submit()
        plan.with_user(self.user_b).action_approval_approve()
        self.assertEqual(self._row("construction_plan").state, "approved")
        # A new version is the one that counts.
        action = plan.with_user(self.user_e1).action_new_version()
        self.assertEqual(self._row("construction_plan").state, "draft")
        self.assertEqual(
            self._row("construction_plan").document_id.id, action["res_id"]
        )

        # Past the phase, its rows are passed.
        force_phase(self.project, self._phase("construction"))
        self.assertEqual(self._row("training_plan").phase_position, "past")
        self.assertEqual(self._row("acceptance_documents").phase_position, "next")

    def test_team_uploads_in_place(self):
        row = self._row("training_plan", self.user_e1)
        self.assertTrue(row.can_upload)
        action = row.action_upload()
        self.assertEqual(action["res_model"], "techdept.document")
        document = Form(
            self.env["techdept.document"]
            .with_user(self.user_e1)
            .with_context(**action["context"])
        ).save()
        self.assertEqual(
            (document.res_model, document.res_id, document.type_id.code),
            ("project.project", self.project.id, "training_plan"),
        )
        self.assertEqual(self._row("training_plan").state, "draft")
        self.assertEqual(
            self._row("training_plan").action_open_document()["res_id"], document.id
        )

    def test_who_may_see_and_upload(self):
        # Someone who reads the project but does not work on it reads the
        # checklist, uploads nothing.
        self.project.privacy_visibility = "employees"
        row = self._row("training_plan", self.user_outsider)
        self.assertTrue(row)
        self.assertFalse(row.can_upload)
        with self.assertRaisesRegex(UserError, "working on"):
            row.action_upload()
        # Without access to the project: no rows, no reading them by id.
        self.project.privacy_visibility = "followers"
        plain = new_test_user(self.env, login="prj_plain", groups="base.group_user")
        self.assertFalse(self.project.with_user(plain).has_access("read"))
        Deliverable = self.env["techdept.project.deliverable"].with_user(plain)
        self.assertFalse(Deliverable.search([("project_id", "=", self.project.id)]))
        with self.assertRaises(AccessError):
            Deliverable.browse(row.id).read(["state"])
        # Nobody writes the checklist.
        with self.assertRaises(AccessError):
            row.with_user(self.user_director).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.project.with_user(self.user_director).write(
                {"techdept_deliverable_ids": [Command.create({"state": "approved"})]}
            )

    def test_phase_force_wizard_proposes_the_next_phase(self):
        action = self.project.with_user(
            self.user_director
        ).action_techdept_force_phase()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_director)
            .with_context(**action["context"])
        )
        self.assertEqual(form.phase_id, self._phase("construction"))
