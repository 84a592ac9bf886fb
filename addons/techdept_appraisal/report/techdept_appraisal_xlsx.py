import functools
import io
import unicodedata

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
                ("self_total", _("Self Score")),
                ("total", _("Total Score")),
                ("grade", _("Grade")),
                ("coefficient", _("Bonus Coefficient")),
                ("rank", _("Rank")),
                ("late", _("Late")),
                ("state", _("Status")),
            ]
        )

    def _techdept_xlsx_points(self, appraisals):
        """{form id: [(item group, points)]}: each item's share of the total
        (score / maximum × weight), in the items' order, for the items the
        user may read; one query for the whole sheet."""
        Line = self.env["techdept.appraisal.line"]
        query = Line._search([("appraisal_id", "in", appraisals.ids)], order="id")
        fields = ("appraisal_id", "sequence", "id", "group", "score", "max_score")
        rows = self.env.execute_query(
            query.select(
                *(
                    Line._field_to_sql(Line._table, name, query)
                    for name in (*fields, "weight")
                )
            )
        )
        # In the items' order, empty sequences last as in the database
        # (sorted here: the form's own order would join the months and
        # departments).
        rows.sort(key=lambda row: (row[0], row[1] is None, row[1] or 0, row[2]))
        points = {}
        for appraisal_id, _sequence, _id, group, score, max_score, weight in rows:
            points.setdefault(appraisal_id, []).append(
                (
                    group,
                    (score or 0.0) / max_score * (weight or 0.0) if max_score else 0.0,
                )
            )
        return points

    def _techdept_xlsx_labels(self):
        """The words the rows repeat, in the user's language."""
        return {
            "states": dict(
                self.env["techdept.appraisal"]
                ._fields["state"]
                ._description_selection(self.env)
            ),
            "yes": self.env._("Yes"),
            "no": self.env._("No"),
            "group_keys": self._techdept_xlsx_group_keys(),
        }

    def _techdept_xlsx_row(self, appraisal, labels=None, points=None):
        """A form's cells; a form not scored yet has no figures, one without
        a self-assessment no self score (None: a blank cell, left out of the
        averages). ``appraisal`` is a form the user may read, as superuser:
        its names of people, position and grade show as its form shows them
        (he need not read those records). ``labels``: see
        _techdept_xlsx_labels; ``points``: see _techdept_xlsx_points."""
        if labels is None:
            labels = self._techdept_xlsx_labels()
        scored = appraisal.is_scored
        self_assessed = bool(appraisal._sheet().self_submitted_date)
        row = {
            "self_total": appraisal.self_total if self_assessed else None,
            "employee": appraisal.employee_id.name,
            "job": appraisal.job_id.name or "",
            "department": appraisal.department_id.name or "",
            "appraiser": appraisal.appraiser_id.name or "",
            "total": appraisal.total_score if scored else None,
            "grade": (appraisal.grade_band_id.name or "") if scored else None,
            "coefficient": appraisal.coefficient if scored else None,
            "rank": appraisal.rank if scored else None,
            "late": labels["yes"] if appraisal.is_late else labels["no"],
            "state": labels["states"].get(appraisal.state, ""),
        }
        for key in labels["group_keys"]:
            row[key] = 0.0 if scored else None
        if not scored:
            return row
        if points is None:
            points = self._techdept_xlsx_points(appraisal)
        for group, share in points.get(appraisal.id, ()):
            key = f"group_{group}"
            row[key] = row.get(key, 0.0) + share
        return row

    def _techdept_xlsx_group_keys(self):
        return [
            f"group_{key}"
            for key, _label in self.env["techdept.appraisal.line"]
            ._fields["group"]
            .selection
        ]

    def _techdept_xlsx_title(self):
        """The sheet's title: company, department and month."""
        department = (
            self.env["hr.department"]
            .sudo()
            .search(
                [
                    ("techdept_function", "=", "technical"),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )
        return self.env._(
            "%(company)s %(department)s: appraisals of %(month)s",
            company=self.company_id.name,
            department=department.name or "",
            month=self.name,
        )

    @staticmethod
    def _techdept_xlsx_width(text):
        """Width of a column for ``text``: a Chinese character takes two."""
        text = str(text or "")
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    def _techdept_xlsx_sheet(self):
        """The month's appraisals as an XLSX file (bytes): a title row, a
        header, one row per form the user may read, a footer of averages;
        autofilter, frozen header, widths that fit their (Chinese) text."""
        self.ensure_one()
        columns = self._techdept_xlsx_columns()
        keys = [key for key, _label in columns]
        labels = self._techdept_xlsx_labels()
        # The forms the user may read (then read as superuser, see
        # _techdept_xlsx_row), in the order of their names; what the rows
        # show is fetched once for all of them (only the fields shown: an
        # employee has many more).
        forms = self.appraisal_ids.sudo()
        forms.fetch(["employee_id", "job_id", "department_id", "appraiser_id"])
        forms.employee_id.fetch(["name"])
        forms.job_id.fetch(["name"])
        forms.department_id.fetch(["name"])
        forms.appraiser_id.fetch(["name"])
        appraisals = forms.sorted(
            lambda a: (
                a.department_id.name or "",
                not a.is_scored,
                -a.total_score,
                a.employee_id.name or "",
            )
        )
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.name or "appraisals")
        title = workbook.add_format({"bold": True, "font_size": 14})
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        number = workbook.add_format({"num_format": "0.00"})
        bold_number = workbook.add_format(
            {"bold": True, "num_format": "0.00", "top": 1}
        )
        bold_top = workbook.add_format({"bold": True, "top": 1})

        header_row, first_row = 1, 2
        sheet.merge_range(0, 0, 0, len(keys) - 1, self._techdept_xlsx_title(), title)
        points = self._techdept_xlsx_points(self.appraisal_ids)
        rows = [
            self._techdept_xlsx_row(appraisal, labels, points)
            for appraisal in appraisals
        ]
        widths = [self._techdept_xlsx_width(label) for _key, label in columns]
        # Names, positions and states repeat from row to row.
        width_of = functools.lru_cache(maxsize=None)(self._techdept_xlsx_width)
        for col, (_key, label) in enumerate(columns):
            sheet.write(header_row, col, label, bold)
        for row_index, row in enumerate(rows, start=first_row):
            for col, key in enumerate(keys):
                value = row.get(key, "")
                if value is None:
                    continue
                if isinstance(value, float):
                    sheet.write_number(row_index, col, round(value, 2), number)
                else:
                    sheet.write(row_index, col, value)
                    widths[col] = max(widths[col], width_of(value))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, max(width, 8) + 2)

        # The average of every number column (blank cells, the forms not
        # scored yet, are left out), and the count of late forms.
        last = first_row + len(rows) - 1
        footer = last + 1
        sheet.write(footer, 0, self.env._("Average"), bold_top)
        numeric = self._techdept_xlsx_group_keys() + [
            "self_total",
            "total",
            "coefficient",
        ]
        for col, key in enumerate(keys):
            if col == 0:
                continue
            cells = (
                f"{xl_rowcol_to_cell(first_row, col)}:{xl_rowcol_to_cell(last, col)}"
            )
            if key in numeric and rows:
                values = [row[key] for row in rows if row[key] is not None]
                average = sum(values) / len(values) if values else 0.0
                sheet.write_formula(
                    footer,
                    col,
                    f'=IFERROR(AVERAGE({cells}),"")',
                    bold_number,
                    round(average, 2) if values else "",
                )
            elif key == "late" and rows:
                yes = labels["yes"]
                late = sum(1 for row in rows if row["late"] == yes)
                sheet.write_formula(
                    footer, col, f'=COUNTIF({cells},"{yes}")', bold_top, late
                )
            else:
                sheet.write_blank(footer, col, None, bold_top)

        if rows:
            sheet.autofilter(header_row, 0, last, len(keys) - 1)
            total_col = keys.index("total")
            sheet.conditional_format(
                first_row,
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
                        first_row,
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
        sheet.freeze_panes(first_row, 0)
        workbook.close()
        return output.getvalue()
