from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What each export route serves: the sheets are made for the user who asks,
# with the rows he may read, and never stored where others could fetch them.
_XLSX_MODELS = {
    "period": "techdept.appraisal.period",
    "bonus": "techdept.bonus.pool",
}


class TechdeptAppraisalXlsx(http.Controller):
    @http.route(
        "/techdept_appraisal/xlsx/<string:kind>/<int:record_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def download_xlsx(self, kind, record_id):
        model = _XLSX_MODELS.get(kind)
        if not model:
            raise NotFound()
        record = request.env[model].browse(record_id).exists()
        if not record:
            raise NotFound()
        record.check_access("read")
        filename, content = record._techdept_xlsx_file()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )
