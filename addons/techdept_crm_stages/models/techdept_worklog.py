from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.techdept_org.models.techdept_guard import is_server

WORKLOG_KINDS = [
    ("project_support", "Presales Project Support"),
    ("customer_support", "Customer Technical Support"),
    ("market_support", "Market Technical Support"),
    ("supplier_exchange", "Supplier Technical Exchange"),
    ("market_intelligence", "Market Information Gathering"),
    ("training", "Business Training"),
    ("knowledge_base", "Knowledge Base Building"),
]


class TechdeptWorklog(models.Model):
    """Time spent on one of the seven kinds of presales work (policy 1.1),
    optionally on a lead; the monthly appraisal sums it."""

    _name = "techdept.worklog"
    _description = "Presales Work Log"
    _inherit = ["techdept.guard.mixin"]
    # Who may put a record where is checked after each write (see below).
    _techdept_recheck_access = False
    _order = "date desc, id desc"
    _check_company_auto = True

    def _default_employee_id(self):
        return self.env.user.employee_id

    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        default=lambda self: self._default_employee_id(),
        check_company=True,
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    department_id = fields.Many2one(
        related="employee_id.department_id", store=True, index=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(WORKLOG_KINDS, string="Work Type", required=True)
    hours = fields.Float(required=True, digits=(16, 2))
    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead/Opportunity",
        ondelete="set null",
        index=True,
        check_company=True,
        help="Required for presales project support: the lead the work was for.",
    )
    name = fields.Char(string="Description", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def _techdept_check_employee(self):
        """An engineer logs his own time; a manager may log or correct the
        time of the departments he manages, the director anybody's."""
        if is_server(self.env):
            return
        user = self.env.user
        if user.has_group("techdept_org.group_director"):
            return
        for line in self.sudo():
            employee = line.employee_id
            if employee.user_id == user:
                continue
            department = employee.department_id
            managers = (department.manager_id | department.parent_id.manager_id).user_id
            if not user.has_group("techdept_org.group_manager") or user not in managers:
                raise AccessError(
                    self.env._(
                        "You may not log time for %(employee)s: only he, his "
                        "managers or the technical director may.",
                        employee=employee.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._techdept_check_employee()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if "employee_id" in vals:
            self._techdept_check_employee()
        return result

    @api.constrains("hours")
    def _check_hours(self):
        for line in self:
            if not 0 < line.hours <= 24:
                raise ValidationError(
                    self.env._(
                        "A work log line counts more than 0 and at most 24 hours "
                        "a day; “%(name)s” counts %(hours)s.",
                        name=line.name,
                        hours=line.hours,
                    )
                )

    @api.constrains("kind", "lead_id")
    def _check_lead_id(self):
        for line in self:
            if line.kind == "project_support" and not line.lead_id:
                raise ValidationError(
                    self.env._(
                        "The work log line “%(name)s” of %(employee)s on %(date)s is "
                        "presales project support: choose the lead it supports.",
                        name=line.name,
                        employee=line.employee_id.name,
                        date=line.date,
                    )
                )
