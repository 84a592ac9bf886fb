from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .techdept_guard import as_server, is_server
from .techdept_lang import in_company_lang


def _state_on(today, date_from, date_to):
    """The state of a period from ``date_from`` to ``date_to`` on ``today``."""
    if today < date_from:
        return "planned"
    if today > date_to:
        return "done"
    return "active"


class TechdeptDelegation(models.Model):
    """A period during which a deputy (B) acts for an absent manager (A).

    Periods come from validated time off (origin "leave") or are typed by
    hand for an absence that is not time off (origin "manual"). Their state
    follows the calendar through _techdept_sync(), run when they are written
    and every day by a scheduled action: starting moves A's open activities to
    whoever acts for him, ending gives them back.
    """

    _name = "techdept.delegation"
    _description = "Delegation"
    _inherit = ["mail.thread", "techdept.guard.mixin"]
    _techdept_server_fields = ("state", "origin", "leave_id", "activity_moved_ids")
    # Who may put a record where is checked after each write (see below).
    _techdept_recheck_access = False
    _order = "date_from desc, id desc"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee",
        string="Absent Manager",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    deputy_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    department_id = fields.Many2one(
        "hr.department",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The department the absent manager manages and the deputy takes over.",
    )
    company_id = fields.Many2one(
        "res.company",
        related="department_id.company_id",
        store=True,
        precompute=True,
        index=True,
    )
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    origin = fields.Selection(
        [("leave", "Time Off"), ("manual", "Out of Office")],
        required=True,
        default="manual",
        readonly=True,
    )
    leave_id = fields.Many2one(
        "hr.leave", string="Time Off", readonly=True, ondelete="cascade", index=True
    )
    reason = fields.Char()
    state = fields.Selection(
        [("planned", "Planned"), ("active", "In Effect"), ("done", "Ended")],
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    activity_moved_ids = fields.One2many(
        "mail.activity",
        "techdept_delegation_id",
        string="Moved Activities",
        help="Activities of the absent manager now assigned to his deputy.",
    )
    activity_moved_count = fields.Integer(
        string="Moved Activity Count", compute="_compute_activity_moved_count"
    )

    @api.model
    def default_get(self, fields_list):
        """A manager declaring an absence is usually declaring his own: the
        form proposes him, the department he manages and its deputy, from
        today."""
        values = super().default_get(fields_list)
        employee = self.env.user.employee_id
        if "employee_id" in fields_list and not values.get("employee_id") and employee:
            managed = self.env["hr.department"].search(
                [("manager_id", "=", employee.id)], limit=1
            )
            if managed:
                values["employee_id"] = employee.id
                if "department_id" in fields_list and not values.get("department_id"):
                    values["department_id"] = managed.id
                if "deputy_id" in fields_list and not values.get("deputy_id"):
                    values["deputy_id"] = managed.techdept_effective_deputy_id.id
        if "date_from" in fields_list and not values.get("date_from"):
            values["date_from"] = fields.Date.context_today(self)
        return values

    @api.depends("employee_id", "deputy_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for delegation in self:
            delegation.display_name = self.env._(
                "%(deputy)s for %(employee)s",
                deputy=delegation.deputy_id.name or "",
                employee=delegation.employee_id.name or "",
            )

    @api.depends("activity_moved_ids")
    def _compute_activity_moved_count(self):
        counts = dict(
            self.env["mail.activity"]._read_group(
                [("techdept_delegation_id", "in", self.ids)],
                ["techdept_delegation_id"],
                ["__count"],
            )
        )
        for delegation in self:
            delegation.activity_moved_count = counts.get(delegation._origin, 0)

    @api.onchange("employee_id")
    def _onchange_employee_id(self):
        managed = self.env["hr.department"].search(
            [("manager_id", "=", self.employee_id.id)], limit=1
        )
        if self.employee_id and managed:
            self.department_id = managed
            self.deputy_id = managed.techdept_effective_deputy_id

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for delegation in self:
            if delegation.date_to < delegation.date_from:
                raise ValidationError(
                    self.env._(
                        "The delegation for %(employee)s ends on %(date_to)s, "
                        "before it starts on %(date_from)s.",
                        employee=delegation.employee_id.name,
                        date_to=delegation.date_to,
                        date_from=delegation.date_from,
                    )
                )

    @api.constrains("employee_id", "deputy_id")
    def _check_not_self(self):
        for delegation in self:
            if delegation.employee_id == delegation.deputy_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s cannot be his own deputy.",
                        employee=delegation.employee_id.name,
                    )
                )

    @api.constrains("employee_id", "deputy_id", "date_from", "date_to")
    def _check_no_loop(self):
        # Automatic periods never block the validation of a time off: the
        # resolver escalates when a chain of deputies runs back on itself.
        manual = self.filtered(
            lambda d: d.origin == "manual" and d.employee_id != d.deputy_id
        )
        for delegation in manual:
            chain = delegation._techdept_deputy_chain()
            if delegation.employee_id in chain:
                names = [delegation.employee_id.name, *chain.mapped("name")]
                raise ValidationError(
                    self.env._(
                        "This delegation would make a loop: %(chain)s. Choose "
                        "another deputy or other dates.",
                        chain=" → ".join(names),
                    )
                )

    def _techdept_deputy_chain(self):
        """Deputies reached from this one through periods overlapping it."""
        self.ensure_one()
        chain = self.env["hr.employee"]
        current = self.deputy_id
        while current and current not in chain:
            chain |= current
            if current == self.employee_id:
                break
            current = self.search(
                [
                    ("id", "!=", self.id),
                    ("employee_id", "=", current.id),
                    ("date_from", "<=", self.date_to),
                    ("date_to", ">=", self.date_from),
                ],
                limit=1,
            ).deputy_id
        return chain

    def _techdept_check_declarer(self):
        """Only the absent manager himself, the technical director or an HR
        officer declares an absence, for a department the absent manager
        manages; the deputy is the department's own unless the director
        names another. Periods that come from time off follow the time off."""
        if is_server(self.env):
            return
        user = self.env.user
        director = user.has_group("techdept_org.group_director")
        hr_officer = user.has_group("hr.group_hr_user")
        for delegation in self.sudo():
            if delegation.origin != "manual":
                raise AccessError(
                    self.env._(
                        "%(delegation)s comes from a time off: change the time "
                        "off instead.",
                        delegation=delegation.display_name,
                    )
                )
            if not (director or hr_officer) and delegation.employee_id.user_id != user:
                raise AccessError(
                    self.env._(
                        "Only %(employee)s himself, the technical director or an "
                        "HR officer may declare his absence.",
                        employee=delegation.employee_id.name,
                    )
                )
            department = delegation.department_id
            if department.manager_id != delegation.employee_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s does not manage %(department)s: nobody acts "
                        "for him there.",
                        employee=delegation.employee_id.name,
                        department=department.display_name,
                    )
                )
            deputy = department.techdept_effective_deputy_id
            if not director and delegation.deputy_id != deputy:
                raise AccessError(
                    self.env._(
                        "The deputy of %(department)s is %(deputy)s: only the "
                        "technical director may name someone else.",
                        department=department.display_name,
                        deputy=deputy.name or self.env._("nobody"),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        delegations = super().create(vals_list)
        delegations._techdept_check_declarer()
        delegations._techdept_sync(new=True)
        return delegations

    def write(self, vals):
        self._techdept_check_declarer()
        result = super().write(vals)
        self._techdept_check_declarer()
        if {"date_from", "date_to", "employee_id", "deputy_id"} & vals.keys():
            self._techdept_sync(restart=True)
        return result

    def unlink(self):
        self._techdept_check_declarer()
        active = self.filtered(lambda d: d.state == "active")
        active._techdept_end()
        return super().unlink()

    # Calendar

    def _techdept_expected_state(self, today):
        self.ensure_one()
        return _state_on(today, self.date_from, self.date_to)

    def _techdept_sync(self, today=None, restart=False, new=False):
        """Bring each period's state in line with the calendar, moving the
        activities on the way. Idempotent: a period already in its expected
        state is left alone, unless ``restart`` (its people changed) or
        ``new`` (just created, maybe in its state already: nothing moved
        yet)."""
        today = today or fields.Date.context_today(self)
        starting = ending = self.browse()
        for delegation in self:
            expected = delegation._techdept_expected_state(today)
            if (
                not new
                and delegation.state == "active"
                and (expected != "active" or restart)
            ):
                ending |= delegation
            if expected == "active" and (
                delegation.state != "active" or restart or new
            ):
                starting |= delegation
            if delegation.state != expected:
                as_server(delegation).state = expected
        ending._techdept_end()
        starting._techdept_start()

    def _techdept_note(self, body):
        """A note on the department's chatter, in the company's language
        (``body``: a function of the environment). Logged: a note notifies
        nobody, and a log skips the recipients' lookup."""
        self.ensure_one()
        department = in_company_lang(self.department_id.sudo())
        department._message_log(body=escape(body(department.env)))

    def _techdept_start(self):
        for delegation in self:
            delegation._techdept_move_activities()
            delegation._techdept_note(
                lambda env, delegation=delegation: env._(
                    "%(deputy)s acts for %(employee)s from %(date_from)s to "
                    "%(date_to)s (%(origin)s).",
                    deputy=delegation.deputy_id.name,
                    employee=delegation.employee_id.name,
                    date_from=delegation.date_from,
                    date_to=delegation.date_to,
                    origin=delegation.reason
                    or dict(self._fields["origin"]._description_selection(env))[
                        delegation.origin
                    ],
                )
            )

    def _techdept_end(self):
        for delegation in self:
            delegation._techdept_restore_activities()
            delegation._techdept_note(
                lambda env, delegation=delegation: env._(
                    "%(employee)s is back: %(deputy)s no longer acts for him.",
                    employee=delegation.employee_id.name,
                    deputy=delegation.deputy_id.name,
                )
            )

    def _techdept_move_activities(self):
        self.ensure_one()
        absent_user = self.employee_id.user_id
        if not absent_user:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("user_id", "=", absent_user.id),
                    ("techdept_delegation_id", "=", False),
                ]
            )
        )
        # Who acts is asked only when there is something to move.
        if not activities:
            return
        acting_user = (
            self.env["techdept.resolver"]._acting_employee(self.employee_id).user_id
        )
        if not acting_user or acting_user == absent_user:
            return
        activities.write({"user_id": acting_user.id, "techdept_delegation_id": self.id})

    def _techdept_restore_activities(self):
        self.ensure_one()
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search([("techdept_delegation_id", "=", self.id)])
        )
        if activities and self.employee_id.user_id:
            activities.write(
                {
                    "user_id": self.employee_id.user_id.id,
                    "techdept_delegation_id": False,
                }
            )
        # Still away under another period: those activities move on at once.
        others = self.search(
            [
                ("id", "not in", self.ids),
                ("employee_id", "=", self.employee_id.id),
                ("state", "=", "active"),
            ]
        )
        for other in others:
            other._techdept_move_activities()

    @api.model
    def _cron_sync(self):
        today = fields.Date.context_today(self)
        due = self.search(
            [
                "|",
                "&",
                ("state", "=", "planned"),
                ("date_from", "<=", today),
                "&",
                ("state", "=", "active"),
                ("date_to", "<", today),
            ]
        )
        due._techdept_sync(today)

    @api.model
    def _techdept_sync_from_leaves(self, leaves, fresh=False):
        """Create, update or remove the periods of these time off requests:
        a validated request of a department manager whose department has a
        deputy gets one period per such department; any other state gets none.
        ``fresh``: none of these requests has a period yet (just created, or
        not validated until now)."""
        leaves = leaves.sudo()
        today = fields.Date.context_today(self)
        existing = (
            self.sudo().browse()
            if fresh
            else self.sudo().search([("leave_id", "in", leaves.ids)])
        )
        validated = leaves.filtered(lambda leave: leave.state == "validate")
        existing.filtered(lambda d: d.leave_id not in validated).unlink()
        departments = (
            self.env["hr.department"]
            .sudo()
            .search([("manager_id", "in", validated.employee_id.ids)])
        )
        to_create = []
        for leave in validated:
            managed = departments.filtered(
                lambda d, employee=leave.employee_id: d.manager_id == employee
            )
            for department in managed:
                deputy = department.techdept_effective_deputy_id
                if not deputy:
                    continue
                values = {
                    "date_from": leave.request_date_from,
                    "date_to": leave.request_date_to,
                    "deputy_id": deputy.id,
                }
                current = existing.filtered(
                    lambda d, leave=leave, department=department: (
                        d.leave_id == leave and d.department_id == department
                    )
                )
                if current:
                    if (
                        current.date_from != leave.request_date_from
                        or current.date_to != leave.request_date_to
                        or current.deputy_id != deputy
                    ):
                        current.write(values)
                else:
                    new = dict(
                        values,
                        employee_id=leave.employee_id.id,
                        department_id=department.id,
                        leave_id=leave.id,
                        origin="leave",
                        reason=leave.holiday_status_id.name,
                    )
                    # Created in its state: it is not written again.
                    new["state"] = _state_on(
                        today, leave.request_date_from, leave.request_date_to
                    )
                    to_create.append(new)
        if to_create:
            # Derived from the time off, whose follower and history they
            # share: no creation note, follower or tracking of their own
            # (the department's note says when they start).
            self.sudo().with_context(tracking_disable=True).create(to_create)
