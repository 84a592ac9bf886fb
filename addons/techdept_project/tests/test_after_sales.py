import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.techdept_org.tests.common import english_chatter


@tagged("post_install", "-at_install")
class TestAfterSales(TransactionCase):
    """Construction teams, equipment changes and repairs (policy 4.4.1
    item 10, 4.4.2 item 8, 4.5.1 items 9-10, 4.5.3 items 6-7), as the people
    who do them: an engineer of the project and one who is not, the
    implementation manager, commerce and the technical director."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_chatter(cls.env)
        ref = cls.env.ref
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        cls.env["techdept.delegation"].search([]).unlink()

        def person(login, groups, job=None, department=None, manages=None):
            user = new_test_user(
                cls.env,
                login=login,
                groups=groups,
                name=login.replace("_", " ").title(),
                email=f"{login}@example.com",
            )
            employee = cls.env["hr.employee"].create(
                {
                    "name": user.name,
                    "user_id": user.id,
                    "job_id": job and ref(f"techdept_org.job_{job}").id,
                    "department_id": department
                    and ref(f"techdept_org.{department}").id,
                }
            )
            if manages:
                ref(f"techdept_org.{manages}").write(
                    {"manager_id": employee.id, "techdept_deputy_id": False}
                )
            return user, employee

        cls.user_member, cls.emp_member = person(
            "as_member", "techdept_org.group_engineer", "aftersales_engineer", "dept_om"
        )
        cls.user_outsider, _emp = person(
            "as_outsider", "techdept_org.group_engineer", "onsite_engineer", "dept_om"
        )
        cls.user_impl, cls.emp_impl = person(
            "as_impl_manager",
            "techdept_org.group_manager",
            "implementation_manager",
            "dept_implementation",
            manages="dept_implementation",
        )
        cls.user_commerce, _emp = person(
            "as_commerce",
            "techdept_org.group_commerce",
            None,
            "dept_commerce",
            manages="dept_commerce",
        )
        cls.user_director, _emp = person(
            "as_director",
            "techdept_org.group_director",
            "director",
            "dept_technical",
            manages="dept_technical",
        )
        cls.user_sales = new_test_user(
            cls.env,
            login="as_sales",
            groups="sales_team.group_sale_salesman",
            name="As Sales",
        )

        cls.customer = cls.env["res.partner"].create({"name": "Harbour Hospital"})
        cls.vendor = cls.env["res.partner"].create({"name": "Cabling Brothers"})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Harbour Hospital network",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.user_sales.id,
            }
        )
        Project = cls.env["project.project"]
        cls.project = Project.create(
            {
                "name": "Harbour Hospital network",
                "techdept_kind": "implementation",
                "partner_id": cls.customer.id,
                "techdept_lead_id": cls.lead.id,
                "techdept_implementation_manager_id": cls.emp_impl.id,
                "techdept_project_manager_id": cls.emp_member.id,
            }
        )
        cls.om_project = Project.create(
            {
                "name": "Harbour Hospital O&M",
                "techdept_kind": "om",
                "partner_id": cls.customer.id,
                "techdept_lead_id": cls.lead.id,
                "techdept_project_manager_id": cls.emp_member.id,
            }
        )
        for project in cls.project | cls.om_project:
            if cls.user_member not in project.techdept_member_user_ids:
                project.techdept_member_user_ids = [Command.link(cls.user_member.id)]
        Equipment = cls.env["techdept.equipment.line"]
        cls.switch = Equipment.create(
            {
                "project_id": cls.project.id,
                "name": "Core switch",
                "spec": "S5720",
                "quantity": 2,
                "uom": "pcs",
            }
        )
        cls.ups = Equipment.create(
            {"project_id": cls.project.id, "name": "UPS", "quantity": 1}
        )
        cls.om_switch = Equipment.create(
            {
                "project_id": cls.om_project.id,
                "name": "Access switch",
                "spec": "S2700",
                "quantity": 12,
            }
        )

    # Helpers

    def _subcontract(self, user=None, attach=True, **values):
        user = user or self.user_member
        subcontract = (
            self.env["techdept.subcontract"]
            .with_user(user)
            .create(
                {
                    "name": "Cabling, building A",
                    "project_id": self.project.id,
                    "partner_id": self.vendor.id,
                    "scope": "Structured cabling of floors 1 to 4",
                    "amount": 48000,
                    "date_start": date(2025, 3, 1),
                    "date_end": date(2025, 4, 30),
                    **values,
                }
            )
        )
        if attach:
            attachment = (
                self.env["ir.attachment"]
                .with_user(user)
                .create(
                    {
                        "name": "contract.pdf",
                        "datas": base64.b64encode(b"outsourcing contract"),
                        "res_model": subcontract._name,
                        "res_id": subcontract.id,
                    }
                )
            )
            subcontract.attachment_ids = [Command.link(attachment.id)]
        return subcontract

    def _change(self, lines, user=None, project=None):
        return (
            self.env["techdept.equipment.change"]
            .with_user(user or self.user_member)
            .create(
                {
                    "name": "Firewall and bigger switches",
                    "project_id": (project or self.project).id,
                    "reason": "The customer adds a DMZ.",
                    "line_ids": [Command.create(values) for values in lines],
                }
            )
        )

    def _repair(self, user=None, **values):
        return (
            self.env["techdept.repair"]
            .with_user(user or self.user_member)
            .create(
                {
                    "name": "Access switch power failure",
                    "project_id": self.om_project.id,
                    "equipment_line_id": self.om_switch.id,
                    "fault": "Power supply burnt after a surge.",
                    "kind": "replace",
                    "vendor_id": self.vendor.id,
                    **values,
                }
            )
        )

    def _visible(self, user, records):
        return (
            self.env[records._name].with_user(user).search([("id", "in", records.ids)])
        )

    # Construction teams

    def test_subcontract_refuses_bad_inputs(self):
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self._subcontract(amount=0, attach=False)
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self._subcontract(amount=-10, attach=False)
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            self._subcontract(
                date_start=date(2025, 4, 1), date_end=date(2025, 3, 1), attach=False
            )
        with self.assertRaisesRegex(ValidationError, "not an implementation project"):
            self._subcontract(project_id=self.om_project.id, attach=False)
        subcontract = self._subcontract(attach=False)
        with self.assertRaisesRegex(UserError, "Attach the outsourcing contract"):
            subcontract.with_user(self.user_member).action_approval_submit()
        self.assertEqual(subcontract.approval_state, "draft")

    def test_subcontract_chain_implementation_manager_then_commerce(self):
        subcontract = self._subcontract()
        subcontract.with_user(self.user_member).action_approval_submit()
        self.assertEqual(subcontract.approval_current_user_ids, self.user_impl)
        # Nobody but the implementation manager reviews the first step.
        for user in (self.user_commerce, self.user_member, self.user_director):
            with self.assertRaises(UserError, msg=user.login):
                subcontract.with_user(user).action_approval_approve()
        with self.assertRaises(AccessError):
            subcontract.with_user(self.user_outsider).action_approval_approve()
        subcontract.with_user(self.user_impl).action_approval_approve()
        self.assertEqual(subcontract.approval_state, "pending")
        self.assertEqual(subcontract.approval_current_user_ids, self.user_commerce)
        with self.assertRaises(UserError):
            subcontract.with_user(self.user_impl).action_approval_approve()
        subcontract.with_user(self.user_commerce).action_approval_approve()
        self.assertEqual(subcontract.approval_state, "approved")
        self.assertEqual(
            subcontract.approval_line_ids.mapped("acted_by_id"),
            self.user_impl | self.user_commerce,
        )
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            subcontract.with_user(self.user_member).amount = 1

    # Equipment changes

    def test_equipment_change_is_applied_once_approved(self):
        change = self._change(
            [
                {
                    "operation": "add",
                    "name": "Firewall",
                    "spec": "FG-100F",
                    "quantity": 1,
                },
                {
                    "operation": "change",
                    "equipment_line_id": self.switch.id,
                    "spec": "S5735",
                    "quantity": 3,
                },
                {"operation": "remove", "equipment_line_id": self.ups.id},
            ]
        )
        removal = change.line_ids.filtered(lambda line: line.operation == "remove")
        self.assertEqual(removal.name, "UPS", "the line takes the item's name")
        change.with_user(self.user_member).action_approval_submit()
        change.with_user(self.user_impl).action_approval_approve()
        self.assertTrue(self.ups.active, "nothing changes before the last approval")
        self.assertEqual(self.switch.quantity, 2)
        change.with_user(self.user_commerce).action_approval_approve()

        self.assertEqual(change.approval_state, "approved")
        self.assertTrue(change.applied_date)
        self.assertFalse(self.ups.active)
        self.assertEqual(self.ups.change_id, change)
        self.assertEqual((self.switch.spec, self.switch.quantity), ("S5735", 3))
        self.assertEqual(self.switch.change_id, change)
        equipment = self.env["techdept.equipment.line"].search(
            [("project_id", "=", self.project.id)]
        )
        self.assertEqual(sorted(equipment.mapped("name")), ["Core switch", "Firewall"])
        firewall = equipment.filtered(lambda line: line.name == "Firewall")
        self.assertEqual((firewall.spec, firewall.change_id), ("FG-100F", change))
        self.assertIn(
            "Firewall",
            self.project.message_ids[:1].body,
            "the project says what changed",
        )
        # The member engineer reads the list, the outsider does not.
        self.assertEqual(self._visible(self.user_member, equipment), equipment)
        self.assertFalse(self._visible(self.user_outsider, equipment))

    def test_equipment_change_refusals(self):
        change = self._change([])
        with self.assertRaisesRegex(UserError, "changes nothing"):
            change.with_user(self.user_member).action_approval_submit()
        with self.assertRaisesRegex(ValidationError, "say which item"):
            self._change([{"operation": "remove", "name": "UPS"}])
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self._change([{"operation": "add", "name": "Firewall", "quantity": 0}])
        with self.assertRaisesRegex(ValidationError, "not on the equipment list"):
            self._change(
                [{"operation": "change", "equipment_line_id": self.om_switch.id}]
            )
        change = self._change(
            [{"operation": "remove", "equipment_line_id": self.ups.id}]
        )
        change.with_user(self.user_member).action_approval_submit()
        with self.assertRaisesRegex(UserError, "under review or approved"):
            change.line_ids.with_user(self.user_member).note = "changed my mind"
        with self.assertRaises(UserError):
            change.with_user(self.user_member).line_ids = [
                Command.create({"operation": "add", "name": "NAS", "quantity": 1})
            ]

    # Repairs and replacements

    def test_repair_only_on_om_projects(self):
        with self.assertRaisesRegex(ValidationError, "not an after-sales O&M project"):
            self._repair(
                project_id=self.project.id,
                equipment_line_id=False,
                equipment="Core switch",
            )
        with self.assertRaisesRegex(ValidationError, "say which equipment"):
            self._repair(equipment_line_id=False)

    def test_repair_price_check_and_quotation(self):
        repair = self._repair()
        self.assertEqual(repair.equipment, self.om_switch.display_name)
        with self.assertRaisesRegex(UserError, "Enter the price"):
            repair.with_user(self.user_member).action_approval_submit()
        repair.with_user(self.user_member).price_amount = 1200
        repair.with_user(self.user_member).action_approval_submit()
        self.assertEqual(repair.approval_current_user_ids, self.user_commerce)
        with self.assertRaisesRegex(UserError, "not checked yet"):
            repair.with_user(self.user_member).action_request_quotation()
        with self.assertRaises(UserError):
            repair.with_user(self.user_impl).action_approval_approve()
        repair.with_user(self.user_commerce).action_approval_approve()
        self.assertEqual(repair.approval_state, "approved")

        action = repair.with_user(self.user_member).action_request_quotation()
        lead = repair.lead_id
        self.assertTrue(lead)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.user_id, self.user_sales, "the project's salesperson")
        self.assertEqual(
            lead.name, f"Replacement: Access switch (S2700) — {self.om_project.name}"
        )
        self.assertIn("Power supply burnt", lead.description)
        if lead.with_user(self.user_member).has_access("read"):
            self.assertEqual(action["res_id"], lead.id)
        else:
            self.assertIs(action, True)
        self.assertIn("Quotation requested", repair.message_ids[:1].body)
        with self.assertRaisesRegex(UserError, "already requested"):
            repair.with_user(self.user_member).action_request_quotation()
        self.assertEqual(
            self.env["crm.lead"].search_count([("name", "=", lead.name)]), 1
        )

    def test_repair_is_not_quoted(self):
        repair = self._repair(kind="repair", price_amount=300)
        repair.with_user(self.user_member).action_approval_submit()
        repair.with_user(self.user_commerce).action_approval_approve()
        with self.assertRaisesRegex(UserError, "only replacements and purchases"):
            repair.with_user(self.user_member).action_request_quotation()
        self.assertFalse(repair.lead_id)

    # Record rules

    def test_outsider_sees_nothing(self):
        subcontract = self._subcontract()
        change = self._change(
            [{"operation": "remove", "equipment_line_id": self.ups.id}]
        )
        repair = self._repair(price_amount=100)
        for records in (subcontract, change, change.line_ids, repair):
            self.assertEqual(self._visible(self.user_member, records), records)
            self.assertFalse(self._visible(self.user_outsider, records), records._name)
            for user in (self.user_impl, self.user_director):
                self.assertEqual(self._visible(user, records), records)
        with self.assertRaises(AccessError):
            subcontract.with_user(self.user_outsider).read(["name"])
        with self.assertRaises(AccessError):
            self._subcontract(user=self.user_outsider, attach=False)

    def test_commerce_sees_only_what_it_reviews(self):
        draft = self._subcontract()
        returned = self._subcontract(name="Returned by the manager")
        returned.with_user(self.user_member).action_approval_submit()
        returned.with_user(self.user_impl)._approval_reject("Too expensive")
        refused = self._subcontract(name="Refused by commerce")
        refused.with_user(self.user_member).action_approval_submit()
        refused.with_user(self.user_impl).action_approval_approve()
        refused.with_user(self.user_commerce)._approval_reject("No budget left")
        pending = self._subcontract(name="In review")
        pending.with_user(self.user_member).action_approval_submit()
        everything = draft | returned | refused | pending
        self.assertEqual(
            self._visible(self.user_commerce, everything), refused | pending
        )
        with self.assertRaises(AccessError):
            draft.with_user(self.user_commerce).read(["name"])
        with self.assertRaises(AccessError):
            pending.with_user(self.user_commerce).check_access("write")

        change = self._change(
            [{"operation": "remove", "equipment_line_id": self.ups.id}]
        )
        repair = self._repair(price_amount=100)
        self.assertFalse(self._visible(self.user_commerce, change))
        self.assertFalse(self._visible(self.user_commerce, change.line_ids))
        self.assertFalse(self._visible(self.user_commerce, repair))
        change.with_user(self.user_member).action_approval_submit()
        repair.with_user(self.user_member).action_approval_submit()
        self.assertEqual(self._visible(self.user_commerce, change), change)
        self.assertEqual(
            self._visible(self.user_commerce, change.line_ids), change.line_ids
        )
        self.assertEqual(self._visible(self.user_commerce, repair), repair)
