from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .techdept_periodic import FREQUENCIES


class TechdeptReportTemplate(models.Model):
    """What the holders of some positions report, and how often (the
    policy's 定期汇报进展情况): the sections they write, when the report is
    due, when they are reminded and how long their manager has to review it.
    Like DingTalk's 日志 templates (日报, 周报, 月报)."""

    _name = "techdept.report.template"
    _description = "Progress Report Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    frequency = fields.Selection(FREQUENCIES, required=True, default="weekly")
    job_ids = fields.Many2many(
        "hr.job",
        "techdept_report_template_job_rel",
        "template_id",
        "job_id",
        string="Positions",
        help="The holders of these positions write this report.",
    )
    section_ids = fields.One2many(
        "techdept.report.template.section", "template_id", string="Sections", copy=True
    )
    due_days = fields.Integer(
        string="Working Days of Grace",
        default=0,
        help="The report is due this many working days after the period's last "
        "working day (0: on that day).",
    )
    remind_days = fields.Integer(
        string="Remind Working Days Before",
        default=1,
        help="The author gets a to-do this many working days before the report is due.",
    )
    review_days = fields.Integer(
        string="Working Days to Review",
        default=2,
        help="Each reviewer reads and marks the report reviewed within this "
        "many working days of its submission.",
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.constrains("job_ids", "active")
    def _check_one_template_per_job(self):
        for template in self.filtered("active"):
            others = self.search(
                [("id", "!=", template.id), ("job_ids", "in", template.job_ids.ids)],
                limit=1,
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(jobs)s already write %(other)s: a position has one "
                        "report template.",
                        jobs=", ".join(
                            (others.job_ids & template.job_ids).mapped("name")
                        ),
                        other=others.name,
                    )
                )

    @api.constrains("due_days", "remind_days", "review_days")
    def _check_days(self):
        for template in self:
            if min(template.due_days, template.remind_days, template.review_days) < 0:
                raise ValidationError(
                    self.env._(
                        "%(template)s: working days cannot be negative.",
                        template=template.name,
                    )
                )


class TechdeptReportTemplateSection(models.Model):
    """A part of the report its author writes, e.g. 本期完成."""

    _name = "techdept.report.template.section"
    _description = "Progress Report Template Section"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "techdept.report.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    guide = fields.Text(
        translate=True, help="What the author writes here; shown as a hint."
    )
    required = fields.Boolean(
        default=True, help="The report cannot be submitted with this section empty."
    )
