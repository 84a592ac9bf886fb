import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.techdept_org.tests.common import techdept_person


@tagged("post_install", "-at_install")
class TestBonus(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        cls.env["techdept.delegation"].search([]).unlink()

        def person(login, groups, job=None, department=None, manages=None):
            return techdept_person(cls.env, login, groups, job, department, manages)

        cls.user_director, cls.emp_director = person(
            "bo_director",
            "techdept_org.group_director",
            "director",
            "dept_technical",
            "dept_technical",
        )
        cls.user_manager, cls.emp_manager = person(
            "bo_impl",
            "techdept_org.group_manager",
            "implementation_manager",
            "dept_implementation",
            "dept_implementation",
        )
        cls.user_presales, cls.emp_presales = person(
            "bo_presales",
            "techdept_org.group_engineer",
            "presales_engineer",
            "dept_presales",
        )
        cls.user_presales2, cls.emp_presales2 = person(
            "bo_presales2",
            "techdept_org.group_engineer",
            "presales_engineer",
            "dept_presales",
        )
        cls.user_impl, cls.emp_impl = person(
            "bo_engineer",
            "techdept_org.group_engineer",
            "onsite_engineer",
            "dept_implementation",
        )
        cls.user_om, cls.emp_om = person(
            "bo_om", "techdept_org.group_engineer", "aftersales_engineer", "dept_om"
        )
        lead = cls.env["crm.lead"].create(
            {
                "name": "Data centre",
                "type": "opportunity",
                "techdept_presales_user_id": cls.user_presales.id,
            }
        )
        cls.env["techdept.worklog"].create(
            {
                "employee_id": cls.emp_presales2.id,
                "kind": "project_support",
                "hours": 4,
                "lead_id": lead.id,
                "name": "Solution design",
            }
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "Data centre",
                "techdept_kind": "implementation",
                "techdept_lead_id": lead.id,
                "techdept_implementation_manager_id": cls.emp_manager.id,
            }
        )
        cls.env["techdept.assignment"].create(
            {
                "project_id": cls.project.id,
                "employee_id": cls.emp_impl.id,
                "date_from": date(2031, 2, 1),
            }
        )
        cls.env["project.project"].create(
            {
                "name": "Data centre O&M",
                "techdept_origin_project_id": cls.project.id,
                "techdept_aftersales_engineer_ids": [Command.link(cls.emp_om.id)],
            }
        )
        cls.period = cls.env["techdept.appraisal.period"].create(
            {"date_from": date(2031, 3, 1)}
        )

    def _pool(self, **vals):
        return (
            self.env["techdept.bonus.pool"]
            .with_user(self.user_manager)
            .create(
                {
                    "name": "Data centre bonus",
                    "project_id": self.project.id,
                    "amount": 1000.0,
                    **vals,
                }
            )
        )

    def _line(self, pool, stream, employee, contribution=1.0):
        return pool.env["techdept.bonus.line"].create(
            {
                "pool_id": pool.id,
                "stream": stream,
                "employee_id": employee.id,
                "contribution": contribution,
            }
        )

    def test_percents_must_total_100(self):
        with self.assertRaisesRegex(ValidationError, "total exactly 100"):
            self._pool(presales_percent=50, implementation_percent=30, om_percent=30)
        with self.assertRaisesRegex(ValidationError, "positive amount"):
            self._pool(amount=0.0)

    def test_propose_lines_from_the_project(self):
        pool = self._pool(presales_percent=20, implementation_percent=50, om_percent=30)
        pool.action_propose_lines()
        found = {(line.stream, line.employee_id) for line in pool.line_ids}
        self.assertEqual(
            found,
            {
                ("presales", self.emp_presales),
                ("presales", self.emp_presales2),
                ("implementation", self.emp_impl),
                ("om", self.emp_om),
            },
        )
        self.assertEqual(set(pool.line_ids.mapped("contribution")), {1.0})
        self.assertEqual(set(pool.line_ids.mapped("coefficient")), {1.0})
        amounts = {
            (line.stream, line.employee_id): line.amount for line in pool.line_ids
        }
        self.assertEqual(amounts["presales", self.emp_presales], 100.0)
        self.assertEqual(amounts["implementation", self.emp_impl], 500.0)
        self.assertEqual(amounts["om", self.emp_om], 300.0)
        # Typed contributions survive a new proposal.
        pool.line_ids.filtered(
            lambda line: line.employee_id == self.emp_presales
        ).contribution = 3.0
        pool.action_propose_lines()
        self.assertEqual(
            pool.line_ids.filtered(
                lambda line: line.employee_id == self.emp_presales
            ).contribution,
            3.0,
        )
        self.assertEqual(
            pool.line_ids.filtered(lambda line: line.stream == "presales").mapped(
                "amount"
            ),
            [150.0, 50.0],
        )

    def test_each_stream_gets_its_share_exactly(self):
        # 100,000.00 split 30/50/20, each stream among three equal lines: the
        # streams' shares are whole, so each must be paid exactly (rounding
        # over the whole pool gave 30,000.00 / 49,999.99 / 20,000.01).
        pool = self._pool(
            amount=100000.0,
            presales_percent=30,
            implementation_percent=50,
            om_percent=20,
        )
        employees = (self.emp_presales, self.emp_presales2, self.emp_impl)
        for stream in ("om", "implementation", "presales"):
            for employee in employees:
                self._line(pool, stream, employee)
        currency = pool.currency_id
        for stream, share in (
            ("presales", 30000.0),
            ("implementation", 50000.0),
            ("om", 20000.0),
        ):
            lines = pool.line_ids.filtered(lambda line, s=stream: line.stream == s)
            self.assertEqual(
                currency.compare_amounts(sum(lines.mapped("amount")), share),
                0,
                f"{stream}: {lines.mapped('amount')}",
            )
            for line in lines:
                self.assertLessEqual(abs(line.amount - share / 3), 0.01 + 1e-9)
        self.assertEqual(
            currency.compare_amounts(sum(pool.line_ids.mapped("amount")), 100000.0),
            0,
        )
        # An amount that does not split into whole cents: streams still add
        # up to the pool, each within a cent of its exact share.
        pool.amount = 100000.01
        total = 0.0
        for stream, percent in (("presales", 30), ("implementation", 50), ("om", 20)):
            lines = pool.line_ids.filtered(lambda line, s=stream: line.stream == s)
            paid = sum(lines.mapped("amount"))
            self.assertLess(abs(paid - 100000.01 * percent / 100), 0.01)
            for line in lines:
                self.assertLess(abs(line.amount - 100000.01 * percent / 300), 0.01)
            total += paid
        self.assertEqual(currency.compare_amounts(total, 100000.01), 0)

    def test_largest_remainder_is_exact(self):
        pool = self._pool(presales_percent=100, implementation_percent=0, om_percent=0)
        for employee in (self.emp_presales, self.emp_presales2, self.emp_impl):
            self._line(pool, "presales", employee)
        self.assertEqual(
            sorted(pool.line_ids.mapped("amount"), reverse=True),
            [333.34, 333.33, 333.33],
        )
        self.assertEqual(
            pool.currency_id.compare_amounts(
                sum(pool.line_ids.mapped("amount")), 1000.0
            ),
            0,
        )
        # Across streams too: 100.01 in thirds of 30/30/40.
        pool.write(
            {
                "amount": 100.01,
                "presales_percent": 30,
                "implementation_percent": 30,
                "om_percent": 40,
            }
        )
        self._line(pool, "implementation", self.emp_impl)
        self._line(pool, "om", self.emp_om)
        self.assertEqual(
            pool.currency_id.compare_amounts(
                sum(pool.line_ids.mapped("amount")), 100.01
            ),
            0,
        )
        # Exact shares in cents: 1000.1 × 3, 3000.3 and 4000.4: the cent left
        # over goes to the largest remainder, O&M's.
        self.assertEqual(
            pool.line_ids.filtered(lambda line: line.stream == "om").amount, 40.01
        )
        self.assertEqual(
            pool.line_ids.filtered(lambda line: line.stream == "implementation").amount,
            30.0,
        )

    def test_coefficient_weighting(self):
        template = self.env["techdept.kpi.template"].search([], limit=1)
        appraisal = self.env["techdept.appraisal"].create(
            {
                "period_id": self.period.id,
                "employee_id": self.emp_impl.id,
                "template_id": template.id,
                "appraiser_id": self.emp_manager.id,
                "line_ids": [
                    Command.create(
                        {
                            "template_line_id": template.line_ids[0].id,
                            "group": "performance",
                            "weight": 100,
                            "max_score": 100,
                            "score": 95,
                        }
                    )
                ],
            }
        )
        self.assertEqual(appraisal.coefficient, 1.2)
        pool = self._pool(presales_percent=0, implementation_percent=100, om_percent=0)
        pool.period_ids = self.period
        first = self._line(pool, "implementation", self.emp_impl)
        second = self._line(pool, "implementation", self.emp_om, contribution=2.0)
        # Not approved yet: it does not count.
        self.assertEqual(first.coefficient, 1.0)
        appraisal.state = "approved"
        pool.line_ids.unlink()
        first = self._line(pool, "implementation", self.emp_impl)
        second = self._line(pool, "implementation", self.emp_om, contribution=2.0)
        self.assertEqual(first.coefficient, 1.2)
        self.assertEqual(second.coefficient, 1.0)
        # 1000 × 1.2 / (1.2 + 2 × 1.0) and 1000 × 2 / 3.2.
        self.assertEqual(first.amount, 375.0)
        self.assertEqual(second.amount, 625.0)

    def test_submission_refused_when_incomplete(self):
        pool = self._pool(presales_percent=20, implementation_percent=50, om_percent=30)
        with self.assertRaisesRegex(UserError, "no lines"):
            pool.action_approval_submit()
        self._line(pool, "presales", self.emp_presales)
        self._line(pool, "implementation", self.emp_impl)
        with self.assertRaisesRegex(UserError, "O&M stream .* nobody to receive it"):
            pool.action_approval_submit()
        om = self._line(pool, "om", self.emp_om, contribution=0.0)
        with self.assertRaisesRegex(UserError, "nobody to receive it"):
            pool.action_approval_submit()
        om.contribution = 1.0
        # An amount changed behind the ORM's back is caught.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE techdept_bonus_line SET amount = amount - 0.01 WHERE id = %s",
            [om.id],
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(
            UserError, r"add up to 999.99 instead of 1000.0 \(difference: 0.01\)"
        ):
            pool.action_approval_submit()
        self.assertEqual(pool.approval_state, "draft")

    def test_approval_by_the_director_and_locking(self):
        pool = self._pool()
        pool.action_propose_lines()
        self.assertEqual(pool.approval_required, True)
        pool.action_approval_submit()
        self.assertEqual(pool.approval_state, "pending")
        self.assertIn(self.user_director, pool.approval_current_user_ids)
        with self.assertRaises(UserError):
            pool.line_ids[0].contribution = 5.0
        pool.with_user(self.user_director).action_approval_approve()
        self.assertEqual(pool.approval_state, "approved")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            pool.amount = 2000.0
        with self.assertRaisesRegex(UserError, "Bonus Line cannot change"):
            pool.line_ids[0].contribution = 5.0
        with self.assertRaisesRegex(UserError, "Bonus Line cannot change"):
            pool.line_ids[0].unlink()
        with self.assertRaises(UserError):
            pool.action_propose_lines()

    def test_director_cannot_approve_his_own_bonus(self):
        pool = self._pool()
        pool.action_propose_lines()
        self._line(pool, "om", self.emp_director)
        pool.action_approval_submit()
        with self.assertRaisesRegex(UserError, "You have a line"):
            pool.with_user(self.user_director).action_approval_approve()
        self.assertEqual(pool.approval_state, "pending")

    def test_engineers_see_nothing(self):
        pool = self._pool()
        pool.action_propose_lines()
        with self.assertRaises(AccessError):
            pool.with_user(self.user_impl).read(["amount"])
        with self.assertRaises(AccessError):
            pool.line_ids.with_user(self.user_impl).read(["amount"])
        with self.assertRaises(AccessError):
            self.env["techdept.bonus.pool"].with_user(self.user_impl).search([])
        # Another manager does not see the pool either; the director does.
        other = new_test_user(
            self.env, login="bo_other_mgr", groups="techdept_org.group_manager"
        )
        self.assertFalse(
            self.env["techdept.bonus.pool"]
            .with_user(other)
            .search([("id", "=", pool.id)])
        )
        self.assertTrue(
            self.env["techdept.bonus.pool"]
            .with_user(self.user_director)
            .search([("id", "=", pool.id)])
        )

    def test_xlsx_export(self):
        pool = self._pool(amount=1000.01)
        pool.action_propose_lines()
        action = pool.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/techdept_appraisal/xlsx/bonus/{pool.id}")
        # Made on request, stored nowhere.
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", pool._name), ("res_id", "=", pool.id)]
            )
        )
        filename, content = pool._techdept_xlsx_file()
        self.assertEqual(filename, f"{pool.name}.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0], ("Employee", "Stream", "Contribution", "Coefficient", "Amount")
        )
        body, total = rows[1:-1], rows[-1]
        self.assertEqual(len(body), 4)
        self.assertEqual(total[0], "Total")
        self.assertAlmostEqual(sum(row[4] for row in body), 1000.01, places=2)
        self.assertAlmostEqual(total[4], 1000.01, places=2)

    def test_budget(self):
        Budget = self.env["techdept.budget"].with_user(self.user_manager)
        with self.assertRaisesRegex(ValidationError, "either a period"):
            Budget.create({"name": "Travel", "stream": "presales", "planned": 100.0})
        with self.assertRaisesRegex(ValidationError, "positive planned"):
            Budget.create(
                {
                    "name": "Travel",
                    "stream": "presales",
                    "planned": 0.0,
                    "project_id": self.project.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            Budget.create(
                {
                    "name": "Travel",
                    "stream": "om",
                    "planned": 10.0,
                    "actual": -1.0,
                    "project_id": self.project.id,
                }
            )
        budget = Budget.create(
            {
                "name": "Travel",
                "stream": "presales",
                "planned": 100.0,
                "actual": 120.0,
                "date_from": date(2031, 1, 1),
                "date_to": date(2031, 12, 31),
            }
        )
        self.assertEqual(budget.variance, -20.0)
        budget.action_approval_submit()
        budget.with_user(self.user_director).action_approval_approve()
        self.assertEqual(budget.approval_state, "approved")
        with self.assertRaises(UserError):
            budget.planned = 200.0
        budget.actual = 90.0
        self.assertEqual(budget.variance, 10.0)
        with self.assertRaises(AccessError):
            budget.with_user(self.user_impl).read(["planned"])
