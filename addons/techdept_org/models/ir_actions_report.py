import re

from markupsafe import Markup

from odoo import SUPERUSER_ID, fields, models

# A style sheet of an asset bundle, as Odoo's report layouts link it:
# <link type="text/css" rel="stylesheet" href="/web/assets/<unique>/<file>.css"/>
ASSET_LINK = re.compile(
    r"""<link\b[^>]*?\bhref=["'](?P<url>/web/assets/(?:[^"'/]+/)*"""
    r"""(?P<unique>[^"'/]+)/(?P<filename>[^"'/]+\.css))["'][^>]*>"""
)
BASE_TAG = re.compile(r"<base\b[^>]*>")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    techdept_self_contained = fields.Boolean(
        string="Self-Contained PDF",
        help="wkhtmltopdf receives the report's style sheets inside the page "
        "instead of links to this server. Printing the report then needs no "
        "free worker to serve them: several reports printed at the same time "
        "cannot wait on each other until the workers time out. For reports "
        "whose images are embedded in the page too.",
    )

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        report = self._get_report(report_ref) if report_ref else self
        if len(report) == 1 and report.techdept_self_contained:
            styles = {}
            bodies = [self._techdept_self_contained(body, styles) for body in bodies]
            header = header and self._techdept_self_contained(header, styles)
            footer = footer and self._techdept_self_contained(footer, styles)
        return super()._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )

    def _techdept_self_contained(self, html, styles):
        """``html`` with the style sheets of its asset bundles inlined and
        without its ``<base>``: wkhtmltopdf reads nothing from this server
        (what is left relative resolves to a local file, which Odoo forbids
        it to read). A style sheet that cannot be had here (its bundle not yet
        built on a read-only cursor) keeps its link. ``styles`` caches the
        sheets by URL for the other pages of one print."""
        kept_links = []

        def inline(match):
            url = match["url"]
            if url not in styles:
                styles[url] = self._techdept_asset_css(
                    url, match["unique"], match["filename"]
                )
            css = styles[url]
            if css is None:
                kept_links.append(url)
                return match[0]
            # A style element ends at the first "</": CSS never needs one
            # outside a string, where "<\/" reads the same.
            return Markup("<style>{}</style>").format(Markup(css.replace("</", "<\\/")))

        html = ASSET_LINK.sub(inline, html)
        if not kept_links:
            html = BASE_TAG.sub("", html)
        return html

    def _techdept_asset_css(self, url, unique, filename):
        """The text of the asset bundle's style sheet at ``url``: the
        attachment Odoo serves there, built as Odoo's asset route builds it
        when it does not exist yet; None when it cannot be had."""
        Attachment = self.env["ir.attachment"].sudo()
        domain = [
            ("public", "=", True),
            ("url", "=", url),
            ("res_model", "=", "ir.ui.view"),
            ("res_id", "=", 0),
            ("create_uid", "=", SUPERUSER_ID),
        ]
        attachment = Attachment.search(domain, limit=1)
        if not attachment and not self.env.cr.readonly:
            try:
                bundle_name, rtl, asset_type = self.env["ir.asset"]._parse_bundle_name(
                    filename, False
                )
            except ValueError:
                return None
            bundle = self.env["ir.qweb"]._get_asset_bundle(
                bundle_name, css=True, js=False, rtl=rtl
            )
            if (
                asset_type == "css"
                and bundle.stylesheets
                and bundle.get_version("css") == unique
            ):
                attachment = Attachment.browse(bundle.css().id)
        if not attachment or not attachment.raw:
            return None
        return attachment.raw.decode()
