from odoo import api, fields, models


class TechdeptDuty(models.Model):
    """A numbered duty of a position (or of the department) in the policy."""

    _name = "techdept.duty"
    _description = "Policy Duty"
    _order = "section, sequence, id"

    name = fields.Char(string="Duty", required=True, translate=True)
    section = fields.Char(
        help="Section of the policy that lists this duty, e.g. 4.3.1."
    )
    sequence = fields.Integer(string="No.", default=1)
    job_id = fields.Many2one(
        "hr.job", string="Job Position", ondelete="cascade", index=True
    )
    department_id = fields.Many2one(
        "hr.department",
        ondelete="cascade",
        index=True,
        help="Set for the duties of a department as a whole.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "owner_required",
            "CHECK(job_id IS NOT NULL OR department_id IS NOT NULL)",
            "A duty belongs to a job position or to a department.",
        ),
    ]

    @api.depends("section", "sequence", "name")
    def _compute_display_name(self):
        for duty in self:
            prefix = f"{duty.section}-{duty.sequence} " if duty.section else ""
            duty.display_name = f"{prefix}{duty.name or ''}"
