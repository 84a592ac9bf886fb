from odoo import fields, models

from .hr_job import TECHDEPT_ROLES


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    techdept_role = fields.Selection(
        TECHDEPT_ROLES, string="Policy Role", readonly=True
    )
    techdept_is_pool = fields.Boolean(string="Technical Engineer", readonly=True)
    techdept_duty_ids = fields.One2many(
        related="job_id.techdept_duty_ids", string="Duties"
    )
