from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from odoo.addons.techdept_org.models.techdept_guard import (
    has_server_flag,
    is_server,
    with_server_flag,
)

# Raised while a template writes its items as a whole: their total is then
# checked once, by the template.
_TEMPLATE_WRITE = "techdept_kpi_template_write"

KPI_SOURCES = [
    ("manual", "Scored by Hand"),
    ("worklog_hours", "Presales Work Log Hours"),
    ("approvals_on_time", "Reviews Answered Before Their Deadline"),
    ("deliverables_approved", "Deliverables Approved"),
]

KPI_GROUPS = [
    ("performance", "Work Performance"),
    ("quality", "Quality"),
    ("project", "Project Work"),
    ("teamwork", "Teamwork and Attitude"),
]


class TechdeptKpiTemplate(models.Model):
    """The monthly appraisal form of a position: items whose weights total 100."""

    _name = "techdept.kpi.template"
    _description = "KPI Template"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    job_ids = fields.Many2many(
        "hr.job", string="Positions", help="Positions appraised with this template."
    )
    line_ids = fields.One2many(
        "techdept.kpi.template.line", "template_id", string="Items", copy=True
    )
    total_weight = fields.Float(compute="_compute_total_weight", digits=(5, 2))
    self_assessment = fields.Boolean(
        help="After the month, the employee scores himself and comments each "
        "item before his appraiser scores; both scores show side by side.",
    )
    active = fields.Boolean(default=True)

    @api.depends("line_ids.weight")
    def _compute_total_weight(self):
        for template in self:
            template.total_weight = sum(template.line_ids.mapped("weight"))

    @api.constrains("line_ids")
    def _check_total_weight(self):
        for template in self:
            if template.line_ids and float_compare(template.total_weight, 100.0, 2):
                raise ValidationError(
                    self.env._(
                        "The weights of %(template)s total %(total)s: they must total "
                        "exactly 100.",
                        template=template.name,
                        total=template.total_weight,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        template = with_server_flag(self, _TEMPLATE_WRITE)
        # The flag is for this creation only, not for what the caller does
        # next with the new templates.
        return super(TechdeptKpiTemplate, template).create(vals_list).with_env(self.env)

    def write(self, vals):
        template = with_server_flag(self, _TEMPLATE_WRITE)
        return super(TechdeptKpiTemplate, template).write(vals)

    @api.constrains("job_ids")
    def _check_one_template_per_job(self):
        for template in self:
            others = self.search(
                [("id", "!=", template.id), ("job_ids", "in", template.job_ids.ids)],
                limit=1,
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(jobs)s already use %(other)s: a position has one template.",
                        jobs=", ".join(
                            (others.job_ids & template.job_ids).mapped("name")
                        ),
                        other=others.name,
                    )
                )


class TechdeptKpiTemplateLine(models.Model):
    _name = "techdept.kpi.template.line"
    _description = "KPI Template Item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "techdept.kpi.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True, translate=True)
    group = fields.Selection(KPI_GROUPS, required=True, default="performance")
    weight = fields.Float(required=True, digits=(5, 2))
    max_score = fields.Float(string="Maximum Score", required=True, default=100.0)
    guide = fields.Text(string="Scoring Guide", translate=True)
    source = fields.Selection(KPI_SOURCES, required=True, default="manual")
    target = fields.Float(
        help="For computed items: the value that earns the maximum score "
        "(e.g. 120 work-log hours a month).",
    )
    scorer = fields.Selection(
        [("appraiser", "Appraiser"), ("co_appraiser", "Co-appraiser")],
        required=True,
        default="appraiser",
        help="Project items are scored by the implementation manager as co-appraiser.",
    )

    def _check_template_totals(self, templates):
        """Items changed one by one (not through their template's form) must
        keep their template's total at 100."""
        if not (is_server(self.env) or has_server_flag(self.env, _TEMPLATE_WRITE)):
            templates.exists()._check_total_weight()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self._check_template_totals(lines.template_id)
        return lines

    def write(self, vals):
        templates = self.template_id
        result = super().write(vals)
        if {"weight", "template_id"} & vals.keys():
            self._check_template_totals(templates | self.template_id)
        return result

    def unlink(self):
        templates = self.template_id
        result = super().unlink()
        self._check_template_totals(templates)
        return result

    @api.constrains("weight", "max_score", "target")
    def _check_values(self):
        for line in self:
            if line.weight <= 0 or line.max_score <= 0:
                raise ValidationError(
                    self.env._(
                        "Item %(item)s needs a positive weight and maximum score.",
                        item=line.name,
                    )
                )
            if line.source != "manual" and line.target <= 0:
                raise ValidationError(
                    self.env._(
                        "Computed item %(item)s needs a positive target.",
                        item=line.name,
                    )
                )
