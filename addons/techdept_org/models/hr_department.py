from odoo import api, fields, models
from odoo.exceptions import ValidationError

TECHDEPT_FUNCTIONS = [
    ("technical", "Technical Department"),
    ("presales", "Presales"),
    ("implementation", "Implementation"),
    ("om", "After-sales O&M"),
    ("supervision", "Supervision"),
    ("sales", "Sales"),
    ("commerce", "Commerce"),
    ("gm_office", "General Manager's Office"),
]


class HrDepartment(models.Model):
    _inherit = "hr.department"

    techdept_function = fields.Selection(
        TECHDEPT_FUNCTIONS,
        string="Policy Function",
        tracking=True,
        help="What this department does in the technical department's policy. "
        "The suite finds the people who act for a function through it.",
    )
    techdept_deputy_id = fields.Many2one(
        "hr.employee",
        string="Deputy (B)",
        tracking=True,
        check_company=True,
        help="Acts for the manager (A) whenever the manager is absent.",
    )
    techdept_deputy_department_id = fields.Many2one(
        "hr.department",
        string="Deputy Department",
        tracking=True,
        check_company=True,
        help="When no deputy is named, the manager of this department acts for "
        "the manager of this one (the A/B pair of the policy).",
    )
    techdept_duty_ids = fields.One2many(
        "techdept.duty", "department_id", string="Duties"
    )
    techdept_delegation_ids = fields.One2many(
        "techdept.delegation", "department_id", string="Delegations"
    )
    techdept_effective_deputy_id = fields.Many2one(
        "hr.employee",
        string="Effective Deputy",
        compute="_compute_techdept_effective_deputy_id",
        help="The named deputy, or else the manager of the deputy department.",
    )

    _sql_constraints = [
        (
            "techdept_function_company_uniq",
            "UNIQUE(techdept_function, company_id)",
            "Each policy function belongs to one department per company.",
        ),
    ]

    @api.depends("complete_name")
    @api.depends_context("lang", "hierarchical_naming")
    def _compute_display_name(self):
        # The stored complete_name is computed once, in the language of the
        # install; build the hierarchy from the translated names instead so
        # that "技术部 / 售后运维组" reads in the user's language.
        if not self.env.context.get("hierarchical_naming", True):
            return super()._compute_display_name()
        for department in self:
            names = []
            current = department.sudo()
            while current:
                names.append(current.name or "")
                current = current.parent_id
            department.display_name = " / ".join(reversed(names))

    @api.depends(
        "techdept_deputy_id", "techdept_deputy_department_id.manager_id", "manager_id"
    )
    def _compute_techdept_effective_deputy_id(self):
        for department in self:
            deputy = (
                department.techdept_deputy_id
                or department.techdept_deputy_department_id.manager_id
            )
            if deputy == department.manager_id:
                deputy = self.env["hr.employee"]
            department.techdept_effective_deputy_id = deputy

    @api.constrains("techdept_deputy_id", "manager_id")
    def _check_techdept_deputy(self):
        for department in self:
            if (
                department.techdept_deputy_id
                and department.techdept_deputy_id == department.manager_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(employee)s manages %(department)s and cannot be its "
                        "deputy as well.",
                        employee=department.manager_id.name,
                        department=department.name,
                    )
                )

    @api.constrains("techdept_deputy_department_id")
    def _check_techdept_deputy_department(self):
        for department in self:
            if department.techdept_deputy_department_id == department:
                raise ValidationError(
                    self.env._(
                        "%(department)s cannot be its own deputy department.",
                        department=department.name,
                    )
                )
