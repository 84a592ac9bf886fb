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
