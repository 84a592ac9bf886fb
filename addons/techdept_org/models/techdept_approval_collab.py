"""Working together on reviews: steps that apply under a condition, steps of
the submitter's manager, people copied (抄送), an approver added to a step
(加签), forwarding a step, the submitter's reminder (催办), decisions on many
records at once and the pending-approvals counter of the top bar."""

from datetime import timedelta

import psycopg2
from lxml import etree
from markupsafe import escape

from odoo import Command, api, fields, models
from odoo.exceptions import MissingError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, formatLang
from odoo.tools.safe_eval import safe_eval

from ..exceptions import ApprovalRefusal
from .techdept_guard import join_names
from .techdept_lang import user_lang

REMINDER_PARAM = "techdept_org.approval_reminder_hours"
DEFAULT_REMINDER_HOURS = 24
COUNTER_NOTIFICATION = "techdept_approval/updated"
# Users whose counter changed in the transaction (cr.precommit.data).
COUNTER_USERS = "techdept.approval.counter.users"
FORWARD_POLICIES = [
    ("none", "Not Allowed"),
    ("role", "Same Policy Role"),
    ("department", "Same Department"),
    ("top_department", "Anyone in the Whole Department"),
]


def _copied_users(env, users, jobs):
    """Named ``users`` and the holders of the positions ``jobs``: internal,
    active users only."""
    users = users.sudo()
    if jobs:
        users |= (
            env["hr.employee"]
            .sudo()
            .search(
                [("job_id", "in", jobs.ids), ("company_id", "in", env.companies.ids)]
            )
            .user_id
        )
    return users.filtered(lambda user: user.active and not user.share)


class TechdeptApprovalChain(models.Model):
    _inherit = "techdept.approval.chain"

    allow_add_approver = fields.Boolean(
        string="Approvers May Add One",
        help="An approver may add one more approver to his step (加签), to "
        "decide before him or after him, saying why.",
    )
    forward_policy = fields.Selection(
        FORWARD_POLICIES,
        string="Forwarding",
        default="none",
        required=True,
        help="Whether an approver may hand his pending step to a colleague, "
        "and to whom: a holder of the same policy role, someone of his "
        "department, or anyone in the whole department he belongs to (its "
        "groups included).",
    )
    reminder_hours = fields.Integer(
        string="Hours Between Reminders",
        help="How long the submitter waits before reminding the approvers of "
        "a step again (催办). 0: the system parameter "
        "techdept_org.approval_reminder_hours, or 24 hours.",
    )
    cc_user_ids = fields.Many2many(
        "res.users",
        "techdept_approval_chain_cc_user_rel",
        "chain_id",
        "user_id",
        string="Copy To",
        domain=[("share", "=", False)],
        help="Told when a review starts and when it ends; they read the record "
        "and its approvals but do not decide (抄送).",
    )
    cc_job_ids = fields.Many2many(
        "hr.job",
        "techdept_approval_chain_cc_job_rel",
        "chain_id",
        "job_id",
        string="Copy To Positions",
        domain=[("techdept_role", "!=", False)],
        help="The holders of these positions are copied like the users above.",
    )
    has_copies = fields.Boolean(
        string="Copies Someone",
        compute="_compute_has_copies",
        store=True,
        help="Whether anyone is copied on the chain's reviews.",
    )

    @api.depends("cc_user_ids", "cc_job_ids")
    def _compute_has_copies(self):
        for chain in self:
            chain.has_copies = bool(chain.cc_user_ids or chain.cc_job_ids)

    @api.constrains("reminder_hours")
    def _check_reminder_hours(self):
        if any(chain.reminder_hours < 0 for chain in self):
            raise ValidationError(
                self.env._("Hours between reminders cannot be negative.")
            )

    def _approval_copied_users(self):
        self.ensure_one()
        if not self.has_copies:
            return self.env["res.users"]
        return _copied_users(self.env, self.cc_user_ids, self.cc_job_ids)

    def _approval_reminder_hours(self):
        """Hours the submitter waits between two reminders of one step."""
        self.ensure_one()
        if self.reminder_hours > 0:
            return self.reminder_hours
        value = self.env["ir.config_parameter"].sudo().get_param(REMINDER_PARAM)
        try:
            hours = int(value or 0)
        except ValueError:
            hours = 0
        return hours if hours > 0 else DEFAULT_REMINDER_HOURS


class TechdeptApprovalStep(models.Model):
    _inherit = "techdept.approval.step"

    approver_type = fields.Selection(
        selection_add=[("supervisor", "Submitter's Manager")],
        ondelete={"supervisor": "cascade"},
    )
    supervisor_level = fields.Integer(
        string="Manager Level",
        default=1,
        help="1: the submitter's direct manager; 2: that manager's own manager; "
        "and so on (分级审批). Where the organisation ends first, the highest "
        "manager found approves. Whoever acts for him may decide on his behalf.",
    )
    model_name = fields.Char(related="chain_id.model", string="Model Name")
    condition_domain = fields.Char(
        string="Applies When",
        help="A condition on the record: the step applies only when it holds, "
        "checked when the review starts. Empty: always.",
    )
    condition_description = fields.Char(
        string="Condition", compute="_compute_condition_description"
    )
    cc_user_ids = fields.Many2many(
        "res.users",
        "techdept_approval_step_cc_user_rel",
        "step_id",
        "user_id",
        string="Copy To",
        domain=[("share", "=", False)],
        help="Told when this step opens and when it is decided; they read the "
        "record and its approvals but do not decide (抄送).",
    )
    cc_job_ids = fields.Many2many(
        "hr.job",
        "techdept_approval_step_cc_job_rel",
        "step_id",
        "job_id",
        string="Copy To Positions",
        domain=[("techdept_role", "!=", False)],
    )
    has_copies = fields.Boolean(
        string="Copies Someone",
        compute="_compute_has_copies",
        store=True,
    )

    @api.depends("condition_domain", "chain_id.model")
    @api.depends_context("lang")
    def _compute_condition_description(self):
        for step in self:
            step.condition_description = (
                step._condition_text() if step.condition_domain else False
            )

    @api.constrains("approver_type", "supervisor_level")
    def _check_supervisor_level(self):
        for step in self:
            if step.approver_type == "supervisor" and step.supervisor_level < 1:
                raise ValidationError(
                    self.env._(
                        "Step %(step)s: the manager level is 1 (the direct "
                        "manager) or more.",
                        step=step.name,
                    )
                )

    @api.constrains("condition_domain", "chain_id")
    def _check_condition_domain(self):
        for step in self.filtered("condition_domain"):
            model = step.chain_id.model
            if not model or model not in self.env:
                raise ValidationError(
                    self.env._(
                        "Step %(step)s: a condition needs a chain that applies "
                        "to a model.",
                        step=step.name,
                    )
                )
            try:
                with self.env.cr.savepoint():
                    self.env[model].sudo().search(step._condition(), limit=1)
            except (
                ValueError,
                SyntaxError,
                NameError,
                TypeError,
                KeyError,
                psycopg2.Error,
            ) as error:
                raise ValidationError(
                    self.env._(
                        "Step %(step)s: the condition cannot be used: %(error)s",
                        step=step.name,
                        error=error,
                    )
                ) from error

    def _condition(self):
        """The condition as a domain (empty: always)."""
        self.ensure_one()
        return self._parse_condition(self.condition_domain)

    @api.model
    def _parse_condition(self, condition):
        """``condition`` (a step's text) as a domain (empty: always)."""
        if not condition:
            return []
        domain = safe_eval(condition, self.env["ir.rule"].sudo()._eval_context())
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("A condition is a list of criteria."))
        return list(domain)

    def _approval_applies_to(self, record):
        """Whether the step applies to ``record``: its condition holds (on
        the record's data, whoever submits)."""
        self.ensure_one()
        domain = self._condition()
        if not domain:
            return True
        Model = record.sudo().with_context(active_test=False)
        return bool(Model.search_count([("id", "=", record.id), *domain], limit=1))

    @api.depends("cc_user_ids", "cc_job_ids")
    def _compute_has_copies(self):
        for step in self:
            step.has_copies = bool(step.cc_user_ids or step.cc_job_ids)

    def _approval_copied_users(self):
        self.ensure_one()
        if not self.has_copies:
            return self.env["res.users"]
        return _copied_users(self.env, self.cc_user_ids, self.cc_job_ids)

    # The condition in words, in the user's language

    def _condition_text(self):
        self.ensure_one()
        return self._describe_condition(self.chain_id.model, self.condition_domain)

    @api.model
    def _describe_condition(self, model, condition):
        """``condition`` on records of ``model`` in words, in the
        environment's language (the text itself when it cannot be read)."""
        try:
            tokens = expression.normalize_domain(self._parse_condition(condition))
        except (ValueError, SyntaxError, NameError, TypeError):
            return condition
        if not model or model not in self.env:
            return condition
        Model = self.env[model]

        def parse(index):
            token = tokens[index]
            if token in ("&", "|"):
                left, left_kind, index = parse(index + 1)
                right, right_kind, index = parse(index)
                # Parentheses wherever "and" and "or" meet, for any reader.
                if left_kind in ("&", "|") and left_kind != token:
                    left = f"({left})"
                if right_kind in ("&", "|") and right_kind != token:
                    right = f"({right})"
                if token == "&":
                    text = self.env._("%(left)s and %(right)s", left=left, right=right)
                else:
                    text = self.env._("%(left)s or %(right)s", left=left, right=right)
                return text, token, index
            if token == "!":
                inner, _kind, index = parse(index + 1)
                return self.env._("not (%(condition)s)", condition=inner), "!", index
            return self._condition_leaf_text(Model, token), "leaf", index + 1

        try:
            return parse(0)[0] if tokens else ""
        except (KeyError, IndexError, ValueError, TypeError):
            return condition

    def _condition_leaf_text(self, Model, leaf):
        path, operator, value = leaf
        if not isinstance(path, str):
            return self.env._("always")
        labels = []
        field = None
        for name in path.split("."):
            field = Model._fields[name]
            labels.append(field.get_description(self.env)["string"])
            if field.relational:
                Model = self.env[field.comodel_name]
        label = " → ".join(labels)
        if value is False and operator in ("=", "!="):
            if operator == "=":
                return self.env._("%(field)s is not set", field=label)
            return self.env._("%(field)s is set", field=label)
        words = {
            "=": "=",
            "!=": "≠",
            ">": ">",
            ">=": "≥",
            "<": "<",
            "<=": "≤",
            "in": self.env._("is one of"),
            "not in": self.env._("is none of"),
            "ilike": self.env._("contains"),
            "not ilike": self.env._("does not contain"),
            "like": self.env._("contains"),
            "not like": self.env._("does not contain"),
            "child_of": self.env._("is under"),
        }
        return "%s %s %s" % (
            label,
            words.get(operator, operator),
            self._condition_value_text(field, Model, value),
        )

    def _condition_value_text(self, field, Model, value):
        values = value if isinstance(value, list | tuple) else [value]
        if field.relational and all(isinstance(v, int) for v in values):
            names = Model.sudo().browse(values).exists().mapped("display_name")
            return join_names(self.env, names)
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return join_names(self.env, [labels.get(v, str(v)) for v in values])
        if field.type == "boolean":
            return join_names(
                self.env, [self.env._("yes") if v else self.env._("no") for v in values]
            )
        texts = []
        for item in values:
            if isinstance(item, bool) or not isinstance(item, int | float):
                texts.append(f"“{item}”" if isinstance(item, str) else str(item))
            elif float(item).is_integer():
                texts.append(formatLang(self.env, item, digits=0))
            else:
                texts.append(formatLang(self.env, item))
        return join_names(self.env, texts)

    # The submitter's manager of level n

    def _resolve_approvers(self, record, submitter):
        if self.approver_type != "supervisor":
            return super()._resolve_approvers(record, submitter)
        self.ensure_one()
        employee = submitter.sudo().employee_id
        manager = self._approval_supervisor(employee, self.supervisor_level)
        return manager.user_id.filtered(
            lambda user: user.active and not user.share and user != submitter
        )

    @api.model
    def _approval_supervisor(self, employee, level):
        """The manager ``level`` steps above ``employee``, following his
        manager (parent_id), else the holder of his department's manager
        position (the department above when he holds it himself). Where the
        organisation ends first, the highest manager found; a manager without
        an internal user is passed over for the one above him."""
        Employee = self.env["hr.employee"]
        found = Employee
        current = employee.sudo()
        seen = {current.id}
        steps = 0
        while current:
            above = current.parent_id
            if not above or above.id in seen:
                above = current._techdept_home_manager()[current]
            if not above or above.id in seen:
                break
            seen.add(above.id)
            current = above
            if above.user_id.active and not above.user_id.share:
                found = above
                steps += 1
                if steps >= level:
                    break
        return found.with_env(self.env)


class TechdeptApprovalLine(models.Model):
    _inherit = "techdept.approval.line"

    state = fields.Selection(
        selection_add=[("skipped", "Not Required")],
        ondelete={"skipped": "cascade"},
    )
    res_model_id = fields.Many2one(
        "ir.model",
        string="Document Kind",
        compute="_compute_res_model_id",
        store=True,
        index=True,
        ondelete="cascade",
    )
    condition_domain = fields.Char(
        string="Step Condition",
        readonly=True,
        help="The step's condition when the review started.",
    )
    condition_held = fields.Boolean(
        readonly=True, help="The step's condition held when the review started."
    )
    condition_note = fields.Char(
        string="Condition",
        compute="_compute_condition_note",
        help="Whether the step's condition held when the review started.",
    )
    cc_user_ids = fields.Many2many(
        "res.users",
        "techdept_approval_line_cc_rel",
        "line_id",
        "user_id",
        string="Copied To",
        readonly=True,
        help="Told when this step opens and when it is decided.",
    )
    chain_cc_user_ids = fields.Many2many(
        "res.users",
        "techdept_approval_line_chain_cc_rel",
        "line_id",
        "user_id",
        string="Copied on the Review",
        readonly=True,
        help="Told when the review starts and when it ends.",
    )
    has_copies = fields.Boolean(
        string="Copies Someone",
        compute="_compute_has_copies",
        store=True,
        precompute=True,
        help="Whether anyone is copied on this step or on its review.",
    )
    added_from_line_id = fields.Many2one(
        "techdept.approval.line",
        string="Added To Step",
        readonly=True,
        ondelete="cascade",
        index="btree_not_null",
    )
    added_line_ids = fields.One2many(
        "techdept.approval.line",
        "added_from_line_id",
        string="Added Approvers",
        readonly=True,
    )
    added_by_id = fields.Many2one("res.users", readonly=True)
    added_position = fields.Selection(
        [("before", "Before His Decision"), ("after", "After His Decision")],
        readonly=True,
    )
    added_reason = fields.Text(string="Why Added", readonly=True)
    reminder_count = fields.Integer(string="Reminders", readonly=True)
    date_last_reminder = fields.Datetime(string="Last Reminder", readonly=True)
    can_forward = fields.Boolean(
        string="May Forward", compute="_compute_can_collaborate"
    )
    can_add_approver = fields.Boolean(
        string="May Add an Approver", compute="_compute_can_collaborate"
    )
    can_remind = fields.Boolean(string="May Remind", compute="_compute_can_collaborate")

    @api.depends("condition_domain", "condition_held", "res_model")
    @api.depends_context("lang")
    def _compute_condition_note(self):
        Step = self.env["techdept.approval.step"]
        for line in self:
            if not line.condition_domain:
                line.condition_note = False
                continue
            condition = Step._describe_condition(line.res_model, line.condition_domain)
            line.condition_note = (
                self.env._("required, %(condition)s", condition=condition)
                if line.condition_held
                else self.env._("not required, %(condition)s", condition=condition)
            )

    def init(self):
        super().init()
        # My Approvals, its counter and the access checks look up the pending
        # steps of an approver (and of those he acts for) by id, filter them
        # on these columns and sort or group them by the others: all of it
        # from this index, without reading the table's rows.
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS techdept_approval_line_pending_idx
                       ON techdept_approval_line (id)
                  INCLUDE (approval_mode, allow_self_approval, submitted_by_id,
                           res_model, res_id, round, sequence, res_model_id)
                    WHERE state = 'pending'"""
            )
        )

    @api.depends("cc_user_ids", "chain_cc_user_ids")
    def _compute_has_copies(self):
        for line in self:
            line.has_copies = bool(line.cc_user_ids or line.chain_cc_user_ids)

    # An added approver's step: its step's name, in the reader's language.
    @api.depends("step_id.name", "step_label", "added_from_line_id")
    @api.depends_context("lang")
    def _compute_step_name(self):
        super()._compute_step_name()
        for line in self.filtered("added_from_line_id"):
            line.step_name = self.env._(
                "%(step)s (added approver)", step=line.step_name
            )

    @api.depends("res_model")
    def _compute_res_model_id(self):
        IrModel = self.env["ir.model"]
        for line in self:
            line.res_model_id = (
                IrModel._get_id(line.res_model) if line.res_model else False
            )

    @api.depends_context("uid")
    @api.depends("state", "approver_ids", "approved_user_ids", "submitted_by_id")
    def _compute_can_collaborate(self):
        for line in self:
            chain = line.sudo().chain_id
            reviewing = line.can_review
            line.can_forward = reviewing and chain.forward_policy != "none"
            line.can_add_approver = (
                reviewing
                and chain.allow_add_approver
                and not line.sudo().added_from_line_id
                and not line.sudo().added_line_ids
            )
            line.can_remind = (
                line.state == "pending" and line.submitted_by_id == self.env.user
            )

    # Access: the people copied read every step of the record too.

    @api.model
    def _techdept_access_domain(self):
        return expression.OR(
            [super()._techdept_access_domain(), self._techdept_copied_domain()]
        )

    @api.model
    def _techdept_copied_domain(self):
        """Every step of the records on which the current user is copied."""
        uid = self.env.uid
        return [
            (
                "id",
                "in",
                SQL(
                    """(SELECT line.id FROM techdept_approval_line line
                     WHERE (line.res_model, line.res_id) IN (
                        SELECT copied.res_model, copied.res_id
                          FROM techdept_approval_line copied
                          JOIN techdept_approval_line_cc_rel cc
                            ON cc.line_id = copied.id
                         WHERE cc.user_id = %s
                        UNION
                        SELECT copied.res_model, copied.res_id
                          FROM techdept_approval_line copied
                          JOIN techdept_approval_line_chain_cc_rel cc
                            ON cc.line_id = copied.id
                         WHERE cc.user_id = %s))""",
                    uid,
                    uid,
                ),
            )
        ]

    # The counter of the top bar

    @api.model
    def get_techdept_approval_counter(self):
        """What the current user may approve now (for himself or for an
        absent approver he acts for): the total and the count per kind of
        document, in a constant number of queries. Only his own."""
        groups = self._read_group(
            [("can_review", "=", True)], ["res_model_id"], ["__count"]
        )
        kinds = [
            {"id": kind.id, "name": kind.sudo().name, "count": count}
            for kind, count in groups
            if kind
        ]
        return {"count": sum(count for _kind, count in groups), "kinds": kinds}

    # Actions on steps (My Approvals): each one is the record's, checked there

    def _approval_check_mine(self):
        """Refuse steps the current user may not decide now."""
        for line in self:
            if not line.can_review:
                raise ApprovalRefusal(
                    self.env._(
                        "Step %(step)s of %(record)s is not yours to review now.",
                        step=line.step_name,
                        record=line.res_name,
                    )
                )

    def action_bulk_approve(self):
        """Approve the selected steps; those the user may not approve are
        named with the reason, nothing is approved for them."""
        done, skipped = self._approval_bulk("approve")
        return self.env["techdept.approval.mixin"]._approval_bulk_report(
            "approve", done, skipped
        )

    def action_bulk_reject(self):
        """Ask for one comment to reject the selected steps."""
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "techdept.approval.bulk.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_ids": [Command.set(self.ids)]},
        }

    def _approval_bulk(self, action, comment=None):
        """Decide the records of the steps of ``self``: (number decided,
        [(name, reason)] of those skipped)."""
        done, skipped = 0, []
        by_model = {}
        for line in self:
            if not line.can_review:
                skipped.append(
                    (
                        line.res_name or line.step_name,
                        self.env._(
                            "step %(step)s is not yours to review now.",
                            step=line.step_name,
                        ),
                    )
                )
                continue
            by_model.setdefault(line.res_model, []).append(line.res_id)
        for model, ids in by_model.items():
            records = self.env[model].browse(dict.fromkeys(ids)).exists()
            decided, refused = records._approval_bulk(action, comment)
            done += decided
            skipped += refused
        return done, skipped

    def action_forward(self):
        self.ensure_one()
        self._approval_check_mine()
        return self._record().action_approval_forward()

    def action_add_approver(self):
        self.ensure_one()
        self._approval_check_mine()
        return self._record().action_approval_add_approver()

    def action_remind(self):
        self.ensure_one()
        self.check_access("read")
        return self._record().action_approval_remind()

    # Whom a step may be forwarded to

    def _approval_forward_candidates(self, holder):
        """The users ``holder``'s place on this step may be handed to, as
        the chain allows."""
        self.ensure_one()
        line = self.sudo()
        Users = self.env["res.users"]
        policy = line.chain_id.forward_policy
        employee = holder.sudo().employee_id
        if policy == "none" or not employee:
            return Users
        if policy == "role":
            if not employee.techdept_role:
                return Users
            domain = [("techdept_role", "=", employee.techdept_role)]
        elif policy == "department":
            domain = [("department_id", "=", employee.department_id.id)]
        else:
            top = employee.department_id
            while top.parent_id:
                top = top.parent_id
            domain = [("department_id", "child_of", top.id)]
        if policy != "role" and not employee.department_id:
            return Users
        users = (
            self.env["hr.employee"]
            .sudo()
            .search(domain + [("user_id", "!=", False)])
            .user_id.filtered(lambda user: user.active and not user.share)
        )
        users -= line.approver_ids | holder | self.env.user
        if not line.allow_self_approval:
            users -= line.submitted_by_id
        return users.with_env(self.env)

    def _approval_add_excluded(self, holder):
        """Who may not be added to this step: those who review it already,
        the one adding, and the submitter (unless self approval)."""
        self.ensure_one()
        line = self.sudo()
        excluded = line.approver_ids | holder | self.env.user
        if not line.allow_self_approval:
            excluded |= line.submitted_by_id
        return excluded.with_env(self.env)

    def _approval_may_add(self, user, holder):
        """Whether ``user`` may be added to this step: an active internal
        user who does not review it already."""
        user = user.sudo()
        return (
            len(user) == 1
            and user.active
            and not user.share
            and user not in self._approval_add_excluded(holder)
        )


class TechdeptApprovalDecision(models.Model):
    _inherit = "techdept.approval.decision"

    decision = fields.Selection(
        selection_add=[("forwarded", "Forwarded"), ("added", "Approver Added")],
        ondelete={"forwarded": "cascade", "added": "cascade"},
    )
    target_user_id = fields.Many2one(
        "res.users",
        string="To",
        help="Whom the step was forwarded to, or the approver added.",
    )


class TechdeptApprovalMixin(models.AbstractModel):
    _inherit = "techdept.approval.mixin"

    can_forward = fields.Boolean(
        string="May Forward",
        compute="_compute_can_collaborate",
        help="The current user may hand his pending step to a colleague.",
    )
    can_add_approver = fields.Boolean(
        string="May Add an Approver",
        compute="_compute_can_collaborate",
        help="The current user may add one more approver to his step.",
    )
    can_remind = fields.Boolean(
        string="May Remind",
        compute="_compute_can_collaborate",
        help="The current user submitted the record and may remind its approvers.",
    )

    @api.depends_context("uid")
    @api.depends("approval_state", "approval_line_ids.state")
    def _compute_can_collaborate(self):
        for record in self:
            line = record._approval_pending_line()
            reviewing = bool(line) and record.can_approve
            chain = line.chain_id
            record.can_forward = reviewing and chain.forward_policy != "none"
            record.can_add_approver = (
                reviewing
                and chain.allow_add_approver
                and not line.added_from_line_id
                and not line.added_line_ids
            )
            record.can_remind = (
                record.approval_state == "pending"
                and record.approval_submitted_by_id == self.env.user
            )

    def _approval_pending_line(self):
        """The step under review now (sudo), or an empty recordset."""
        self.ensure_one()
        if self.approval_state != "pending":
            return self.env["techdept.approval.line"].sudo()
        return self._approval_round_lines().filtered(
            lambda line: line.state == "pending"
        )[:1]

    # Form and list views: the buttons come with the mixin

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "list":
            self._approval_inject_list(arch)
        return arch, view

    @api.model
    def _approval_inject_list(self, arch):
        """Approve or reject the selected records of any list at once."""
        tree = arch if arch.tag == "list" else arch.find(".//list")
        if (
            tree is None
            or tree.find(".//button[@name='action_approval_bulk_approve']") is not None
        ):
            return
        header = tree.find("header")
        if header is None:
            header = etree.Element("header")
            tree.insert(0, header)
        for name, label in (
            ("action_approval_bulk_approve", self.env._("Approve")),
            ("action_approval_bulk_reject", self.env._("Reject")),
        ):
            etree.SubElement(
                header, "button", name=name, type="object", string=str(label)
            )

    @api.model
    def _approval_inject_form(self, arch):
        form = arch if arch.tag == "form" else arch.find(".//form")
        injected = form is not None and (
            form.find(".//field[@name='approval_line_ids']") is not None
        )
        super()._approval_inject_form(arch)
        if form is None or injected:
            return
        label = {
            "add": escape(self.env._("Add Approver")),
            "forward": escape(self.env._("Forward")),
            "remind": escape(self.env._("Remind")),
        }
        buttons = f"""
            <div>
            <button name="action_approval_add_approver" type="object"
                string="{label["add"]}" invisible="not can_add_approver"/>
            <button name="action_approval_forward" type="object"
                string="{label["forward"]}" invisible="not can_forward"/>
            <button name="action_approval_remind" type="object"
                string="{label["remind"]}" invisible="not can_remind"/>
            <field name="can_add_approver" invisible="1"/>
            <field name="can_forward" invisible="1"/>
            <field name="can_remind" invisible="1"/>
            </div>"""
        header = form.find("header")
        for node in etree.fromstring(buttons):
            header.append(node)
        history = form.find(".//field[@name='approval_line_ids']/list")
        if history is not None:
            history.set(
                "decoration-muted", "state in ('waiting', 'cancelled', 'skipped')"
            )
            for name, optional in (
                ("condition_note", "show"),
                ("reminder_count", "hide"),
            ):
                etree.SubElement(history, "field", name=name, optional=optional)

    # Conditional steps and the people copied, when a round starts

    def _approval_steps(self, chain):
        steps = super()._approval_steps(chain)
        return steps.filtered(lambda step: step._approval_applies_to(self))

    def _approval_line_extra_values(self, step, steps):
        values = super()._approval_line_extra_values(step, steps)
        applies = step in steps
        chain_copied = step.chain_id._approval_copied_users()
        values["chain_cc_user_ids"] = [Command.set(chain_copied.ids)]
        if applies:
            values["cc_user_ids"] = [Command.set(step._approval_copied_users().ids)]
        else:
            values["state"] = "skipped"
        if step.condition_domain:
            values["condition_domain"] = step.condition_domain
            values["condition_held"] = applies
        return values

    def _approval_next_approvers(self, line):
        # A step decided once already (an approver was added before him) or
        # given its approver beforehand (added after) keeps its approvers.
        if line.approver_ids:
            return line.approver_ids
        return super()._approval_next_approvers(line)

    # Telling the people concerned: the counters and the people copied

    @api.model
    def _approval_notify_counters(self, users):
        """Tell ``users``, and whoever acts for them, that what they may
        approve changed: their counter reloads. Sent once per transaction,
        when it commits, however many steps changed."""
        data = self.env.cr.precommit.data
        if COUNTER_USERS not in data:
            data[COUNTER_USERS] = set()
            self.env.cr.precommit.add(self._approval_send_counters)
        data[COUNTER_USERS].update(users.ids)

    @api.model
    def _approval_send_counters(self):
        ids = self.env.cr.precommit.data.pop(COUNTER_USERS, set())
        acting = self.env["techdept.resolver"]._acting_user_ids(sorted(ids))
        # The internal users among them and whoever acts for them (archived
        # or deleted users are told nothing): the step and its to-dos read
        # them already, else one query.
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        users = Users.browse(sorted(ids | set(acting)))
        try:
            users = users.filtered(lambda user: user.active and not user.share)
        except MissingError:
            users = Users.search(
                [("id", "in", users.ids), ("active", "=", True), ("share", "=", False)]
            )
        users._bus_send(COUNTER_NOTIFICATION, {})
        return users

    def _approval_notify_copied(self, users, message):
        """Notify the people copied (not the one acting), each in his
        language: ``message(record)`` gives the text, ``record`` being
        ``self`` in that language (read what it names through it)."""
        self.ensure_one()
        users = (users - self.env.user).sudo()
        by_lang = {}
        for user in users:
            lang = user_lang(user)
            by_lang[lang] = by_lang.get(lang, self.env["res.users"]) | user
        for lang, group in by_lang.items():
            record = self.with_context(lang=lang)
            record.sudo().message_notify(
                partner_ids=group.partner_id.ids,
                body=message(record),
                subject=record.env._(
                    "Copied to you: %(record)s", record=record.display_name
                ),
                author_id=self.env.user.partner_id.id,
            )

    @api.model
    def _approval_open_many(self, openings):
        result = super()._approval_open_many(openings)
        self._approval_notify_counters(
            self.env["res.users"].union(*(approvers for _r, _l, approvers in openings))
        )
        lines = self.env["techdept.approval.line"].union(
            *(line for _r, line, _a in openings)
        )
        if not any(lines.sudo().mapped("has_copies")):
            return result
        for record, line, approvers in openings:
            line = line.sudo()
            record._approval_notify_copied(
                line.cc_user_ids,
                lambda rec, line=line, approvers=approvers: rec.env._(
                    "Step %(step)s of %(record)s is open for review by %(approvers)s.",
                    step=line.with_context(lang=rec.env.lang).step_name,
                    record=rec.display_name,
                    approvers=join_names(rec.env, approvers.mapped("name")),
                ),
            )
        return result

    def _approval_decide(self, decision, comment):
        line = self._approval_pending_line()
        # The step's approvers, archived or not (their counters are sent to
        # the active ones), read with the others below.
        approvers = line.with_context(active_test=False).approver_ids
        # Before the decision sends anything on the bus: the counters then
        # leave in the same insert as the rest.
        self._approval_notify_counters(approvers)
        self._approval_read_people(self.env.user | line.submitted_by_id | approvers)
        result = super()._approval_decide(decision, comment)
        if line.state in ("approved", "rejected") and line.has_copies:
            self._approval_notify_copied(
                line.cc_user_ids,
                lambda record: record.env._(
                    "Step %(step)s of %(record)s: %(state)s by %(user)s.",
                    step=line.with_context(lang=record.env.lang).step_name,
                    record=record.display_name,
                    state=dict(
                        line._fields["state"]._description_selection(record.env)
                    )[line.state],
                    user=self.env.user.name,
                ),
            )
        if self.approval_state in ("approved", "rejected") and line.has_copies:
            self._approval_notify_review_end(line)
        return result

    def _approval_notify_review_end(self, line):
        self._approval_notify_copied(
            line.chain_cc_user_ids,
            lambda record: record.env._(
                "The review of %(record)s has ended: %(state)s.",
                record=record.display_name,
                state=dict(
                    record._fields["approval_state"]._description_selection(record.env)
                )[record.approval_state],
            ),
        )

    def action_approval_submit(self):
        result = super().action_approval_submit()
        # The chains were read to submit: no query when none copies anyone.
        if not any(self.sudo().approval_chain_id.mapped("has_copies")):
            return result
        lines = self.sudo().approval_line_ids  # read for all the records at once
        if not lines.sudo().chain_cc_user_ids:
            return result
        for record in self:
            lines = record._approval_round_lines()
            record._approval_notify_copied(
                lines[:1].chain_cc_user_ids,
                lambda rec, lines=lines: rec.env._(
                    "%(user)s submitted %(record)s for review: %(steps)s.",
                    user=self.env.user.name,
                    record=rec.display_name,
                    steps=" → ".join(
                        lines.with_context(lang=rec.env.lang)
                        .filtered(lambda ln: ln.state != "skipped")
                        .mapped("step_name")
                    ),
                ),
            )
        return result

    def action_approval_cancel(self):
        pending = {record: record._approval_pending_line() for record in self}
        result = super().action_approval_cancel()
        self._approval_notify_counters(
            self.env["res.users"].union(
                *(line.approver_ids for line in pending.values())
            )
        )
        for record, line in pending.items():
            record._approval_notify_copied(
                line.cc_user_ids,
                lambda rec, line=line: rec.env._(
                    "Step %(step)s of %(record)s: the review was withdrawn.",
                    step=line.with_context(lang=rec.env.lang).step_name,
                    record=rec.display_name,
                ),
            )
            record._approval_notify_review_end(line)
        return result

    # Decisions on many records at once

    def action_approval_bulk_approve(self):
        """Approve the selected records, each checked like a single approval;
        those the user may not approve are named with the reason."""
        self.check_access("read")
        done, skipped = self._approval_bulk("approve")
        return self._approval_bulk_report("approve", done, skipped)

    def action_approval_bulk_reject(self):
        """Ask for one comment to reject the selected records."""
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "techdept.approval.bulk.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": str(self.ids),
            },
        }

    def _approval_bulk(self, action, comment=None):
        """Approve or reject each record of ``self`` on its own: (number
        decided, [(name, reason)] of those refused, left as they were)."""
        done, skipped = 0, []
        for record in self:
            try:
                with self.env.cr.savepoint():
                    if action == "approve":
                        record.action_approval_approve(comment)
                    else:
                        record._approval_reject(comment)
            except UserError as error:
                skipped.append((record.display_name, error.args[0]))
            else:
                done += 1
        return done, skipped

    @api.model
    def _approval_bulk_report(self, action, done, skipped):
        """A notification saying how many were decided and which were not,
        and why; the list reloads."""
        if action == "approve":
            message = self.env._("%(count)s approved.", count=done)
            refused = self.env._("Not approved:")
        else:
            message = self.env._("%(count)s rejected.", count=done)
            refused = self.env._("Not rejected:")
        if skipped:
            message = "\n".join(
                [message, refused]
                + [
                    self.env._("%(record)s: %(reason)s", record=name, reason=reason)
                    for name, reason in skipped
                ]
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Approvals"),
                "message": message,
                "type": "warning" if skipped else "success",
                "sticky": bool(skipped),
                "className": "o_techdept_approval_report",
                "next": {
                    "type": "ir.actions.client",
                    "tag": "techdept_approval_changed",
                    "params": {
                        "next": {"type": "ir.actions.client", "tag": "soft_reload"}
                    },
                },
            },
        }

    # Forwarding a step and adding an approver

    def _approval_check_collaborate(self, action):
        """The step the current user may forward or add an approver to,
        with a clear error otherwise."""
        self.ensure_one()
        self._approval_check("approve")
        line = self._approval_pending_line()
        chain = line.chain_id
        if action == "forward" and chain.forward_policy == "none":
            raise ApprovalRefusal(
                self.env._(
                    "Chain %(chain)s does not let a step be forwarded.",
                    chain=chain.name,
                )
            )
        if action == "add":
            if not chain.allow_add_approver:
                raise ApprovalRefusal(
                    self.env._(
                        "Chain %(chain)s does not let approvers add one.",
                        chain=chain.name,
                    )
                )
            if line.added_from_line_id or line.added_line_ids:
                raise ApprovalRefusal(
                    self.env._(
                        "Step %(step)s already has an added approver: one per step.",
                        step=line.step_name,
                    )
                )
        return line

    def action_approval_forward(self):
        """Open the wizard that hands the current user's step to a colleague."""
        line = self._approval_check_collaborate("forward")
        return self._approval_collab_wizard(
            "techdept.approval.forward.wizard", self.env._("Forward"), line
        )

    def action_approval_add_approver(self):
        """Open the wizard that adds one more approver to the step."""
        line = self._approval_check_collaborate("add")
        return self._approval_collab_wizard(
            "techdept.approval.add.wizard", self.env._("Add Approver"), line
        )

    def _approval_collab_wizard(self, model, title, line):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": line.id},
        }

    def _approval_forward(self, user, reason):
        """Hand the current user's place on the step under review to
        ``user`` (as the chain allows), saying why; audited."""
        self.ensure_one()
        if not (reason or "").strip():
            raise ApprovalRefusal(
                self.env._("Say why you forward it: a reason is required.")
            )
        line = self._approval_check_collaborate("forward")
        me = self.env.user
        holder = line._approval_holder_for(me)
        if user not in line._approval_forward_candidates(holder):
            policy = dict(
                line.chain_id._fields["forward_policy"]._description_selection(self.env)
            )[line.chain_id.forward_policy]
            raise ApprovalRefusal(
                self.env._(
                    "%(user)s cannot take step %(step)s of %(record)s: chain "
                    "%(chain)s forwards only within: %(policy)s, to someone not "
                    "reviewing it already.",
                    user=user.name,
                    step=line.step_name,
                    record=self.display_name,
                    chain=line.chain_id.name,
                    policy=policy,
                )
            )
        behalf = holder if holder != me else self.env["res.users"]
        line.write({"approver_ids": [Command.unlink(holder.id), Command.link(user.id)]})
        self._approval_remove_todos(line, holder)
        self._approval_give_todos(line, user)
        self.env["techdept.approval.decision"].sudo().create(
            {
                "line_id": line.id,
                "user_id": me.id,
                "on_behalf_of_id": behalf.id,
                "decision": "forwarded",
                "target_user_id": user.id,
                "comment": reason,
                "seen": self._approval_seen(),
            }
        )
        self._techdept_post(
            lambda env: env._(
                "%(who)s forwarded %(step)s to %(user)s: %(reason)s",
                who=me.name,
                step=line.with_context(lang=env.lang).step_name,
                user=user.name,
                reason=reason,
            ),
            partner_ids=user.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        self._approval_notify_counters(holder | user)
        return True

    def _approval_add_approver(self, user, position, reason, comment=None):
        """Add ``user`` to the step under review (加签): ``before`` the
        current user's decision (the step comes back to its approvers once
        he approved) or ``after`` it (the current user approves now and the
        added approver decides next). Once per step, where the chain allows."""
        self.ensure_one()
        if not (reason or "").strip():
            raise ApprovalRefusal(
                self.env._("Say why you add an approver: a reason is required.")
            )
        if position not in ("before", "after"):
            raise ApprovalRefusal(
                self.env._("Say whether he decides before or after you.")
            )
        line = self._approval_check_collaborate("add")
        me = self.env.user
        holder = line._approval_holder_for(me)
        if not line._approval_may_add(user, holder):
            raise ApprovalRefusal(
                self.env._(
                    "%(user)s cannot be added to step %(step)s: choose an active "
                    "colleague who does not review it already (nor its submitter).",
                    user=user.name,
                    step=line.step_name,
                )
            )
        if position == "before" and line.approved_user_ids:
            raise ApprovalRefusal(
                self.env._(
                    "Step %(step)s is approved by some of its approvers already: "
                    "add him after your decision.",
                    step=line.step_name,
                )
            )
        added = (
            self.env["techdept.approval.line"]
            .sudo()
            .create(
                {
                    "res_model": self._name,
                    "res_id": self.id,
                    "chain_id": line.chain_id.id,
                    "step_id": line.step_id.id,
                    # Named after its step when read (see _compute_step_name).
                    "step_label": line.step_label,
                    "sequence": line.sequence,
                    "round": line.round,
                    "approval_mode": "any",
                    "submitted_by_id": line.submitted_by_id.id,
                    "allow_self_approval": line.allow_self_approval,
                    "company_id": line.company_id.id,
                    "added_from_line_id": line.id,
                    "added_by_id": me.id,
                    "added_position": position,
                    "added_reason": reason,
                    "cc_user_ids": [Command.set(line.cc_user_ids.ids)],
                    "chain_cc_user_ids": [Command.set(line.chain_cc_user_ids.ids)],
                    "approver_ids": (
                        [Command.set(user.ids)] if position == "after" else []
                    ),
                }
            )
        )
        self.invalidate_recordset(["approval_line_ids"])
        ordered = [ln for ln in self._approval_round_lines() if ln != added]
        at = ordered.index(line) + (1 if position == "after" else 0)
        ordered.insert(at, added)
        for index, each in enumerate(ordered):
            if each.sequence != (index + 1) * 10:
                each.sequence = (index + 1) * 10
        behalf = holder if holder != me else self.env["res.users"]
        self.env["techdept.approval.decision"].sudo().create(
            {
                "line_id": line.id,
                "user_id": me.id,
                "on_behalf_of_id": behalf.id,
                "decision": "added",
                "target_user_id": user.id,
                "comment": reason,
                "seen": self._approval_seen(),
            }
        )
        self._techdept_post(
            lambda env: (
                env._(
                    "%(who)s added %(user)s to %(step)s, to decide before him: "
                    "%(reason)s",
                    who=me.name,
                    user=user.name,
                    step=line.with_context(lang=env.lang).step_name,
                    reason=reason,
                )
                if position == "before"
                else env._(
                    "%(who)s added %(user)s to %(step)s, to decide after him: "
                    "%(reason)s",
                    who=me.name,
                    user=user.name,
                    step=line.with_context(lang=env.lang).step_name,
                    reason=reason,
                )
            ),
            partner_ids=user.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        if position == "after":
            return self.action_approval_approve(comment)
        self._approval_close_activities(line)
        line.write({"state": "waiting"})
        self._approval_notify_counters(line.approver_ids)
        self._approval_open(added, user)
        return True

    def _approval_remove_todos(self, line, holder):
        """Remove the to-do of ``holder`` on ``line`` (with his deputy, if
        a delegation moved it)."""
        self.env["mail.activity"].sudo().search(
            [("techdept_approval_line_id", "=", line.id)]
        ).filtered(
            lambda a: (
                (a.techdept_delegation_id.employee_id.user_id or a.user_id) == holder
            )
        ).unlink()

    def _approval_give_todos(self, line, users):
        deadline = line.deadline or fields.Date.context_today(self)
        self._approval_give_todos_many([(self, line, user, deadline) for user in users])

    # The submitter's reminder (催办)

    def action_approval_remind(self):
        """Remind the approvers of the step under review, at most once per
        the chain's interval; only the submitter may."""
        for record in self:
            record._approval_remind()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Reminder sent"),
                "message": self.env._("The approvers were reminded."),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _approval_remind(self):
        self.ensure_one()
        if self.approval_state != "pending":
            raise ApprovalRefusal(
                self.env._(
                    "%(record)s is not in review: there is nobody to remind.",
                    record=self.display_name,
                )
            )
        if self.approval_submitted_by_id != self.env.user:
            raise ApprovalRefusal(
                self.env._(
                    "Only %(user)s, who submitted %(record)s, may remind its "
                    "approvers.",
                    user=self.approval_submitted_by_id.name,
                    record=self.display_name,
                )
            )
        line = self._approval_pending_line()
        hours = line.chain_id._approval_reminder_hours()
        now = fields.Datetime.now()
        if (
            line.date_last_reminder
            and line.date_last_reminder + timedelta(hours=hours) > now
        ):
            raise ApprovalRefusal(
                self.env._(
                    "The approvers of %(step)s were reminded on %(date)s: remind "
                    "them again after %(next)s (once every %(hours)s hours).",
                    step=line.step_name,
                    date=fields.Datetime.context_timestamp(
                        self, line.date_last_reminder
                    ).strftime("%Y-%m-%d %H:%M"),
                    next=fields.Datetime.context_timestamp(
                        self, line.date_last_reminder + timedelta(hours=hours)
                    ).strftime("%Y-%m-%d %H:%M"),
                    hours=hours,
                )
            )
        waiting = (
            line.approver_ids - line.approved_user_ids
            if line.approval_mode == "all"
            else line.approver_ids
        )
        recipients = waiting
        employees = waiting.employee_id
        if employees:
            acting = self.env["techdept.resolver"]._acting_for(employees)
            recipients |= self.env["hr.employee"].union(*acting.values()).user_id
        line.write(
            {"reminder_count": line.reminder_count + 1, "date_last_reminder": now}
        )
        opened = (
            fields.Datetime.context_timestamp(self, line.date_open).strftime(
                "%Y-%m-%d %H:%M"
            )
            if line.date_open
            else ""
        )
        self._techdept_post(
            lambda env: env._(
                "%(user)s reminds %(approvers)s: %(step)s has been waiting for "
                "review since %(date)s.",
                user=self.env.user.name,
                approvers=join_names(env, waiting.mapped("name")),
                step=line.with_context(lang=env.lang).step_name,
                date=opened,
            ),
            partner_ids=recipients.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        return True

    # The people copied read the record, whatever the model's record rules
    # say (they still need its access rights): in searches, and when a
    # record is checked, with one more query only when a rule forbids it.

    @api.model
    def _approval_copied_domain(self):
        """Records on one of whose steps the current user is copied."""
        uid = self.env.uid
        return [
            "|",
            ("approval_line_ids.cc_user_ids", "in", [uid]),
            ("approval_line_ids.chain_cc_user_ids", "in", [uid]),
        ]

    def _apply_ir_rules(self, query, mode="read"):
        if mode != "read" or self.env.su:
            return super()._apply_ir_rules(query, mode)
        domain = self.env["ir.rule"]._compute_domain(self._name, mode)
        if domain:
            expression.expression(
                expression.OR([domain, self._approval_copied_domain()]),
                self.sudo(),
                self._table,
                query,
            )
        return None

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if not result or operation != "read" or self.env.su:
            return result
        forbidden, make_error = result
        if not self.env["ir.model.access"].check(
            self._name, "read", raise_exception=False
        ):
            return result
        rest = forbidden - forbidden._approval_copied_to_me()
        return (rest, make_error) if rest else None

    def _approval_copied_to_me(self):
        """The records of ``self`` on which the current user is copied."""
        if not self._ids:
            return self.browse()
        uid = self.env.uid
        lines = (
            self.env["techdept.approval.line"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    "|",
                    ("cc_user_ids", "in", [uid]),
                    ("chain_cc_user_ids", "in", [uid]),
                ],
                ["res_id"],
            )
        )
        ids = set(lines.mapped("res_id"))
        return self.filtered(lambda record: record.id in ids)


class TechdeptDocument(models.Model):
    _inherit = "techdept.document"

    @api.model
    def _techdept_access_domain(self, operation="read", res_ids=None):
        domain = super()._techdept_access_domain(operation, res_ids=res_ids)
        if operation != "read":
            return domain
        # As a subquery of the server's: the steps' own access domain reads
        # the documents.
        copied = self._techdept_line_res_ids(
            ["cc_user_ids", "chain_cc_user_ids"], [self.env.uid], res_ids
        )
        return expression.OR([domain, [("id", "in", copied)]])
