import re

from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import html2plaintext

# An English word: three ASCII letters or more. Stricter than looking for
# phrases: a single English word (a step named "Review") is caught too. Codes
# such as 2.2, v1, DS-2DE7 or 2025-10 are not words.
WORD = re.compile(r"[A-Za-z]{3,}")
# Mail addresses and links are not prose (HTML is made plain text first).
NOT_PROSE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
# Names and codes that stay as they are in Chinese text.
ALLOWED = {
    "KPI",
    "PDF",
    "XLSX",
    "UPS",  # an uninterruptible power supply, as Chinese engineers write it
    "OdooBot",  # Odoo's own bot, the author of system messages
    "chinesecalendar",  # the Python package the public holidays come from
}
# Stored texts of the suite's models that are codes or data, not prose: a
# chain's or a document type's code, the model a record belongs to, a step's
# condition as a domain, a robot message's JSON (its title and body are read
# on their own).
TECHNICAL_FIELDS = {"code", "model", "res_model", "condition_domain", "payload"}
# A stored value that is an identifier (a model's name, a selection key, a
# category a figure counts) is a code shown through its translated label.
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")


@tagged("post_install", "-at_install")
class TestDemoInChinese(TransactionCase):
    """The demo database, read by a user of the demo (in Chinese): no
    stored name or message of the suite's demo records is English, whatever
    command built it (test.sh loads no language: the demo data does)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "techdept_appraisal.period_finished_demo", raise_if_not_found=False
        ):
            self.skipTest("the database has no demo data")

    def _english(self, texts):
        """(text, words) of the texts that hold English words."""
        found = []
        for text in texts:
            words = [
                word
                for word in WORD.findall(NOT_PROSE.sub(" ", text or ""))
                if word not in ALLOWED
            ]
            if words:
                found.append((text[:120], words))
        return found

    def assertChinese(self, what, texts):
        texts = list(texts)
        self.assertTrue(texts, f"no {what} in the demo data")
        english = self._english(texts)
        self.assertFalse(
            english,
            f"{len(english)} of {len(texts)} {what} hold English:\n"
            + "\n".join(f"  {text!r}: {words}" for text, words in english[:20]),
        )

    def _suite_models(self):
        return [
            name
            for name in self.env.registry
            if name.startswith("techdept.")
            and not self.env[name]._abstract
            and not self.env[name]._transient
        ]

    def _demo_records(self, model):
        """The records of ``model`` (a model of other applications) that the
        suite's demo made: Odoo's own demo data is Odoo's business."""
        if model == "crm.lead":
            return self.env[model].search([("techdept_presales_user_id", "!=", False)])
        return self.env[model].search([("techdept_kind", "!=", False)])

    def _on_demo_records(self, Model, field):
        """The records of ``Model`` (messages, activities) on the suite's
        records and on the leads and projects of its demo (``field`` names
        their model)."""
        leads = self._demo_records("crm.lead")
        projects = self._demo_records("project.project")
        return Model.sudo().search(
            [
                "|",
                "|",
                (field, "in", self._suite_models()),
                "&",
                (field, "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                "&",
                (field, "=", "project.project"),
                ("res_id", "in", projects.ids),
            ]
        )

    def test_the_demo_company_works_in_chinese(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.partner_id.lang, "zh_CN")
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertChinese("company names", [company.name, company.street])
        users = self.env["res.users"].search(
            [("login", "in", ("director", "presales.engineer", "sales", "gm"))]
        )
        self.assertEqual(len(users), 4)
        self.assertEqual(set(users.mapped("lang")), {"zh_CN"})
        self.assertEqual(set(users.mapped("tz")), {"Asia/Shanghai"})
        phones = users.employee_id.mapped("mobile_phone")
        self.assertTrue(all(phone.startswith("+86 ") for phone in phones), phones)

    def test_stored_names_are_chinese(self):
        self.assertChinese(
            "approval steps",
            self.env["techdept.approval.line"].search([]).mapped("step_name"),
        )
        self.assertChinese(
            "project names", self._demo_records("project.project").mapped("name")
        )
        self.assertChinese("lead names", self._demo_records("crm.lead").mapped("name"))
        for model in (
            "techdept.handover",
            "techdept.acceptance",
            "techdept.document",
            "techdept.lead.item",
            "techdept.bonus.pool",
            "techdept.appraisal",
        ):
            self.assertChinese(model, self.env[model].search([]).mapped("display_name"))
        self.assertChinese(
            "delegation reasons",
            self.env["techdept.delegation"].search([]).mapped("reason"),
        )
        worklogs = self.env["techdept.worklog"].search([])
        self.assertChinese("work log lines", worklogs.mapped("name"))
        # A month's story for each presales person: every working day logged.
        for employee in worklogs.employee_id:
            days = set(
                worklogs.filtered(lambda w, e=employee: w.employee_id == e).mapped(
                    "date"
                )
            )
            self.assertGreaterEqual(len(days), 20, employee.name)

    def test_chatter_and_todos_are_chinese(self):
        messages = self._on_demo_records(self.env["mail.message"], "model")
        self.assertChinese(
            "messages", [html2plaintext(body) for body in messages.mapped("body")]
        )
        # (The demo is made in one transaction, in which Odoo tracks nothing;
        # what a later change tracks is read too.)
        tracking = messages.tracking_value_ids
        if tracking:
            self.assertChinese(
                "tracked values",
                [
                    f"{t.old_value_char or ''} {t.new_value_char or ''}"
                    for t in tracking
                ],
            )
        activities = self._on_demo_records(self.env["mail.activity"], "res_model")
        self.assertChinese(
            "to-dos",
            [f"{a.summary or ''} {html2plaintext(a.note or '')}" for a in activities],
        )

    def test_conditions_comments_subjects_and_notices_are_chinese(self):
        lines = self.env["techdept.approval.line"].search([])
        self.assertChinese(
            "condition notes",
            lines.filtered("condition_domain").mapped("condition_note"),
        )
        self.assertChinese(
            "review comments",
            [c for c in lines.decision_ids.mapped("comment") if c],
        )
        messages = self._on_demo_records(self.env["mail.message"], "model")
        self.assertChinese(
            "message subjects", [s for s in messages.mapped("subject") if s]
        )
        notices = self.env["techdept.notice"].search([])
        self.assertChinese(
            "robot notices",
            [f"{n.title} {n.body} {n.last_error or ''}" for n in notices],
        )

    def test_every_stored_text_of_the_suite_is_chinese(self):
        """Whatever the suite stores as text in its own models (a
        translatable one read in Chinese)."""
        checked = 0
        for model in self._suite_models():
            Model = self.env[model].sudo().with_context(active_test=False)
            names = [
                name
                for name, field in Model._fields.items()
                if field.store
                and field.type in ("char", "text", "html")
                and name not in TECHNICAL_FIELDS
            ]
            if not names:
                continue
            records = Model.search([])
            for name in names:
                html = Model._fields[name].type == "html"
                texts = [
                    html2plaintext(value) if html else value
                    for value in records.mapped(name)
                    if value and not IDENTIFIER.fullmatch(value)
                ]
                if texts:
                    self.assertChinese(f"{model}.{name}", texts)
                    checked += 1
        self.assertGreater(checked, 20)
