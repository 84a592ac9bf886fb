from lxml import etree
from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression

from .hr_job import TECHDEPT_ROLES
from .techdept_guard import as_server, join_names
from .techdept_lang import in_lang_of


class TechdeptApprovalStep(models.Model):
    _inherit = "techdept.approval.step"

    deadline_days = fields.Integer(
        string="Working Days to Review",
        help="A review still pending this many working days after its step "
        "opened is overdue (weekends, public holidays and make-up working days "
        "of the working calendar).",
    )
    escalate = fields.Boolean(
        string="Escalate When Overdue",
        default=True,
        help="When the review is overdue, the deputy of whoever holds it is "
        "reminded; later the review escalates.",
    )
    escalation_days = fields.Integer(
        string="Working Days Before Escalation",
        default=2,
        help="Working days after the deadline before an overdue review "
        "escalates to the escalation role.",
    )
    escalation_role = fields.Selection(
        TECHDEPT_ROLES,
        string="Escalate To",
        default="director",
        help="Who may decide an escalated review (whoever acts for him too). "
        "When he is the one overdue, the general manager's office decides.",
    )
    robot_id = fields.Many2one(
        "techdept.notice.robot",
        string="Group Robot",
        groups="techdept_org.group_director,base.group_system",
        help="The WeCom or DingTalk group robot told when this step opens, is "
        "overdue or escalates; by default the robot of the approver's "
        "department.",
    )

    @api.constrains("escalation_days")
    def _check_escalation_days(self):
        if any(step.escalation_days < 0 for step in self):
            raise ValidationError(
                self.env._("Working days before escalation cannot be negative.")
            )


class TechdeptApprovalLine(models.Model):
    _inherit = "techdept.approval.line"

    deadline_provisional = fields.Boolean(
        string="Provisional Deadline",
        readonly=True,
        help="The deadline falls in a year whose public holidays are not loaded "
        "yet: it counts weekends only.",
    )
    escalation_date = fields.Date(
        string="Escalates After",
        readonly=True,
        help="Still pending after this day, the review escalates.",
    )
    escalation_state = fields.Selection(
        [("reminded", "Deputy Reminded"), ("escalated", "Escalated")],
        string="Escalation",
        readonly=True,
        index=True,
    )
    reminded_date = fields.Datetime(readonly=True)
    escalated_date = fields.Datetime(readonly=True)
    escalated_user_ids = fields.Many2many(
        "res.users",
        "techdept_approval_line_escalated_rel",
        "line_id",
        "user_id",
        string="Escalated To",
        readonly=True,
    )
    escalation_ids = fields.One2many(
        "techdept.approval.escalation", "line_id", string="Escalations", readonly=True
    )

    # Deadlines on the working calendar

    def _techdept_calendar(self):
        return self.env["techdept.calendar"]._for_company(self.company_id)

    def _approval_deadline(self, day):
        """The deadline of the step opening on ``day``: its working days
        later. Sets when it escalates and whether a year on the way is
        provisional."""
        self.ensure_one()
        step = self.step_id
        calendar = self._techdept_calendar()
        deadline, provisional = calendar._add_working_days(day, step.deadline_days)
        escalation, later = calendar._add_working_days(deadline, step.escalation_days)
        self.sudo().write(
            {
                "deadline_provisional": provisional or later,
                "escalation_date": escalation if step.escalate else False,
            }
        )
        return deadline

    def _techdept_refresh_provisional(self):
        """Once the holidays of a year are loaded, the provisional deadlines
        of the reviews still pending are counted again."""
        lines = self.sudo().search(
            [
                ("state", "=", "pending"),
                ("deadline_provisional", "=", True),
                ("escalation_state", "=", False),
                ("date_open", "!=", False),
            ]
        )
        for line in lines:
            opened = fields.Date.context_today(line, line.date_open)
            deadline = line._approval_deadline(opened)
            if deadline != line.deadline:
                line.deadline = deadline
                activities = (
                    self.env["mail.activity"]
                    .sudo()
                    .search([("techdept_approval_line_id", "=", line.id)])
                )
                as_server(activities).write({"date_deadline": deadline})

    # Who decides

    def _approval_step_done(self, decider):
        """Whoever the review escalated to settles the step alone."""
        return (
            super()._approval_step_done(decider) or decider in self.escalated_user_ids
        )

    def _techdept_pending_users(self):
        self.ensure_one()
        if self.approval_mode == "all":
            return self.approver_ids - self.approved_user_ids
        return self.approver_ids - self.escalated_user_ids

    def _techdept_deputy(self, employee):
        """Who is reminded of ``employee``'s overdue review: the deputy of
        the department he manages, else whoever manages above him."""
        if not employee:
            return self.env["hr.employee"]
        Department = self.env["hr.department"].sudo()
        managed = Department.search([("manager_id", "=", employee.id)], limit=1)
        if managed.techdept_effective_deputy_id:
            return managed.techdept_effective_deputy_id
        department = managed.parent_id if managed else employee.department_id
        resolver = self.env["techdept.resolver"]
        while department:
            acting = resolver._acting_managers(department)[department]
            if acting and acting != employee:
                return acting
            department = department.parent_id
        return self.env["hr.employee"]

    def _techdept_escalation_targets(self, overdue):
        """The holders of the step's escalation role (the technical director
        by default), or whoever acts for them; the general manager's office
        when they are the ones overdue."""
        self.ensure_one()
        resolver = self.env["techdept.resolver"]
        company = self.company_id or self.env.company
        role = self.step_id.escalation_role or "director"
        excluded = overdue
        if not self.allow_self_approval:
            excluded |= self.submitted_by_id
        holders = resolver._role_holders(role, company=company).user_id
        targets = (holders - excluded).filtered(lambda u: u.active and not u.share)
        if targets:
            return targets
        gm_office = resolver._function_manager("gm_office", company=company).user_id
        if not gm_office:
            gm_office = self.env.ref("techdept_org.group_gm_office").sudo().users
        return (gm_office - excluded).filtered(lambda u: u.active and not u.share)

    # The scheduled action

    @api.model
    def _cron_escalate(self):
        """Remind, then escalate, the overdue reviews. Running it again the
        same day does nothing more."""
        Line = self.sudo()
        Line._techdept_refresh_provisional()
        today = fields.Date.context_today(self)
        lines = Line.search(
            [
                ("state", "=", "pending"),
                ("deadline", "<", today),
                ("step_id.escalate", "=", True),
                ("escalation_state", "!=", "escalated"),
            ],
            order="deadline, id",
        )
        for line in lines:
            if line.res_model not in self.env:
                continue
            if not line.escalation_state:
                line._techdept_remind()
            escalation_date = (
                line.escalation_date
                or line._techdept_calendar()._add_working_days(
                    line.deadline, line.step_id.escalation_days
                )[0]
            )
            if line.escalation_state == "reminded" and escalation_date < today:
                line._techdept_escalate()

    def _techdept_acting_users(self, users):
        """{user: user acting for him today}."""
        resolver = self.env["techdept.resolver"]
        employees = users.employee_id
        acting = resolver._acting_for(employees) if employees else {}
        return {
            user: (acting.get(user.employee_id) or user.employee_id).user_id or user
            for user in users
        }

    def _techdept_remind(self):
        """The review is overdue: remind the deputy of whoever holds it."""
        self.ensure_one()
        pending = self._techdept_pending_users()
        acting = self._techdept_acting_users(pending)
        deputies = self.env["res.users"]
        rows = []
        for user in pending:
            deputy = self._techdept_deputy(acting[user].employee_id).user_id
            deputies |= deputy
            rows.append(
                {
                    "line_id": self.id,
                    "user_id": user.id,
                    "acting_user_id": acting[user].id
                    if acting[user] != user
                    else False,
                    "level": "reminder",
                    "notified_user_ids": [fields.Command.set(deputy.ids)],
                }
            )
        self.env["techdept.approval.escalation"].sudo().create(rows)
        self.write(
            {"escalation_state": "reminded", "reminded_date": fields.Datetime.now()}
        )
        holders = self.env["res.users"].union(*acting.values()) if acting else pending
        record = self._record().sudo()
        record._techdept_post(
            lambda env: env._(
                "%(step)s is overdue: %(approvers)s had until %(deadline)s. "
                "Reminder sent to %(reminded)s.",
                step=self.with_context(lang=env.lang).step_name,
                approvers=join_names(env, holders.mapped("name")),
                deadline=fields.Date.to_string(self.deadline),
                reminded=join_names(env, (deputies or holders).mapped("name")),
            ),
            partner_ids=(deputies | holders).partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        self._techdept_notify("overdue", pending=holders, others=deputies)

    def _techdept_escalate(self):
        """Still overdue after the second delay: whoever the step escalates
        to may now decide it; the overdue approvers' review counts as late."""
        self.ensure_one()
        pending = self._techdept_pending_users()
        acting = self._techdept_acting_users(pending)
        holders = self.env["res.users"].union(*acting.values()) if acting else pending
        targets = self._techdept_escalation_targets(pending | holders)
        if not targets:
            return False
        self.write(
            {
                "escalation_state": "escalated",
                "escalated_date": fields.Datetime.now(),
                "escalated_user_ids": [fields.Command.set(targets.ids)],
                "approver_ids": [fields.Command.link(user.id) for user in targets],
            }
        )
        self.env["techdept.approval.escalation"].sudo().create(
            [
                {
                    "line_id": self.id,
                    "user_id": user.id,
                    "acting_user_id": acting[user].id
                    if acting[user] != user
                    else False,
                    "level": "escalation",
                    "notified_user_ids": [fields.Command.set(targets.ids)],
                }
                for user in pending
            ]
        )
        record = self._record().sudo()
        activity_type = self.env.ref("techdept_org.mail_activity_type_approval")
        as_server(self.env["mail.activity"].sudo()).create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self.res_model),
                    "res_id": self.res_id,
                    "activity_type_id": activity_type.id,
                    "summary": in_lang_of(self, user).env._(
                        "Escalated review: %(step)s",
                        step=in_lang_of(self, user).step_name,
                    ),
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                    "techdept_approval_line_id": self.id,
                }
                for user in targets
            ]
        )
        record._techdept_post(
            lambda env: env._(
                "%(step)s was not reviewed by %(approvers)s in time (deadline "
                "%(deadline)s): escalated to %(targets)s, who may decide it.",
                step=self.with_context(lang=env.lang).step_name,
                approvers=join_names(env, holders.mapped("name")),
                deadline=fields.Date.to_string(self.deadline),
                targets=join_names(env, targets.mapped("name")),
            ),
            partner_ids=targets.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        self._techdept_notify("escalated", pending=holders, others=targets)
        return True

    # Robot notices

    def _techdept_robot(self, users):
        """The step's robot, else the robot of the department of the first of
        ``users`` whose department (or one above it) names one."""
        self.ensure_one()
        Robot = self.env["techdept.notice.robot"].sudo()
        robot = self.sudo().step_id.robot_id
        if robot:
            return robot if robot.active else Robot
        departments = Robot._department_robot_ids()
        if not departments:
            return Robot
        for user in users:
            robot_id = departments.get(user.sudo().employee_id.department_id.id)
            if robot_id:
                return Robot.browse(robot_id)
        return Robot

    def _techdept_notify(self, event, pending, others=None):
        """Queue the robot's message about this step, in the robot's language."""
        self.ensure_one()
        robot = self._techdept_robot(pending)
        if not robot:
            return
        record = self._record().sudo()
        lang = robot._notice_lang()
        env = self.with_context(lang=lang).env
        values = {
            "model": env["ir.model"]._get(self.res_model).with_context(lang=lang).name,
            "record": record.with_context(lang=lang).display_name,
            "step": self.with_context(lang=lang).step_name,
            "approvers": join_names(env, pending.mapped("name")),
            "others": join_names(env, (others or pending).mapped("name")),
            "deadline": fields.Date.to_string(self.deadline),
        }
        if event == "opened":
            title = env._("Review to do")
            text = env._(
                "%(model)s %(record)s: %(step)s is for %(approvers)s, by %(deadline)s.",
                **values,
            )
            if self.deadline_provisional:
                text += " " + env._(
                    "(Provisional calendar: weekends only, the year's holidays "
                    "are not published yet.)"
                )
        elif event == "overdue":
            title = env._("Review overdue")
            text = env._(
                "%(model)s %(record)s: %(step)s has waited for %(approvers)s since "
                "%(deadline)s. Reminder sent to %(others)s.",
                **values,
            )
        else:
            title = env._("Review escalated")
            text = env._(
                "%(model)s %(record)s: %(step)s was not reviewed by %(approvers)s "
                "in time; escalated to %(others)s.",
                **values,
            )
        url = (
            record._notify_get_action_link("view")
            if hasattr(record, "_notify_get_action_link")
            else record.get_base_url()
        )
        self.env["techdept.notice"]._enqueue(
            robot, event, title, text, url, record=record, line=self
        )


class TechdeptApprovalMixin(models.AbstractModel):
    _inherit = "techdept.approval.mixin"

    @api.model
    def _approval_open_many(self, openings):
        todos = super()._approval_open_many(openings)
        for _record, line, approvers in openings:
            line.sudo()._techdept_notify("opened", approvers)
        return todos

    @api.model
    def _approval_inject_form(self, arch):
        super()._approval_inject_form(arch)
        history = arch.find(".//page[@name='techdept_approvals']//list")
        if (
            history is None
            or history.find("field[@name='escalation_state']") is not None
        ):
            return
        label = escape(self.env._("Weekends only: provisional calendar"))
        columns = f"""
            <list>
                <field name="escalation_state" widget="badge" optional="show"
                    decoration-warning="escalation_state == 'reminded'"
                    decoration-danger="escalation_state == 'escalated'"/>
                <field name="escalated_user_ids" widget="many2many_tags"
                    optional="hide"/>
                <field name="deadline_provisional" optional="show"
                    string="{label}"/>
            </list>"""
        for node in etree.fromstring(columns):
            history.append(node)


class TechdeptApprovalEscalation(models.Model):
    """One overdue review: the deputy reminded, or the review escalated. An
    escalated review counts as not answered on time for its approver."""

    _name = "techdept.approval.escalation"
    _description = "Approval Escalation"
    _order = "date desc, id desc"

    line_id = fields.Many2one(
        "techdept.approval.line", required=True, ondelete="cascade", index=True
    )
    res_name = fields.Char(string="Document", related="line_id.res_name")
    step_name = fields.Char(string="Step", related="line_id.step_name")
    deadline = fields.Date(related="line_id.deadline")
    user_id = fields.Many2one("res.users", string="Approver", required=True, index=True)
    acting_user_id = fields.Many2one(
        "res.users",
        string="Acting For Him",
        help="Whoever was acting for the approver, absent that day.",
    )
    level = fields.Selection(
        [("reminder", "Deputy Reminded"), ("escalation", "Escalated")],
        required=True,
        index=True,
    )
    notified_user_ids = fields.Many2many(
        "res.users",
        "techdept_approval_escalation_notified_rel",
        "escalation_id",
        "user_id",
        string="Told",
        help="The deputy reminded, or who the review escalated to.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)

    # Access: an escalation follows its step (see techdept.approval.line);
    # the approver it counts against sees it too.

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        Line = self.env["techdept.approval.line"]
        if not Line._techdept_sees_all():
            lines = Line.with_context(active_test=False)._search([])
            domain = expression.AND(
                [
                    domain,
                    ["|", ("user_id", "=", self.env.uid), ("line_id", "in", lines)],
                ]
            )
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        Line = self.env["techdept.approval.line"]
        if result or Line._techdept_sees_all() or not self._ids:
            return result
        lines = self.sudo().line_id
        visible = lines.with_env(self.env)._filtered_access("read")
        forbidden = self.filtered(
            lambda e: (
                e.sudo().user_id != self.env.user
                and e.sudo().line_id not in visible.sudo()
            )
        )
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._("You may not read escalations on records you cannot read.")
            )
        return None
