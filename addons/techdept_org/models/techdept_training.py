from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .techdept_document import KNOWLEDGE_BASES
from .techdept_guard import as_server, is_server, join_names

TRAINING_KINDS = [
    ("internal", "Internal Training"),
    ("vendor", "Vendor Training"),
    ("company", "Company Training"),
]
# The managers the policy gives the department's training: the presales
# manager (4.3.1 item 4) draws up the plan, helped by the O&M manager (4.5.1
# item 4); both train, and so does the implementation manager (4.4.1 item 4).
PLAN_FUNCTIONS = ("presales", "om")
TRAINING_FUNCTIONS = ("presales", "om", "implementation")
# Document types of the training materials of each stream.
MATERIAL_TYPES = {
    "presales": "techdept_org.document_type_training_material_presales",
    "implementation": "techdept_org.document_type_training_material_implementation",
    "om": "techdept_org.document_type_training_material_om",
}


def _training_managers(env, functions=TRAINING_FUNCTIONS):
    """The users acting today for the managers of ``functions``, in charge of
    training."""
    resolver = env["techdept.resolver"]
    users = env["res.users"]
    for function in functions:
        users |= resolver._function_manager(function).user_id
    return users


def _is_director(env):
    return env.user.has_group("techdept_org.group_director")


class TechdeptTrainingPlan(models.Model):
    """A training plan for a period (培训计划): drawn up by the presales
    manager with the O&M manager's help, approved by the technical director
    (policy 4.3.1 item 4, 4.5.1 item 4). Approved, it is frozen; its sessions
    are then held and recorded."""

    _name = "techdept.training.plan"
    _description = "Training Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _approval_chain_code = "techdept_training_plan"
    _approval_locked_fields = [
        "name",
        "date_from",
        "date_to",
        "responsible_id",
        "assistant_id",
        "description",
        "company_id",
    ]
    _order = "date_from desc, id desc"

    def _default_responsible_id(self):
        return self.env["techdept.resolver"]._function_holder("presales")

    def _default_assistant_id(self):
        return self.env["techdept.resolver"]._function_holder("om")

    name = fields.Char(required=True, tracking=True)
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    responsible_id = fields.Many2one(
        "hr.employee",
        string="Drawn Up By",
        default=lambda self: self._default_responsible_id(),
        tracking=True,
        help="The presales manager, in charge of the department's training.",
    )
    assistant_id = fields.Many2one(
        "hr.employee",
        string="With the Help Of",
        default=lambda self: self._default_assistant_id(),
        tracking=True,
        help="The O&M manager helps draw up the plan.",
    )
    line_ids = fields.One2many(
        "techdept.training.plan.line", "plan_id", string="Planned Training"
    )
    session_ids = fields.One2many(
        "techdept.training.session", "plan_id", string="Sessions"
    )
    planned_hours = fields.Float(compute="_compute_hours", digits=(16, 1))
    held_hours = fields.Float(
        compute="_compute_hours",
        digits=(16, 1),
        help="Hours of the plan's sessions held so far.",
    )
    description = fields.Html()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.depends("line_ids.hours", "session_ids.hours", "session_ids.state")
    def _compute_hours(self):
        for plan in self:
            plan.planned_hours = sum(plan.line_ids.mapped("hours"))
            plan.held_hours = sum(
                plan.session_ids.filtered(lambda s: s.state == "done").mapped("hours")
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_to < plan.date_from:
                raise ValidationError(
                    self.env._(
                        "%(plan)s ends before it starts.", plan=plan.display_name
                    )
                )

    def _techdept_check_planner(self):
        """The managers in charge of training (whoever acts for them today),
        the plan's authors and the technical director draw up plans."""
        if is_server(self.env) or _is_director(self.env):
            return
        user = self.env.user
        allowed = _training_managers(self.env, PLAN_FUNCTIONS)
        for plan in self.sudo():
            allowed |= (plan.responsible_id | plan.assistant_id).user_id
        if user not in allowed:
            raise AccessError(
                self.env._(
                    "Only %(managers)s or the technical director draw up training "
                    "plans.",
                    managers=join_names(self.env, allowed.mapped("name"))
                    or self.env._("the managers in charge of training"),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._techdept_check_planner()
        return super().create(vals_list)

    def write(self, vals):
        self._techdept_check_planner()
        return super().write(vals)

    def unlink(self):
        self._techdept_check_planner()
        return super().unlink()

    def _approval_submittable(self):
        return super()._approval_submittable().filtered(lambda p: p.line_ids)

    def _approval_check_submit(self):
        self._techdept_check_planner()
        for plan in self:
            if not plan.line_ids:
                raise UserError(
                    self.env._(
                        "%(plan)s plans no training yet.", plan=plan.display_name
                    )
                )

    def action_open_sessions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sessions"),
            "res_model": "techdept.training.session",
            "view_mode": "list,calendar,form",
            "domain": [("plan_id", "=", self.id)],
            "context": {"default_plan_id": self.id},
        }


class TechdeptTrainingPlanLine(models.Model):
    """A training the plan foresees: topic, kind, month, trainer, hours,
    who attends."""

    _name = "techdept.training.plan.line"
    _description = "Planned Training"
    _inherit = ["techdept.approval.child.mixin"]
    _approval_parent_field = "plan_id"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one(
        "techdept.training.plan", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(string="Topic", required=True)
    kind = fields.Selection(TRAINING_KINDS, required=True, default="internal")
    stream = fields.Selection(KNOWLEDGE_BASES, required=True, default="om")
    date = fields.Date(string="Planned For")
    trainer_id = fields.Many2one("hr.employee", string="Trainer")
    trainer_name = fields.Char(
        string="External Trainer", help="A vendor's or the company's trainer."
    )
    hours = fields.Float(digits=(16, 1))
    audience = fields.Char(help="Who attends, e.g. every technical engineer.")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.plan_id._techdept_check_planner()
        return lines

    def write(self, vals):
        self.plan_id._techdept_check_planner()
        return super().write(vals)

    def unlink(self):
        self.plan_id._techdept_check_planner()
        return super().unlink()


class TechdeptTrainingSession(models.Model):
    """A training session held (培训): its topic, kind, trainer, date and
    hours, who was invited and who attended, and its materials, technical
    documents archived into the knowledge base of its stream."""

    _name = "techdept.training.session"
    _description = "Training Session"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.guard.mixin"]
    _order = "date desc, id desc"
    _techdept_server_fields = ("state",)

    name = fields.Char(string="Topic", required=True, tracking=True)
    kind = fields.Selection(
        TRAINING_KINDS, required=True, default="internal", tracking=True
    )
    stream = fields.Selection(
        KNOWLEDGE_BASES,
        required=True,
        default="om",
        help="The knowledge base its materials are archived into.",
    )
    plan_id = fields.Many2one(
        "techdept.training.plan",
        string="Training Plan",
        index=True,
        ondelete="set null",
        domain="[('approval_state', '=', 'approved')]",
    )
    trainer_id = fields.Many2one("hr.employee", string="Trainer", tracking=True)
    trainer_name = fields.Char(
        string="External Trainer", help="A vendor's or the company's trainer."
    )
    organiser_id = fields.Many2one(
        "res.users",
        string="Organiser",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    date = fields.Datetime(required=True, tracking=True)
    hours = fields.Float(required=True, digits=(16, 1), tracking=True)
    location = fields.Char()
    description = fields.Html()
    attendance_ids = fields.One2many(
        "techdept.training.attendance", "session_id", string="Attendance"
    )
    invited_count = fields.Integer(string="Invited", compute="_compute_counts")
    attended_count = fields.Integer(string="Attended", compute="_compute_counts")
    document_ids = fields.One2many(
        "techdept.document",
        "res_id",
        string="Materials",
        domain=[("res_model", "=", "techdept.training.session")],
    )
    document_count = fields.Integer(
        string="Material Count", compute="_compute_document_count"
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Held"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    can_organise = fields.Boolean(compute="_compute_can_organise")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.depends("attendance_ids.invited", "attendance_ids.attended")
    def _compute_counts(self):
        for session in self:
            session.invited_count = len(session.attendance_ids.filtered("invited"))
            session.attended_count = len(session.attendance_ids.filtered("attended"))

    def _compute_document_count(self):
        counts = dict(
            self.env["techdept.document"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for session in self:
            session.document_count = counts.get(session.id, 0)

    @api.depends_context("uid")
    @api.depends("organiser_id")
    def _compute_can_organise(self):
        managers = _training_managers(self.env)
        director = _is_director(self.env)
        for session in self:
            session.can_organise = (
                director
                or self.env.user in managers
                or session.organiser_id == self.env.user
            )

    @api.constrains("hours")
    def _check_hours(self):
        for session in self:
            if not 0 < session.hours <= 24:
                raise ValidationError(
                    self.env._(
                        "%(session)s lasts more than 0 and at most 24 hours.",
                        session=session.name,
                    )
                )

    @api.constrains("plan_id")
    def _check_plan(self):
        for session in self.sudo():
            if session.plan_id and session.plan_id.approval_state != "approved":
                raise ValidationError(
                    self.env._(
                        "%(plan)s is not approved yet: its sessions are held "
                        "once the technical director approves it.",
                        plan=session.plan_id.name,
                    )
                )

    # Who organises

    @api.model
    def _techdept_organiser_domain(self):
        """Sessions the current user organises: all for the managers in
        charge of training and the director, else those he organises or
        gives."""
        if is_server(self.env) or _is_director(self.env):
            return []
        if self.env.user in _training_managers(self.env):
            return []
        return [
            "|",
            ("organiser_id", "=", self.env.uid),
            ("trainer_id.user_id", "=", self.env.uid),
        ]

    def _techdept_check_organiser(self):
        if is_server(self.env) or _is_director(self.env):
            return
        managers = _training_managers(self.env)
        if self.env.user in managers:
            return
        for session in self.sudo():
            if session.organiser_id != self.env.user:
                people = session.organiser_id | managers
                raise AccessError(
                    self.env._(
                        "Only %(people)s or the technical director organise "
                        "%(session)s.",
                        people=join_names(self.env, people.mapped("name"))
                        or self.env._("the managers in charge of training"),
                        session=session.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not (
            is_server(self.env)
            or _is_director(self.env)
            or self.env.user in _training_managers(self.env)
        ):
            raise AccessError(
                self.env._(
                    "Only the managers in charge of training or the technical "
                    "director organise training sessions."
                )
            )
        return super().create(vals_list)

    def _techdept_check_planned(self):
        """A session held or cancelled counts as it is: the technical
        director reopens it to correct it."""
        if is_server(self.env):
            return
        closed = self.sudo().filtered(lambda s: s.state != "planned")
        if closed:
            session = closed[0]
            state = dict(session._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(session)s is %(state)s: it no longer changes unless the "
                    "technical director reopens it.",
                    session=session.name,
                    state=state[session.state],
                )
            )

    def write(self, vals):
        self._techdept_check_organiser()
        self._techdept_check_planned()
        if "organiser_id" in vals and not (
            is_server(self.env) or _is_director(self.env)
        ):
            if self.env.user not in _training_managers(self.env):
                raise AccessError(
                    self.env._(
                        "Only the managers in charge of training hand a session over."
                    )
                )
        return super().write(vals)

    def unlink(self):
        self._techdept_check_organiser()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        if self.filtered(lambda s: s.state == "done"):
            raise UserError(
                self.env._("A session held counts in the appraisal: cancel it instead.")
            )

    # Flow

    def action_done(self):
        """The session was held: its attendance counts from now on."""
        self._techdept_check_organiser()
        for session in self:
            if session.state != "planned":
                raise UserError(
                    self.env._("%(session)s is not planned.", session=session.name)
                )
            if not session.attendance_ids.filtered("attended"):
                raise UserError(
                    self.env._(
                        "Record who attended %(session)s before closing it.",
                        session=session.name,
                    )
                )
            as_server(session).state = "done"
        return True

    def action_cancel(self):
        self._techdept_check_organiser()
        if self.filtered(lambda s: s.state == "done") and not _is_director(self.env):
            raise UserError(
                self.env._("Only the technical director cancels a session held.")
            )
        as_server(self).write({"state": "cancelled"})
        return True

    def action_reset(self):
        """Back to planned, to correct a session (the technical director)."""
        if not _is_director(self.env):
            raise AccessError(
                self.env._("Only the technical director reopens a training session.")
            )
        as_server(self).write({"state": "planned"})
        return True

    def _techdept_material_type(self):
        self.ensure_one()
        return self.env.ref(MATERIAL_TYPES[self.stream], raise_if_not_found=False)

    def action_open_materials(self):
        self.ensure_one()
        doc_type = self._techdept_material_type()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Materials"),
            "res_model": "techdept.document",
            "view_mode": "list,kanban,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_type_id": doc_type.id if doc_type else False,
            },
        }

    def action_archive_materials(self):
        """Archive the latest version of each material into the knowledge
        base of the session's stream (its keeper or the director)."""
        documents = (
            self.env["techdept.document"]
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("is_latest", "=", True),
                    ("archive_date", "=", False),
                ]
            )
            .filtered(lambda d: d.knowledge_base)
        )
        if not documents:
            raise UserError(
                self.env._("No material of these sessions waits to be archived.")
            )
        documents.action_document_archive()
        return True


class TechdeptTrainingAttendance(models.Model):
    """Who was invited to a session and who attended it, for how long."""

    _name = "techdept.training.attendance"
    _description = "Training Attendance"
    _order = "date desc, session_id, employee_id"

    session_id = fields.Many2one(
        "techdept.training.session", required=True, ondelete="cascade", index=True
    )
    employee_id = fields.Many2one(
        "hr.employee", string="Employee", required=True, index=True
    )
    invited = fields.Boolean(default=True)
    attended = fields.Boolean()
    hours = fields.Float(
        digits=(16, 1),
        help="Hours attended; the session's hours when left empty.",
    )
    note = fields.Char()
    date = fields.Datetime(related="session_id.date", store=True, index=True)
    state = fields.Selection(
        related="session_id.state", store=True, string="Session Status"
    )
    name = fields.Char(related="session_id.name", string="Topic")
    kind = fields.Selection(related="session_id.kind")
    company_id = fields.Many2one(related="session_id.company_id", store=True)

    _sql_constraints = [
        (
            "session_employee_uniq",
            "UNIQUE(session_id, employee_id)",
            "An employee is listed once per session.",
        ),
    ]

    @api.depends("session_id", "employee_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.employee_id.name or ''} · {line.session_id.name or ''}"
            )

    @api.constrains("hours", "attended")
    def _check_hours(self):
        for line in self:
            if line.hours < 0 or line.hours > line.session_id.hours:
                raise ValidationError(
                    self.env._(
                        "%(employee)s attended %(session)s for at most "
                        "%(hours)s hours.",
                        employee=line.employee_id.name,
                        session=line.session_id.name,
                        hours=line.session_id.hours,
                    )
                )

    @api.onchange("attended")
    def _onchange_attended(self):
        for line in self:
            line.hours = line.session_id.hours if line.attended else 0.0

    def _techdept_fill_hours(self):
        """Attended without hours: the whole session; not attended: none."""
        for line in self:
            hours = line.hours
            if line.attended and not hours:
                hours = line.session_id.hours
            elif not line.attended:
                hours = 0.0
            if hours != line.hours:
                super(TechdeptTrainingAttendance, line).write({"hours": hours})

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.session_id._techdept_check_organiser()
        lines.session_id._techdept_check_planned()
        lines._techdept_fill_hours()
        return lines

    def write(self, vals):
        self.session_id._techdept_check_organiser()
        self.session_id._techdept_check_planned()
        result = super().write(vals)
        if "session_id" in vals:
            self.session_id._techdept_check_organiser()
            self.session_id._techdept_check_planned()
        if {"attended", "hours"} & vals.keys():
            self._techdept_fill_hours()
        return result

    def unlink(self):
        self.session_id._techdept_check_organiser()
        self.session_id._techdept_check_planned()
        return super().unlink()

    @api.model
    def _techdept_hours(self, employees, date_from, date_to):
        """{employee id: {"hours", "attended", "invited", "invited_attended"}}:
        hours attended, sessions attended, sessions invited to, and of those
        the ones attended, among the sessions held from ``date_from`` to
        ``date_to`` (dates, both included). One query."""
        start = datetime.combine(date_from, time.min)
        end = datetime.combine(date_to + timedelta(days=1), time.min)
        groups = self.sudo()._read_group(
            [
                ("employee_id", "in", employees.ids),
                ("state", "=", "done"),
                ("date", ">=", start),
                ("date", "<", end),
            ],
            ["employee_id", "attended", "invited"],
            ["hours:sum", "__count"],
        )
        result = {}
        for employee, attended, invited, hours, count in groups:
            row = result.setdefault(
                employee.id,
                {"hours": 0.0, "attended": 0, "invited": 0, "invited_attended": 0},
            )
            if attended:
                row["hours"] += hours
                row["attended"] += count
            if invited:
                row["invited"] += count
            if invited and attended:
                row["invited_attended"] += count
        return result


class TechdeptDocument(models.Model):
    _inherit = "techdept.document"

    @api.model
    def _techdept_origin_query(self, model, operation):
        # A session's materials are read by the whole department and added
        # by whoever organises or gives it.
        if model == "techdept.training.session" and operation != "read":
            Session = self.env[model].with_context(active_test=False)
            return Session.sudo()._search(Session._techdept_organiser_domain())
        return super()._techdept_origin_query(model, operation)


class TechdeptProgressReport(models.Model):
    _inherit = "techdept.progress.report"

    def _techdept_report_figures(self):
        figures = super()._techdept_report_figures()
        hours = self.env["techdept.training.attendance"]._techdept_hours(
            self.employee_id, self.period_start, self.period_end
        )
        row = hours.get(self.employee_id.id)
        if row and row["attended"]:
            sessions = (
                self.env["techdept.training.attendance"]
                .sudo()
                .search(
                    [
                        ("employee_id", "=", self.employee_id.id),
                        ("attended", "=", True),
                        ("state", "=", "done"),
                        ("date", ">=", self._techdept_window()[0]),
                        ("date", "<", self._techdept_window()[1]),
                    ]
                )
            )
            figures.append(
                {
                    "kind": "training_hours",
                    "sequence": 40,
                    "value": row["hours"],
                    "detail": self._techdept_names(sessions.mapped("name")),
                }
            )
        return figures


class TechdeptProgressReportFigure(models.Model):
    _inherit = "techdept.progress.report.figure"

    kind = fields.Selection(
        selection_add=[("training_hours", "Training hours attended")],
        ondelete={"training_hours": "cascade"},
    )


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    techdept_training_hours_month = fields.Float(
        string="Training Hours This Month",
        compute="_compute_techdept_training",
        digits=(16, 1),
    )
    techdept_training_sessions_month = fields.Integer(
        string="Sessions Attended This Month", compute="_compute_techdept_training"
    )
    techdept_training_invited_month = fields.Integer(
        string="Sessions Invited To This Month", compute="_compute_techdept_training"
    )
    techdept_training_hours_year = fields.Float(
        string="Training Hours This Year",
        compute="_compute_techdept_training",
        digits=(16, 1),
    )

    def _compute_techdept_training(self):
        _techdept_compute_training(self)

    def action_techdept_training(self):
        self.ensure_one()
        return _techdept_training_action(self)


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    techdept_training_hours_month = fields.Float(
        string="Training Hours This Month",
        compute="_compute_techdept_training",
        digits=(16, 1),
    )
    techdept_training_sessions_month = fields.Integer(
        string="Sessions Attended This Month", compute="_compute_techdept_training"
    )
    techdept_training_invited_month = fields.Integer(
        string="Sessions Invited To This Month", compute="_compute_techdept_training"
    )
    techdept_training_hours_year = fields.Float(
        string="Training Hours This Year",
        compute="_compute_techdept_training",
        digits=(16, 1),
    )

    def _compute_techdept_training(self):
        _techdept_compute_training(self)

    def action_techdept_training(self):
        self.ensure_one()
        return _techdept_training_action(self)


def _techdept_compute_training(employees):
    """This month's and this year's training of each employee: two queries."""
    env = employees.env
    today = fields.Date.context_today(employees)
    month_start = today.replace(day=1)
    month_end = month_start + relativedelta(day=31)
    year_start = today.replace(month=1, day=1)
    year_end = today.replace(month=12, day=31)
    Attendance = env["techdept.training.attendance"]
    staff = env["hr.employee"].browse(employees.ids)
    month = Attendance._techdept_hours(staff, month_start, month_end)
    year = Attendance._techdept_hours(staff, year_start, year_end)
    for employee in employees:
        row = month.get(employee.id, {})
        employee.techdept_training_hours_month = row.get("hours", 0.0)
        employee.techdept_training_sessions_month = row.get("attended", 0)
        employee.techdept_training_invited_month = row.get("invited", 0)
        employee.techdept_training_hours_year = year.get(employee.id, {}).get(
            "hours", 0.0
        )


def _techdept_training_action(employee):
    return {
        "type": "ir.actions.act_window",
        "name": employee.env._("Training of %(employee)s", employee=employee.name),
        "res_model": "techdept.training.attendance",
        "view_mode": "list,pivot",
        "domain": [("employee_id", "=", employee.id)],
        "context": {"search_default_filter_held": 1, "create": False},
    }
