import base64
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TechdeptOrgCase


@tagged("post_install", "-at_install")
class TestDocuments(TechdeptOrgCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_engineer2 = cls.env["res.users"].create(
            {
                "name": "Second Engineer",
                "login": "td_engineer2",
                "groups_id": [(6, 0, [cls.env.ref("techdept_org.group_engineer").id])],
            }
        )
        cls.type_survey = cls.env.ref("techdept_org.document_type_site_survey")
        cls.type_plan = cls.env.ref("techdept_org.document_type_implementation_plan")

    def _document(self, user=None, doc_type=None, **values):
        user = user or self.user_engineer
        document = (
            self.env["techdept.document"]
            .with_user(user)
            .create(
                {
                    "name": "Site survey",
                    "type_id": (doc_type or self.type_survey).id,
                    **values,
                }
            )
        )
        attachment = (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": "survey.txt",
                    "datas": base64.b64encode(b"rack space: 4U"),
                    "res_model": "techdept.document",
                    "res_id": document.id,
                }
            )
        )
        document.attachment_ids = [(4, attachment.id)]
        return document

    def test_types_of_the_policy_are_loaded(self):
        codes = set(self.env["techdept.document.type"].search([]).mapped("code"))
        for code in (
            "customer_requirements",
            "site_survey",
            "presentation_record",
            "configuration_list",
            "technical_solution",
            "product_list",
            "final_solution",
            "tender_checklist",
            "starred_requirements",
            "scoring_guide",
            "deepened_plan",
            "implementation_plan",
            "construction_plan",
            "training_plan",
            "acceptance_documents",
        ):
            self.assertIn(code, codes)
        self.assertTrue(self.type_plan.countersign)
        self.assertEqual(len(self.type_plan.chain_id.step_ids), 2)

    def test_submit_needs_a_file(self):
        document = (
            self.env["techdept.document"]
            .with_user(self.user_engineer)
            .create({"name": "Empty", "type_id": self.type_survey.id})
        )
        with self.assertRaisesRegex(UserError, "Attach the file"):
            document.action_approval_submit()

    def test_versions_keep_the_old_ones(self):
        first = self._document()
        action = first.with_user(self.user_engineer).action_new_version()
        second = self.env["techdept.document"].browse(action["res_id"])
        self.assertEqual(second.version, 2)
        self.assertEqual(second.origin_document_id, first)
        self.assertEqual(second.attachment_ids, first.attachment_ids)
        self.assertFalse(first.is_latest)
        self.assertTrue(second.is_latest)
        self.assertEqual(first.version_count, 2)
        self.assertEqual(second.version_count, 2)
        with self.assertRaisesRegex(UserError, "latest version"):
            first.action_new_version()
        third = self.env["techdept.document"].browse(
            second.action_new_version()["res_id"]
        )
        self.assertEqual(third.version, 3)
        self.assertEqual(third.origin_document_id, first)
        versions = self.env["techdept.document"].search(
            first.action_view_versions()["domain"]
        )
        self.assertEqual(versions, first | second | third)

    def test_review_then_archive_into_the_knowledge_base(self):
        document = self._document()
        # Not visible to another engineer while it is the author's own.
        self.assertFalse(
            self.env["techdept.document"]
            .with_user(self.user_engineer2)
            .search([("id", "=", document.id)])
        )
        with self.assertRaisesRegex(UserError, "approved before"):
            document.with_user(self.user_presales_mgr).action_document_archive()
        document.with_user(self.user_engineer).action_approval_submit()
        self.assertEqual(
            document.approval_line_ids.approver_ids, self.user_presales_mgr
        )
        # The reviewer sees what he reviews.
        self.assertTrue(document.with_user(self.user_presales_mgr).name)
        document.with_user(self.user_presales_mgr).action_approval_approve()
        self.assertEqual(document.approval_state, "approved")
        with self.assertRaisesRegex(UserError, "knowledge base"):
            document.with_user(self.user_engineer).action_document_archive()
        document.with_user(self.user_presales_mgr).action_document_archive()
        self.assertEqual(document.archive_date, date.today())
        kb = (
            self.env["techdept.document"]
            .with_user(self.user_engineer2)
            .search(
                [("archive_date", "!=", False), ("knowledge_base", "=", "presales")]
            )
        )
        self.assertIn(document, kb)
        # A plain internal user outside the department does not see it.
        self.assertFalse(
            self.env["techdept.document"]
            .with_user(self.user_plain)
            .search([("id", "=", document.id)])
        )
        with self.assertRaisesRegex(UserError, "archived"):
            document.with_user(self.user_presales_mgr).name = "Renamed"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            document.with_user(self.user_director).unlink()

    def test_countersigned_type_goes_to_the_director(self):
        document = self._document(doc_type=self.type_plan, name="Implementation plan")
        document.with_user(self.user_engineer).action_approval_submit()
        document.with_user(self.user_b).action_approval_approve()
        self.assertEqual(document.approval_current_user_ids, self.user_director)
        document.with_user(self.user_director).action_approval_approve()
        self.assertEqual(document.approval_state, "approved")
        document.with_user(self.user_b).action_document_archive()
        kb = (
            self.env["techdept.document"]
            .with_user(self.user_engineer2)
            .search(
                [
                    ("knowledge_base", "=", "implementation"),
                    ("archive_date", "!=", False),
                ]
            )
        )
        self.assertEqual(kb, document)

    def test_access_follows_the_record_it_belongs_to(self):
        """Documents on a delegation: who may read the delegation may read
        its documents, and nobody else."""
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
        Document = self.env["techdept.document"]
        on_own = Document.create(
            {
                "name": "A",
                "type_id": self.type_survey.id,
                "res_model": own._name,
                "res_id": own.id,
            }
        )
        on_other = Document.create(
            {
                "name": "B",
                "type_id": self.type_survey.id,
                "res_model": other._name,
                "res_id": other.id,
            }
        )
        visible = Document.with_user(self.user_a).search(
            [("id", "in", (on_own | on_other).ids)]
        )
        self.assertEqual(visible, on_own)
        self.assertEqual(on_own.with_user(self.user_a).res_name, own.display_name)
        with self.assertRaises(UserError):
            on_other.with_user(self.user_a).read(["name"])
        # Reading the delegation is not enough to change its documents: the
        # deputy reads A's period but may not write it.
        self.assertTrue(on_own.with_user(self.user_b).name)
        with self.assertRaises(UserError):
            on_own.with_user(self.user_b).write({"name": "Changed"})
        on_own.with_user(self.user_a).write({"name": "Changed"})
        # The director sees both.
        self.assertEqual(
            Document.with_user(self.user_director).search(
                [("id", "in", (on_own | on_other).ids)]
            ),
            on_own | on_other,
        )

    def test_first_document_of_a_model(self):
        """The access domain has a part per model documents belong to, and
        keeps their list in a cache: the first document on a record of a
        model nobody attached documents to yet is checked against that
        record, whether the model is given or comes as a default."""
        Delegation = self.env["techdept.delegation"]
        own, other = Delegation.create(
            [
                {
                    "employee_id": employee.id,
                    "deputy_id": deputy.id,
                    "department_id": department.id,
                    "date_from": date(2030, 1, 1),
                    "date_to": date(2030, 1, 2),
                }
                for employee, deputy, department in (
                    (self.emp_a, self.emp_b, self.dept_om),
                    (self.emp_presales_mgr, self.emp_director, self.dept_presales),
                )
            ]
        )
        Document = self.env["techdept.document"].with_user(self.user_a)
        Document.search([])  # the list cached as it is
        self.assertNotIn(own._name, Document._techdept_models_used())
        first = Document.create(
            {
                "name": "A",
                "type_id": self.type_survey.id,
                "res_model": own._name,
                "res_id": own.id,
            }
        )
        self.assertIn(own._name, Document._techdept_models_used())
        self.assertEqual(Document.search([("id", "=", first.id)]), first)
        with self.assertRaises(UserError):
            Document.create(
                {
                    "name": "B",
                    "type_id": self.type_survey.id,
                    "res_model": other._name,
                    "res_id": other.id,
                }
            )
        # From the record's own button: the model as a default.
        self.env.registry.clear_cache()
        first.sudo().unlink()
        Document.search([])
        self.assertNotIn(own._name, Document._techdept_models_used())
        second = Document.with_context(
            default_res_model=own._name, default_res_id=own.id
        ).create({"name": "C", "type_id": self.type_survey.id})
        self.assertEqual((second.res_model, second.res_id), (own._name, own.id))

    def test_configuration_is_the_directors(self):
        with self.assertRaises(AccessError):
            self.type_survey.with_user(self.user_a).name = "Changed"
        with self.assertRaises(AccessError):
            self.type_survey.chain_id.with_user(self.user_a).allow_self_approval = True
        self.type_survey.chain_id.with_user(
            self.user_director
        ).allow_self_approval = True
