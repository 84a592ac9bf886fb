from datetime import date

from odoo.tests import tagged

from odoo.addons.techdept_org.models.techdept_guard import as_server

from .common import TechdeptProjectCase


@tagged("post_install", "-at_install")
class TestProjectLanguages(TechdeptProjectCase):
    """Names made from translated parts read in each reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["techdept_org", "techdept_project"], ["zh_CN"]
        )

    def test_om_service_and_handover_named_in_every_language(self):
        self.env.company.partner_id.lang = "zh_CN"
        project = as_server(self.env["project.project"]).create(
            {
                "name": "Smart campus",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": self.emp_b.id,
            }
        )
        project.with_context(lang="zh_CN").name = "智慧校园"
        acceptance = self.env["techdept.acceptance"].create(
            {
                "project_id": project.id,
                "service_date_from": date(2027, 1, 1),
                "service_date_to": date(2029, 12, 31),
                "onsite_engineer_ids": [(6, 0, self.emp_e2.ids)],
            }
        )
        # Accepted by someone who reads English.
        acceptance.with_context(lang="en_US").sudo()._techdept_handover_to_om()

        service = acceptance.om_project_id
        self.assertEqual(service.with_context(lang="zh_CN").name, "运维：智慧校园")
        self.assertEqual(service.with_context(lang="en_US").name, "O&M: Smart campus")
        handover = project.techdept_handover_ids
        self.assertEqual(
            handover.with_context(lang="zh_CN").display_name, "实施移交运维：智慧校园"
        )
        self.assertEqual(
            handover.with_context(lang="en_US").display_name,
            "Implementation to O&M: Smart campus",
        )
        self.assertEqual(acceptance.with_context(lang="zh_CN").name, "智慧校园验收")
        Handover = self.env["techdept.handover"].with_context(lang="zh_CN")
        self.assertEqual(Handover.search([("name", "ilike", "智慧校园")]), handover)
        # The project's chatter: the company's language, the service's name
        # in it.
        self.assertIn(
            "已验收并移交售后运维：运维：智慧校园。", project.message_ids[0].body
        )
        self.assertEqual(
            handover.with_context(lang="zh_CN").approval_current_step,
            handover.approval_line_ids.step_id.with_context(lang="zh_CN").name,
        )
