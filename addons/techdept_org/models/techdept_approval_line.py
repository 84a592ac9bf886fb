from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from ..exceptions import ApprovalRefusal
from .techdept_guard import join_names


class TechdeptApprovalLine(models.Model):
    """One step of one approval round of one record.

    The approvers are resolved when the step opens. A deputy acting for an
    absent approver may decide in his place; the decision says so."""

    _name = "techdept.approval.line"
    _description = "Approval"
    _order = "res_model, res_id, round desc, sequence, id"
    _rec_name = "step_name"

    res_model = fields.Char(string="Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record",
        model_field="res_model",
        required=True,
        index=True,
        readonly=True,
    )
    res_name = fields.Char(string="Document", compute="_compute_res_name")
    chain_id = fields.Many2one(
        "techdept.approval.chain", required=True, readonly=True, ondelete="restrict"
    )
    step_id = fields.Many2one(
        "techdept.approval.step",
        string="Configured Step",
        readonly=True,
        ondelete="set null",
    )
    # Shown in the reader's language from the configured step; the name it
    # had at submission stands in once the step is deleted.
    step_name = fields.Char(
        string="Step",
        compute="_compute_step_name",
        inverse="_inverse_step_name",
        search="_search_step_name",
    )
    step_label = fields.Char(
        string="Step at Submission",
        readonly=True,
        help="The step's name when the record was submitted.",
    )
    sequence = fields.Integer(readonly=True)
    round = fields.Integer(
        default=1, readonly=True, help="Each resubmission starts a new round."
    )
    approval_mode = fields.Selection(
        [("any", "One of them"), ("all", "All of them")],
        required=True,
        default="any",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting"),
            ("pending", "To Review"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="waiting",
        required=True,
        readonly=True,
        index=True,
    )
    approver_ids = fields.Many2many(
        "res.users",
        "techdept_approval_line_approver_rel",
        "line_id",
        "user_id",
        string="Approvers",
        readonly=True,
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, index=True)
    allow_self_approval = fields.Boolean(readonly=True)
    decision_ids = fields.One2many(
        "techdept.approval.decision", "line_id", readonly=True
    )
    approved_user_ids = fields.Many2many(
        "res.users",
        "techdept_approval_line_approved_rel",
        "line_id",
        "user_id",
        string="Approved For",
        readonly=True,
        help="For a step that needs all of its approvers: those whose approval "
        "is given, by themselves or by their deputy. A step that needs one of "
        "them is decided by one approval, kept as its decision.",
    )
    date_open = fields.Datetime(string="Opened", readonly=True)
    date_done = fields.Datetime(string="Decided", readonly=True)
    deadline = fields.Date(readonly=True, index=True)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    acted_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    on_behalf_of_id = fields.Many2one("res.users", readonly=True)
    comment = fields.Text(readonly=True)
    can_review = fields.Boolean(
        compute="_compute_can_review",
        search="_search_can_review",
        help="The current user may approve or reject this step now, for himself "
        "or on behalf of an absent approver.",
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, default=lambda self: self.env.company
    )

    @api.depends("step_id.name", "step_label")
    @api.depends_context("lang")
    def _compute_step_name(self):
        for line in self:
            line.step_name = line.step_id.name or line.step_label

    @api.depends("step_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.step_name

    def _inverse_step_name(self):
        for line in self:
            line.step_label = line.step_name

    def _search_step_name(self, operator, value):
        return [
            "|",
            ("step_id.name", operator, value),
            "&",
            ("step_id", "=", False),
            ("step_label", operator, value),
        ]

    def _approval_todo_summary(self):
        """The summary of an approver's to-do, in the environment's language
        (his own: see techdept.approval.mixin._approval_open)."""
        self.ensure_one()
        return self.env._("Review: %(step)s", step=self.step_name)

    def _approval_todo_users(self, approvers):
        """Who among ``approvers`` gets a to-do when this step opens: each
        approver the step names (a role's or position's holder, a
        supervisor, a named user, the record's person), none when the step
        is open to a security group: its members find it in My Approvals
        and the counter, not one to-do each on every record."""
        self.ensure_one()
        step = self.sudo().step_id
        if step.approver_type == "group" and not self.sudo().added_from_line_id:
            return approvers.browse()
        return approvers

    def _compute_res_name(self):
        by_model = {}
        for line in self:
            by_model.setdefault(line.res_model, set()).add(line.res_id)
        names = {}
        for model, ids in by_model.items():
            if model in self.env:
                for record in self.env[model].sudo().browse(ids).exists():
                    names[model, record.id] = record.display_name
        for line in self:
            line.res_name = names.get((line.res_model, line.res_id), "")

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.is_overdue = (
                line.state == "pending"
                and bool(line.deadline)
                and line.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        today = fields.Date.context_today(self)
        domain = [("state", "=", "pending"), ("deadline", "<", today)]
        if (operator == "=") != value:
            return ["!", "&", *domain]
        return domain

    @api.depends_context("uid")
    @api.depends("state", "approver_ids", "approved_user_ids", "submitted_by_id")
    def _compute_can_review(self):
        # Only "all" steps count approvals: for "any" steps alone, they are
        # not read.
        every = "all" in self.mapped("approval_mode")
        reviewable = self.filtered_domain(self._can_review_domain(every=every))
        for line in self:
            line.can_review = line in reviewable

    def _search_can_review(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Can Review."))
        domain = self._can_review_domain()
        if (operator == "=") != value:
            return [("id", "not in", self._search(domain))]
        return domain

    def _acting_for_users(self):
        """The current user and the users he acts for today: one query for
        the day's absences, once per transaction."""
        user = self.env.user
        represented = self.env["techdept.resolver"]._represented_user_ids(user.id)
        return user | user.browse(represented)

    def _can_review_domain(self, every=True):
        """Pending steps with an approver the current user is or acts for,
        whose approval is still missing, not submitted by him unless allowed.
        A constant number of queries, whatever the number of lines. Without
        ``every``, for "any" steps only: the part about the approvals an
        "all" step has counted is left out."""
        users = self._acting_for_users()
        uid = self.env.uid
        counted = [
            "|",
            ("approval_mode", "=", "any"),
            ("approved_user_ids", "not in", users.ids),
        ]
        return [
            ("state", "=", "pending"),
            ("approver_ids", "in", users.ids),
            *(counted if every else []),
            "|",
            ("allow_self_approval", "=", True),
            ("submitted_by_id", "!=", uid),
        ]

    def _approval_holder_for(self, user):
        """The approver of this line that ``user`` decides for: himself if he
        is one, else the first absent approver he acts for."""
        self.ensure_one()
        pending = (
            self.approver_ids - self.approved_user_ids
            if self.approval_mode == "all"
            else self.approver_ids
        )
        if user in pending:
            return user
        represented = user.browse(
            self.env["techdept.resolver"]._represented_user_ids(user.id)
        )
        return (pending & represented)[:1]

    def _approval_step_done(self, decider):
        """Whether the approval of ``decider`` (an approver, or the absent
        approver he acts for) completes this step."""
        self.ensure_one()
        return self.approval_mode == "any" or not (
            self.approver_ids - self.approved_user_ids - decider
        )

    # Access: a step, its comment and its decisions are for whoever may read
    # the record it concerns, for its approvers (and whoever acts for them)
    # and for the technical director. A record rule on res_model/res_id
    # cannot say this; the domain below is built from subqueries instead, so
    # a search stays one query.

    @api.model
    def _techdept_sees_all(self):
        return self.env.su or self.env.user.has_group("techdept_org.group_director")

    @api.model
    def _techdept_approvable_models(self):
        return [
            name
            for name in self.pool.descendants(["techdept.approval.mixin"], "_inherit")
            if not self.pool[name]._abstract and not self.pool[name]._transient
        ]

    @api.model
    def _techdept_access_domain(self):
        """Lines the current user may read."""
        parts = [[("approver_ids", "in", self._acting_for_users().ids)]]
        for model in self._techdept_approvable_models():
            Model = self.env[model]
            if not Model.has_access("read"):
                continue
            query = Model.with_context(active_test=False)._search([])
            parts.append([("res_model", "=", model), ("res_id", "in", query)])
        return expression.OR(parts)

    @api.model
    def _techdept_implies_reviewer(self, domain):
        """Whether ``domain`` keeps only steps the user may review now (My
        Approvals): those are his to read, no need to add the access domain."""
        domain = expression.normalize_domain(domain)
        if any(token in ("|", "!") for token in domain):
            return False
        return ("can_review", "=", True) in [
            tuple(leaf) if isinstance(leaf, (list, tuple)) else leaf for leaf in domain
        ]

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self._techdept_sees_all() and not self._techdept_implies_reviewer(
            domain
        ):
            domain = expression.AND([domain, self._techdept_access_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self._techdept_sees_all() or not self._ids:
            return result
        allowed = self.sudo().search(
            expression.AND([[("id", "in", self.ids)], self._techdept_access_domain()])
        )
        forbidden = self - allowed.with_env(self.env)
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._(
                    "You may not read the approval steps of records you cannot "
                    "read: %(steps)s.",
                    steps=join_names(self.env, forbidden.sudo().mapped("step_name")),
                )
            )
        return None

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_approve(self):
        records = [line._record() for line in self]
        self._approval_check_open()
        for record in records:
            record.action_approval_approve()
        return True

    def action_reject(self):
        self.ensure_one()
        record = self._record()
        self._approval_check_open()
        return record.action_approval_reject()

    def _approval_check_open(self):
        """A step decided meanwhile (by a colleague of an "any" step, in
        another window) is not decided again: the decision on the record
        would fall on its next step."""
        for line in self:
            if line.state == "pending":
                continue
            if line.state in ("approved", "rejected"):
                decider = line.sudo().acted_by_id
                raise ApprovalRefusal(
                    self.env._(
                        "Step %(step)s of %(record)s was already decided by %(user)s.",
                        step=line.step_name,
                        record=line.res_name,
                        user=decider.name or self.env._("someone else"),
                    )
                )
            raise ApprovalRefusal(
                self.env._(
                    "Step %(step)s of %(record)s is not open for review.",
                    step=line.step_name,
                    record=line.res_name,
                )
            )

    def _record(self):
        self.ensure_one()
        if self.res_model not in self._techdept_approvable_models():
            raise UserError(
                self.env._("This approval step belongs to no record to review.")
            )
        return self.env[self.res_model].browse(self.res_id)


class TechdeptApprovalDecision(models.Model):
    """What one person decided on one step: the audit trail."""

    _name = "techdept.approval.decision"
    _description = "Approval Decision"
    _order = "date, id"

    line_id = fields.Many2one(
        "techdept.approval.line", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", string="Decided By", required=True)
    on_behalf_of_id = fields.Many2one(
        "res.users",
        help="The absent approver the deputy acted for.",
    )
    decision = fields.Selection(
        [("approved", "Approved"), ("rejected", "Rejected"), ("reopened", "Reopened")],
        required=True,
    )
    comment = fields.Text()
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    seen = fields.Char(
        string="Reviewed Version",
        help="What the approver had in front of him: the record's name and "
        "last change.",
    )

    # Access: a decision follows its step (see techdept.approval.line).

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        Line = self.env["techdept.approval.line"]
        if not Line._techdept_sees_all():
            lines = Line.with_context(active_test=False)._search([])
            domain = expression.AND([domain, [("line_id", "in", lines)]])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        Line = self.env["techdept.approval.line"]
        if result or Line._techdept_sees_all() or not self._ids:
            return result
        lines = self.sudo().line_id
        visible = lines.with_env(self.env)._filtered_access("read")
        forbidden = self.filtered(lambda d: d.sudo().line_id not in visible.sudo())
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._("You may not read decisions on records you cannot read.")
            )
        return None
