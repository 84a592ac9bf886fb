from unittest.mock import PropertyMock, patch

from markupsafe import Markup

from odoo.tests import TransactionCase, tagged

from odoo.addons.base.models.ir_actions_report import (
    IrActionsReport as BaseIrActionsReport,
)

DIGEST = "techdept_org.action_report_techdept_digest"


@tagged("post_install", "-at_install")
class TestSelfContainedPdf(TransactionCase):
    """The suite's reports reach wkhtmltopdf with their style sheets inside
    the page and no base address: printing asks the server for nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["ir.actions.report"]
        # The page as Odoo hands it to wkhtmltopdf: its layout's head (base
        # address, links to the two style sheets of the report assets).
        cls.page = str(
            cls.env["ir.qweb"]._render(
                "web.minimal_layout",
                {
                    "subst": False,
                    "body": Markup('<div class="article"><p>巡检</p></div>'),
                    "base_url": "http://odoo.example.com",
                },
            )
        )

    def _bundle_css(self, name):
        bundle = self.env["ir.qweb"]._get_asset_bundle(name, js=False)
        return bundle.css().raw.decode()

    def _given_to_wkhtmltopdf(self, report_ref):
        """The pages Odoo's wkhtmltopdf call receives for ``report_ref``."""
        received = []

        def spy(report, bodies, report_ref=False, header=None, footer=None, **kw):
            received.extend(bodies)
            return b"%PDF-1.4"

        with patch.object(BaseIrActionsReport, "_run_wkhtmltopdf", spy):
            self.Report._run_wkhtmltopdf([self.page], report_ref=report_ref)
        return received

    def test_the_suite_reports_are_self_contained(self):
        self.assertTrue(self.env.ref(DIGEST).techdept_self_contained)
        self.assertFalse(
            self.env.ref("base.report_ir_model_overview").techdept_self_contained
        )

    def test_style_sheets_inside_the_page_and_no_base(self):
        self.assertIn("/web/assets/", self.page)
        self.assertIn("<base", self.page)
        (page,) = self._given_to_wkhtmltopdf(DIGEST)
        self.assertNotIn("/web/assets/", page)
        self.assertNotIn("<base", page)
        self.assertNotIn("odoo.example.com", page)
        self.assertEqual(page.count("<style>"), 2)
        for bundle in ("web.report_assets_pdf", "web.report_assets_common"):
            css = self._bundle_css(bundle).replace("</", "<\\/")
            self.assertIn(css, page)
        self.assertIn("<p>巡检</p>", page)

    def test_other_reports_keep_their_links(self):
        (page,) = self._given_to_wkhtmltopdf("base.report_ir_model_overview")
        self.assertEqual(page, self.page)

    def test_a_style_sheet_not_built_yet_is_built(self):
        self.env["ir.attachment"].sudo().search(
            [("url", "=like", "/web/assets/%.css")]
        ).unlink()
        (page,) = self._given_to_wkhtmltopdf(DIGEST)
        self.assertNotIn("/web/assets/", page)
        self.assertIn(self._bundle_css("web.report_assets_common"), page)

    def test_on_a_read_only_cursor_an_unbuilt_sheet_keeps_its_link(self):
        """A replica cannot store the sheet it would build: that page keeps
        its links and its base address, as Odoo would print it."""
        self.env["ir.attachment"].sudo().search(
            [("url", "=like", "/web/assets/%.css")]
        ).unlink()
        with patch.object(
            type(self.env.cr), "readonly", new_callable=PropertyMock, return_value=True
        ):
            (page,) = self._given_to_wkhtmltopdf(DIGEST)
        self.assertIn("/web/assets/", page)
        self.assertIn('<base href="http://odoo.example.com"', page)

    def test_a_link_to_no_bundle_is_left_alone(self):
        link = (
            '<link rel="stylesheet" href="/web/assets/1a2b3c4/no_such.bundle.min.css"/>'
        )
        page = self.page.replace("<meta", link + "<meta", 1)
        result = self.Report._techdept_self_contained(page, {})
        self.assertIn(link, result)
        self.assertIn("<base", result)

    def test_a_closing_tag_in_a_sheet_cannot_end_its_style(self):
        css = 'p::after { content: "</style><script>alert(1)</script>"; }'
        with patch.object(type(self.Report), "_techdept_asset_css", lambda *args: css):
            page = self.Report._techdept_self_contained(self.page, {})
        # Both style elements end where they should, after their sheet.
        self.assertEqual(page.count("</style>"), 2)
        self.assertNotIn("</script>", page)
        self.assertIn('content: "<\\/style><script>alert(1)<\\/script>"', page)
