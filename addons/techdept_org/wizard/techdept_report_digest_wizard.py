import io
import unicodedata
from datetime import timedelta

import xlsxwriter

from odoo import api, fields, models


class TechdeptReportDigestWizard(models.TransientModel):
    """The week's progress reports of a manager's team on one page: who
    submitted, who is late, what is not reviewed yet, and each report. As a
    PDF or an XLSX sheet, made for the user who asks with the reports he may
    read, and stored nowhere."""

    _name = "techdept.report.digest.wizard"
    _description = "Weekly Digest of Progress Reports"

    def _default_date(self):
        return fields.Date.context_today(self) - timedelta(days=7)

    date = fields.Date(
        string="Week Of",
        required=True,
        default=lambda self: self._default_date(),
        help="Any day of the week: its weekly reports, and the daily ones of its days.",
    )
    department_id = fields.Many2one(
        "hr.department", help="Only the reports of this department and those under it."
    )
    week_start = fields.Date(compute="_compute_week")
    week_end = fields.Date(compute="_compute_week")
    week_label = fields.Char(string="Week", compute="_compute_week")
    report_ids = fields.Many2many(
        "techdept.progress.report", string="Reports", compute="_compute_report_ids"
    )

    @api.depends("date")
    def _compute_week(self):
        Report = self.env["techdept.progress.report"]
        for wizard in self:
            day = wizard.date or fields.Date.context_today(self)
            start = day - timedelta(days=day.weekday())
            wizard.week_start = start
            wizard.week_end = start + timedelta(days=6)
            wizard.week_label = Report._techdept_period_label("weekly", start)

    @api.depends("date", "department_id")
    @api.depends_context("uid")
    def _compute_report_ids(self):
        Report = self.env["techdept.progress.report"]
        for wizard in self:
            domain = [
                ("period_start", ">=", wizard.week_start),
                ("period_end", "<=", wizard.week_end),
                ("user_id", "!=", self.env.uid),
            ]
            if wizard.department_id:
                domain.append(("department_id", "child_of", wizard.department_id.id))
            wizard.report_ids = Report.search(domain).sorted(
                lambda r: (
                    r.sudo().department_id.name or "",
                    r.sudo().employee_id.name or "",
                    r.period_start,
                )
            )

    def _techdept_counts(self):
        """(expected, submitted, late, missing, reviewed, to review)."""
        self.ensure_one()
        reports = self.report_ids
        return {
            "expected": len(reports),
            "submitted": len(reports.filtered(lambda r: r.state != "draft")),
            "late": len(reports.filtered("is_late")),
            "missing": len(reports.filtered("is_missing")),
            "reviewed": len(reports.filtered(lambda r: r.state == "reviewed")),
            "to_review": len(reports.filtered(lambda r: r.state == "submitted")),
        }

    def _techdept_title(self):
        self.ensure_one()
        return self.env._(
            "Progress reports of the week %(week)s (%(start)s to %(end)s)",
            week=self.week_label,
            start=fields.Date.to_string(self.week_start),
            end=fields.Date.to_string(self.week_end),
        )

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref("techdept_org.action_report_techdept_digest").report_action(
            self
        )

    def action_download_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/techdept_org/xlsx/digest/{self.id}",
            "target": "self",
        }

    # The sheet

    @staticmethod
    def _techdept_width(text):
        """Width of a column for ``text``: a Chinese character takes two."""
        text = str(text or "")
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    def _techdept_xlsx_file(self):
        """(file name, content) of the week's sheet."""
        self.ensure_one()
        return f"progress-reports-{self.week_label}.xlsx", self._techdept_xlsx()

    def _techdept_xlsx(self):
        """Two sheets: one row per report (status, lateness, reviews and each
        section's text), then the figures of every report."""
        self.ensure_one()
        _ = self.env._
        reports = self.report_ids
        states = dict(reports._fields["state"]._description_selection(self.env))
        sections = []
        for report in reports:
            for section in report.section_ids:
                if section.name not in sections:
                    sections.append(section.name)
        columns = [
            _("Employee"),
            _("Position"),
            _("Department"),
            _("Report"),
            _("Status"),
            _("Submitted On"),
            _("Late"),
            _("Missing"),
            _("Reviewers"),
            _("Reviewed"),
            *sections,
        ]
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        top = workbook.add_format({"valign": "top"})
        late = workbook.add_format(
            {"bg_color": "#FFC7CE", "font_color": "#9C0006", "valign": "top"}
        )
        number = workbook.add_format({"num_format": "0.0", "valign": "top"})

        sheet = workbook.add_worksheet(_("Reports"))
        sheet.merge_range(0, 0, 0, len(columns) - 1, self._techdept_title(), title)
        widths = [self._techdept_width(label) for label in columns]
        for col, label in enumerate(columns):
            sheet.write(1, col, label, bold)
        yes, no = _("Yes"), _("No")
        for row_index, report in enumerate(reports, start=2):
            names = report.sudo()
            by_name = {
                section.name: (section.body or "").strip()
                for section in report.section_ids
            }
            submitted = (
                fields.Datetime.context_timestamp(self, report.date_submitted).strftime(
                    "%Y-%m-%d %H:%M"
                )
                if report.date_submitted
                else ""
            )
            values = [
                names.employee_id.name or "",
                names.job_id.name or "",
                names.department_id.name or "",
                report.period_label,
                states.get(report.state, ""),
                submitted,
                yes if report.is_late else no,
                yes if report.is_missing else no,
                ", ".join(names.review_ids.reviewer_id.mapped("name")),
                report.review_progress or "",
                *[by_name.get(name, "") for name in sections],
            ]
            for col, value in enumerate(values):
                fmt = top
                if col >= 10:
                    fmt = wrap
                elif col in (6, 7) and value == yes:
                    fmt = late
                sheet.write(row_index, col, value, fmt)
                if col < 10:
                    widths[col] = max(widths[col], self._techdept_width(value))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, 40 if col >= 10 else max(width, 8) + 2)
        if reports:
            sheet.autofilter(1, 0, len(reports) + 1, len(columns) - 1)
        sheet.freeze_panes(2, 1)

        figures_sheet = workbook.add_worksheet(_("Figures"))
        headers = [_("Employee"), _("Report"), _("Figure"), _("Value"), _("Detail")]
        for col, label in enumerate(headers):
            figures_sheet.write(0, col, label, bold)
        row_index = 1
        for report in reports:
            for figure in report.figure_ids:
                figures_sheet.write(row_index, 0, report.sudo().employee_id.name, top)
                figures_sheet.write(row_index, 1, report.period_label, top)
                figures_sheet.write(row_index, 2, figure.name, top)
                figures_sheet.write_number(row_index, 3, figure.value, number)
                figures_sheet.write(row_index, 4, figure.detail or "", wrap)
                row_index += 1
        figures_sheet.set_column(0, 1, 14)
        figures_sheet.set_column(2, 2, 36)
        figures_sheet.set_column(3, 3, 10)
        figures_sheet.set_column(4, 4, 60)
        figures_sheet.freeze_panes(1, 0)
        workbook.close()
        return output.getvalue()
