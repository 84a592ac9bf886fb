from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.tests import tagged

from .common import TechdeptOrgCase


@tagged("post_install", "-at_install")
class TestLanguages(TechdeptOrgCase):
    """Who reads what in which language: the mixin's labels on a consumer
    model no translation file knows, chatter and tracking in the company's
    language, to-dos in their assignee's, step names in the reader's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["techdept_org"], ["zh_CN"])
        # A consumer of a module of the tests' own: no translation of it
        # exists anywhere.
        cls.loader = FakeModelLoader(cls.env, "odoo.addons.techdept_lang_tests")
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
        cls.user_director.lang = "zh_CN"
        cls.user_a.lang = "en_US"
        cls.user_engineer.lang = "en_US"
        cls.chain = cls.env["techdept.approval.chain"].create(
            {
                "name": "Tester chain",
                "code": "tester_chain",
                "model_id": cls.env["ir.model"]._get_id("techdept.approval.tester"),
                "step_ids": [
                    Command.create(
                        {
                            "name": "Managers' review",
                            "approver_type": "users",
                            "user_ids": [
                                Command.set((cls.user_director | cls.user_a).ids)
                            ],
                        }
                    ),
                ],
            }
        )
        cls.step = cls.chain.step_ids
        cls.step.with_context(lang="zh_CN").name = "经理审核"

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def test_mixin_labels_on_a_consumer_no_file_translates(self):
        Tester = self.Tester.with_context(lang="zh_CN")
        names = ["approval_state", "approval_required", "approval_current_step"]
        info = Tester.fields_get(names, ["string", "help", "selection"])
        self.assertEqual(info["approval_state"]["string"], "审批")
        self.assertEqual(
            dict(info["approval_state"]["selection"]),
            {
                "draft": "未提交",
                "pending": "审核中",
                "approved": "已批准",
                "rejected": "已驳回",
                "cancelled": "已撤回",
            },
        )
        self.assertEqual(info["approval_current_step"]["string"], "当前步骤")
        self.assertEqual(info["approval_required"]["help"], "该记录需经过审批流程。")
        # Odoo alone would show English: the consumer's own rows have no
        # Chinese.
        own = self.env["ir.model.fields"]._get(
            "techdept.approval.tester", "approval_state"
        )
        self.assertEqual(
            own.selection_ids.with_context(lang="zh_CN")
            .filtered(lambda s: s.value == "pending")
            .name,
            "In Review",
        )
        # The consumer's own fields and English readers are left alone.
        self.assertEqual(Tester.fields_get(["amount"])["amount"]["string"], "Amount")
        english = self.Tester.with_context(lang="en_US").fields_get(["approval_state"])
        self.assertEqual(
            dict(english["approval_state"]["selection"])["pending"], "In Review"
        )
        # The form the engine completes: its badge reads the labels above,
        # its buttons are in the reader's language.
        self.env["ir.ui.view"].create(
            {
                "name": "tester form",
                "model": "techdept.approval.tester",
                "arch": '<form><sheet><field name="name"/></sheet></form>',
            }
        )
        arch = Tester.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('<field name="approval_state" widget="badge"', arch)
        self.assertIn('string="提交审核"', arch)
