from datetime import date

from freezegun import freeze_time
from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.tests import tagged

from .common import TechdeptOrgCase

# Query budgets of the engine's hot paths, as the users who act (never the
# superuser), the end of the request included: flush, tracking, the counters'
# bus messages and notifications. Measured on Odoo 18.0.
#
# Approving a step (the next step opening) and submitting one record stay
# above the 30, 40 and 25 aimed at: the access check of the record, the
# state's tracking message, the decision's own message, the next approver's
# to-do (its follower subscription included) and the robot's notice are each
# a few queries of Odoo's mail; the engine's to-dos send no "assigned to
# you" notice and a decision archives them as done without a "done"
# message (deleting them would empty the ORM's cache mid-decision).
APPROVE_QUERIES = 37  # one step of one approver, the next step opening
# The last step: the record approved. 30 in the benchmark, whose requests
# carry the user's time zone as the web client's do; here the approver's
# own row is read first for it.
APPROVE_LAST_QUERIES = 34
APPROVE_GROUP_QUERIES = 36  # one step open to a group of 50
SUBMIT_ONE_QUERIES = 32
SUBMIT_FIFTY_QUERIES = 97
SUBMIT_FIFTY_GROUP_QUERIES = 74  # 50 records, first step open to 50 users
MY_APPROVALS_QUERIES = 3  # also for a deputy acting for an absent holder
GROUP_SIZE = 50


@tagged("post_install", "-at_install", "is_query_count")
class TestApprovalPerformance(TechdeptOrgCase):
    """The engine's cost does not grow with the people who may decide nor,
    per record, with the records decided at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, "odoo.addons.techdept_approval_tests")
        cls.loader.backup_registry()
        from .fake_models import TechdeptApprovalTester

        cls.loader.update_registry((TechdeptApprovalTester,))
        cls.Tester = cls.env["techdept.approval.tester"]
        cls.env["ir.model.access"].create(
            {
                "name": "tester",
                "model_id": cls.env["ir.model"]._get_id("techdept.approval.tester"),
                "group_id": cls.env.ref("base.group_user").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
                "perm_unlink": True,
            }
        )
        cls.user_sales = cls.env["res.users"].create(
            {
                "name": "Td Sales",
                "login": "td_sales",
                "email": "td_sales@example.com",
                "groups_id": [Command.set([cls.env.ref("base.group_user").id])],
            }
        )
        # A group of reviewers, each an employee of the O&M department.
        cls.group_reviewers = cls.env["res.groups"].create({"name": "Reviewers"})
        cls.reviewers = cls.env["res.users"].create(
            [
                {
                    "name": f"Reviewer {index:02d}",
                    "login": f"td_reviewer_{index:02d}",
                    "email": f"td_reviewer_{index:02d}@example.com",
                    "groups_id": [
                        Command.set(
                            [
                                cls.env.ref("base.group_user").id,
                                cls.group_reviewers.id,
                            ]
                        )
                    ],
                }
                for index in range(GROUP_SIZE)
            ]
        )
        cls.env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "department_id": cls.dept_om.id,
                }
                for user in cls.reviewers
            ]
        )
        cls.chain = cls.env["techdept.approval.chain"].create(
            {
                "name": "Tester chain",
                "code": "tester_chain",
                "model_id": cls.env["ir.model"]._get_id("techdept.approval.tester"),
                "step_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "name": "Director",
                            "approver_type": "role",
                            "role": "director",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "name": "Sales",
                            "approver_type": "field",
                            "field_id": cls.env["ir.model.fields"]
                            ._get("techdept.approval.tester", "salesperson_id")
                            .id,
                        }
                    ),
                ],
            }
        )
        cls.first_step = cls.chain.step_ids.sorted("sequence")[0]

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _to_the_group(self):
        self.first_step.write(
            {"approver_type": "group", "group_id": self.group_reviewers.id}
        )

    def _records(self, count):
        return self.Tester.with_user(self.user_engineer).create(
            [
                {"name": f"R{index}", "salesperson_id": self.user_sales.id}
                for index in range(count)
            ]
        )

    def _submitted(self, count):
        records = self._records(count)
        records.action_approval_submit()
        return records

    def _measure(self, user, budget, func):
        """Run ``func`` as ``user`` on a cold cache, within ``budget``
        queries counted for ``user``, the end of the request included."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        env = self.env
        self.env = env(user=user)
        try:
            with self.assertQueryCount(**{user.login: budget}):
                func(self.env)
        finally:
            self.env = env

    def _approve(self, user, record):
        return lambda env: record.with_env(env).action_approval_approve()

    def test_approve_one_step_of_one_approver(self):
        # Warm the caches of rules and groups, then measure another record.
        records = self._submitted(3)
        self._approve(self.user_director, records[0])(self.env(user=self.user_director))
        self._measure(
            self.user_director,
            APPROVE_QUERIES,
            self._approve(self.user_director, records[1]),
        )
        line = records[1].approval_line_ids.sorted("sequence")
        self.assertEqual(line.mapped("state"), ["approved", "pending"])
        self.assertEqual(self._todo_users(records[1]), self.user_sales)

    def test_approve_the_last_step(self):
        # The record approved: the decision, its message to the submitter
        # (with Odoo's inbox notification) and the closed to-do.
        records = self._submitted(3)
        for record in records:
            self._approve(self.user_director, record)(self.env(user=self.user_director))
        self._approve(self.user_sales, records[0])(self.env(user=self.user_sales))
        self._measure(
            self.user_sales,
            APPROVE_LAST_QUERIES,
            self._approve(self.user_sales, records[1]),
        )
        self.assertEqual(records[1].approval_state, "approved")
        self.assertFalse(self._todo_users(records[1]))
        self.assertFalse(records[1].approval_line_ids.approved_user_ids)
        self.assertIn(
            self.user_engineer.partner_id,
            records[1].message_ids[:1].notification_ids.res_partner_id,
        )

    def test_approve_one_step_of_a_group(self):
        self._to_the_group()
        records = self._submitted(3)
        member = self.reviewers[7]
        self._approve(member, records[0])(self.env(user=member))
        self._measure(member, APPROVE_GROUP_QUERIES, self._approve(member, records[1]))
        line = records[1].approval_line_ids.sorted("sequence")
        self.assertEqual(line.mapped("state"), ["approved", "pending"])
        self.assertEqual(line[0].acted_by_id, member)
        self.assertEqual(self._todo_users(records[1]), self.user_sales)

    def _submit(self, records):
        return lambda env: records.with_env(env).action_approval_submit()

    def test_submit_one_and_fifty_to_one_approver(self):
        self._submitted(1)  # warm
        records = self._records(1)
        self._measure(self.user_engineer, SUBMIT_ONE_QUERIES, self._submit(records))
        self.assertEqual(records.approval_state, "pending")
        self.assertEqual(self._todo_users(records), self.user_director)
        records = self._records(50)
        self._measure(self.user_engineer, SUBMIT_FIFTY_QUERIES, self._submit(records))
        self.assertEqual(set(records.mapped("approval_state")), {"pending"})
        for record in records:
            self.assertEqual(self._todo_users(record), self.user_director)
        # One notice lists them, not one per to-do.
        notices = self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.user_director.partner_id.ids),
                ("model", "=", records._name),
                ("res_id", "in", records.ids),
            ]
        )
        self.assertEqual(notices.mapped("subject"), ["50 documents to review"])
        self.assertEqual(notices.body.count("<li>"), 50)

    def test_submit_fifty_to_a_group(self):
        self._to_the_group()
        self._submitted(1)  # warm
        records = self._records(50)
        self._measure(
            self.user_engineer, SUBMIT_FIFTY_GROUP_QUERIES, self._submit(records)
        )
        self.assertEqual(set(records.mapped("approval_state")), {"pending"})
        mine = (
            self.env["techdept.approval.line"]
            .with_user(self.reviewers[3])
            .search([("can_review", "=", True)])
        )
        self.assertEqual(len(mine), 51)
        # No to-do per member: the step is found in My Approvals.
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", records._name), ("res_id", "in", records.ids)]
            )
        )

    def _todo_users(self, record):
        return (
            self.env["mail.activity"]
            .search([("res_model", "=", record._name), ("res_id", "=", record.id)])
            .user_id
        )

    def _my_approvals(self, user, expected):
        def search(env):
            lines = env["techdept.approval.line"].search([("can_review", "=", True)])
            self.assertEqual(len(lines), expected)

        return search

    def _queries(self, user, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func(self.env(user=user))
        return self.cr.sql_log_count - before

    @freeze_time("2026-12-07")
    def test_my_approvals_in_constant_queries(self):
        self.first_step.write({"role": "om_manager"})
        self._submitted(20)
        # Steps of others, pending too.
        self.first_step.write({"role": "director"})
        self._submitted(30)
        self.first_step.write({"role": "om_manager"})
        search = self._my_approvals(self.user_a, 20)
        search(self.env(user=self.user_a))  # warm the caches of rules and groups
        small = self._queries(self.user_a, search)
        self._submitted(180)
        search = self._my_approvals(self.user_a, 200)
        self.assertEqual(self._queries(self.user_a, search), small)
        self._measure(self.user_a, MY_APPROVALS_QUERIES, search)
        # A away: B acts for him (the O&M department's deputy department).
        self._leave(self.emp_a, date(2026, 12, 7), date(2026, 12, 8))
        deputy = self._my_approvals(self.user_b, 200)
        deputy(self.env(user=self.user_b))
        self._measure(self.user_b, MY_APPROVALS_QUERIES, deputy)
