from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestOrgTour(HttpCase):
    def test_director_reads_department_and_duties_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["base", "web", "mail", "hr", "hr_holidays", "techdept_org"], ["zh_CN"]
        )
        director = self.env["res.users"].create(
            {
                "name": "Tour Director",
                "login": "tour_director",
                "password": "tour_director",
                "lang": "zh_CN",
                "groups_id": [(6, 0, [self.env.ref("techdept_org.group_director").id])],
            }
        )
        self.env["hr.employee"].create(
            {
                "name": "Tour Director",
                "user_id": director.id,
                "job_id": self.env.ref("techdept_org.job_director").id,
                "department_id": self.env.ref("techdept_org.dept_technical").id,
            }
        )
        self.start_tour("/odoo", "techdept_org_director_tour", login="tour_director")
