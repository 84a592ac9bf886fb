from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import Form, tagged

from .common import TechdeptOrgCase


@tagged("post_install", "-at_install")
class TestRoleDefaults(TechdeptOrgCase):
    """What each role finds ready: the delegation form proposes the absent
    manager himself, every approvable list filters what one may approve,
    the engine's notices reach users in Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dept_om.techdept_deputy_department_id = cls.dept_implementation
        cls.chain = cls.env["techdept.approval.chain"].create(
            {
                "name": "Manager review",
                "code": "td_roles_review",
                "step_ids": [
                    Command.create(
                        {
                            "name": "O&M manager",
                            "approver_type": "users",
                            "user_ids": [Command.set(cls.user_a.ids)],
                        }
                    )
                ],
            }
        )
        cls.doc_type = cls.env["techdept.document.type"].create(
            {
                "name": "Service report",
                "code": "td_roles_report",
                "category": "om",
                "chain_id": cls.chain.id,
            }
        )
        # Users who asked for e-mails, on a database without a mail server.
        (cls.user_a | cls.user_engineer).notification_type = "email"

    def _document(self, name="Report"):
        document = (
            self.env["techdept.document"]
            .with_user(self.user_engineer)
            .create({"name": name, "type_id": self.doc_type.id})
        )
        document.attachment_ids = (
            self.env["ir.attachment"]
            .with_user(self.user_engineer)
            .create({"name": "report.txt", "raw": b"report"})
        )
        return document

    @freeze_time("2027-03-03")
    def test_delegation_form_proposes_the_absent_manager(self):
        form = Form(self.env["techdept.delegation"].with_user(self.user_a))
        self.assertEqual(form.employee_id, self.emp_a)
        self.assertEqual(form.department_id, self.dept_om)
        self.assertEqual(form.deputy_id, self.emp_b)
        self.assertEqual(str(form.date_from), "2027-03-03")
        form.date_to = "2027-03-05"
        delegation = form.save()
        self.assertEqual(delegation.deputy_id, self.emp_b)
        # What the caller names wins; someone managing nothing gets no guess.
        Delegation = self.env["techdept.delegation"]
        values = (
            Delegation.with_user(self.user_director)
            .with_context(default_employee_id=self.emp_a.id)
            .default_get(["employee_id", "department_id"])
        )
        self.assertEqual(values["employee_id"], self.emp_a.id)
        values = Delegation.with_user(self.user_engineer).default_get(
            ["employee_id", "department_id", "deputy_id"]
        )
        self.assertFalse(values.get("employee_id"))
        self.assertFalse(values.get("department_id"))

    def test_to_approve_filter_on_approvable_lists(self):
        mine, other = self._document("Mine"), self._document("Other")
        mine.with_user(self.user_engineer).action_approval_submit()
        Document = self.env["techdept.document"]
        arch = etree.fromstring(
            Document.with_user(self.user_a).get_views([(False, "search")])["views"][
                "search"
            ]["arch"]
        )
        # The documents' view has its own filter on it: no second one.
        (node,) = [
            node
            for node in arch.iter("filter")
            if "can_approve" in node.get("domain", "")
        ]
        self.assertEqual(node.get("domain"), "[('can_approve', '=', True)]")
        # A view without one gets it, once, in a group of its own.
        bare = etree.fromstring(
            '<search><field name="name"/><filter name="x"/></search>'
        )
        Document._approval_inject_search(bare)
        Document._approval_inject_search(bare)
        self.assertEqual(
            [node.tag for node in bare], ["field", "filter", "separator", "filter"]
        )
        self.assertEqual(bare[1].get("name"), "filter_techdept_to_approve")
        self.assertEqual(bare[1].get("domain"), "[('can_approve', '=', True)]")
        self.assertEqual(
            Document.with_user(self.user_a).search([("can_approve", "=", True)]),
            mine,
        )
        self.assertNotIn(
            other, Document.with_user(self.user_a).search([("can_approve", "=", True)])
        )
        self.assertFalse(
            Document.with_user(self.user_engineer).search([("can_approve", "=", True)])
        )

    def test_pool_filter_for_users_without_hr_rights(self):
        self.assertFalse(self.user_b.has_group("hr.group_hr_user"))
        views = (
            self.env["hr.employee"]
            .with_user(self.user_b)
            .get_views([(False, "search")])
        )
        arch = etree.fromstring(views["views"]["search"]["arch"])
        self.assertTrue(arch.xpath("//filter[@name='filter_techdept_pool']"))
        pool = (
            self.env["hr.employee"]
            .with_user(self.user_b)
            .search([("techdept_is_pool", "=", True)])
        )
        self.assertIn(self.emp_engineer, pool)
        self.assertNotIn(self.emp_b, pool)

    def test_notices_reach_the_inbox_without_a_mail_server(self):
        document = self._document()
        other = self._document("Other report")
        Mail = self.env["mail.mail"].sudo()
        before = Mail.search([])
        # Submitted together: the approver gets one notice listing both.
        (document | other).with_user(self.user_engineer).action_approval_submit()
        document.with_user(self.user_a).action_approval_approve()

        def notifications(user):
            return self.env["mail.notification"].search(
                [
                    ("res_partner_id", "=", user.partner_id.id),
                    ("mail_message_id.model", "=", document._name),
                    ("mail_message_id.res_id", "=", document.id),
                ]
            )

        # The approver's notice of his to-dos and the submitter's decision, in
        # their inbox.
        for user in (self.user_a, self.user_engineer):
            self.assertTrue(notifications(user), user.login)
            self.assertEqual(
                set(notifications(user).mapped("notification_type")), {"inbox"}
            )
        self.assertFalse(
            (Mail.search([]) - before).filtered(
                lambda m: m.model == document._name and m.res_id == document.id
            )
        )
        for user in (self.user_a, self.user_engineer):
            self.assertEqual(
                set(notifications(user).mapped("notification_status")),
                {"sent"},
            )
