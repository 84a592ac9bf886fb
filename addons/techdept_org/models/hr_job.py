from odoo import api, fields, models

TECHDEPT_ROLES = [
    ("director", "Technical Director"),
    ("presales_manager", "Presales Manager"),
    ("presales_engineer", "Presales Engineer"),
    ("implementation_manager", "Implementation Manager"),
    ("project_manager", "Project Manager"),
    ("implementation_engineer", "Implementation Engineer"),
    ("om_manager", "After-sales O&M Manager"),
    ("aftersales_engineer", "After-sales Engineer"),
    ("onsite_engineer", "On-site O&M Engineer"),
    ("supervision_manager", "Supervision Manager"),
    ("supervision_engineer", "Supervision Engineer"),
]

# Section 3 note: after-sales and on-site O&M engineers are the "technical
# engineers" from whom project managers and implementation engineers are drawn.
TECHDEPT_POOL_ROLES = ("aftersales_engineer", "onsite_engineer")

TECHDEPT_MANAGER_ROLES = (
    "director",
    "presales_manager",
    "implementation_manager",
    "om_manager",
    "supervision_manager",
)


class HrJob(models.Model):
    _inherit = "hr.job"

    techdept_role = fields.Selection(
        TECHDEPT_ROLES,
        string="Policy Role",
        index=True,
        help="The role this position plays in the technical department's policy.",
    )
    techdept_duty_ids = fields.One2many("techdept.duty", "job_id", string="Duties")
    techdept_duty_count = fields.Integer(
        string="Duty Count", compute="_compute_techdept_duty_count"
    )
    techdept_is_pool = fields.Boolean(
        string="Technical Engineer Pool",
        compute="_compute_techdept_is_pool",
        store=True,
        help="Holders of this position form the pool of technical engineers "
        "from which project teams are drawn.",
    )

    @api.depends("techdept_duty_ids")
    def _compute_techdept_duty_count(self):
        counts = dict(
            self.env["techdept.duty"]._read_group(
                [("job_id", "in", self.ids)], ["job_id"], ["__count"]
            )
        )
        for job in self:
            job.techdept_duty_count = counts.get(job._origin, 0)

    @api.depends("techdept_role")
    def _compute_techdept_is_pool(self):
        for job in self:
            job.techdept_is_pool = job.techdept_role in TECHDEPT_POOL_ROLES
