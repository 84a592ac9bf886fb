from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.techdept_org.models.techdept_guard import (
    as_server,
    is_server,
    join_names,
)


class TechdeptAssignment(models.Model):
    """An engineer of the pool drawn into a project team (policy 3 note):
    while it runs, his line manager is the project's implementation manager;
    when it ends he goes back under the O&M manager, whoever acts for him."""

    _name = "techdept.assignment"
    _description = "Project Assignment"
    _inherit = ["mail.thread", "techdept.guard.mixin"]
    _techdept_server_fields = ("state",)
    # Who may put a record where is checked after each write (see below).
    _techdept_recheck_access = False
    _order = "date_from desc, id desc"

    project_id = fields.Many2one(
        "project.project", required=True, ondelete="cascade", index=True, tracking=True
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Engineer",
        required=True,
        index=True,
        tracking=True,
        domain="[('techdept_is_pool', '=', True)]",
    )
    role = fields.Selection(
        [
            ("project_manager", "Project Manager"),
            ("implementation_engineer", "Implementation Engineer"),
        ],
        required=True,
        default="implementation_engineer",
        tracking=True,
    )
    date_from = fields.Date(
        string="From", required=True, default=fields.Date.context_today, tracking=True
    )
    date_to = fields.Date(string="Until", tracking=True)
    state = fields.Selection(
        [("planned", "Planned"), ("active", "On the Project"), ("ended", "Ended")],
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    confirm_double_booking = fields.Boolean(
        help="The engineer is on another implementation project over these dates: "
        "tick to assign him anyway.",
    )
    overlap_warning = fields.Char(compute="_compute_overlap_warning")
    company_id = fields.Many2one(related="project_id.company_id", store=True)

    @api.depends("employee_id", "project_id", "role")
    @api.depends_context("lang")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for assignment in self:
            assignment.display_name = self.env._(
                "%(employee)s, %(role)s on %(project)s",
                employee=assignment.employee_id.name or "",
                role=roles.get(assignment.role, ""),
                project=assignment.project_id.name or "",
            )

    @api.depends("employee_id", "date_from", "date_to", "project_id")
    def _compute_overlap_warning(self):
        for assignment in self:
            others = assignment._overlapping()
            assignment.overlap_warning = (
                self.env._(
                    "%(employee)s is already on %(projects)s over these dates.",
                    employee=assignment.employee_id.name,
                    projects=join_names(self.env, others.project_id.mapped("name")),
                )
                if others
                else False
            )

    def _overlapping(self):
        self.ensure_one()
        if not self.employee_id or not self.date_from:
            return self.browse()
        domain = [
            ("employee_id", "=", self.employee_id.id),
            ("project_id.techdept_kind", "=", "implementation"),
            ("state", "!=", "ended"),
            "|",
            ("date_to", "=", False),
            ("date_to", ">=", self.date_from),
        ]
        if self.date_to:
            domain.append(("date_from", "<=", self.date_to))
        if self._origin.id:
            domain.append(("id", "!=", self._origin.id))
        return self.sudo().search(domain)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for assignment in self:
            if assignment.date_to and assignment.date_to < assignment.date_from:
                raise ValidationError(
                    self.env._(
                        "The assignment of %(employee)s ends on %(date_to)s, before it "
                        "starts on %(date_from)s.",
                        employee=assignment.employee_id.name,
                        date_to=assignment.date_to,
                        date_from=assignment.date_from,
                    )
                )

    @api.constrains("employee_id")
    def _check_pool(self):
        for assignment in self:
            if not assignment.employee_id.techdept_is_pool:
                raise ValidationError(
                    self.env._(
                        "%(employee)s is not a technical engineer of the pool: only "
                        "after-sales and on-site O&M engineers are drawn into "
                        "projects.",
                        employee=assignment.employee_id.name,
                    )
                )

    @api.constrains("employee_id", "date_from", "date_to", "confirm_double_booking")
    def _check_double_booking(self):
        for assignment in self.filtered(lambda a: not a.confirm_double_booking):
            if (
                assignment.project_id.techdept_kind == "implementation"
                and assignment._overlapping()
            ):
                raise ValidationError(
                    assignment.overlap_warning
                    + " "
                    + self.env._("Tick “Confirm Double Booking” to assign him anyway.")
                )

    def _techdept_check_planner(self):
        """The project team is planned by the implementation manager of the
        project and the O&M manager (whoever acts for them today), or the
        technical director."""
        if is_server(self.env):
            return
        user = self.env.user
        if user.has_group("techdept_org.group_director"):
            return
        resolver = self.env["techdept.resolver"]
        om_manager = resolver._function_manager("om").user_id
        for assignment in self.sudo():
            manager = assignment.project_id.techdept_implementation_manager_id
            acting = resolver._acting_employee(manager).user_id
            planners = manager.user_id | acting | om_manager
            if user not in planners:
                raise AccessError(
                    self.env._(
                        "Only %(planners)s plan the team of %(project)s.",
                        planners=join_names(self.env, planners.mapped("name"))
                        or self.env._("its managers"),
                        project=assignment.project_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        assignments = super().create(vals_list)
        assignments._techdept_check_planner()
        assignments._techdept_sync()
        return assignments

    def write(self, vals):
        self._techdept_check_planner()
        result = super().write(vals)
        self._techdept_check_planner()
        if {"date_from", "date_to", "employee_id", "project_id"} & vals.keys():
            self._techdept_sync()
        return result

    def unlink(self):
        self._techdept_check_planner()
        return super().unlink()

    def _techdept_sync(self, today=None):
        """Start and end assignments with the calendar: the engineer's line
        manager follows. Idempotent; an ended assignment stays ended."""
        today = today or fields.Date.context_today(self)
        for assignment in self.filtered(lambda a: a.state != "ended"):
            if assignment.date_to and assignment.date_to < today:
                assignment._techdept_finish(today)
            elif assignment.date_from <= today and assignment.state == "planned":
                assignment._techdept_start()

    def _techdept_start(self):
        self.ensure_one()
        manager = self.project_id.techdept_implementation_manager_id
        if not manager:
            raise UserError(
                self.env._(
                    "%(project)s has no implementation manager to lead %(employee)s.",
                    project=self.project_id.name,
                    employee=self.employee_id.name,
                )
            )
        as_server(self).state = "active"
        self.employee_id._techdept_set_line_manager(
            manager, self.env._("assigned to %(project)s", project=self.project_id.name)
        )

    def _techdept_finish(self, today=None):
        """End the assignment; the engineer goes back to the pool unless he
        is still on another project."""
        self.ensure_one()
        was_active = self.state == "active"
        as_server(self).state = "ended"
        if not was_active:
            return
        employee = self.employee_id
        running = self.search(
            [("employee_id", "=", employee.id), ("state", "=", "active")], limit=1
        )
        if running:
            employee._techdept_set_line_manager(
                running.project_id.techdept_implementation_manager_id,
                self.env._("still on %(project)s", project=running.project_id.name),
            )
        else:
            employee._techdept_restore_line_manager(
                self.env._(
                    "back in the pool after %(project)s", project=self.project_id.name
                )
            )

    def action_end(self):
        """End these assignments today."""
        self._techdept_check_planner()
        today = fields.Date.context_today(self)
        for assignment in self.filtered(lambda a: a.state != "ended"):
            assignment.date_to = max(today, assignment.date_from)
            assignment._techdept_finish(today)
        return True

    @api.model
    def _cron_sync(self):
        self.search([("state", "!=", "ended")])._techdept_sync()
