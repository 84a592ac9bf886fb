import importlib.util
import pathlib
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import float_compare

from odoo.addons.techdept_org.tests.common import techdept_person

from .test_appraisal import clear_fixed_months

MIGRATION = (
    pathlib.Path(__file__).parent.parent
    / "migrations"
    / "18.0.1.3.0"
    / "post-migrate.py"
)


@tagged("post_install", "-at_install")
class TestRoutineKpis(TransactionCase):
    """November 2026: weekly progress reports on time, late and missing,
    reviews on time and late, a training session; the month's appraisals
    read them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        clear_fixed_months(cls.env)
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        cls.env["techdept.delegation"].search([]).unlink()

        def person(login, groups, job=None, department=None, manages=None):
            return techdept_person(cls.env, login, groups, job, department, manages)

        cls.user_director, cls.emp_director = person(
            "rk_director",
            "techdept_org.group_director",
            "director",
            "dept_technical",
            "dept_technical",
        )
        cls.user_om, cls.emp_om = person(
            "rk_om", "techdept_org.group_manager", "om_manager", "dept_om", "dept_om"
        )
        cls.user_presales_mgr, cls.emp_presales_mgr = person(
            "rk_presales_mgr",
            "techdept_org.group_manager",
            "presales_manager",
            "dept_presales",
            "dept_presales",
        )
        cls.user_presales, cls.emp_presales = person(
            "rk_presales",
            "techdept_org.group_engineer",
            "presales_engineer",
            "dept_presales",
        )
        cls.user_eng, cls.emp_eng = person(
            "rk_engineer",
            "techdept_org.group_engineer",
            "aftersales_engineer",
            "dept_om",
        )
        cls.user_eng2, cls.emp_eng2 = person(
            "rk_engineer2", "techdept_org.group_engineer", "onsite_engineer", "dept_om"
        )
        Report = cls.env["techdept.progress.report"]
        with freeze_time("2026-11-04"):
            Report._cron_progress_reports()
        reports = Report.search([("period_start", "=", date(2026, 11, 2))])

        def submit(employee, user, day):
            report = reports.filtered(lambda r: r.employee_id == employee)
            for section in report.with_user(user).section_ids:
                section.body = "Inspection of the server room."
            with freeze_time(day):
                report.with_user(user).action_submit()
            return report

        on_time = submit(cls.emp_eng, cls.user_eng, "2026-11-05")
        late = submit(cls.emp_eng2, cls.user_eng2, "2026-11-10")
        with freeze_time("2026-11-06"):
            on_time.with_user(cls.user_om).action_review()
        with freeze_time("2026-11-16"):
            late.with_user(cls.user_om).action_review()
        session = (
            cls.env["techdept.training.session"]
            .with_user(cls.user_om)
            .create(
                {
                    "name": "Camera maintenance",
                    "date": datetime(2026, 11, 18, 6, 0),
                    "hours": 3.0,
                    "attendance_ids": [
                        (0, 0, {"employee_id": cls.emp_eng.id, "attended": True}),
                        (0, 0, {"employee_id": cls.emp_eng2.id}),
                    ],
                }
            )
        )
        session.with_user(cls.user_om).action_done()
        with freeze_time("2026-12-01"):
            cls.period = cls.env["techdept.appraisal.period"].create(
                {"date_from": date(2026, 11, 1)}
            )
            cls.period.action_generate()

    def _value(self, employee, source):
        line = self.period.appraisal_ids.filtered(
            lambda a: a.employee_id == employee
        ).line_ids.filtered(lambda li: li.source == source)
        self.assertEqual(len(line), 1, f"{employee.name} has one {source} item")
        return line.value, line.score

    def test_reports_on_time_in_the_appraisal(self):
        self.assertEqual(self._value(self.emp_eng, "reports_on_time"), (100.0, 100.0))
        self.assertEqual(self._value(self.emp_eng2, "reports_on_time"), (0.0, 0.0))
        # Never submitted: missing, counted late.
        self.assertEqual(self._value(self.emp_presales, "reports_on_time"), (0.0, 0.0))

    def test_reviews_on_time_in_the_managers_appraisal(self):
        self.assertEqual(
            self._value(self.emp_om, "reports_reviewed_on_time"), (50.0, 50.0)
        )
        # Nothing to review that month: nothing asked of him.
        self.assertEqual(
            self._value(self.emp_presales_mgr, "reports_reviewed_on_time"),
            (100.0, 100.0),
        )

    def test_training_hours_in_the_appraisal(self):
        self.assertEqual(self._value(self.emp_eng, "training_hours"), (3.0, 75.0))
        self.assertEqual(self._value(self.emp_eng2, "training_hours"), (0.0, 0.0))
        appraisals = self.period.appraisal_ids
        attendance = appraisals._kpi_training_attendance()
        self.assertEqual(attendance[self.emp_eng.id], 100.0)
        self.assertEqual(attendance[self.emp_eng2.id], 0.0)
        self.assertEqual(attendance[self.emp_presales.id], 100.0)

    def test_default_templates_total_100_with_their_new_items(self):
        for key in ("presales", "implementation", "om", "supervision", "manager"):
            template = self.env.ref(f"techdept_appraisal.kpi_template_{key}")
            self.assertFalse(float_compare(template.total_weight, 100.0, 2), key)
            self.assertIn("training_hours", template.line_ids.mapped("source"), key)


@tagged("post_install", "-at_install")
class TestTemplateMigration(TransactionCase):
    """The migration of 18.0.1.3.0 on templates as shipped before, changed
    by the director, or broken."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spec = importlib.util.spec_from_file_location(
            "techdept_kpi_migration", MIGRATION
        )
        cls.migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.migration)

    def _old_template(self, key, weights):
        """A template as 18.0.1.2.0 shipped it (its items named by the
        shipped XML ids), with ``weights``."""
        Data = self.env["ir.model.data"]
        template = self.env["techdept.kpi.template"].create(
            {
                "name": f"Old {key}",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Item {number}",
                            "sequence": number * 10,
                            "weight": weight,
                            "source": "manual",
                        },
                    )
                    for number, weight in enumerate(weights, start=1)
                ],
            }
        )
        Data.search(
            [
                ("module", "=", "techdept_appraisal"),
                ("name", "=like", f"kpi_template_{key}%"),
            ]
        ).unlink()
        Data.create(
            [
                {
                    "module": "techdept_appraisal",
                    "name": f"kpi_template_{key}",
                    "model": template._name,
                    "res_id": template.id,
                }
            ]
            + [
                {
                    "module": "techdept_appraisal",
                    "name": f"kpi_template_{key}_item_{number}",
                    "model": line._name,
                    "res_id": line.id,
                }
                for number, line in enumerate(template.line_ids.sorted("sequence"), 1)
            ]
        )
        self.env.registry.clear_cache()
        return template

    def _migrate(self):
        self.migration.migrate(self.env.cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.env.registry.clear_cache()

    def test_as_shipped_takes_the_new_default_weights(self):
        template = self._old_template("presales", [25, 25, 15, 20, 15])
        self._migrate()
        lines = template.line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("weight"), [20, 20, 10, 15, 15, 10, 10])
        self.assertEqual(
            lines[-2:].mapped("source"), ["training_hours", "reports_on_time"]
        )
        self.assertEqual(
            self.env.ref("techdept_appraisal.kpi_template_presales_item_6"), lines[-2]
        )
        self._migrate()
        self.assertEqual(len(template.line_ids), 7, "run twice, added once")

    def test_changed_by_the_director_keeps_its_proportions(self):
        template = self._old_template("manager", [40, 20, 10, 15, 15])
        self._migrate()
        lines = template.line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("weight"), [32, 16, 8, 12, 12, 10, 10])
        self.assertEqual(
            lines[-1].source, "reports_reviewed_on_time", "managers: their reviews"
        )
        self.assertFalse(float_compare(template.total_weight, 100.0, 2))

    def test_thirds_are_rounded_onto_the_heaviest_item(self):
        template = self._old_template("supervision", [33.34, 33.33, 33.33])
        self._migrate()
        weights = template.line_ids.sorted("sequence").mapped("weight")
        self.assertEqual(weights, [26.68, 26.66, 26.66, 10, 10])
        self.assertFalse(float_compare(template.total_weight, 100.0, 2))
