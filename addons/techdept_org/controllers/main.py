from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TechdeptOrgXlsx(http.Controller):
    @http.route(
        "/techdept_org/xlsx/digest/<int:wizard_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def download_digest(self, wizard_id):
        """The week's sheet of a digest the user asked for: made with the
        reports he may read, never stored where others could fetch it."""
        wizard = request.env["techdept.report.digest.wizard"].browse(wizard_id).exists()
        if not wizard:
            raise NotFound()
        wizard.check_access("read")
        filename, content = wizard._techdept_xlsx_file()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )
