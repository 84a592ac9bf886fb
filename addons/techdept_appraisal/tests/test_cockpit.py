from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.techdept_org.tests.common import techdept_person

# Queries to compute one figure, whatever the number of records behind it.
QUERIES_PER_FIGURE = 5


@tagged("post_install", "-at_install")
class TestCockpit(TransactionCase):
    """The director's cockpit on the demo department: every figure is
    checked against the records, read directly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director, _emp = techdept_person(
            cls.env,
            "ck_director",
            "techdept_org.group_director",
        )
        cls.gm, _emp = techdept_person(
            cls.env,
            "ck_gm",
            "techdept_org.group_gm_office",
            None,
            "dept_gm_office",
            "dept_gm_office",
        )
        cls.engineer, _emp = techdept_person(
            cls.env, "ck_engineer", "techdept_org.group_engineer"
        )
        cls.today = fields.Date.context_today(cls.env["techdept.cockpit.figure"])

    def _figure(self, code, user=None):
        return (
            self.env["techdept.cockpit.figure"]
            .with_user(user or self.director)
            .search([("code", "=", code)])
        )

    def _behind(self, code):
        """The records behind the figure the director opens."""
        action = self._figure(code).action_open()
        return self.env[action["res_model"]].search(action["domain"])

    def test_every_figure_has_its_method(self):
        figures = (
            self.env["techdept.cockpit.figure"].with_user(self.director).search([])
        )
        self.assertEqual(
            set(figures.mapped("section")),
            {"pipeline", "approvals", "projects", "pool", "appraisals", "bonus"},
        )
        for figure in figures:
            self.assertTrue(figure.value_text, figure.code)
            self.assertTrue(figure.action_open()["res_model"], figure.code)

    def test_pipeline_and_approvals(self):
        leads = self.env["crm.lead"].search([("techdept_blocked", "=", True)])
        self.assertEqual(self._figure("leads_blocked").value, len(leads))
        self.assertEqual(self._behind("leads_blocked"), leads)
        missing = leads.techdept_item_ids.filtered(
            lambda li: (
                li.blocking
                and not li.is_complete
                and li.stage_id == li.lead_id.stage_id
            )
        )
        self.assertTrue(missing, "the demo has a lead blocked at its stage")
        self.assertEqual(self._figure("items_missing").value, len(missing))
        self.assertEqual(self._behind("items_missing"), missing)

        lines = self.env["techdept.approval.line"].search([])
        pending = lines.filtered(lambda li: li.state == "pending")
        self.assertTrue(pending)
        self.assertEqual(self._figure("approvals_pending").value, len(pending))
        overdue = pending.filtered(lambda li: li.deadline and li.deadline < self.today)
        self.assertEqual(self._figure("approvals_overdue").value, len(overdue))
        start = fields.Datetime.to_datetime(self.today + relativedelta(day=1))
        decided = lines.filtered(
            lambda li: (
                li.state in ("approved", "rejected")
                and li.date_open
                and li.date_done
                and li.date_done >= start
            )
        )
        figure = self._figure("approvals_decision_time")
        if decided:
            hours = sum(
                (li.date_done - li.date_open).total_seconds() for li in decided
            ) / (3600 * len(decided))
            self.assertAlmostEqual(figure.value, round(hours, 1), places=1)
        self.assertEqual(self._behind("approvals_decision_time"), decided)

    def test_projects_and_pool(self):
        projects = self.env["project.project"].search(
            [("techdept_kind", "=", "implementation")]
        )
        running = projects.filtered(lambda p: not p.techdept_phase_id.is_closed)
        self.assertEqual(self._figure("projects_in_progress").value, len(running))
        lacking = running.filtered("techdept_missing_type_ids")
        self.assertEqual(
            self._figure("projects_missing_deliverables").value, len(lacking)
        )
        self.assertEqual(self._behind("projects_missing_deliverables"), lacking)
        late = projects.filtered(
            lambda p: (
                p.techdept_planned_acceptance_date
                and p.techdept_planned_acceptance_date < self.today
                and not p.techdept_acceptance_ids.filtered(
                    lambda a: a.approval_state == "approved"
                )
            )
        )
        self.assertTrue(late, "the demo has a project late for its acceptance")
        self.assertEqual(self._figure("projects_acceptance_late").value, len(late))
        self.assertEqual(self._behind("projects_acceptance_late"), late)

        pool = self.env["hr.employee"].search([("techdept_is_pool", "=", True)])
        for weeks, suffix in ((0, "this_week"), (1, "next_week")):
            monday = self.today + relativedelta(weekday=0, days=-6, weeks=weeks)
            sunday = monday + relativedelta(days=6)
            busy = pool.filtered(
                lambda e, monday=monday, sunday=sunday: (
                    e.techdept_assignment_ids.filtered(
                        lambda a: (
                            a.state != "ended"
                            and a.date_from <= sunday
                            and (not a.date_to or a.date_to >= monday)
                        )
                    )
                )
            )
            self.assertEqual(self._figure(f"pool_assigned_{suffix}").value, len(busy))
            self.assertEqual(
                self._figure(f"pool_free_{suffix}").value, len(pool - busy)
            )
            self.assertEqual(self._behind(f"pool_free_{suffix}"), pool - busy)

    def test_appraisals_bonus_and_budgets(self):
        month = self.today + relativedelta(months=-1, day=1)
        period = self.env["techdept.appraisal.period"].search(
            [("date_from", "=", month)]
        )
        forms = period.appraisal_ids
        self.assertTrue(forms, "the demo appraises last month")
        for code, states in (
            ("appraisals_to_score", ("self_assessment", "draft", "scored")),
            ("appraisals_submitted", ("submitted",)),
            ("appraisals_approved", ("approved", "acknowledged", "locked")),
            ("appraisals_appealed", ("appealed",)),
        ):
            expected = forms.filtered(lambda a, states=states: a.state in states)
            self.assertEqual(self._figure(code).value, len(expected), code)
            self.assertEqual(self._behind(code), expected, code)
        late = forms.filtered("is_late")
        # Late once the month's deadline has passed (the fifth working day of
        # this month): the demo installed before it has nobody late yet.
        if period.deadline < self.today:
            self.assertTrue(late, "an appraiser of the demo is late")
        else:
            self.assertFalse(late, "nobody is late before the deadline")
        figure = self._figure("appraisers_late")
        self.assertEqual(figure.value, len(late.appraiser_id))
        grades = self._figure("grade_distribution")
        graded = forms.filtered("grade_band_id")
        self.assertEqual(grades.value, len(graded))
        for grade in graded.grade_band_id:
            count = len(graded.filtered(lambda a, g=grade: a.grade_band_id == g))
            self.assertIn(f"{grade.name} {count}", grades.value_text)

        pools = self.env["techdept.bonus.pool"].search([])
        for code, state in (
            ("bonus_approved", "approved"),
            ("bonus_pending", "pending"),
        ):
            expected = pools.filtered(lambda p, s=state: p.approval_state == s)
            self.assertEqual(
                self._figure(code).value, sum(expected.mapped("amount")), code
            )
            self.assertEqual(self._behind(code), expected, code)
        year = self.today + relativedelta(month=1, day=1)
        budgets = self.env["techdept.budget"].search([])
        for stream in ("presales", "implementation", "om"):
            expected = budgets.filtered(
                lambda b, s=stream: (
                    b.stream == s
                    and b.approval_state == "approved"
                    and (not b.date_to or b.date_to >= year)
                )
            )
            self.assertTrue(expected, f"the demo has this year's {stream} budget")
            figure = self._figure(f"budget_{stream}")
            self.assertEqual(figure.value, sum(expected.mapped("actual")), stream)
            planned = sum(expected.mapped("planned"))
            percent = round(100 * figure.value / planned) if planned else 0
            self.assertIn(str(percent), figure.value_text)

    def test_gm_office_sees_totals_not_individuals(self):
        director_values = {
            f.code: f.value
            for f in self.env["techdept.cockpit.figure"]
            .with_user(self.director)
            .search([])
        }
        figures = self.env["techdept.cockpit.figure"].with_user(self.gm).search([])
        self.assertEqual({f.code: f.value for f in figures}, director_values)
        for figure in figures.filtered("director_only"):
            with self.assertRaises(AccessError):
                figure.action_open()
        for code in ("appraisals_to_score", "grade_distribution", "bonus_approved"):
            self.assertTrue(self._figure(code, self.gm).director_only)
        with self.assertRaises(AccessError):
            self.env["techdept.cockpit.figure"].with_user(self.engineer).search(
                []
            ).mapped("value")

    def test_constant_queries_per_figure(self):
        figures = (
            self.env["techdept.cockpit.figure"].with_user(self.director).search([])
        )
        for code, count in self._queries_per_figure(figures).items():
            self.assertLessEqual(count, QUERIES_PER_FIGURE, code)

    def _queries_per_figure(self, figures):
        figures.invalidate_recordset()
        figures.mapped("value_text")  # the caches of access rights, warm
        counts = {}
        for figure in figures:
            # Alone, so that reading it computes no other figure.
            figure = figure.browse(figure.id)
            figure.invalidate_recordset()
            before = self.env.cr.sql_log_count
            self.assertTrue(figure.value_text, figure.code)
            counts[figure.code] = self.env.cr.sql_log_count - before
        return counts

    def test_queries_do_not_grow_with_the_records(self):
        figures = (
            self.env["techdept.cockpit.figure"].with_user(self.director).search([])
        )
        before = self._queries_per_figure(figures)
        values = {figure.code: figure.value for figure in figures}
        # More projects, with their phases and deliverables, and more pool
        # engineers, busy this week and next.
        manager = self.env["hr.employee"].search(
            [
                (
                    "job_id",
                    "=",
                    self.env.ref("techdept_org.job_implementation_manager").id,
                )
            ],
            limit=1,
        )
        projects = self.env["project.project"].create(
            [
                {
                    "name": f"Campus network {n}",
                    "techdept_kind": "implementation",
                    "techdept_implementation_manager_id": manager.id,
                    "techdept_planned_acceptance_date": self.today
                    + relativedelta(days=-n - 1),
                }
                for n in range(3)
            ]
        )
        for n in range(3):
            _user, engineer = techdept_person(
                self.env,
                f"ck_pool_{n}",
                "techdept_org.group_engineer",
                "onsite_engineer",
                "dept_om",
            )
            self.env["techdept.assignment"].create(
                {
                    "project_id": projects[n].id,
                    "employee_id": engineer.id,
                    "date_from": self.today,
                }
            )
        after = self._queries_per_figure(figures)
        self.assertEqual(after, before)
        # The figures counted them.
        for code in (
            "projects_in_progress",
            "projects_acceptance_late",
            "pool_assigned_this_week",
            "pool_assigned_next_week",
        ):
            self.assertEqual(self._figure(code).value, values[code] + 3, code)


@tagged("post_install", "-at_install")
class TestCockpitTour(HttpCase):
    """The director opens the cockpit in Chinese, then a figure's list."""

    def test_cockpit_opens_the_records_behind_a_figure(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["techdept_appraisal"], ["zh_CN"]
        )
        director = self.env.ref("techdept_org.user_director_demo")
        director.write({"lang": "zh_CN", "password": director.login})
        late = self.env["project.project"].search(
            [("techdept_acceptance_late", "=", True)]
        )
        self.assertTrue(late, "the demo has a project late for its acceptance")
        self.start_tour(
            "/odoo/action-techdept_appraisal.techdept_cockpit_action",
            "techdept_cockpit_tour",
            login=director.login,
        )
