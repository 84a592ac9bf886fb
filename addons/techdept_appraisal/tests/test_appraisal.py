from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, mute_logger

from odoo.addons.techdept_org.models.techdept_guard import as_server
from odoo.addons.techdept_org.tests.common import techdept_person

# Measured on Odoo 18.0 for 60 employees (about 70 with the tests' own), with
# their sheets of goals and self-assessment and the templates' seven items: 79.
GENERATION_QUERIES = 80


def clear_fixed_months(env):
    """The tests work on fixed months of 2026 and 2027, under a frozen
    clock; the demo's months follow the day it was installed and may be the
    same ones. Within the test's transaction, the demo's months move a
    century back, out of their way."""
    env["techdept.appraisal.period"].flush_model()
    env.cr.execute(
        SQL(
            "UPDATE techdept_appraisal_period"
            " SET date_from = date_from - interval '100 years',"
            " date_to = date_to - interval '100 years'"
            " WHERE date_from >= %s",
            date(2026, 1, 1),
        )
    )
    env.invalidate_all()


class AppraisalCase(TransactionCase):
    """A department of the tests' own and last month's appraisals: the
    director, the O&M, implementation and presales managers, a presales
    engineer and two pool engineers, one of them on a project that month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        clear_fixed_months(cls.env)
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        cls.env["techdept.delegation"].search([]).unlink()
        # The month scored by the appraisers alone (the demo asks every
        # template for a self-assessment; the cycle's tests ask it again).
        cls.env["techdept.kpi.template"].search([]).self_assessment = False

        def person(login, groups, job=None, department=None, manages=None):
            return techdept_person(cls.env, login, groups, job, department, manages)

        cls.user_director, cls.emp_director = person(
            "ap_director",
            "techdept_org.group_director",
            "director",
            "dept_technical",
            "dept_technical",
        )
        cls.user_om, cls.emp_om = person(
            "ap_om", "techdept_org.group_manager", "om_manager", "dept_om", "dept_om"
        )
        cls.user_impl, cls.emp_impl = person(
            "ap_impl",
            "techdept_org.group_manager",
            "implementation_manager",
            "dept_implementation",
            "dept_implementation",
        )
        cls.user_presales_mgr, cls.emp_presales_mgr = person(
            "ap_presales_mgr",
            "techdept_org.group_manager",
            "presales_manager",
            "dept_presales",
            "dept_presales",
        )
        cls.user_presales, cls.emp_presales = person(
            "ap_presales",
            "techdept_org.group_engineer",
            "presales_engineer",
            "dept_presales",
        )
        cls.user_eng, cls.emp_eng = person(
            "ap_engineer",
            "techdept_org.group_engineer",
            "aftersales_engineer",
            "dept_om",
        )
        cls.user_eng2, cls.emp_eng2 = person(
            "ap_engineer2", "techdept_org.group_engineer", "onsite_engineer", "dept_om"
        )
        project = cls.env["project.project"].create(
            {
                "name": "Data centre",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": cls.emp_impl.id,
            }
        )
        cls.env["techdept.assignment"].create(
            {
                "project_id": project.id,
                "employee_id": cls.emp_eng.id,
                "date_from": date(2026, 10, 20),
                "date_to": date(2026, 11, 10),
            }
        )
        with freeze_time("2026-12-01"):
            cls.period = cls.env["techdept.appraisal.period"].create(
                {"date_from": date(2026, 11, 1)}
            )
            cls.period.action_generate()
        cls.appraisals = cls.period.appraisal_ids

    def _of(self, employee):
        return self.appraisals.filtered(lambda a: a.employee_id == employee)

    def _score_all(self, appraisal, user, score=85.0):
        for line in appraisal.line_ids:
            scorer = user
            if line.scorer == "co_appraiser":
                scorer = appraisal.co_appraiser_user_id
            line.with_user(scorer).score = min(score, line.max_score)


@tagged("post_install", "-at_install")
class TestAppraisal(AppraisalCase):
    def test_generation_names_the_policys_appraisers(self):
        # The fifth working day of December 2026.
        self.assertEqual(self.period.deadline, date(2026, 12, 7))
        self.assertEqual(
            self._of(self.emp_presales).appraiser_id, self.emp_presales_mgr
        )
        self.assertEqual(self._of(self.emp_eng).appraiser_id, self.emp_om)
        self.assertEqual(self._of(self.emp_eng).co_appraiser_id, self.emp_impl)
        self.assertFalse(self._of(self.emp_eng2).co_appraiser_id)
        self.assertEqual(self._of(self.emp_om).appraiser_id, self.emp_director)
        self.assertFalse(self._of(self.emp_director))
        # Project items go to the co-appraiser only where there is one.
        self.assertIn("co_appraiser", self._of(self.emp_eng).line_ids.mapped("scorer"))
        self.assertNotIn(
            "co_appraiser", self._of(self.emp_eng2).line_ids.mapped("scorer")
        )
        # Twice creates nothing twice; the database refuses a duplicate.
        count = len(self.period.appraisal_ids)
        self.period.action_generate()
        self.assertEqual(len(self.period.appraisal_ids), count)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["techdept.appraisal"].create(
                {
                    "period_id": self.period.id,
                    "employee_id": self.emp_eng.id,
                    "template_id": self._of(self.emp_eng).template_id.id,
                    "appraiser_id": self.emp_om.id,
                }
            )

    def test_deputy_appraises_when_the_om_manager_is_away(self):
        self.env.ref(
            "techdept_org.dept_om"
        ).techdept_deputy_department_id = self.env.ref(
            "techdept_org.dept_implementation"
        )
        self.env["techdept.delegation"].create(
            {
                "employee_id": self.emp_om.id,
                "deputy_id": self.emp_impl.id,
                "department_id": self.env.ref("techdept_org.dept_om").id,
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 1, 10),
            }
        )
        with freeze_time("2027-01-02"):
            period = self.env["techdept.appraisal.period"].create(
                {"date_from": date(2026, 12, 1)}
            )
            period.action_generate()
        engineer = period.appraisal_ids.filtered(
            lambda a: a.employee_id == self.emp_eng2
        )
        self.assertEqual(engineer.appraiser_id, self.emp_impl)

    def test_generated_items_are_stored_as_create_stores_them(self):
        """The month's items are inserted in bulk: the rows, the forms'
        totals and the items' constraints are those of Odoo's create."""
        Line = as_server(self.env["techdept.appraisal.line"].sudo())
        form = self._of(self.emp_eng)
        self._score_all(form, self.user_om, score=7.5)
        form.flush_recordset()
        columns = sorted(
            name
            for name, field in Line._fields.items()
            if field.store
            and field.column_type
            and name not in ("id", *models.LOG_ACCESS_COLUMNS)
        )

        def rows():
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "SELECT %s FROM techdept_appraisal_line WHERE appraisal_id = %s "
                    "ORDER BY sequence, template_line_id",
                    SQL(", ").join(map(SQL.identifier, columns)),
                    form.id,
                )
            )
            return self.env.cr.fetchall()

        inserted, total = rows(), form.total_score
        self.assertTrue(inserted)
        self.assertTrue(total)
        vals_list = form.line_ids.read(
            [name for name in columns if name != "appraisal_id"], load=None
        )
        for vals in vals_list:
            vals.pop("id")
            vals["appraisal_id"] = form.id
        form.line_ids.unlink()
        self.assertFalse(form.total_score)
        Line.create(vals_list)
        self.assertEqual(rows(), inserted)
        self.assertEqual(form.total_score, total)
        form.line_ids.unlink()
        Line._insert_generated(vals_list)
        self.assertEqual(rows(), inserted)
        self.assertEqual(form.total_score, total)
        # The items' constraints hold, and only stored columns go in.
        form.line_ids.unlink()
        with self.assertRaises(ValidationError):
            Line._insert_generated([dict(vals_list[0], score=1000.0)])
        with self.assertRaises(ValueError):
            Line._insert_generated([dict(vals_list[0], name="Forged")])

    def test_templates_must_total_100(self):
        template = self.env.ref("techdept_appraisal.kpi_template_presales")
        with (
            self.assertRaisesRegex(ValidationError, "total exactly 100"),
            self.env.cr.savepoint(),
        ):
            template.write({"line_ids": [(1, template.line_ids[0].id, {"weight": 5})]})

    def test_full_flow_and_bad_inputs(self):
        appraisal = self._of(self.emp_eng)
        line = appraisal.line_ids.filtered(lambda li: li.scorer == "appraiser")[0]
        with (
            self.assertRaisesRegex(ValidationError, "between 0 and"),
            self.env.cr.savepoint(),
        ):
            line.with_user(self.user_om).score = line.max_score + 1
        with (
            self.assertRaisesRegex(ValidationError, "between 0 and"),
            self.env.cr.savepoint(),
        ):
            line.with_user(self.user_om).score = -1
        with self.assertRaisesRegex(UserError, "without a score"):
            appraisal.with_user(self.user_om).action_mark_scored()
        # The appraiser may not score the co-appraiser's project items.
        project_item = appraisal.line_ids.filtered(
            lambda li: li.scorer == "co_appraiser"
        )[0]
        with self.assertRaisesRegex(UserError, "scored by"):
            project_item.with_user(self.user_om).score = 50
        # The employee does not see his form before it is submitted.
        self.assertFalse(
            self.env["techdept.appraisal"]
            .with_user(self.user_eng)
            .search([("id", "=", appraisal.id)])
        )
        self._score_all(appraisal, self.user_om, 92)
        appraisal.with_user(self.user_om).action_mark_scored()
        with freeze_time("2026-12-08"):
            appraisal.with_user(self.user_om).action_approval_submit()
        self.assertEqual(appraisal.state, "submitted")
        self.assertTrue(appraisal.is_late)
        with self.assertRaisesRegex(UserError, "cannot change"):
            line.with_user(self.user_om).score = 10
        appraisal.with_user(self.user_director).action_approval_approve()
        self.assertEqual(appraisal.state, "approved")
        self.assertEqual(
            appraisal.grade_band_id, self.env.ref("techdept_appraisal.grade_band_a")
        )
        self.assertEqual(appraisal.coefficient, 1.2)
        with self.assertRaisesRegex(UserError, "acknowledges"):
            appraisal.with_user(self.user_om).action_acknowledge()
        appraisal.with_user(self.user_eng).action_acknowledge()
        self.assertEqual(appraisal.state, "acknowledged")
        with self.assertRaisesRegex(UserError, "not acknowledged"):
            self.period.with_user(self.user_director).action_lock()

    def test_director_returns_a_form(self):
        appraisal = self._of(self.emp_eng2)
        self._score_all(appraisal, self.user_om, 70)
        appraisal.with_user(self.user_om).action_mark_scored()
        appraisal.with_user(self.user_om).action_approval_submit()
        appraisal.with_user(self.user_director)._approval_reject(
            "Explain the low teamwork score"
        )
        self.assertEqual(appraisal.state, "draft")
        self.assertEqual(
            appraisal.grade_band_id, self.env.ref("techdept_appraisal.grade_band_c")
        )

    def test_scores_are_private(self):
        appraisal = self._of(self.emp_eng)
        Appraisal = self.env["techdept.appraisal"]
        self.assertIn(appraisal, Appraisal.with_user(self.user_om).search([]))
        self.assertIn(appraisal, Appraisal.with_user(self.user_impl).search([]))
        self.assertNotIn(
            appraisal, Appraisal.with_user(self.user_presales_mgr).search([])
        )
        self.assertNotIn(appraisal, Appraisal.with_user(self.user_eng2).search([]))
        with self.assertRaises(AccessError):
            appraisal.with_user(self.user_eng2).read(["total_score"])

    def test_rank_within_the_group(self):
        first, second = self._of(self.emp_eng), self._of(self.emp_eng2)
        self._score_all(first, self.user_om, 60)
        self._score_all(second, self.user_om, 90)
        self.assertEqual(second.rank, 1)
        self.assertEqual(first.rank, 2)

    def test_generation_query_count_is_flat(self):
        def generate(n):
            employees = self.env["hr.employee"].create(
                [
                    {
                        "name": f"Engineer {n}-{i}",
                        "job_id": self.env.ref("techdept_org.job_onsite_engineer").id,
                        "department_id": self.env.ref("techdept_org.dept_om").id,
                    }
                    for i in range(n)
                ]
            )
            period = self.env["techdept.appraisal.period"].create(
                {"date_from": date(2025, n % 12 + 1, 1)}
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            period.action_generate()
            self.env.flush_all()
            count = self.cr.sql_log_count - before
            self.assertEqual(
                len(
                    period.appraisal_ids.filtered(lambda a: a.employee_id in employees)
                ),
                n,
            )
            return count

        generate(2)  # warm the caches
        counts = [generate(n) for n in (10, 30, 60)]
        # No query per employee: 30 more employees (210 more items, and as
        # many lines on their sheets of goals and self-assessment) only add
        # the ORM's extra INSERT and UPDATE batches and their mail rows
        # (measured: 17).
        self.assertLess(counts[2] - counts[1], 20, counts)
        self.assertLessEqual(counts[2], GENERATION_QUERIES, counts)


@tagged("post_install", "-at_install")
class TestAppraisalNumbers(AppraisalCase):
    """The policy's figures and the flow's states come out right."""

    def _submitted(self, employee, score=85.0):
        appraisal = self._of(employee)
        self._score_all(appraisal, self.user_om, score)
        appraisal.with_user(self.user_om).action_mark_scored()
        appraisal.with_user(self.user_om).action_approval_submit()
        return appraisal

    def test_every_transition_leaves_the_next_step_possible(self):
        appraisal = self._submitted(self.emp_eng2)
        # Withdrawn: back to scored, and it can be submitted again.
        appraisal.with_user(self.user_om).action_approval_cancel()
        self.assertEqual(appraisal.state, "scored")
        self.assertEqual(appraisal.approval_state, "cancelled")
        appraisal.with_user(self.user_om).action_approval_submit()
        self.assertEqual(appraisal.state, "submitted")
        self.assertEqual(appraisal.approval_round, 2)
        # Returned: back to draft, scored again, submitted again.
        appraisal.with_user(self.user_director)._approval_reject("Explain")
        self.assertEqual(appraisal.state, "draft")
        appraisal.with_user(self.user_om).action_mark_scored()
        appraisal.with_user(self.user_om).action_approval_submit()
        appraisal.with_user(self.user_director).action_approval_approve()
        self.assertEqual(appraisal.state, "approved")
        # Reopened by the director: back to its appraiser.
        appraisal.with_user(self.user_director)._approval_reopen("Wrong item")
        self.assertEqual(appraisal.state, "draft")
        self.assertEqual(appraisal.approval_state, "draft")
        line = appraisal.line_ids.filtered(lambda li: li.source == "manual")[:1]
        line.with_user(self.user_om).score = line.max_score
        appraisal.with_user(self.user_om).action_mark_scored()
        appraisal.with_user(self.user_om).action_approval_submit()
        self.assertEqual(appraisal.approval_round, 4)
        self.assertEqual(appraisal.state, "submitted")

    def test_unscored_forms_have_no_figures(self):
        first, second = self._of(self.emp_eng), self._of(self.emp_eng2)
        self.assertFalse(first.is_scored)
        self.assertFalse(first.grade_band_id)
        self.assertEqual(first.rank, 0)
        self._score_all(second, self.user_om, 90)
        self.assertTrue(second.is_scored)
        self.assertEqual(second.rank, 1)
        self.assertTrue(second.grade_band_id)
        # The average of the month leaves the unscored forms out.
        Appraisal = self.env["techdept.appraisal"]
        domain = [("id", "in", (first | second).ids)]
        [(average,)] = Appraisal._read_group(domain, [], ["total_score:avg"])
        self.assertAlmostEqual(average, second.total_score, places=2)
        groups = Appraisal.read_group(domain, ["total_score:avg"], [])
        self.assertAlmostEqual(groups[0]["total_score"], second.total_score, 2)
        # Scored, the first one counts and ranks.
        self._score_all(first, self.user_om, 60)
        self.assertTrue(first.is_scored)
        self.assertEqual(first.rank, 2)
        [(average,)] = Appraisal._read_group(domain, [], ["total_score:avg"])
        self.assertAlmostEqual(
            average, (first.total_score + second.total_score) / 2, places=2
        )

    def test_deliverables_counted_in_the_month_of_their_final_approval(self):
        chain = self.env["techdept.approval.chain"].create(
            {
                "name": "Director review",
                "code": "ap_test_director",
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Director",
                            "approver_type": "users",
                            "user_ids": [(6, 0, self.user_director.ids)],
                        },
                    )
                ],
            }
        )
        doc_type = self.env["techdept.document.type"].create(
            {"name": "Test plan", "code": "ap_test_plan", "chain_id": chain.id}
        )

        def approved_on(day):
            with freeze_time(day):
                document = (
                    self.env["techdept.document"]
                    .with_user(self.user_eng)
                    .create({"name": f"Plan {day}", "type_id": doc_type.id})
                )
                document.attachment_ids = (
                    self.env["ir.attachment"]
                    .with_user(self.user_eng)
                    .create({"name": "plan.txt", "raw": b"plan"})
                )
                document.with_user(self.user_eng).action_approval_submit()
            with freeze_time(day):
                document.with_user(self.user_director).action_approval_approve()
            return document

        before = approved_on("2026-10-30 10:00:00")
        inside = approved_on("2026-11-15 10:00:00")
        after = approved_on("2026-12-02 10:00:00")
        self.assertEqual(inside.approval_date_done.date().isoformat(), "2026-11-15")
        counts = self._of(self.emp_eng)._kpi_deliverables_approved()
        self.assertEqual(counts.get(self.emp_eng.id), 1.0)
        # Changed later, still counted in the month it was approved.
        (before | inside | after).sudo().write({"tag_ids": [(6, 0, [])]})
        counts = self._of(self.emp_eng)._kpi_deliverables_approved()
        self.assertEqual(counts.get(self.emp_eng.id), 1.0)

    def test_to_approve_filter(self):
        appraisal = self._of(self.emp_presales)
        self._score_all(appraisal, self.user_presales_mgr, 80)
        appraisal.with_user(self.user_presales_mgr).action_mark_scored()
        appraisal.with_user(self.user_presales_mgr).action_approval_submit()
        Appraisal = self.env["techdept.appraisal"]
        arch = Appraisal.with_user(self.user_director).get_views([(False, "search")])[
            "views"
        ]["search"]["arch"]
        self.assertIn('name="filter_techdept_to_approve"', arch)
        self.assertEqual(
            Appraisal.with_user(self.user_director).search(
                [("can_approve", "=", True)]
            ),
            appraisal,
        )
        self.assertFalse(
            Appraisal.with_user(self.user_presales_mgr).search(
                [("can_approve", "=", True)]
            )
        )

    def test_computed_items_say_how_they_were_computed(self):
        Worklog = self.env["techdept.worklog"].with_user(self.user_presales)
        for day, hours in (("2026-11-03", 5), ("2026-11-20", 3), ("2026-12-01", 8)):
            Worklog.create(
                {
                    "date": day,
                    "kind": "market_support",
                    "hours": hours,
                    "name": f"Support {day}",
                }
            )
        appraisal = self._of(self.emp_presales)
        with freeze_time("2026-12-02"):
            appraisal.with_user(self.user_presales_mgr).action_refresh()

        def item(appraisal, source):
            return appraisal.line_ids.filtered(lambda li: li.source == source)

        hours = item(appraisal, "worklog_hours")
        self.assertEqual((hours.value, hours.value_count), (8.0, 2))
        # Read in English (the demo administrator reads Chinese).
        self.assertEqual(
            hours.with_context(lang="en_US").computation,
            "2 work log entries from 11/01/2026 to 11/30/2026: 8 hours "
            "(target 120 hours).",
        )
        # Nothing counted reads as such, not as a bare 0.
        documents = item(appraisal, "deliverables_approved")
        self.assertEqual((documents.value, documents.value_count), (0.0, 0))
        self.assertEqual(
            documents.with_context(lang="en_US").computation,
            "No document of his approved from 11/01/2026 to 11/30/2026 (target 4).",
        )
        reviews = item(self._of(self.emp_om), "approvals_on_time")
        self.assertIn(
            "No review answered or escalated from 11/01/2026",
            reviews.with_context(lang="en_US").computation,
        )
        manual = appraisal.line_ids.filtered(lambda li: li.source == "manual")
        self.assertFalse(any(manual.mapped("computation")))
        # The count is the server's, like the value.
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            hours.with_user(self.user_presales_mgr).write({"value_count": 9})

    def test_monthly_generation_runs_for_every_company(self):
        other = self.env["res.company"].create({"name": "Branch office"})
        technical = self.env["hr.department"].create(
            {
                "name": "Technical (branch)",
                "company_id": other.id,
                "techdept_function": "technical",
            }
        )
        # The branch has positions of its own, appraised with the same form.
        job_manager, job_engineer = (
            self.env.ref(f"techdept_org.job_{role}").copy({"company_id": other.id})
            for role in ("presales_manager", "presales_engineer")
        )
        self.env.ref("techdept_appraisal.kpi_template_presales").job_ids |= job_engineer
        manager = self.env["hr.employee"].create(
            {
                "name": "Branch presales manager",
                "company_id": other.id,
                "job_id": job_manager.id,
            }
        )
        presales = self.env["hr.department"].create(
            {
                "name": "Presales (branch)",
                "company_id": other.id,
                "parent_id": technical.id,
                "techdept_function": "presales",
                "manager_id": manager.id,
            }
        )
        engineer = self.env["hr.employee"].create(
            {
                "name": "Branch presales engineer",
                "company_id": other.id,
                "department_id": presales.id,
                "job_id": job_engineer.id,
            }
        )
        manager.department_id = presales
        with freeze_time("2027-01-02"):
            self.env["techdept.appraisal.period"]._cron_generate_last_month()
        periods = self.env["techdept.appraisal.period"].search(
            [("date_from", "=", date(2026, 12, 1))]
        )
        self.assertEqual(periods.company_id, self.env.company | other)
        branch = periods.filtered(lambda p: p.company_id == other)
        self.assertEqual(branch.appraisal_ids.employee_id, engineer)
        self.assertEqual(branch.appraisal_ids.appraiser_id, manager)
