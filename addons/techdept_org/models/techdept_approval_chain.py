from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .hr_department import TECHDEPT_FUNCTIONS
from .hr_job import TECHDEPT_ROLES


class TechdeptApprovalChain(models.Model):
    """An ordered list of review steps, e.g. presales → technical director →
    sales → general manager's office."""

    _name = "techdept.approval.chain"
    _description = "Approval Chain"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical name a model or a configuration record uses to find "
        "this chain.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    model_id = fields.Many2one(
        "ir.model",
        string="Applies To",
        ondelete="cascade",
        help="Records of this model use the chain when nothing more specific "
        "names another.",
    )
    model = fields.Char(related="model_id.model", store=True, string="Model Name")
    step_ids = fields.One2many(
        "techdept.approval.step", "chain_id", string="Steps", copy=True
    )
    allow_self_approval = fields.Boolean(
        help="Whoever submits a record may also approve its steps.",
    )
    reopen_role = fields.Selection(
        TECHDEPT_ROLES,
        string="Reopened By",
        default="director",
        required=True,
        help="Who may give an approved record back for revision, with a "
        "written reason (whoever acts for him too).",
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    _sql_constraints = [
        (
            "code_company_uniq",
            "UNIQUE(code, company_id)",
            "The code of a chain must be unique.",
        ),
    ]


class TechdeptApprovalStep(models.Model):
    """One review in a chain and the rule that finds its approvers."""

    _name = "techdept.approval.step"
    _description = "Approval Step"
    _order = "chain_id, sequence, id"

    chain_id = fields.Many2one(
        "techdept.approval.chain", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    approver_type = fields.Selection(
        [
            ("role", "Policy Role"),
            ("function", "Department Function"),
            ("group", "Security Group"),
            ("field", "Field of the Record"),
            ("users", "Named Users"),
        ],
        string="Approvers",
        required=True,
        default="role",
    )
    role = fields.Selection(TECHDEPT_ROLES, string="Policy Role")
    function = fields.Selection(TECHDEPT_FUNCTIONS, string="Department Function")
    group_id = fields.Many2one("res.groups", ondelete="restrict")
    field_id = fields.Many2one(
        "ir.model.fields",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), "
        "('relation', 'in', ('res.users', 'hr.employee'))]",
        help="A user or employee field of the record, e.g. the salesperson.",
    )
    model_id = fields.Many2one(related="chain_id.model_id")
    user_ids = fields.Many2many(
        "res.users", string="Users", domain=[("share", "=", False)]
    )
    approval_mode = fields.Selection(
        [("any", "One of them"), ("all", "All of them")],
        string="Needs",
        required=True,
        default="any",
    )
    deadline_days = fields.Integer(
        string="Days to Review",
        default=3,
        help="A review still pending this many days after its step opened is overdue.",
    )

    @api.constrains(
        "approver_type", "role", "function", "group_id", "field_id", "user_ids"
    )
    def _check_approver_rule(self):
        required = {
            "role": "role",
            "function": "function",
            "group": "group_id",
            "field": "field_id",
            "users": "user_ids",
        }
        for step in self:
            field = required.get(step.approver_type)
            if field and not step[field]:
                raise ValidationError(
                    self.env._(
                        "Step %(step)s of %(chain)s: say which %(what)s approves.",
                        step=step.name,
                        chain=step.chain_id.name,
                        what=dict(
                            self._fields["approver_type"]._description_selection(
                                self.env
                            )
                        )[step.approver_type],
                    )
                )

    @api.constrains("deadline_days")
    def _check_deadline_days(self):
        if any(step.deadline_days < 0 for step in self):
            raise ValidationError(self.env._("Days to review cannot be negative."))

    def _resolve_approvers(self, record, submitter):
        """The users who hold this step for ``record``: the holders of the
        role or function (not their deputies: delegation lets a deputy act
        on their behalf later), the group's users, the record's field, or the
        named users. The submitter is left out unless the chain allows self
        approval; if nobody is left, the acting manager above him approves."""
        self.ensure_one()
        Users = self.env["res.users"]
        users = Users
        if self.approver_type == "role":
            users = (
                self.env["hr.employee"]
                .sudo()
                .search(
                    [
                        ("techdept_role", "=", self.role),
                        ("company_id", "in", self.env.companies.ids),
                    ]
                )
                .user_id
            )
        elif self.approver_type == "function":
            department = (
                self.env["hr.department"]
                .sudo()
                .search([("techdept_function", "=", self.function)], limit=1)
            )
            while department and not department.manager_id:
                department = department.parent_id
            users = department.manager_id.user_id
        elif self.approver_type == "group":
            users = self.group_id.sudo().users
        elif self.approver_type == "field":
            value = record.sudo()[self.field_id.name]
            users = value.user_id if value._name == "hr.employee" else value
        else:
            # Archived ones too (filtered below): leaving them out here would
            # read the users apart.
            users = self.with_context(active_test=False).user_ids.with_env(self.env)
        # Whoever acts for those away and the submitter are read with them:
        # the review reads them next.
        acting = self.env["techdept.resolver"]._acting_user_ids(users.ids)
        users = users.with_prefetch(
            tuple({*users._prefetch_ids, *acting, *submitter.ids})
        )
        users = users.filtered(lambda u: u.active and not u.share)
        if submitter in users and not self.chain_id.allow_self_approval:
            users -= submitter
            if not users:
                employee = submitter.employee_id
                resolver = self.env["techdept.resolver"]
                department = employee.department_id
                above = self.env["hr.employee"]
                while department and (not above or above == employee):
                    above = resolver._acting_managers(department)[department]
                    department = department.parent_id
                users = above.user_id if above != employee else Users
        return users
