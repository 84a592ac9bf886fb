import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.techdept_org.tests.common import techdept_person
from odoo.addons.techdept_org.tests.integrity import RefusalMixin

from .common import TechdeptProjectCase, force_phase

SERVER = "cannot be written directly: the system sets them"
HOSTILE_CONTEXT = {
    "techdept_approval_unlock": True,
    "techdept_server": True,
    "techdept_force_phase": True,
}


@tagged("post_install", "-at_install")
class TestProjectIntegrity(RefusalMixin, TechdeptProjectCase):
    """Forgeries on projects and their after-sales records by the people who
    reach them with the fewest rights: refused with a clear message, the
    records as they were."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_commerce, _emp = techdept_person(
            cls.env,
            "prj_commerce",
            "techdept_org.group_commerce",
            None,
            "dept_commerce",
            manages="dept_commerce",
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Cabling Brothers"})
        Project = cls.env["project.project"]
        cls.project = Project.create(
            {
                "name": "Harbour network",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": cls.emp_b.id,
                "techdept_project_manager_id": cls.emp_e1.id,
            }
        )
        cls.om_project = Project.create(
            {
                "name": "Harbour O&M",
                "techdept_kind": "om",
                "techdept_aftersales_engineer_ids": [Command.set(cls.emp_e1.ids)],
            }
        )
        cls.other_project = Project.create(
            {
                "name": "Metro supervision",
                "techdept_kind": "supervision",
                "techdept_supervision_engineer_ids": [
                    Command.set(cls.emp_outsider.ids)
                ],
            }
        )
        cls.Phase = cls.env["techdept.project.phase"]

    def _phase(self, code, kind="implementation"):
        return self.env.ref(f"techdept_project.phase_{kind}_{code}")

    def _approve(self, record, submitter, *approvers):
        record.with_user(submitter).action_approval_submit()
        for approver in approvers:
            record.with_user(approver).action_approval_approve()
        self.assertEqual(record.approval_state, "approved")
        return record

    def _reopen(self, records, user, reason):
        action = records.with_user(user).action_approval_reopen()
        return (
            self.env["techdept.approval.reject.wizard"]
            .with_user(user)
            .create(
                {
                    "res_model": records._name,
                    "res_ids": action["context"]["default_res_ids"],
                    "action": "reopen",
                    "comment": reason,
                }
            )
            .action_confirm()
        )

    # Approval fields written directly

    def test_after_sales_records_cannot_be_created_approved(self):
        cases = (
            ("techdept.handover", self.user_e1, {"project_id": self.project.id}),
            (
                "techdept.subcontract",
                self.user_e1,
                {
                    "name": "Cabling",
                    "project_id": self.project.id,
                    "partner_id": self.vendor.id,
                    "scope": "Floors 1 to 4",
                    "amount": 48000,
                },
            ),
            (
                "techdept.repair",
                self.user_e1,
                {
                    "name": "Camera",
                    "project_id": self.om_project.id,
                    "equipment": "Dome camera",
                    "fault": "No image",
                    "price_amount": 1800,
                },
            ),
            (
                "techdept.equipment.change",
                self.user_e1,
                {
                    "name": "Firewall",
                    "project_id": self.project.id,
                    "reason": "DMZ",
                },
            ),
            (
                "techdept.acceptance",
                self.user_e1,
                {"project_id": self.project.id},
            ),
        )
        for model, user, values in cases:
            Model = self.env[model].with_user(user)
            for forged, context in (
                ({"approval_state": "approved"}, {}),
                ({}, {"default_approval_state": "approved"}),
                ({"approval_state": "approved"}, HOSTILE_CONTEXT),
            ):
                self.assertRefused(
                    AccessError,
                    f"Approval \\(.*\\) {SERVER}",
                    lambda Model=Model, values=values, forged=forged, context=context: (
                        Model.with_context(**context).create({**values, **forged})
                    ),
                    model=model,
                )
            # The handover to O&M and the O&M service are the server's.
        self.assertRefused(
            AccessError,
            f"\\(Project Handover\\) {SERVER}",
            lambda: (
                self.env["techdept.handover"]
                .with_user(self.user_e1)
                .create({"project_id": self.project.id, "kind": "om"})
            ),
            model="techdept.handover",
        )

    def test_unlock_context_lifts_nothing_on_an_approved_repair(self):
        repair = (
            self.env["techdept.repair"]
            .with_user(self.user_e1)
            .create(
                {
                    "name": "Camera",
                    "project_id": self.om_project.id,
                    "equipment": "Dome camera",
                    "fault": "No image",
                    "kind": "replace",
                    "price_amount": 1800,
                }
            )
        )
        self._approve(repair, self.user_e1, self.user_commerce)
        mine = repair.with_user(self.user_e1).with_context(**HOSTILE_CONTEXT)
        self.assertRefused(
            UserError,
            "Camera is Approved: Checked Price cannot be changed",
            lambda: mine.write({"price_amount": 18000}),
            records=repair,
            fields=["price_amount"],
        )
        self.assertRefused(
            AccessError,
            SERVER,
            lambda: mine.write({"approval_state": "draft"}),
            records=repair,
            fields=["approval_state"],
        )
        self.assertRefused(
            AccessError,
            f"Quotation Opportunity \\(Equipment Repair or Replacement\\) {SERVER}",
            lambda: mine.write({"lead_id": False}),
            records=repair,
            fields=["lead_id"],
        )
        # The director, who may delete repairs, may not delete this one.
        self.assertRefused(
            UserError,
            "Camera is under review or approved and cannot be deleted",
            repair.with_user(self.user_director).unlink,
            model="techdept.repair",
        )

    def test_contract_files_of_an_approved_subcontract_cannot_be_overwritten(self):
        subcontract = (
            self.env["techdept.subcontract"]
            .with_user(self.user_e1)
            .create(
                {
                    "name": "Cabling",
                    "project_id": self.project.id,
                    "partner_id": self.vendor.id,
                    "scope": "Floors 1 to 4",
                    "amount": 48000,
                }
            )
        )
        subcontract.attachment_ids = (
            self.env["ir.attachment"]
            .with_user(self.user_e1)
            .create(
                {
                    "name": "contract.pdf",
                    "datas": base64.b64encode(b"signed contract"),
                    "res_model": subcontract._name,
                    "res_id": subcontract.id,
                }
            )
        )
        self._approve(subcontract, self.user_e1, self.user_b, self.user_commerce)
        attachment = subcontract.attachment_ids.with_user(self.user_e1)
        self.assertRefused(
            UserError,
            "The file belongs to Cabling, which is under review or approved",
            lambda: attachment.write({"datas": base64.b64encode(b"forged")}),
            records=attachment,
            fields=["checksum", "name"],
        )
        self.assertRefused(
            UserError,
            "The file belongs to Cabling",
            attachment.unlink,
            model="ir.attachment",
        )

    # Gates skipped by emptying the field

    def test_clearing_the_phase_does_not_skip_the_gate(self):
        project = self.project.with_user(self.user_b)
        project.techdept_phase_id = False
        self.assertFalse(self.project.techdept_phase_id)
        closing = self._phase("closed")
        for context in ({}, HOSTILE_CONTEXT):
            self.assertRefused(
                UserError,
                "(?s)These projects cannot move to Handed Over to O&M yet:\n"
                "Harbour network:.*Handover: the handover from presales is not "
                "accepted.*Acceptance Documents not approved",
                lambda context=context: project.with_context(**context).write(
                    {"techdept_phase_id": closing.id}
                ),
                records=self.project,
                fields=["techdept_phase_id"],
            )
        # Nor by changing its kind, or clearing it.
        for kind in ("om", False):
            self.assertRefused(
                UserError,
                "Harbour network is a project of its kind for good",
                lambda kind=kind: project.write(
                    {"techdept_kind": kind, "techdept_phase_id": False}
                ),
                records=self.project,
                fields=["techdept_kind", "techdept_phase_id"],
            )

    def test_a_new_project_starts_in_its_first_phase(self):
        Project = self.env["project.project"].with_user(self.user_b)
        closing = self._phase("closed")
        for values, context in (
            ({"techdept_kind": "implementation", "techdept_phase_id": closing.id}, {}),
            (
                {},
                {
                    "default_techdept_kind": "implementation",
                    "default_techdept_phase_id": closing.id,
                },
            ),
            (
                {"techdept_kind": "implementation"},
                {"default_techdept_phase_id": closing.id},
            ),
            # A phase without a kind: the phase says which kind.
            ({"techdept_phase_id": closing.id}, {}),
            ({}, {"default_techdept_phase_id": closing.id}),
            (
                {"techdept_kind": "implementation", "techdept_phase_id": closing.id},
                HOSTILE_CONTEXT,
            ),
        ):
            self.assertRefused(
                UserError,
                "A new Implementation project starts in Handover, not in Handed "
                "Over to O&M",
                lambda values=values, context=context: Project.with_context(
                    **context
                ).create({"name": "Forged", **values}),
                model="project.project",
            )
        # A quick create in the first column of the kanban is fine.
        first = Project.with_context(
            default_techdept_phase_id=self._phase("handover").id
        ).create({"name": "From the kanban"})
        self.assertEqual(first.techdept_kind, "implementation")
        # A project without a kind given one later starts in its first phase.
        plain = self.env["project.project"].create({"name": "Plain"})
        plain.with_user(self.user_b).techdept_kind = "supervision"
        self.assertFalse(plain.techdept_phase_id)
        self.assertRefused(
            UserError,
            "These projects cannot move to Closed yet",
            lambda: plain.with_user(self.user_b).write(
                {"techdept_phase_id": self._phase("closed", "supervision").id}
            ),
            records=plain,
            fields=["techdept_phase_id"],
        )
        # A project left in a phase without a kind (as clients could make
        # them before) does not become one of that kind past its gate.
        forged = self.env["project.project"].create({"name": "Forged earlier"})
        self.env.cr.execute(
            SQL(
                "UPDATE project_project SET techdept_phase_id = %s WHERE id = %s",
                closing.id,
                forged.id,
            )
        )
        forged.invalidate_recordset()
        self.assertRefused(
            UserError,
            "A new Implementation project starts in Handover",
            lambda: forged.with_user(self.user_b).write(
                {"techdept_kind": "implementation"}
            ),
            records=forged,
            fields=["techdept_kind"],
        )

    def test_kind_and_phase_values_of_wrong_types_are_clear_errors(self):
        Project = self.env["project.project"].with_user(self.user_b)
        for kind in ("abc", 1, ["implementation"], True, {"kind": "om"}):
            self.assertRefused(
                ValidationError,
                "is not a kind of project",
                lambda kind=kind: Project.create({"name": "K", "techdept_kind": kind}),
                model="project.project",
            )
        for phase in ("1", [1], 1.0, True, {"id": 1}):
            self.assertRefused(
                ValidationError,
                "is not a valid value for Phase \\(Project\\)",
                lambda phase=phase: self.project.with_user(self.user_b).write(
                    {"techdept_phase_id": phase}
                ),
                records=self.project,
                fields=["techdept_phase_id"],
            )
            self.assertRefused(
                ValidationError,
                "is not a valid value for Phase \\(Project\\)",
                lambda phase=phase: Project.create(
                    {"name": "P", "techdept_kind": "om", "techdept_phase_id": phase}
                ),
                model="project.project",
            )

    # Rights wider than the role

    def test_deliverables_belong_to_the_project_members(self):
        deliverable = self._document(self.project, "construction_plan", self.user_e1)
        own_elsewhere = self._document(
            self.other_project, "supervision_plan", self.user_outsider
        )
        outsider = deliverable.with_user(self.user_outsider)
        # He reads the project, hence its deliverables, and nothing more.
        self.assertTrue(self.project.with_user(self.user_outsider).name)
        self.assertTrue(outsider.name)
        self.assertRefused(
            UserError,
            "You may not change Construction Organisation Plan \\(v1\\): you have no "
            "access to the record it belongs to",
            lambda: outsider.write({"name": "Rewritten"}),
            records=deliverable,
            fields=["name"],
        )
        self.assertRefused(
            UserError,
            "You may not delete Construction Organisation Plan",
            outsider.unlink,
            model="techdept.document",
        )
        Document = self.env["techdept.document"].with_user(self.user_outsider)
        self.assertRefused(
            UserError,
            "You may not create Forged \\(v1\\)",
            lambda: Document.create(
                {
                    "name": "Forged",
                    "type_id": deliverable.type_id.id,
                    "res_model": "project.project",
                    "res_id": self.project.id,
                }
            ),
            model="techdept.document",
        )
        # Nor one of his own moved over.
        self.assertRefused(
            UserError,
            "You may not change Supervision Plan \\(v1\\)",
            lambda: own_elsewhere.with_user(self.user_outsider).write(
                {"res_id": self.project.id}
            ),
            records=own_elsewhere,
            fields=["res_model", "res_id"],
        )
        self.assertRefused(
            UserError,
            "You may not change Construction Organisation Plan",
            outsider.action_approval_submit,
            records=deliverable,
            fields=["approval_state"],
        )
        # The members contribute.
        deliverable.with_user(self.user_b).name = "Construction plan, revised"

    def test_server_fields_of_a_project(self):
        project = self.project.with_user(self.user_b)
        for values, label in (
            (
                {"techdept_member_user_ids": [Command.link(self.user_outsider.id)]},
                "Team Members",
            ),
            ({"techdept_lead_id": self._won_lead().id}, "Opportunity"),
            ({"techdept_origin_project_id": self.om_project.id}, "Implemented By"),
        ):
            self.assertRefused(
                AccessError,
                f"{label} \\(Project\\) {SERVER}",
                lambda values=values: project.write(values),
                records=self.project,
                fields=[
                    "techdept_member_user_ids",
                    "techdept_lead_id",
                    "techdept_origin_project_id",
                ],
            )

    # Reopening where the approval did something

    def _accepted(self):
        force_phase(self.project, self._phase("acceptance"))
        self._approve(
            self._document(self.project, "acceptance_documents", self.user_e1),
            self.user_e1,
            self.user_b,
            self.user_director,
        )
        acceptance = (
            self.env["techdept.acceptance"]
            .with_user(self.user_b)
            .create(
                {
                    "project_id": self.project.id,
                    "service_date_from": date(2027, 1, 1),
                    "service_date_to": date(2029, 12, 31),
                    "aftersales_engineer_ids": [Command.set(self.emp_e1.ids)],
                }
            )
        )
        return self._approve(acceptance, self.user_e1, self.user_b, self.user_director)

    def test_an_acceptance_that_handed_over_cannot_be_reopened(self):
        acceptance = self._accepted()
        service = acceptance.om_project_id
        self.assertTrue(service)
        self.assertRefused(
            UserError,
            "Acceptance of Harbour network handed the project over to O&M "
            "\\(O&M: Harbour network\\): it cannot be reopened",
            lambda: self._reopen(acceptance, self.user_director, "Dates wrong"),
            records=acceptance,
            fields=["approval_state", "om_project_id"],
            model="project.project",
        )
        self.assertEqual(
            self.env["project.project"].search_count(
                [("techdept_origin_project_id", "=", self.project.id)]
            ),
            1,
        )

    def test_an_applied_equipment_change_cannot_be_reopened(self):
        change = (
            self.env["techdept.equipment.change"]
            .with_user(self.user_e1)
            .create(
                {
                    "name": "Firewall",
                    "project_id": self.project.id,
                    "reason": "The customer adds a DMZ.",
                    "line_ids": [
                        Command.create(
                            {"operation": "add", "name": "Firewall", "quantity": 2}
                        )
                    ],
                }
            )
        )
        self._approve(change, self.user_e1, self.user_b, self.user_commerce)
        self.assertEqual(
            self.project.techdept_equipment_line_ids.mapped("quantity"), [2]
        )
        self.assertRefused(
            UserError,
            "Firewall is applied to the equipment list: it cannot be reopened",
            lambda: self._reopen(change, self.user_director, "Three, not two"),
            records=change,
            fields=["approval_state", "applied_date"],
            model="techdept.equipment.line",
        )

    def test_handover_approved_again_leaves_the_project_where_it_is(self):
        lead = self._won_lead()
        self._document(lead, "deepened_plan", self.user_presales)
        action = lead.with_user(self.user_b).action_techdept_create_project()
        project = self.env["project.project"].browse(action["res_id"])
        handover = project.techdept_handover_ids
        self._approve(handover, self.user_presales, self.user_b)
        self.assertEqual(project.techdept_phase_id, self._phase("preparation"))
        # The preparation's deliverables are approved: the gate would let
        # the project on to construction.
        self.env["techdept.assignment"].create(
            {"project_id": project.id, "employee_id": self.emp_e1.id}
        )
        self._approve(
            self._document(project, "implementation_plan", self.user_e1),
            self.user_e1,
            self.user_b,
            self.user_director,
        )
        for code in ("construction_plan", "training_plan"):
            self._approve(
                self._document(project, code, self.user_e1), self.user_e1, self.user_b
            )
        self._reopen(handover, self.user_director, "The deepened plan lacks a page")
        self.assertEqual(handover.approval_state, "draft")
        self._approve(handover, self.user_presales, self.user_b)
        self.assertEqual(handover.approval_round, 2)
        self.assertEqual(project.techdept_phase_id, self._phase("preparation"))
