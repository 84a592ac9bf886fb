from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TechdeptOrgCase


@tagged("post_install", "-at_install")
class TestOrgSecurity(TechdeptOrgCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Delegation = cls.env["techdept.delegation"]
        cls.deleg_om = Delegation.create(
            {
                "employee_id": cls.emp_a.id,
                "deputy_id": cls.emp_b.id,
                "department_id": cls.dept_om.id,
                "date_from": date(2030, 1, 7),
                "date_to": date(2030, 1, 8),
            }
        )
        cls.deleg_presales = Delegation.create(
            {
                "employee_id": cls.emp_presales_mgr.id,
                "deputy_id": cls.emp_director.id,
                "department_id": cls.dept_presales.id,
                "date_from": date(2030, 1, 7),
                "date_to": date(2030, 1, 8),
            }
        )

    def _visible(self, user):
        return self.env["techdept.delegation"].with_user(user).search([])

    def test_engineer_sees_only_his_own(self):
        self.assertFalse(self._visible(self.user_engineer))
        with self.assertRaises(AccessError):
            self.deleg_om.with_user(self.user_engineer).read(["date_from"])
        with self.assertRaises(AccessError):
            self.env["techdept.delegation"].with_user(self.user_engineer).create(
                {
                    "employee_id": self.emp_engineer.id,
                    "deputy_id": self.emp_onsite.id,
                    "department_id": self.dept_om.id,
                    "date_from": date(2030, 2, 1),
                    "date_to": date(2030, 2, 2),
                }
            )

    def test_manager_sees_his_departments(self):
        self.assertEqual(self._visible(self.user_a), self.deleg_om)
        self.assertEqual(self._visible(self.user_presales_mgr), self.deleg_presales)
        # B manages another department, but he is the deputy of this period.
        self.assertEqual(self._visible(self.user_b), self.deleg_om)

    def test_manager_enters_his_own_out_of_office(self):
        own = (
            self.env["techdept.delegation"]
            .with_user(self.user_a)
            .create(
                {
                    "employee_id": self.emp_a.id,
                    "deputy_id": self.emp_b.id,
                    "department_id": self.dept_om.id,
                    "date_from": date(2030, 3, 1),
                    "date_to": date(2030, 3, 2),
                }
            )
        )
        own.reason = "Customer visit"
        with self.assertRaises(AccessError):
            self.deleg_presales.with_user(self.user_a).write({"reason": "Hijack"})
        with self.assertRaises(AccessError):
            self.env["techdept.delegation"].with_user(self.user_a).create(
                {
                    "employee_id": self.emp_presales_mgr.id,
                    "deputy_id": self.emp_a.id,
                    "department_id": self.dept_presales.id,
                    "date_from": date(2030, 3, 1),
                    "date_to": date(2030, 3, 2),
                }
            )

    def test_director_sees_and_edits_everything(self):
        self.assertEqual(
            self._visible(self.user_director), self.deleg_om | self.deleg_presales
        )
        self.deleg_presales.with_user(self.user_director).unlink()
        self.assertFalse(self.deleg_presales.exists())

    def test_duties_read_by_all_edited_by_the_director(self):
        duty = self.env.ref("techdept_org.duty_director_01")
        self.assertTrue(duty.with_user(self.user_engineer).name)
        self.assertTrue(duty.with_user(self.user_plain).name)
        with self.assertRaises(AccessError):
            duty.with_user(self.user_a).write({"name": "Changed"})
        duty.with_user(self.user_director).write({"sequence": 1})

    def test_plain_user_sees_no_delegation(self):
        with self.assertRaises(AccessError):
            self._visible(self.user_plain)
