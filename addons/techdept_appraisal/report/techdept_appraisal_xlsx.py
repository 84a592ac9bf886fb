import io

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models


class TechdeptAppraisalPeriod(models.Model):
    _inherit = "techdept.appraisal.period"

    def action_export_xlsx(self):
        """Download the month's sheet: made on request for the user who asks,
        with the forms he may read, and stored nowhere."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/techdept_appraisal/xlsx/period/{self.id}",
            "target": "self",
        }

    def _techdept_xlsx_file(self):
        """(file name, content) of the month's sheet."""
        self.ensure_one()
        return f"appraisals-{self.name}.xlsx", self._techdept_xlsx_sheet()

    def _techdept_xlsx_columns(self):
        """(key, header) of the sheet's columns; the item groups come between
        the appraiser and the total."""
        _ = self.env._
        groups = (
            self.env["techdept.appraisal.line"]
            ._fields["group"]
            ._description_selection(self.env)
        )
        return (
            [
                ("employee", _("Employee")),
                ("job", _("Position")),
                ("department", _("Department")),
                ("appraiser", _("Appraiser")),
            ]
            + [(f"group_{key}", label) for key, label in groups]
            + [
                ("total", _("Total Score")),
                ("grade", _("Grade")),
                ("coefficient", _("Bonus Coefficient")),
                ("rank", _("Rank")),
                ("late", _("Late")),
            ]
        )

    def _techdept_xlsx_row(self, appraisal):
        """A form's cells; a form not scored yet has no figures (None: a
        blank cell, left out of the averages)."""
        scored = appraisal.is_scored
        row = {
            "employee": appraisal.employee_id.name,
            "job": appraisal.job_id.name or "",
            "department": appraisal.department_id.name or "",
            "appraiser": appraisal.appraiser_id.name or "",
            "total": appraisal.total_score if scored else None,
            "grade": (appraisal.grade_band_id.name or "") if scored else None,
            "coefficient": appraisal.coefficient if scored else None,
            "rank": appraisal.rank if scored else None,
            "late": self.env._("Yes") if appraisal.is_late else self.env._("No"),
        }
        if not scored:
            return row
        for line in appraisal.line_ids:
            points = (
                line.score / line.max_score * line.weight if line.max_score else 0.0
            )
            key = f"group_{line.group}"
            row[key] = row.get(key, 0.0) + points
        return row

    def _techdept_xlsx_sheet(self):
        """The month's appraisals as an XLSX file (bytes): one row per form."""
        self.ensure_one()
        columns = self._techdept_xlsx_columns()
        keys = [key for key, _label in columns]
        appraisals = self.appraisal_ids.sorted(
            lambda a: (
                a.department_id.name or "",
                -a.total_score,
                a.employee_id.name or "",
            )
        )
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.name or "appraisals")
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        number = workbook.add_format({"num_format": "0.00"})
        bold_number = workbook.add_format(
            {"bold": True, "num_format": "0.00", "top": 1}
        )
        bold_top = workbook.add_format({"bold": True, "top": 1})

        for col, (_key, label) in enumerate(columns):
            sheet.write(0, col, label, bold)
            sheet.set_column(col, col, 14 if col < 4 else 11)
        rows = [self._techdept_xlsx_row(appraisal) for appraisal in appraisals]
        for row_index, row in enumerate(rows, start=1):
            for col, key in enumerate(keys):
                default = (
                    0.0 if key.startswith("group_") and row["total"] is not None else ""
                )
                value = row.get(key, default)
                if value is None:
                    continue
                if isinstance(value, float):
                    sheet.write_number(row_index, col, round(value, 2), number)
                else:
                    sheet.write(row_index, col, value)

        # The average of every number column, and the count of late forms.
        last = len(rows)
        footer = last + 1
        sheet.write(footer, 0, self.env._("Average"), bold_top)
        numeric = [key for key in keys if key.startswith("group_")] + [
            "total",
            "coefficient",
        ]
        for col, key in enumerate(keys):
            if col == 0:
                continue
            if key in numeric and rows:
                first_cell, last_cell = (
                    xl_rowcol_to_cell(1, col),
                    xl_rowcol_to_cell(last, col),
                )
                values = [row.get(key, 0.0) for row in rows if row["total"] is not None]
                average = sum(values) / len(values) if values else 0.0
                sheet.write_formula(
                    footer,
                    col,
                    f"=AVERAGE({first_cell}:{last_cell})",
                    bold_number,
                    round(average, 2),
                )
            elif key == "late" and rows:
                first_cell, last_cell = (
                    xl_rowcol_to_cell(1, col),
                    xl_rowcol_to_cell(last, col),
                )
                yes = self.env._("Yes")
                late = sum(1 for row in rows if row["late"] == yes)
                sheet.write_formula(
                    footer,
                    col,
                    f'=COUNTIF({first_cell}:{last_cell},"{yes}")',
                    bold_top,
                    late,
                )
            else:
                sheet.write_blank(footer, col, None, bold_top)

        if rows:
            total_col = keys.index("total")
            sheet.conditional_format(
                1,
                total_col,
                last,
                total_col,
                {
                    "type": "3_color_scale",
                    "min_color": "#F8696B",
                    "mid_color": "#FFEB84",
                    "max_color": "#63BE7B",
                },
            )
            grade_col = keys.index("grade")
            bands = self.env["techdept.grade.band"].search([]).sorted("min_score")
            if bands:
                good = workbook.add_format(
                    {"bg_color": "#C6EFCE", "font_color": "#006100"}
                )
                poor = workbook.add_format(
                    {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
                )
                for band, fmt in ((bands[-1], good), (bands[0], poor)):
                    sheet.conditional_format(
                        1,
                        grade_col,
                        last,
                        grade_col,
                        {
                            "type": "cell",
                            "criteria": "==",
                            "value": f'"{band.name}"',
                            "format": fmt,
                        },
                    )
        sheet.freeze_panes(1, 0)
        workbook.close()
        return output.getvalue()
