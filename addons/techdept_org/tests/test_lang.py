import logging
import re
from pathlib import Path

from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.http import serialize_exception
from odoo.tests import new_test_user, tagged

from .. import exceptions
from ..models.techdept_lang import company_lang, in_every_lang, user_lang
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
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "techdept_org"], ["zh_CN"]
        )
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

    def _submitted(self):
        record = self.Tester.with_user(self.user_engineer).create(
            {"name": "Solution", "amount": 10}
        )
        # As if created in an earlier transaction: Odoo does not track a
        # record in the transaction that creates it.
        self._flush_tracking()
        record.action_approval_submit()
        return record

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _tracking(self, record):
        return (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", record._name),
                    ("mail_message_id.res_id", "=", record.id),
                    ("field_id.name", "=", "approval_state"),
                ],
                order="id",
            )
        )

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

    def test_chatter_in_the_company_language(self):
        self.env.company.partner_id.lang = "zh_CN"
        self.assertEqual(company_lang(self.env), "zh_CN")
        record = self._submitted()
        self._flush_tracking()
        submitted = record.message_ids.filtered(lambda m: "第1轮" in (m.body or ""))
        self.assertEqual(len(submitted), 1)
        self.assertIn("经理审核", submitted.body)
        # The engine's message says it: the state is not tracked besides.
        self.assertFalse(self._tracking(record))

        record.with_user(self.user_a).action_approval_approve(comment="OK")
        self._flush_tracking()
        # (A to-do's "done" message quotes its summary, in the language of
        # whoever it was for.)
        bodies = record.message_ids.filtered(
            lambda m: not m.mail_activity_type_id
        ).mapped("body")
        self.assertTrue(any("经理审核已由Td Om Manager批准：OK" in b for b in bodies))
        self.assertTrue(any("已批准。" in b for b in bodies))
        self.assertFalse(self._tracking(record))
        self.assertFalse(
            [b for b in bodies if re.search(r"\b(approved|Review|Submitted)\b", b)]
        )

        # An English company reads English, whoever acts.
        self.env.company.partner_id.lang = "en_US"
        other = self.Tester.with_user(self.user_director).with_context(lang="zh_CN")
        other = other.create({"name": "Other", "amount": 1})
        other.action_approval_submit()
        self._flush_tracking()
        self.assertIn("Submitted for review (round 1)", other.message_ids[0].body)

    def test_tracking_in_the_company_language(self):
        """A tracked selection keeps its labels in the company's language,
        whatever the language of whoever changes it."""
        self.env.company.partner_id.lang = "zh_CN"
        company = self.env["res.company"].create({"name": "Tracking Co"})
        department = self.env["hr.department"].create(
            {"name": "Tracked", "company_id": company.id, "techdept_function": "om"}
        )
        self._flush_tracking()
        department.with_context(lang="en_US").techdept_function = "presales"
        self._flush_tracking()
        tracking = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "hr.department"),
                    ("mail_message_id.res_id", "=", department.id),
                    ("field_id.name", "=", "techdept_function"),
                ]
            )
        )
        labels = dict(
            department.with_context(lang="zh_CN")
            ._fields["techdept_function"]
            ._description_selection(department.with_context(lang="zh_CN").env)
        )
        self.assertEqual(
            (tracking.old_value_char, tracking.new_value_char),
            (labels["om"], labels["presales"]),
        )
        self.assertNotEqual(labels["presales"], "Presales")

    def test_todos_in_their_assignees_language(self):
        self.env.company.partner_id.lang = "zh_CN"
        record = self._submitted()
        todos = self.env["mail.activity"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )
        summaries = {todo.user_id: todo.summary for todo in todos}
        self.assertEqual(
            summaries,
            {
                self.user_director: "审核：经理审核",
                self.user_a: "Review: Managers' review",
            },
        )
        # No "assigned to you" notice per to-do: the assignee sees it live in
        # his activity menu.
        notices = self.env["mail.message"].search(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("message_type", "=", "user_notification"),
                (
                    "partner_ids",
                    "in",
                    (self.user_director | self.user_a).partner_id.ids,
                ),
            ]
        )
        self.assertFalse(notices)
        # A user without a language of his own reads his company's.
        plain = new_test_user(self.env, login="td_no_lang", groups="base.group_user")
        plain.lang = False
        self.assertEqual(user_lang(plain), "zh_CN")

    def test_step_names_in_the_readers_language(self):
        record = self._submitted()
        line = record.approval_line_ids
        self.assertEqual(line.with_context(lang="zh_CN").step_name, "经理审核")
        self.assertEqual(line.with_context(lang="en_US").step_name, "Managers' review")
        self.assertEqual(
            record.with_context(lang="zh_CN").approval_current_step, "经理审核"
        )
        Line = self.env["techdept.approval.line"].with_context(lang="zh_CN")
        self.assertEqual(Line.search([("step_name", "=", "经理审核")]), line)
        # The step deleted: the name it had at submission remains.
        record.with_user(self.user_engineer).action_approval_cancel()
        self.step.unlink()
        self.assertEqual(line.with_context(lang="zh_CN").step_name, "Managers' review")
        self.assertEqual(Line.search([("step_name", "=", "Managers' review")]), line)

    def test_working_together_in_each_readers_language(self):
        """Forwarding, adding an approver and reminding: the chatter in the
        company's language whoever acts, each to-do and each copy in its
        recipient's, the added step and a condition in the reader's."""
        self.env.company.partner_id.lang = "zh_CN"
        self.user_onsite.lang = "zh_CN"
        self.user_b.lang = "en_US"
        self.user_presales_mgr.lang = "en_US"
        self.chain.write({"allow_add_approver": True, "forward_policy": "department"})
        self.step.cc_user_ids = self.user_director | self.user_presales_mgr
        large = self.env["techdept.approval.step"].create(
            {
                "chain_id": self.chain.id,
                "sequence": 50,
                "name": "Large amounts",
                "approver_type": "users",
                "user_ids": [Command.set(self.user_director.ids)],
                "condition_domain": "[('amount', '>', 500)]",
            }
        )
        large.with_context(lang="zh_CN").name = "大额审批"
        record = self._submitted()
        line = record.approval_line_ids.filtered(lambda ln: ln.step_id == self.step)
        skipped = record.approval_line_ids - line
        self.assertEqual(skipped.state, "skipped")
        self.assertEqual(
            skipped.with_context(lang="zh_CN").condition_note, "无需审批，Amount > 500"
        )
        self.assertEqual(
            skipped.with_context(lang="en_US").condition_note,
            "not required, Amount > 500",
        )

        record.with_user(self.user_a)._approval_forward(self.user_onsite, "出差")
        self.assertIn(
            "Td Om Manager将经理审核转交给Td Onsite：出差", record.message_ids[0].body
        )
        # The forwarded to-do is Td Onsite's, in Chinese, until he decides.
        forwarded = self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("user_id", "=", self.user_onsite.id),
            ]
        )
        self.assertEqual(forwarded.summary, "审核：经理审核")
        record.with_user(self.user_onsite)._approval_add_approver(
            self.user_b, "after", "金额较大", "同意"
        )
        added = record.approval_line_ids.filtered("added_from_line_id")
        self.assertEqual(added.with_context(lang="zh_CN").step_name, "经理审核（加签）")
        self.assertEqual(
            added.with_context(lang="en_US").step_name,
            "Managers' review (added approver)",
        )
        record.with_user(self.user_engineer)._approval_remind()
        reminded = "Td Engineer催办Td Impl Manager：经理审核（加签）"
        self.assertIn(reminded, record.message_ids[0].body)
        chatter = record.message_ids.filtered(
            lambda m: m.message_type != "user_notification"
        ).mapped("body")
        self.assertTrue(any("在步骤经理审核加签Td Impl Manager" in b for b in chatter))
        self.assertFalse(
            [b for b in chatter if re.search(r"\b(forwarded|added|reminds)\b", b)]
        )

        todos = self.env["mail.activity"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )
        self.assertEqual(
            {todo.user_id: todo.summary for todo in todos},
            {self.user_b: "Review: Managers' review (added approver)"},
        )
        copies = self.env["mail.message"].search(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        to_director = copies.filtered(
            lambda m: self.user_director.partner_id in m.partner_ids
        )
        to_presales = copies.filtered(
            lambda m: self.user_presales_mgr.partner_id in m.partner_ids
        )
        subjects = " ".join(to_director.mapped("subject"))
        self.assertIn("抄送给您", subjects)
        self.assertNotIn("Copied to you", subjects)
        self.assertTrue(any("经理审核（加签）" in m.body for m in to_director))
        subjects = " ".join(to_presales.mapped("subject"))
        self.assertIn("Copied to you", subjects)
        self.assertNotIn("抄送给您", subjects)
        self.assertTrue(
            any("Managers' review (added approver)" in m.body for m in to_presales)
        )

    def test_translatable_name_in_every_language(self):
        source = "Approved."  # a term of the engine's
        names = in_every_lang(self.env, lambda env: env._(source))
        self.assertEqual(names["en_US"], "Approved.")
        self.assertEqual(names["zh_CN"], "已批准。")

    def test_errors_titled_by_what_happened(self):
        record = self._submitted()
        with self.assertRaises(exceptions.FrozenRecord) as frozen:
            record.with_user(self.user_engineer).amount = 11
        with self.assertRaises(exceptions.ApprovalRefusal):
            record.with_user(self.user_engineer).action_approval_approve()
        with self.assertRaises(exceptions.ApprovalRefusal):
            record.with_user(self.user_a)._approval_reject(" ")
        with self.assertRaises(exceptions.ServerOwnedField):
            record.with_user(self.user_engineer).write({"approval_state": "approved"})
        record.with_user(self.user_engineer).action_approval_cancel()
        # Nobody holds this role among the tests' people.
        self.step.write({"approver_type": "role", "role": "supervision_manager"})
        with self.assertRaises(exceptions.ApprovalUnassigned):
            record.with_user(self.user_engineer).action_approval_submit()
        # Still what callers of Odoo's classes expect.
        self.assertTrue(issubclass(exceptions.FrozenRecord, UserError))
        self.assertTrue(issubclass(exceptions.ServerOwnedField, AccessError))
        # The rules at work are logged as such; tampering stays a warning.
        self.assertEqual(exceptions.GateRefusal.loglevel, logging.INFO)
        self.assertFalse(hasattr(exceptions.ServerOwnedField, "loglevel"))

        # The web client titles a dialog after the exception's name: each
        # class of the suite has its title there.
        name = serialize_exception(frozen.exception)["name"]
        self.assertEqual(name, "odoo.addons.techdept_org.exceptions.FrozenRecord")
        script = (
            Path(__file__).parents[1] / "static/src/js/error_dialogs.js"
        ).read_text()
        titled = set(re.findall(r"^\s+(\w+): _t\(", script, re.MULTILINE))
        classes = {
            name
            for name, value in vars(exceptions).items()
            if isinstance(value, type) and issubclass(value, Exception)
        } - {"AccessError", "UserError"}
        self.assertEqual(titled, classes)
        self.assertIn('const PREFIX = "odoo.addons.techdept_org.exceptions.";', script)
