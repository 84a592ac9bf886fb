from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.techdept_org.tests.common import techdept_person

from .common import TechdeptProjectCase

# Measured on Odoo 18.0: flat in the number of engineers and assignments.
POOL_QUERIES = 8


@tagged("post_install", "-at_install")
@freeze_time("2027-03-03")  # a Wednesday
class TestEnginePool(TechdeptProjectCase):
    """The managers plan from the pool without any right on employees'
    private records; engineers do not see it."""

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
        cls.project2 = cls.env["project.project"].create(
            {
                "name": "Campus network",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": cls.emp_b.id,
            }
        )

    def _assign(self, employee, date_from, date_to=False, project=None, **values):
        return self.env["techdept.assignment"].create(
            {
                "project_id": (project or self.project).id,
                "employee_id": employee.id,
                "date_from": date_from,
                "date_to": date_to,
                **values,
            }
        )

    def _pool(self, user):
        return self.env["techdept.pool.engineer"].with_user(user)

    def _row(self, user, employee):
        return self._pool(user).search([("employee_id", "=", employee.id)])

    def test_managers_open_the_pool(self):
        self._assign(self.emp_e1, "2027-03-01", "2027-03-04")
        for user in (self.user_a, self.user_b):
            self.assertFalse(user.has_group("hr.group_hr_user"))
            pool = self._pool(user)
            self.assertEqual(
                set(pool.search([]).employee_id.ids) & {self.emp_e1.id, self.emp_e2.id},
                {self.emp_e1.id, self.emp_e2.id},
            )
            self.assertNotIn(self.emp_b, pool.search([]).employee_id)
            rows = pool.search([("employee_id", "=", self.emp_e1.id)]).read(
                ["name", "job_id", "parent_id", "state", "project_id", "date_until"]
            )
            self.assertEqual(rows[0]["name"], self.emp_e1.name)
            self.assertEqual(
                rows[0]["job_id"][0],
                self.env.ref("techdept_org.job_aftersales_engineer").id,
            )
            self.assertEqual(rows[0]["parent_id"][0], self.emp_b.id)
            self.assertEqual(rows[0]["state"], "busy")
            self.assertEqual(rows[0]["project_id"][0], self.project.id)
            self.assertEqual(rows[0]["date_until"], date(2027, 3, 4))
            # Still no right on the employees' private fields.
            with self.assertRaises(AccessError):
                self.emp_e1.with_user(user).read(["private_email"])

    def test_job_titles_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        job = self.env.ref("techdept_org.job_aftersales_engineer")
        job.with_context(lang="zh_CN").name = "售后工程师"
        row = self._row(self.user_b, self.emp_e1).with_context(lang="zh_CN")
        self.assertEqual(row.job_id.display_name, "售后工程师")

    def test_engineers_do_not_see_it(self):
        with self.assertRaises(AccessError):
            self._pool(self.user_e1).search([])
        row = self._row(self.user_b, self.emp_e2)
        with self.assertRaises(AccessError):
            row.with_user(self.user_e1).action_assign()

    def test_availability_this_week_and_next(self):
        # e1 ends on Friday, then a second project from next Wednesday on.
        self._assign(self.emp_e1, "2027-02-15", "2027-03-05")
        self._assign(self.emp_e1, "2027-03-10", "2027-03-19", self.project2)
        # e2 starts next Monday without an end date.
        self._assign(self.emp_e2, "2027-03-08")
        e1 = self._row(self.user_b, self.emp_e1)
        e2 = self._row(self.user_b, self.emp_e2)
        self.assertEqual(e1.state, "busy")
        self.assertEqual(e1.project_id, self.project)
        self.assertEqual(e1.date_until, date(2027, 3, 5))
        self.assertEqual(e1.free_from, date(2027, 3, 6))
        self.assertEqual(e1.week_state, "busy")
        self.assertEqual(e1.next_week_state, "partly")
        self.assertIn("Campus network", e1.next_week_note)
        self.assertEqual(len(e1.assignment_ids), 2)

        self.assertEqual(e2.state, "free")
        self.assertFalse(e2.project_id)
        self.assertEqual(e2.week_state, "free")
        self.assertEqual(e2.next_week_state, "busy")
        self.assertEqual(e2.free_from, date(2027, 3, 3))

        Pool = self._pool(self.user_b)
        self.assertIn(e2, Pool.search([("state", "=", "free")]))
        self.assertNotIn(e1, Pool.search([("state", "=", "free")]))
        available = Pool.search([("next_week_state", "in", ("free", "partly"))])
        self.assertIn(e1, available)
        self.assertNotIn(e2, available)

        # An assignment without an end date: free from nobody knows when.
        self._assign(
            self.emp_e2,
            "2027-03-01",
            project=self.project2,
            confirm_double_booking=True,
        )
        self.env.invalidate_all()
        self.assertEqual(e2.state, "busy")
        self.assertFalse(e2.free_from)
        self.assertFalse(e2.date_until)

    def test_ended_assignments_free_the_engineer(self):
        assignment = self._assign(self.emp_e1, "2027-02-01")
        assignment.action_end()
        row = self._row(self.user_a, self.emp_e1)
        self.assertEqual(row.state, "free")
        self.assertEqual(row.week_state, "free")

    def test_assign_from_the_pool(self):
        self._assign(self.emp_e1, "2027-02-15", "2027-03-05")
        row = self._row(self.user_b, self.emp_e1)
        action = row.action_assign()
        self.assertEqual(action["res_model"], "techdept.assignment")
        self.assertEqual(action["context"]["default_employee_id"], self.emp_e1.id)
        self.assertEqual(action["context"]["default_date_from"], "2027-03-06")
        assignment = (
            self.env["techdept.assignment"]
            .with_user(self.user_b)
            .with_context(**action["context"])
            .create({"project_id": self.project2.id})
        )
        self.assertEqual(assignment.employee_id, self.emp_e1)
        self.assertEqual(assignment.date_from, date(2027, 3, 6))

    def test_query_count(self):
        self._assign(self.emp_e1, "2027-02-01", "2027-03-04")
        for n in range(4):
            # More engineers and assignments: the same number of queries.
            _user, employee = techdept_person(
                self.env,
                f"prj_pool{n}",
                "techdept_org.group_engineer",
                "onsite_engineer",
                "dept_om",
            )
            self._assign(employee, "2027-03-01", "2027-03-09", self.project2)
            self._assign(employee, "2027-03-10", project=self.project)
            rows = self._pool(self.user_b).search([])
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=POOL_QUERIES):
                rows.mapped("next_week_state")

    def test_engineers_of_other_companies_are_not_listed(self):
        branch = self.env["res.company"].create({"name": "Branch office"})
        job = self.env.ref("techdept_org.job_onsite_engineer")
        other = self.env["hr.employee"].create(
            {"name": "Branch engineer", "company_id": branch.id, "job_id": job.id}
        )
        self.assertTrue(other.techdept_is_pool)
        self.assertNotIn(other, self._pool(self.user_b).search([]).employee_id)
        self.user_b.company_ids |= branch
        pool = self._pool(self.user_b).with_context(
            allowed_company_ids=(self.env.company | branch).ids
        )
        self.assertIn(other, pool.search([]).employee_id)
