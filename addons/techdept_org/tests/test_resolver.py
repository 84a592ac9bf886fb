from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TechdeptOrgCase

MONDAY = date(2026, 12, 7)


@tagged("post_install", "-at_install")
@freeze_time("2026-12-07")
class TestResolver(TechdeptOrgCase):
    def test_present_holder_acts_himself(self):
        self.assertEqual(self.resolver._acting_employee(self.emp_a), self.emp_a)
        self.assertEqual(self.resolver._function_manager("om"), self.emp_a)
        self.assertEqual(self.resolver._role_holders("om_manager"), self.emp_a)
        self.assertFalse(self.resolver._is_absent(self.emp_a))

    def test_time_off_makes_the_deputy_act(self):
        leave = self._leave(self.emp_a, MONDAY, date(2026, 12, 9))
        delegation = self.env["techdept.delegation"].search(
            [("leave_id", "=", leave.id)]
        )
        self.assertRecordValues(
            delegation,
            [
                {
                    "employee_id": self.emp_a.id,
                    "deputy_id": self.emp_b.id,
                    "department_id": self.dept_om.id,
                    "origin": "leave",
                    "state": "active",
                }
            ],
        )
        self.assertEqual(self.resolver._acting_employee(self.emp_a), self.emp_b)
        self.assertEqual(self.resolver._function_manager("om"), self.emp_b)
        self.assertEqual(self.resolver._role_holders("om_manager"), self.emp_b)
        self.assertEqual(self.resolver._represented(self.emp_b), self.emp_a)
        # Before and after the time off, A acts again.
        self.assertEqual(
            self.resolver._acting_employee(self.emp_a, date(2026, 12, 4)), self.emp_a
        )
        self.assertEqual(
            self.resolver._acting_employee(self.emp_a, date(2026, 12, 10)), self.emp_a
        )

    def test_unvalidated_time_off_changes_nothing(self):
        self._leave(self.emp_a, MONDAY, MONDAY, validate=False)
        self.assertFalse(self.env["techdept.delegation"].search([]))
        self.assertEqual(self.resolver._acting_employee(self.emp_a), self.emp_a)

    def test_refused_time_off_removes_the_delegation(self):
        leave = self._leave(self.emp_a, MONDAY, date(2026, 12, 8))
        self.assertTrue(leave.sudo().action_refuse())
        self.assertFalse(
            self.env["techdept.delegation"].search([("leave_id", "=", leave.id)])
        )
        self.assertEqual(self.resolver._acting_employee(self.emp_a), self.emp_a)

    def test_cancelled_time_off_removes_the_delegation(self):
        leave = self._leave(self.emp_a, MONDAY, date(2026, 12, 8))
        leave.sudo()._force_cancel("Trip postponed", notify_responsibles=False)
        self.assertFalse(
            self.env["techdept.delegation"].search([("leave_id", "=", leave.id)])
        )
        self.assertEqual(self.resolver._acting_employee(self.emp_a), self.emp_a)

    def test_overlapping_absences(self):
        """A manual out-of-office and a time off overlap: B acts through
        both; dropping one leaves the other in force."""
        manual = self.env["techdept.delegation"].create(
            {
                "employee_id": self.emp_a.id,
                "deputy_id": self.emp_b.id,
                "department_id": self.dept_om.id,
                "date_from": date(2026, 12, 3),
                "date_to": MONDAY,
            }
        )
        leave = self._leave(self.emp_a, MONDAY, date(2026, 12, 9))
        self.assertEqual(self.resolver._acting_employee(self.emp_a, MONDAY), self.emp_b)
        manual.unlink()
        self.assertEqual(self.resolver._acting_employee(self.emp_a, MONDAY), self.emp_b)
        self.assertEqual(
            self.resolver._acting_employee(self.emp_a, date(2026, 12, 3)), self.emp_a
        )
        leave.sudo().action_refuse()
        self.assertEqual(self.resolver._acting_employee(self.emp_a, MONDAY), self.emp_a)

    def test_deputy_absent_too_escalates(self):
        """B has no deputy of his own: with A and B both away, the acting
        manager of the parent department (the director) acts."""
        self._leave(self.emp_a, MONDAY, date(2026, 12, 9))
        self._leave(self.emp_b, MONDAY, MONDAY)
        self.assertEqual(self.resolver._acting_employee(self.emp_a), self.emp_director)
        self.assertEqual(self.resolver._function_manager("om"), self.emp_director)
        self.assertEqual(
            self.resolver._acting_employee(self.emp_a, date(2026, 12, 8)), self.emp_b
        )

    def test_deputy_absent_follows_his_deputy(self):
        self.dept_implementation.techdept_deputy_id = self.emp_presales_mgr
        self._leave(self.emp_a, MONDAY, date(2026, 12, 9))
        self._leave(self.emp_b, MONDAY, MONDAY)
        self.assertEqual(
            self.resolver._acting_employee(self.emp_a), self.emp_presales_mgr
        )
        self.assertEqual(
            self.resolver._acting_employee(self.emp_b), self.emp_presales_mgr
        )
        self.assertEqual(
            self.resolver._represented(self.emp_presales_mgr), self.emp_a | self.emp_b
        )

    def test_mutual_deputies_away_together(self):
        """A and B are each other's deputies and both away: the chain runs
        back on itself, so the director acts for both."""
        self.dept_implementation.techdept_deputy_id = self.emp_a
        self._leave(self.emp_a, MONDAY, MONDAY)
        self._leave(self.emp_b, MONDAY, MONDAY)
        self.assertEqual(self.resolver._acting_employee(self.emp_a), self.emp_director)
        self.assertEqual(self.resolver._acting_employee(self.emp_b), self.emp_director)

    def test_everybody_away_keeps_the_holder(self):
        self._leave(self.emp_director, MONDAY, MONDAY)
        self.assertEqual(
            self.resolver._acting_employee(self.emp_director), self.emp_director
        )

    def test_acting_managers_batch(self):
        self._leave(self.emp_a, MONDAY, MONDAY)
        departments = self.dept_om | self.dept_implementation | self.dept_technical
        # The day's absences are one query; the departments are cached.
        with self.assertQueryCount(__system__=1):
            result = self.resolver._acting_managers(departments)
        self.assertEqual(result[self.dept_om], self.emp_b)
        self.assertEqual(result[self.dept_implementation], self.emp_b)
        self.assertEqual(result[self.dept_technical], self.emp_director)

    def test_function_manager_user_from_the_map(self):
        self.assertEqual(self.resolver._function_manager_user("om"), self.user_a)
        self._leave(self.emp_a, MONDAY, MONDAY)
        self.env.invalidate_all()
        # The day's map answers, departments included: one query.
        with self.assertQueryCount(__system__=1):
            user = self.resolver._function_manager_user("om")
        self.assertEqual(user, self.user_b)
        self.assertEqual(self.resolver._function_manager("om"), self.emp_b)
        # A department without a manager answers with its parent's.
        self.dept_om.manager_id = False
        self.assertEqual(self.resolver._function_manager("om"), self.emp_director)
        self.assertEqual(
            self.resolver._function_manager_user("om"), self.emp_director.user_id
        )

    def test_line_manager_extension_points(self):
        self.emp_engineer._techdept_set_line_manager(self.emp_b, "Project X")
        self.assertEqual(self.emp_engineer.parent_id, self.emp_b)
        self.assertIn("Project X", self.emp_engineer.message_ids[:1].body)
        self.emp_engineer._techdept_restore_line_manager("Project X ended")
        self.assertEqual(self.emp_engineer.parent_id, self.emp_a)
        # While A is away, the engineer still goes back to A: B acts for A
        # through the delegation, the line manager is not rewritten.
        self.emp_onsite._techdept_set_line_manager(self.emp_b, "Project Y")
        self._leave(self.emp_a, MONDAY, MONDAY)
        self.emp_onsite._techdept_restore_line_manager("Project Y ended")
        self.assertEqual(self.emp_onsite.parent_id, self.emp_a)
        # A manager's home is the manager above him.
        self.assertEqual(
            self.emp_a._techdept_home_manager()[self.emp_a], self.emp_director
        )
