import base64

from odoo import Command
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.techdept_org.tests.integrity import RefusalMixin

from .common import TechdeptCrmCase

SERVER = "cannot be written directly: the system sets them"
HOSTILE_CONTEXT = {
    "techdept_approval_unlock": True,
    "techdept_server": True,
    "techdept_force_stage": True,
}


@tagged("post_install", "-at_install")
class TestCrmIntegrity(RefusalMixin, TechdeptCrmCase):
    """Forgeries on the pipeline by the salesperson and the presales
    engineer: refused with a clear message, the lead where it was."""

    def _at_stage_3(self):
        lead = self._lead()
        self._through_stage_2(lead)
        self.assertEqual(lead.stage_id, self.stage3)
        return lead

    # Approval fields written directly

    def test_salesperson_cannot_approve_his_leads_items(self):
        lead = self._at_stage_3()
        items = lead.techdept_item_ids.with_user(self.user_sales)
        item_32 = self._line(lead, "3.2").with_user(self.user_sales)
        fields = ["approval_state", "state", "is_complete"]
        for values, label in (
            ({"approval_state": "approved"}, "Approval"),
            ({"state": "approved", "is_complete": True}, "Is Complete, State"),
            ({"done_date": "2026-01-01 00:00:00"}, "Done Date"),
        ):
            for context in ({}, HOSTILE_CONTEXT):
                self.assertRefused(
                    AccessError,
                    f"{label} \\(Lead Stage Item\\) {SERVER}",
                    lambda values=values, context=context: items.with_context(
                        **context
                    ).write(values),
                    records=lead.techdept_item_ids,
                    fields=fields,
                )
        self.assertEqual(item_32.approval_state, "draft")
        # The gate still sees the missing documents: no stage 4, no won.
        for stage in (self.stage4, self.stage5):
            self.assertRefused(
                UserError,
                f"These leads cannot move to {stage.name} yet:\n"
                "Data centre upgrade:\n  - 3.2 Solution bundle: missing",
                lambda stage=stage: (
                    lead.with_user(self.user_sales)
                    .with_context(**HOSTILE_CONTEXT)
                    .write({"stage_id": stage.id})
                ),
                records=lead,
                fields=["stage_id"],
            )
        self.assertRefused(
            UserError,
            "cannot move to Contract and Handover yet",
            lead.with_user(self.user_sales).action_set_won,
            records=lead,
            fields=["stage_id", "active"],
        )

    def test_items_and_checklist_belong_to_the_server(self):
        lead = self._lead()
        item = self.env.ref("techdept_crm_stages.item_2_2")
        Item = self.env["techdept.lead.item"].with_user(self.user_sales)
        self.assertRefused(
            AccessError,
            "records are created by the system only",
            lambda: Item.create({"lead_id": lead.id, "item_id": item.id}),
            model="techdept.lead.item",
        )
        self.assertRefused(
            AccessError,
            "records are created by the system only",
            lambda: Item.with_context(default_approval_state="approved").create(
                {"lead_id": lead.id, "item_id": item.id}
            ),
            model="techdept.lead.item",
        )
        Lead = lead.with_user(self.user_sales)
        for values in (
            {
                "techdept_item_ids": [
                    Command.create({"item_id": item.id, "approval_state": "approved"})
                ]
            },
            {"techdept_progress": 100.0},
            {"techdept_blocked": False, "techdept_item_done_count": 8},
        ):
            self.assertRefused(
                AccessError,
                f"\\(Lead/Opportunity\\) {SERVER}",
                lambda values=values: Lead.write(values),
                records=lead,
                fields=["techdept_progress", "techdept_item_count"],
                model="techdept.lead.item",
            )

    # Gates skipped by emptying the field

    def test_clearing_the_stage_does_not_skip_the_gate(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        # Clearing is a move back, logged.
        lead.with_user(self.user_sales).stage_id = False
        self.assertFalse(lead.stage_id)
        self.assertTrue(
            any("Moved back" in message.body for message in lead.message_ids)
        )
        # From no stage, the gate counts from the first one.
        for context in ({}, HOSTILE_CONTEXT):
            self.assertRefused(
                UserError,
                "(?s)These leads cannot move to Contract and Handover yet:\n"
                "Data centre upgrade:.*2\\.2 Customer requirements.*4\\.5",
                lambda context=context: (
                    lead.with_user(self.user_sales)
                    .with_context(**context)
                    .write({"stage_id": self.stage5.id})
                ),
                records=lead,
                fields=["stage_id"],
            )
        # Nor does a new lead start in a later stage, from its values or
        # from a default in the context.
        Lead = self.env["crm.lead"].with_user(self.user_sales)
        for values, context in (
            ({"stage_id": self.stage5.id}, {}),
            ({}, {"default_stage_id": self.stage5.id}),
            ({"stage_id": self.stage4.id}, HOSTILE_CONTEXT),
        ):
            self.assertRefused(
                UserError,
                "cannot start in .*: a new lead starts in First Contact",
                lambda values=values, context=context: Lead.with_context(
                    **context
                ).create({"name": "Forged", "type": "opportunity", **values}),
                model="crm.lead",
            )

    def test_stage_values_of_wrong_types_are_clear_errors(self):
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        Lead = lead.with_user(self.user_sales)
        for value in (
            str(self.stage5.id),
            "abc",
            [self.stage5.id],
            [],
            float(self.stage5.id),
            True,
            {"id": self.stage5.id},
        ):
            self.assertRefused(
                ValidationError,
                "is not a valid value for Stage \\(Lead/Opportunity\\)",
                lambda value=value: Lead.write({"stage_id": value}),
                records=lead,
                fields=["stage_id"],
            )
        for value in (-1, 2**31 - 1, 10**20):
            self.assertRefused(
                MissingError,
                "Record does not exist or has been deleted",
                lambda value=value: Lead.write({"stage_id": value}),
                records=lead,
                fields=["stage_id"],
            )
        # None is no stage, as False: a move back.
        Lead.write({"stage_id": None})
        self.assertFalse(lead.stage_id)

    def test_empty_documents_do_not_pass_the_gate(self):
        """A deliverable counts once its file is in: document records
        without one leave the item to deliver."""
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        Document = self.env["techdept.document"].with_user(self.user_sales)
        documents = Document
        for code in ("2.2", "2.5"):
            line = self._line(lead, code)
            for doc_type in line.required_type_ids:
                documents |= Document.create(
                    {"name": "Empty", "type_id": doc_type.id, "lead_item_id": line.id}
                )
        items = self._line(lead, "2.2") | self._line(lead, "2.5")
        self.assertEqual(items.mapped("state"), ["todo", "todo"])
        self.assertEqual(
            self._line(lead, "2.5").missing_type_ids,
            self._line(lead, "2.5").required_type_ids,
        )
        self.assertRefused(
            UserError,
            "2.5 Solution presentation and configuration: missing",
            lambda: lead.with_user(self.user_sales).write({"stage_id": self.stage3.id}),
            records=lead,
            fields=["stage_id"],
        )
        # With their files they count.
        for document in documents:
            document.attachment_ids = (
                self.env["ir.attachment"]
                .with_user(self.user_sales)
                .create(
                    {
                        "name": "file.txt",
                        "datas": base64.b64encode(b"content"),
                        "res_model": document._name,
                        "res_id": document.id,
                    }
                )
            )
        self.assertEqual(items.mapped("state"), ["done", "done"])
        # A file taken away again: the item is to deliver again.
        documents[:1].attachment_ids.with_user(self.user_sales).unlink()
        self.assertEqual(self._line(lead, "2.2").state, "todo")
        self.assertRefused(
            UserError,
            "2.2 Customer requirements and site survey: missing",
            lambda: lead.with_user(self.user_sales).write({"stage_id": self.stage3.id}),
            records=lead,
            fields=["stage_id"],
        )

    # The deliverables of a reviewed item

    def test_documents_of_an_approved_item_are_frozen(self):
        lead = self._at_stage_3()
        line = self._approve_all(
            self._deliver(lead, "3.2"),
            self.user_director,
            self.user_sales,
            self.user_gm,
        )
        self.assertEqual(line.approval_state, "approved")
        document = line.document_ids[:1].with_user(self.user_presales)
        frozen = "is under review or approved: its Technical Document cannot change"
        self.assertRefused(
            UserError,
            frozen,
            lambda: document.write({"name": "Rewritten"}),
            records=line.document_ids,
            fields=["name"],
        )
        self.assertRefused(
            UserError,
            "\\(v1\\) is under review or approved and cannot be deleted",
            document.unlink,
            model="techdept.document",
        )
        self.assertRefused(
            UserError,
            frozen,
            lambda: document.write({"lead_item_id": False}),
            records=line.document_ids,
            fields=["lead_item_id", "res_id"],
        )
        Document = self.env["techdept.document"].with_user(self.user_presales)
        self.assertRefused(
            UserError,
            frozen,
            lambda: Document.create(
                {
                    "name": "Extra",
                    "type_id": line.required_type_ids[:1].id,
                    "lead_item_id": line.id,
                }
            ),
            model="techdept.document",
        )
        self.assertRefused(
            UserError,
            "which is under review or approved: it cannot be changed or deleted",
            lambda: document.attachment_ids.with_user(self.user_presales).write(
                {"datas": base64.b64encode(b"forged")}
            ),
            records=document.attachment_ids,
            fields=["checksum"],
        )
        # Wrong values for the item are clear errors, not crashes.
        for value in ("abc", [line.id], 1.5, True):
            self.assertRefused(
                ValidationError,
                "is not a valid value for Stage Item \\(Technical Document\\)",
                lambda value=value: Document.create(
                    {"name": "X", "type_id": 1, "lead_item_id": value}
                ),
                model="techdept.document",
            )

    # Rights wider than the role

    def test_engineer_cannot_move_his_hours_to_a_colleague(self):
        Worklog = self.env["techdept.worklog"].with_user(self.user_presales)
        line = Worklog.create(
            {"name": "Site visit", "kind": "customer_support", "hours": 6}
        )
        self.assertEqual(line.employee_id, self.emp_presales)
        self.assertRefused(
            AccessError,
            "You may not log time for Crm Presales Mgr: only he, his managers or "
            "the technical director may",
            lambda: line.write({"employee_id": self.emp_presales_mgr.id}),
            records=line,
            fields=["employee_id", "hours"],
        )
        for values in (
            {"user_id": self.user_presales_mgr.id},
            {"department_id": self.env.ref("techdept_org.dept_commerce").id},
        ):
            self.assertRefused(
                AccessError,
                SERVER,
                lambda values=values: line.write(values),
                records=line,
                fields=["user_id", "department_id"],
            )
        self.assertRefused(
            AccessError,
            "Presales Work Log",
            lambda: Worklog.create(
                {
                    "name": "For him",
                    "kind": "training",
                    "hours": 8,
                    "employee_id": self.emp_presales_mgr.id,
                }
            ),
            model="techdept.worklog",
        )
