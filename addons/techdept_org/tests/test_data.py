import csv

from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools.misc import file_path

from ..models.hr_job import TECHDEPT_ROLES


@tagged("post_install", "-at_install")
class TestOrgData(TransactionCase):
    def test_departments_carry_their_function(self):
        expected = {
            "dept_technical": "technical",
            "dept_presales": "presales",
            "dept_implementation": "implementation",
            "dept_om": "om",
            "dept_supervision": "supervision",
            "dept_sales": "sales",
            "dept_commerce": "commerce",
            "dept_gm_office": "gm_office",
        }
        for xmlid, function in expected.items():
            department = self.env.ref(f"techdept_org.{xmlid}")
            self.assertEqual(department.techdept_function, function, xmlid)
        technical = self.env.ref("techdept_org.dept_technical")
        self.assertEqual(
            set(technical.child_ids.mapped("techdept_function")),
            {"presales", "implementation", "om", "supervision"},
        )

    def test_ab_pair_is_configured(self):
        om = self.env.ref("techdept_org.dept_om")
        self.assertEqual(
            om.techdept_deputy_department_id,
            self.env.ref("techdept_org.dept_implementation"),
        )

    def test_every_role_has_one_position(self):
        jobs = self.env["hr.job"].search([("techdept_role", "!=", False)])
        self.assertEqual(
            sorted(jobs.mapped("techdept_role")), sorted(r for r, _ in TECHDEPT_ROLES)
        )
        pool = jobs.filtered("techdept_is_pool").mapped("techdept_role")
        self.assertEqual(sorted(pool), ["aftersales_engineer", "onsite_engineer"])

    def test_duties_match_the_policy(self):
        """Every duty of seed/duties.csv, by section and number, with its
        Chinese wording as the translation of its English source."""
        duties = self.env["techdept.duty"].with_context(active_test=False).search([])
        self.assertEqual(len(duties), 126)
        path = file_path("techdept_org/tests/duties.csv")
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.assertEqual(len(rows), 126)
        for row in rows:
            xmlid = f"techdept_org.duty_{row['role']}_{int(row['number']):02d}"
            duty = self.env.ref(xmlid)
            self.assertEqual(duty.section, row["section"], xmlid)
            self.assertEqual(duty.sequence, int(row["number"]), xmlid)
            if row["role"] == "technical_department":
                self.assertEqual(duty.department_id.techdept_function, "technical")
            else:
                self.assertEqual(duty.job_id.techdept_role, row["role"], xmlid)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["techdept_org"], ["zh_CN"], overwrite=True
        )
        for row in rows:
            xmlid = f"techdept_org.duty_{row['role']}_{int(row['number']):02d}"
            duty = self.env.ref(xmlid).with_context(lang="zh_CN")
            self.assertEqual(duty.name, row["duty_zh"], xmlid)
        counts = {
            role: len(duties.filtered(lambda d, r=role: d.job_id.techdept_role == r))
            for role in ("director", "presales_manager", "om_manager")
        }
        self.assertEqual(
            counts, {"director": 11, "presales_manager": 17, "om_manager": 16}
        )

    def test_duties_shown_on_the_employee(self):
        job = self.env.ref("techdept_org.job_director")
        employee = self.env["hr.employee"].create(
            {"name": "Duty Holder", "job_id": job.id}
        )
        self.assertEqual(employee.techdept_duty_ids, job.techdept_duty_ids)
        self.assertEqual(employee.techdept_role, "director")
        self.assertEqual(job.techdept_duty_count, 11)
        public = self.env["hr.employee.public"].browse(employee.id)
        self.assertEqual(public.techdept_duty_ids, job.techdept_duty_ids)
