import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TechdeptOrgCase
from .integrity import RefusalMixin

SERVER = "cannot be written directly: the system sets them"
# What a client may put in a context: none of it lifts a check.
HOSTILE_CONTEXT = {
    "techdept_approval_unlock": True,
    "techdept_server": True,
    "techdept_force_stage": True,
    "techdept_force_phase": True,
}


@tagged("post_install", "-at_install")
class TestOrgIntegrity(RefusalMixin, TechdeptOrgCase):
    """Forgeries of approvals, documents, files, delegations and approval
    history, each by the user with the fewest rights who reaches the record:
    refused with a clear message, nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_survey = cls.env.ref("techdept_org.document_type_site_survey")
        cls.type_plan = cls.env.ref("techdept_org.document_type_implementation_plan")
        cls.Document = cls.env["techdept.document"]

    def _document(self, user=None, doc_type=None, name="Site survey"):
        user = user or self.user_engineer
        document = self.Document.with_user(user).create(
            {"name": name, "type_id": (doc_type or self.type_survey).id}
        )
        document.attachment_ids = (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": "survey.txt",
                    "datas": base64.b64encode(b"rack space: 4U"),
                    "res_model": document._name,
                    "res_id": document.id,
                }
            )
        )
        return document

    def _approved(self):
        """A site survey of the engineer, approved by the presales manager."""
        document = self._document()
        document.with_user(self.user_engineer).action_approval_submit()
        document.with_user(self.user_presales_mgr).action_approval_approve()
        self.assertEqual(document.approval_state, "approved")
        return document

    def _reopen(self, records, user, reason):
        action = records.with_user(user).action_approval_reopen()
        wizard = (
            self.env["techdept.approval.reject.wizard"]
            .with_user(user)
            .create(
                {
                    "res_model": action["context"]["default_res_model"],
                    "res_ids": action["context"]["default_res_ids"],
                    "action": action["context"]["default_action"],
                    "comment": reason,
                }
            )
        )
        return wizard.action_confirm()

    # Approval fields written directly

    def test_document_cannot_be_created_approved(self):
        Document = self.Document.with_user(self.user_engineer)
        values = {"name": "Forged", "type_id": self.type_survey.id}
        self.assertRefused(
            AccessError,
            f"Approval .*{SERVER}",
            lambda: Document.create(dict(values, approval_state="approved")),
            model="techdept.document",
        )
        self.assertRefused(
            AccessError,
            f"Approval .*{SERVER}",
            lambda: Document.with_context(default_approval_state="approved").create(
                values
            ),
            model="techdept.document",
        )
        # Nor with a made-up approval history.
        self.assertRefused(
            AccessError,
            f"Approvals .*{SERVER}",
            lambda: Document.create(
                dict(
                    values,
                    approval_line_ids=[
                        Command.create(
                            {
                                "res_model": "techdept.document",
                                "chain_id": self.type_survey.chain_id.id,
                                "step_name": "Forged",
                                "state": "approved",
                            }
                        )
                    ],
                )
            ),
            model="techdept.approval.line",
        )

    def test_approved_document_set_back_to_draft_then_deleted(self):
        document = self._approved()
        mine = document.with_user(self.user_engineer)
        fields = ["approval_state", "approval_round", "name"]
        for values in (
            {"approval_state": "draft"},
            {"approval_round": 0},
            {"approval_chain_id": False},
        ):
            self.assertRefused(
                AccessError,
                SERVER,
                lambda values=values: mine.write(values),
                records=document,
                fields=fields,
            )
        self.assertRefused(
            UserError,
            "under review or approved and cannot be deleted",
            mine.unlink,
            model="techdept.document",
        )
        self.assertEqual(document.approval_state, "approved")

    def test_unlock_context_from_a_client_lifts_nothing(self):
        document = self._approved()
        for context in (
            HOSTILE_CONTEXT,
            {"techdept_server": "1"},
            {"techdept_server": {"token": True}},
        ):
            self.assertRefused(
                UserError,
                "is Approved: Name cannot be changed",
                lambda context=context: (
                    document.with_user(self.user_engineer)
                    .with_context(**context)
                    .write({"name": "Rewritten"})
                ),
                records=document,
                fields=["name"],
            )
            self.assertRefused(
                AccessError,
                SERVER,
                lambda context=context: (
                    document.with_user(self.user_engineer)
                    .with_context(**context)
                    .write({"approval_state": "draft"})
                ),
                records=document,
                fields=["approval_state"],
            )

    def test_files_of_an_approved_document_cannot_be_overwritten(self):
        document = self._approved()
        attachment = document.attachment_ids.with_user(self.user_engineer)
        for values in (
            {"datas": base64.b64encode(b"forged")},
            {"raw": b"forged"},
            {"name": "other.txt"},
            {"res_id": 0},
        ):
            self.assertRefused(
                UserError,
                "which is under review or approved: it cannot be changed or deleted",
                lambda values=values: attachment.write(values),
                records=attachment,
                fields=["datas", "name", "res_id"],
            )
        self.assertRefused(
            UserError,
            "it cannot be changed or deleted",
            attachment.unlink,
            model="ir.attachment",
        )
        self.assertEqual(
            base64.b64decode(document.attachment_ids.datas), b"rack space: 4U"
        )

    # Rights wider than the role

    @freeze_time("2026-12-07")
    def test_manager_cannot_declare_the_director_absent_and_act_for_him(self):
        document = self._document(doc_type=self.type_plan, name="Implementation plan")
        document.with_user(self.user_engineer).action_approval_submit()
        document.with_user(self.user_b).action_approval_approve()
        self.assertEqual(document.approval_current_user_ids, self.user_director)
        # B reviewed the first step; he would take the director's too.
        Delegation = self.env["techdept.delegation"].with_user(self.user_b)
        values = {
            "employee_id": self.emp_director.id,
            "deputy_id": self.emp_b.id,
            "date_from": date(2026, 12, 7),
            "date_to": date(2026, 12, 31),
        }
        # In a department he manages: the model names who may declare.
        self.assertRefused(
            AccessError,
            "Only Td Director himself, the technical director or an HR officer "
            "may declare his absence",
            lambda: Delegation.create(
                dict(values, department_id=self.dept_implementation.id)
            ),
            model="techdept.delegation",
        )
        # In the director's department: the record rules refuse already.
        self.assertRefused(
            AccessError,
            "Delegation",
            lambda: Delegation.create(
                dict(values, department_id=self.dept_technical.id)
            ),
            model="techdept.delegation",
        )
        # So he acts for nobody and cannot approve the director's step.
        self.assertFalse(document.with_user(self.user_b).can_approve)
        self.assertRefused(
            UserError,
            "Only Td Director \\(or whoever acts for them\\) may review",
            document.with_user(self.user_b).action_approval_approve,
            records=document,
            fields=["approval_state"],
        )
        self.assertFalse(
            self.env["techdept.approval.line"]
            .with_user(self.user_b)
            .search([("can_review", "=", True)])
        )

    def test_own_absence_names_the_departments_deputy_only(self):
        own = {
            "employee_id": self.emp_a.id,
            "department_id": self.dept_om.id,
            "date_from": date(2030, 3, 1),
            "date_to": date(2030, 3, 2),
        }
        Delegation = self.env["techdept.delegation"].with_user(self.user_a)
        self.assertRefused(
            AccessError,
            "The deputy of .* is Td Impl Manager: only the technical director "
            "may name someone else",
            lambda: Delegation.create(dict(own, deputy_id=self.emp_engineer.id)),
            model="techdept.delegation",
        )
        delegation = Delegation.create(dict(own, deputy_id=self.emp_b.id))
        for values in ({"state": "active"}, {"origin": "leave"}):
            self.assertRefused(
                AccessError,
                SERVER,
                lambda values=values: delegation.write(values),
                records=delegation,
                fields=["state", "origin"],
            )
        self.assertRefused(
            AccessError,
            "Only Td Director himself",
            lambda: delegation.write({"employee_id": self.emp_director.id}),
            records=delegation,
            fields=["employee_id"],
        )

    def test_reader_of_an_archived_knowledge_base_document_cannot_revise_it(self):
        document = self._approved()
        document.with_user(self.user_presales_mgr).action_document_archive()
        reader = document.with_user(self.user_onsite)
        self.assertTrue(reader.name)
        self.assertRefused(
            UserError,
            "You may read Site survey \\(v1\\) but not revise it",
            reader.action_new_version,
            records=document,
            fields=["is_latest", "version"],
            model="techdept.document",
        )

    def test_document_cannot_move_to_a_record_one_does_not_work_on(self):
        """A document moves only where its user contributes: reading the
        target (or having made the document) is not enough."""
        Delegation = self.env["techdept.delegation"]
        own = Delegation.create(
            {
                "employee_id": self.emp_a.id,
                "deputy_id": self.emp_b.id,
                "department_id": self.dept_om.id,
                "date_from": date(2030, 1, 1),
                "date_to": date(2030, 1, 2),
            }
        )
        other = Delegation.create(
            {
                "employee_id": self.emp_presales_mgr.id,
                "deputy_id": self.emp_director.id,
                "department_id": self.dept_presales.id,
                "date_from": date(2030, 1, 1),
                "date_to": date(2030, 1, 2),
            }
        )
        document = self.Document.with_user(self.user_a).create(
            {
                "name": "Handover notes",
                "type_id": self.type_survey.id,
                "res_model": own._name,
                "res_id": own.id,
            }
        )
        for values in (
            {"res_id": other.id},
            {"res_model": "res.users", "res_id": self.user_director.id},
        ):
            self.assertRefused(
                UserError,
                "You may not change Handover notes \\(v1\\): you have no access to "
                "the record it belongs to",
                lambda values=values: document.write(values),
                records=document,
                fields=["res_model", "res_id"],
            )

    # Reading what one should not

    def test_approval_steps_and_decisions_follow_the_record(self):
        document = self._document()
        document.with_user(self.user_engineer).action_approval_submit()
        document.with_user(self.user_presales_mgr)._approval_reject(
            "Rack measurements are wrong"
        )
        Line = self.env["techdept.approval.line"]
        Decision = self.env["techdept.approval.decision"]
        lines = document.approval_line_ids
        decisions = lines.decision_ids
        self.assertEqual(decisions.comment, "Rack measurements are wrong")
        # Another engineer, a manager of another function, a plain user.
        for user in (self.user_onsite, self.user_a, self.user_plain):
            self.assertFalse(Line.with_user(user).search([("id", "in", lines.ids)]))
            self.assertFalse(
                Decision.with_user(user).search([("id", "in", decisions.ids)])
            )
            self.assertFalse(
                Decision.with_user(user).search([("comment", "ilike", "Rack")])
            )
            # Which of the two refusals depends on what the ORM has cached.
            self.assertRefused(
                AccessError,
                "You may not read the approval steps of records you cannot read|"
                "- Approval \\(techdept.approval.line\\)",
                lambda user=user: lines.with_user(user).read(["comment"]),
            )
            self.assertRefused(
                AccessError,
                "You may not read decisions on records you cannot read|"
                "- Approval Decision \\(techdept.approval.decision\\)",
                lambda user=user: decisions.with_user(user).read(["comment"]),
            )
            self.assertRefused(
                AccessError,
                "You may not read the approval steps of records you cannot read",
                lambda user=user: lines.with_user(user).check_access("read"),
            )
        # The author (a reader of the document), the reviewer, the director.
        for user in (self.user_engineer, self.user_presales_mgr, self.user_director):
            self.assertEqual(
                Line.with_user(user).search([("id", "in", lines.ids)]), lines
            )
            self.assertEqual(
                decisions.with_user(user).read(["comment"])[0]["comment"],
                "Rack measurements are wrong",
            )

    @freeze_time("2026-12-07")
    def test_my_approvals_show_a_deputy_what_he_reviews_for_the_absent(self):
        document = self._document(
            doc_type=self.env.ref("techdept_org.document_type_service_report"),
            name="Quarterly service report",
        )
        document.with_user(self.user_engineer).action_approval_submit()
        line = document.approval_line_ids
        self.assertEqual(line.approver_ids, self.user_a)
        Line = self.env["techdept.approval.line"].with_user(self.user_b)
        self.assertFalse(Line.search([("id", "=", line.id)]))
        # A is away: B, the deputy, finds the step in My Approvals and may
        # read the document he reviews.
        self._leave(self.emp_a, date(2026, 12, 7), date(2026, 12, 9))
        self.assertEqual(Line.search([("can_review", "=", True)]), line)
        self.assertEqual(Line.search([("id", "=", line.id)]), line)
        self.assertTrue(document.with_user(self.user_b).name)
        document.with_user(self.user_b).action_approval_approve()
        self.assertEqual(line.on_behalf_of_id, self.user_a)

    # The way back: reopening, by the director, with a reason

    def test_director_reopens_an_approved_document_with_a_reason(self):
        document = self._approved()
        first_round = document.approval_line_ids
        for user in (self.user_engineer, self.user_presales_mgr):
            self.assertFalse(document.with_user(user).can_reopen)
            self.assertRefused(
                UserError,
                "Only the Technical Director may reopen Site survey \\(v1\\)",
                document.with_user(user).action_approval_reopen,
                records=document,
                fields=["approval_state"],
            )
        self.assertTrue(document.with_user(self.user_director).can_reopen)
        self.assertRefused(
            UserError,
            "a reason is required",
            lambda: document.with_user(self.user_director)._approval_reopen(" "),
            records=document,
            fields=["approval_state"],
        )
        self._reopen(document, self.user_director, "The rack layout changed")
        self.assertEqual(document.approval_state, "draft")
        self.assertEqual(first_round.mapped("state"), ["approved"])
        reopened = first_round.decision_ids.filtered(lambda d: d.decision == "reopened")
        self.assertRecordValues(
            reopened,
            [{"user_id": self.user_director.id, "comment": "The rack layout changed"}],
        )
        posted = document.message_ids.filtered(
            lambda m: "The rack layout changed" in m.body
        )
        self.assertIn("Reopened by Td Director", posted.body)
        self.assertIn(self.user_engineer.partner_id, posted.partner_ids)
        # Unfrozen: the author revises, resubmits; a new round, the old kept.
        document.with_user(self.user_engineer).name = "Site survey, revised"
        document.with_user(self.user_engineer).action_approval_submit()
        self.assertEqual(document.approval_round, 2)
        self.assertEqual(len(document.approval_line_ids), 2)
        self.assertIn(first_round, document.approval_line_ids)
        document.with_user(self.user_presales_mgr).action_approval_approve()
        self.assertEqual(document.approval_state, "approved")
        # Only an approved record is reopened.
        draft = self._document(name="Draft survey")
        self.assertRefused(
            UserError,
            "is Not Submitted: it cannot be reopened now",
            draft.with_user(self.user_director).action_approval_reopen,
        )

    # Wrong values sent to public methods

    def test_reject_wizard_takes_only_approvable_records(self):
        document = self._document()
        document.with_user(self.user_engineer).action_approval_submit()
        Wizard = self.env["techdept.approval.reject.wizard"].with_user(
            self.user_presales_mgr
        )
        for res_model, res_ids in (
            ("techdept.document", "__import__('os').system('true')"),
            ("techdept.document", f"[{document.id}, 'x']"),
            ("techdept.document", "[-1]"),
            ("techdept.document", "[]"),
            ("techdept.document", "{}"),
            ("res.users", f"[{self.user_director.id}]"),
            ("ir.config_parameter", "[1]"),
        ):
            wizard = Wizard.create(
                {"res_model": res_model, "res_ids": res_ids, "comment": "No"}
            )
            self.assertRefused(
                UserError,
                "Choose the records to review again",
                wizard.action_confirm,
                records=document,
                fields=["approval_state"],
            )
        gone = Wizard.create(
            {"res_model": "techdept.document", "res_ids": "[999999]", "comment": "No"}
        )
        self.assertRefused(
            UserError, "Some of these records no longer exist", gone.action_confirm
        )

    def test_review_comment_and_step_values_are_checked(self):
        document = self._document()
        document.with_user(self.user_engineer).action_approval_submit()
        reviewer = document.with_user(self.user_presales_mgr)
        for comment in ({"html": "<b>ok</b>"}, ["ok"], 12.5, True):
            self.assertRefused(
                ValidationError,
                "A review comment is a text",
                lambda comment=comment: reviewer.action_approval_approve(comment),
                records=document,
                fields=["approval_state"],
            )
        stray = (
            self.env["techdept.approval.line"]
            .sudo()
            .create(
                {
                    "res_model": "res.partner",
                    "res_id": self.user_a.partner_id.id,
                    "chain_id": self.type_survey.chain_id.id,
                    "step_name": "Stray",
                }
            )
        )
        self.assertRefused(
            UserError,
            "This approval step belongs to no record to review",
            stray.with_user(self.user_director).action_approve,
        )
