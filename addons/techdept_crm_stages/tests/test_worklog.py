from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestWorklog(TransactionCase):
    """Presales work log: its bounds, who sees which lines, and its sums."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Department = cls.env["hr.department"]
        Employee = cls.env["hr.employee"]

        def person(login, groups, department):
            user = new_test_user(
                cls.env,
                login=login,
                groups=groups,
                name=login.replace("_", " ").title(),
            )
            employee = Employee.create(
                {"name": user.name, "user_id": user.id, "department_id": department.id}
            )
            return user, employee

        cls.dept_top = Department.create({"name": "Worklog Top"})
        cls.dept_team = Department.create(
            {"name": "Worklog Team", "parent_id": cls.dept_top.id}
        )
        cls.dept_sub = Department.create(
            {"name": "Worklog Sub-team", "parent_id": cls.dept_team.id}
        )
        cls.dept_other = Department.create({"name": "Worklog Other"})

        cls.user_engineer, cls.emp_engineer = person(
            "wl_engineer",
            "techdept_org.group_engineer,sales_team.group_sale_salesman",
            cls.dept_team,
        )
        cls.user_engineer2, cls.emp_engineer2 = person(
            "wl_engineer2", "techdept_org.group_engineer", cls.dept_other
        )
        cls.user_manager, cls.emp_manager = person(
            "wl_manager", "techdept_org.group_manager", cls.dept_team
        )
        cls.user_director, cls.emp_director = person(
            "wl_director", "techdept_org.group_director", cls.dept_top
        )
        # Someone of a department under the manager's, without a user.
        cls.emp_sub = Employee.create(
            {"name": "Worklog Sub Engineer", "department_id": cls.dept_sub.id}
        )
        cls.dept_top.manager_id = cls.emp_director
        cls.dept_team.manager_id = cls.emp_manager

        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Worklog Test Opportunity",
                "type": "opportunity",
                "user_id": cls.user_engineer.id,
            }
        )

        Worklog = cls.env["techdept.worklog"]
        cls.line_eng_jan = Worklog.create(
            {
                "employee_id": cls.emp_engineer.id,
                "date": date(2030, 1, 10),
                "kind": "project_support",
                "lead_id": cls.lead.id,
                "hours": 3.5,
                "name": "Solution design",
            }
        )
        cls.line_eng_feb = Worklog.create(
            {
                "employee_id": cls.emp_engineer.id,
                "date": date(2030, 2, 3),
                "kind": "training",
                "hours": 2.0,
                "name": "Product training",
            }
        )
        cls.line_eng2 = Worklog.create(
            {
                "employee_id": cls.emp_engineer2.id,
                "date": date(2030, 1, 15),
                "kind": "project_support",
                "lead_id": cls.lead.id,
                "hours": 4.0,
                "name": "Site survey",
            }
        )
        cls.line_mgr = Worklog.create(
            {
                "employee_id": cls.emp_manager.id,
                "date": date(2030, 1, 20),
                "kind": "knowledge_base",
                "hours": 1.5,
                "name": "Case write-up",
            }
        )
        cls.line_sub = Worklog.create(
            {
                "employee_id": cls.emp_sub.id,
                "date": date(2030, 2, 10),
                "kind": "market_support",
                "hours": 6.0,
                "name": "Trade fair booth",
            }
        )
        cls.lines = (
            cls.line_eng_jan
            | cls.line_eng_feb
            | cls.line_eng2
            | cls.line_mgr
            | cls.line_sub
        )

    def _visible(self, user):
        return (
            self.env["techdept.worklog"]
            .with_user(user)
            .search([("id", "in", self.lines.ids)])
        )

    def _values(self, **values):
        return dict(
            {
                "employee_id": self.emp_engineer.id,
                "date": date(2030, 3, 1),
                "kind": "customer_support",
                "hours": 1.0,
                "name": "Hotline",
            },
            **values,
        )

    # Constraints

    def test_hours_bounds(self):
        Worklog = self.env["techdept.worklog"]
        for hours in (0, -1, 25):
            with self.subTest(hours=hours), self.assertRaises(ValidationError):
                Worklog.create(self._values(hours=hours))
        with self.assertRaises(ValidationError):
            self.line_eng_feb.hours = 24.5
        for hours in (0.25, 24):
            with self.subTest(hours=hours):
                self.assertTrue(Worklog.create(self._values(hours=hours)))

    def test_project_support_needs_lead(self):
        Worklog = self.env["techdept.worklog"]
        with self.assertRaises(ValidationError):
            Worklog.create(self._values(kind="project_support"))
        with self.assertRaises(ValidationError):
            self.line_eng_jan.lead_id = False
        with self.assertRaises(ValidationError):
            self.line_eng_feb.kind = "project_support"
        line = Worklog.create(
            self._values(kind="project_support", lead_id=self.lead.id)
        )
        self.assertEqual(line.lead_id, self.lead)

    def test_lead_deleted_keeps_line(self):
        line = self.env["techdept.worklog"].create(self._values(lead_id=self.lead.id))
        self.lead.unlink()
        self.assertTrue(line.exists())
        self.assertFalse(line.lead_id)

    # Rights

    def test_engineer_logs_for_himself(self):
        line = (
            self.env["techdept.worklog"]
            .with_user(self.user_engineer)
            .create(
                {
                    "kind": "project_support",
                    "lead_id": self.lead.id,
                    "hours": 2.0,
                    "name": "Bill of quantities",
                }
            )
        )
        self.assertEqual(line.employee_id, self.emp_engineer)
        self.assertEqual(line.user_id, self.user_engineer)
        self.assertEqual(line.department_id, self.dept_team)
        with self.assertRaises(AccessError):
            self.env["techdept.worklog"].with_user(self.user_engineer).create(
                self._values(employee_id=self.emp_engineer2.id)
            )

    def test_engineer_sees_only_his_own(self):
        self.assertEqual(
            self._visible(self.user_engineer), self.line_eng_jan | self.line_eng_feb
        )
        self.line_eng_feb.with_user(self.user_engineer).hours = 2.5
        self.assertEqual(self.line_eng_feb.hours, 2.5)
        with self.assertRaises(AccessError):
            self.line_eng2.with_user(self.user_engineer).write({"hours": 1.0})
        with self.assertRaises(AccessError):
            self.line_eng2.with_user(self.user_engineer).read(["hours"])
        with self.assertRaises(AccessError):
            self.line_mgr.with_user(self.user_engineer).unlink()
        self.assertEqual(self._visible(self.user_engineer2), self.line_eng2)

    def test_manager_sees_his_departments(self):
        self.assertEqual(
            self._visible(self.user_manager),
            self.line_eng_jan | self.line_eng_feb | self.line_mgr | self.line_sub,
        )
        self.line_eng_jan.with_user(self.user_manager).hours = 3.0
        self.assertEqual(self.line_eng_jan.hours, 3.0)
        with self.assertRaises(AccessError):
            self.line_eng_jan.with_user(self.user_manager).unlink()
        with self.assertRaises(AccessError):
            self.line_eng2.with_user(self.user_manager).write({"hours": 1.0})
        with self.assertRaises(AccessError):
            self.env["techdept.worklog"].with_user(self.user_manager).create(
                self._values()
            )

    def test_director_sees_all(self):
        self.assertEqual(self._visible(self.user_director), self.lines)
        self.line_eng2.with_user(self.user_director).hours = 5.0
        self.assertEqual(self.line_eng2.hours, 5.0)

    # Sums

    def test_read_group_by_month(self):
        Worklog = self.env["techdept.worklog"]
        domain = [("id", "in", self.lines.ids)]
        result = dict(Worklog._read_group(domain, ["date:month"], ["hours:sum"]))
        self.assertEqual(set(result), {date(2030, 1, 1), date(2030, 2, 1)})
        self.assertAlmostEqual(result[date(2030, 1, 1)], 9.0)
        self.assertAlmostEqual(result[date(2030, 2, 1)], 8.0)
        # Record rules apply to the sums as well.
        own = dict(
            Worklog.with_user(self.user_engineer)._read_group(
                domain, ["date:month"], ["hours:sum"]
            )
        )
        self.assertAlmostEqual(own[date(2030, 1, 1)], 3.5)
        self.assertAlmostEqual(own[date(2030, 2, 1)], 2.0)

    def test_lead_hours(self):
        self.assertEqual(
            self.lead.techdept_worklog_ids, self.line_eng_jan | self.line_eng2
        )
        self.assertAlmostEqual(self.lead.techdept_worklog_hours, 7.5)
        self.assertAlmostEqual(
            self.lead.with_user(self.user_engineer).techdept_worklog_hours, 3.5
        )
        self.env["techdept.worklog"].create(
            self._values(kind="project_support", lead_id=self.lead.id, hours=1.25)
        )
        self.assertAlmostEqual(self.lead.techdept_worklog_hours, 8.75)
        self.line_eng2.write({"kind": "market_intelligence", "lead_id": False})
        self.assertAlmostEqual(self.lead.techdept_worklog_hours, 4.75)

    def test_lead_action(self):
        action = self.lead.with_user(self.user_engineer).action_techdept_worklogs()
        self.assertEqual(action["res_model"], "techdept.worklog")
        self.assertEqual(action["domain"], [("lead_id", "=", self.lead.id)])
        self.assertEqual(action["context"]["default_lead_id"], self.lead.id)
        self.assertEqual(action["context"]["default_kind"], "project_support")
