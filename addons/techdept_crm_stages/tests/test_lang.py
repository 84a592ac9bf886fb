from odoo.tests import tagged

from odoo.addons.techdept_org.exceptions import GateRefusal

from .common import TechdeptCrmCase


@tagged("post_install", "-at_install")
class TestCrmLanguages(TechdeptCrmCase):
    """Each to-do in its assignee's language, the lead's chatter in the
    company's, the gate's refusal titled and in the reader's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["techdept_org", "techdept_crm_stages"], ["zh_CN"]
        )
        cls.user_presales.lang = "zh_CN"
        cls.user_presales_mgr.lang = "en_US"
        cls.user_sales.lang = "en_US"

    def _todos(self, lead):
        return {todo.summary: todo.note for todo in lead.activity_ids}

    def test_todos_in_each_assignees_language(self):
        # The salesperson, who reads English, moves both leads.
        mine = self._lead(name="Campus network")
        managers = self._lead(name="Port security", techdept_presales_user_id=False)
        (mine | managers).with_user(self.user_sales).stage_id = self.stage2

        todos = self._todos(mine)
        self.assertEqual(
            set(todos), {"交付2.2 客户需求说明书及勘察表", "交付2.5 方案讲解及配单"}
        )
        self.assertIn(
            "待上传文件：客户需求说明书、勘察表",
            todos["交付2.2 客户需求说明书及勘察表"],
        )
        self.assertEqual(mine.activity_ids.user_id, self.user_presales)

        todos = self._todos(managers)
        self.assertEqual(
            set(todos),
            {
                "Deliver 2.2 Customer requirements and site survey",
                "Deliver 2.5 Solution presentation and configuration",
            },
        )
        self.assertEqual(managers.activity_ids.user_id, self.user_presales_mgr)

    def test_chatter_in_the_company_language(self):
        self.env.company.partner_id.lang = "zh_CN"
        lead = self._lead()
        lead.with_user(self.user_sales).stage_id = self.stage2
        self._deliver(lead, "2.2")
        self._deliver(lead, "2.5")
        lead.with_user(self.user_sales).stage_id = self.stage3
        lead.with_user(self.user_sales).stage_id = self.stage2
        stages = self.env["crm.stage"].with_context(lang="zh_CN")
        self.assertIn(
            f"已从{stages.browse(self.stage3.id).name}退回至"
            f"{stages.browse(self.stage2.id).name}。",
            lead.message_ids[0].body,
        )

    def test_gate_refusal_titled_and_in_the_readers_language(self):
        lead = self._lead(name="Campus network")
        lead.with_user(self.user_sales).stage_id = self.stage2
        with self.assertRaises(GateRefusal) as refusal:
            lead.with_user(self.user_sales).with_context(
                lang="zh_CN"
            ).stage_id = self.stage3
        message = str(refusal.exception)
        self.assertIn("以下线索暂不能推进至", message)
        self.assertIn("Campus network：", message)
        self.assertIn("2.2 客户需求说明书及勘察表：缺少客户需求说明书、勘察表", message)
