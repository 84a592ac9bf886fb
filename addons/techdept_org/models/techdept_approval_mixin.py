from collections import defaultdict

from lxml import etree
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..exceptions import ApprovalRefusal, ApprovalUnassigned, FrozenRecord
from .techdept_guard import (
    as_server,
    client_id,
    has_server_token,
    join_names,
    prefetchable_names,
)
from .techdept_lang import in_company_lang, user_lang

# Fields the engine writes itself, only in its transitions: no client writes
# them, and they are never locked.
_ENGINE_FIELDS = {
    "approval_state",
    "approval_chain_id",
    "approval_round",
    "approval_submitted_by_id",
    "approval_submitted_date",
    "approval_line_ids",
}
# States in which a record and its parts are frozen.
FROZEN_STATES = ("pending", "approved")


class TechdeptApprovalMixin(models.AbstractModel):
    """Makes a model approvable through a chain of steps.

    A consumer inherits this mixin (and mail.thread), then may:

    - name its chain: ``_approval_chain_code = "presales_review"``; otherwise
      override ``_approval_get_chain()``; by default the first active chain
      configured for the model is used;
    - list the fields the approval covers: ``_approval_locked_fields``
      (default: every stored field but the engine's and mail's);
    - react: ``_on_approval_submitted()``, ``_on_approval_done()``,
      ``_on_approval_rejected()``, ``_on_approval_withdrawn()``,
      ``_on_approval_reopened()``; refuse a
      submission: ``_approval_check_submit()``, a reopening:
      ``_approval_check_reopen()``.

    Every transition goes through ``_approval_check()``, which raises a clear
    error naming who may act. The engine's fields change only inside its
    transitions (no client writes or creates them, whatever the context);
    a record in review or approved is frozen, and so are its parts (see
    ``techdept.approval.child.mixin``); the one way back from an approval is
    ``action_approval_reopen()``, with a written reason.
    """

    _name = "techdept.approval.mixin"
    _inherit = ["techdept.guard.mixin"]
    _description = "Approvable Record"

    _approval_chain_code = None
    _approval_locked_fields = None

    approval_state = fields.Selection(
        [
            ("draft", "Not Submitted"),
            ("pending", "In Review"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Withdrawn"),
        ],
        string="Approval",
        default="draft",
        required=True,
        copy=False,
        readonly=True,
        index=True,
        # Not tracked: every transition posts its own message, which says
        # who did what, and a tracking note would repeat it.
    )
    approval_chain_id = fields.Many2one(
        "techdept.approval.chain", copy=False, readonly=True
    )
    approval_round = fields.Integer(copy=False, readonly=True)
    approval_submitted_by_id = fields.Many2one(
        "res.users", string="Submitted By", copy=False, readonly=True
    )
    approval_submitted_date = fields.Datetime(
        string="Submitted On", copy=False, readonly=True
    )
    approval_date_done = fields.Datetime(
        string="Approved On",
        compute="_compute_approval_date_done",
        store=True,
        precompute=True,
        copy=False,
        help="When the last step of the current round was approved.",
    )
    approval_line_ids = fields.One2many(
        "techdept.approval.line",
        "res_id",
        string="Approvals",
        domain=lambda self: [("res_model", "=", self._name)],
        copy=False,
        readonly=True,
    )
    approval_current_step = fields.Char(
        string="Current Step", compute="_compute_approval_current"
    )
    approval_current_user_ids = fields.Many2many(
        "res.users", string="Current Approvers", compute="_compute_approval_current"
    )
    approval_required = fields.Boolean(
        compute="_compute_approval_required",
        help="The record goes through a review chain.",
    )
    can_approve = fields.Boolean(
        compute="_compute_can_approve",
        search="_search_can_approve",
        help="The current user may approve or reject the record's current step.",
    )
    can_reopen = fields.Boolean(
        compute="_compute_can_reopen",
        help="The current user may reopen the approved record.",
    )
    can_submit = fields.Boolean(
        compute="_compute_can_submit",
        help="The current user may submit the record for review (again).",
    )
    can_withdraw = fields.Boolean(
        compute="_compute_can_withdraw",
        help="The current user may withdraw the record from review: its "
        "submitter or the technical director.",
    )

    @api.depends(
        "approval_line_ids.state",
        "approval_line_ids.approver_ids",
        "approval_line_ids.approved_user_ids",
    )
    @api.depends_context("lang")
    def _compute_approval_current(self):
        for record in self:
            current = record.approval_line_ids.filtered(
                lambda line: line.state == "pending"
            )
            record.approval_current_step = join_names(
                self.env, current.mapped("step_name")
            )
            record.approval_current_user_ids = (
                current.approver_ids - current.approved_user_ids
            )

    @api.depends("approval_state", "approval_round", "approval_line_ids.date_done")
    def _compute_approval_date_done(self):
        for record in self:
            if record.approval_state != "approved":
                record.approval_date_done = False
                continue
            lines = record.sudo().approval_line_ids.filtered(
                lambda line, r=record: (
                    line.round == r.approval_round and line.state == "approved"
                )
            )
            dates = [date for date in lines.mapped("date_done") if date]
            record.approval_date_done = max(dates) if dates else False

    def _compute_approval_required(self):
        for record in self:
            record.approval_required = bool(record._approval_get_chain())

    @api.depends_context("uid")
    @api.depends(
        "approval_state",
        "approval_line_ids.state",
        "approval_line_ids.approver_ids",
        "approval_line_ids.approved_user_ids",
    )
    def _compute_can_approve(self):
        Line = self.env["techdept.approval.line"]
        lines = Line.sudo().search_fetch(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
            + Line._can_review_domain(),
            ["res_id"],
        )
        reviewable = set(lines.mapped("res_id"))
        for record in self:
            record.can_approve = record.id in reviewable

    @api.depends_context("uid")
    @api.depends("approval_state", "approval_chain_id")
    def _compute_can_reopen(self):
        for record in self:
            record.can_reopen = (
                record.approval_state == "approved" and record._approval_may_reopen()
            )

    @api.depends_context("uid")
    @api.depends("approval_state")
    def _compute_can_submit(self):
        ready = self.filtered(
            lambda r: r.approval_state in ("draft", "rejected", "cancelled")
        )
        allowed = ready._approval_submittable() if ready else ready
        for record in self:
            record.can_submit = record in allowed and record.approval_required

    def _approval_submittable(self):
        """The records of ``self`` the current user may submit: those he may
        change. Consumers narrow it (e.g. only the appraiser, once scored)."""
        return self._filtered_access("write")

    @api.depends_context("uid")
    @api.depends("approval_state", "approval_submitted_by_id")
    def _compute_can_withdraw(self):
        user = self.env.user
        director = user.has_group("techdept_org.group_director")
        for record in self:
            record.can_withdraw = record.approval_state == "pending" and (
                director or record.approval_submitted_by_id == user
            )

    def _search_can_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Can Approve."))
        Line = self.env["techdept.approval.line"].sudo()
        lines = Line._search(
            [("res_model", "=", self._name)] + Line._can_review_domain()
        )
        ids = lines.subselect("res_id")
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    # Form view: the approval buttons, status and history come with the mixin

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            self._approval_inject_form(arch)
        return arch, view

    @api.model
    def _approval_inject_form(self, arch):
        form = arch if arch.tag == "form" else arch.find(".//form")
        if form is None or form.find(".//field[@name='approval_line_ids']") is not None:
            return
        label = {
            "submit": escape(self.env._("Submit for Review")),
            "resubmit": escape(self.env._("Resubmit")),
            "approve": escape(self.env._("Approve")),
            "reject": escape(self.env._("Reject")),
            "withdraw": escape(self.env._("Withdraw")),
            "confirm": escape(self.env._("Withdraw this record from review?")),
            "reopen": escape(self.env._("Reopen")),
            "in_review": escape(self.env._("In review")),
            "approvals": escape(self.env._("Approvals")),
        }
        header = form.find("header")
        if header is None:
            header = etree.Element("header")
            form.insert(0, header)
        buttons = f"""
            <div>
            <button name="action_approval_submit" type="object" class="btn-primary"
                string="{label["submit"]}"
                invisible="approval_state != 'draft' or not can_submit"/>
            <button name="action_approval_submit" type="object" class="btn-primary"
                string="{label["resubmit"]}"
                invisible="approval_state not in ('rejected', 'cancelled')
                    or not can_submit"/>
            <button name="action_approval_approve" type="object" class="btn-primary"
                string="{label["approve"]}" invisible="not can_approve"/>
            <button name="action_approval_reject" type="object"
                string="{label["reject"]}" invisible="not can_approve"/>
            <button name="action_approval_cancel" type="object"
                string="{label["withdraw"]}" invisible="not can_withdraw"
                confirm="{label["confirm"]}"/>
            <button name="action_approval_reopen" type="object"
                string="{label["reopen"]}" invisible="not can_reopen"/>
            <field name="can_approve" invisible="1"/>
            <field name="can_reopen" invisible="1"/>
            <field name="can_submit" invisible="1"/>
            <field name="can_withdraw" invisible="1"/>
            <field name="approval_required" invisible="1"/>
            </div>"""
        for node in etree.fromstring(buttons):
            header.append(node)
        status = f"""
            <div class="alert alert-info mb-2" role="status"
                invisible="approval_state != 'pending'">
                <strong>{label["in_review"]}:</strong>
                <field name="approval_current_step" class="ms-1"/>
                <span class="mx-1">—</span>
                <field name="approval_current_user_ids" widget="many2many_tags"
                    class="d-inline-flex"/>
            </div>"""
        sheet = form.find("sheet")
        (sheet if sheet is not None else form).insert(0, etree.fromstring(status))
        history = f"""
            <page string="{label["approvals"]}" name="techdept_approvals"
                invisible="not approval_line_ids">
                <group>
                    <group>
                        <field name="approval_state" widget="badge"
                            decoration-success="approval_state == 'approved'"
                            decoration-danger="approval_state == 'rejected'"
                            decoration-info="approval_state == 'pending'"/>
                        <field name="approval_chain_id"/>
                    </group>
                    <group>
                        <field name="approval_submitted_by_id"/>
                        <field name="approval_submitted_date"/>
                    </group>
                </group>
                <field name="approval_line_ids" readonly="1">
                    <list decoration-muted="state in ('waiting', 'cancelled')"
                        decoration-danger="is_overdue">
                        <field name="round"/>
                        <field name="step_name"/>
                        <field name="approver_ids" widget="many2many_tags"/>
                        <field name="state" widget="badge"
                            decoration-success="state == 'approved'"
                            decoration-danger="state == 'rejected'"
                            decoration-info="state == 'pending'"/>
                        <field name="acted_by_id"/>
                        <field name="on_behalf_of_id" optional="show"/>
                        <field name="comment" optional="show"/>
                        <field name="deadline" optional="show"/>
                        <field name="date_done" optional="show"/>
                        <field name="is_overdue" column_invisible="1"/>
                    </list>
                </field>
            </page>"""
        notebook = form.find(".//notebook")
        if notebook is None:
            notebook = etree.SubElement(
                sheet if sheet is not None else form, "notebook"
            )
        notebook.append(etree.fromstring(history))

    # Configuration hooks

    def _approval_get_chain(self):
        """The chain this record goes through."""
        self.ensure_one()
        Chain = self.env["techdept.approval.chain"].sudo()
        if self._approval_chain_code:
            return Chain.search(
                [
                    ("code", "=", self._approval_chain_code),
                    ("company_id", "in", [False, *self.env.companies.ids]),
                ],
                limit=1,
            )
        return Chain.search([("model", "=", self._name)], limit=1)

    def _approval_locked_field_names(self):
        if self._approval_locked_fields is not None:
            return set(self._approval_locked_fields)
        mail_fields = set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )
        return {
            name
            for name, field in self._fields.items()
            if field.store
            and not field.compute
            and name not in _ENGINE_FIELDS
            and name not in mail_fields
            and name not in models.MAGIC_COLUMNS
        }

    @api.model
    def _techdept_server_field_names(self):
        return super()._techdept_server_field_names() | _ENGINE_FIELDS

    def _approval_steps(self, chain):
        """The steps of ``chain`` this record goes through (all by default);
        the others are kept in its history as not required."""
        self.ensure_one()
        return chain.step_ids

    def _approval_line_extra_values(self, step, steps):
        """Further values of the line of ``step`` when a round starts;
        ``steps`` are those that apply (see ``_approval_steps()``)."""
        return {}

    def _approval_next_approvers(self, line):
        """The approvers of ``line`` when the step before it is done."""
        self.ensure_one()
        return self._approval_resolve(line.step_id, line.submitted_by_id)

    def _approval_check_submit(self):
        """Raise an ApprovalRefusal when the record is not ready for review."""

    def _approval_check_reopen(self):
        """Raise an ApprovalRefusal when the approved record may not be
        reopened."""

    def _on_approval_submitted(self):
        """Called once the first step is open."""

    def _on_approval_done(self):
        """Called when the last step is approved."""

    def _on_approval_rejected(self):
        """Called when a step is rejected."""

    def _on_approval_withdrawn(self):
        """Called when the submitter (or the director) withdraws the record
        from review."""

    def _on_approval_reopened(self):
        """Called when an approved record is reopened: give it back to
        whoever must revise it."""

    # The guard

    def _approval_check(self, action):
        """Raise an ApprovalRefusal unless the current user may perform ``action``
        (submit, approve, reject, cancel, reopen) on every record of ``self``."""
        allowed_states = {
            "submit": ("draft", "rejected", "cancelled"),
            "approve": ("pending",),
            "reject": ("pending",),
            "cancel": ("pending",),
            "reopen": ("approved",),
        }[action]
        if action == "submit":
            # First: it may read the records with the check.
            self.check_access("write")
        labels = dict(self._fields["approval_state"]._description_selection(self.env))
        for record in self:
            if record.approval_state not in allowed_states:
                raise ApprovalRefusal(
                    self.env._(
                        "%(record)s is %(state)s: it cannot be %(action)s now.",
                        record=record.display_name,
                        state=labels[record.approval_state],
                        action=self._approval_action_label(action),
                    )
                )
            if action in ("approve", "reject") and not record._approval_can_decide():
                current = record.approval_current_user_ids
                if (
                    record.approval_submitted_by_id == self.env.user
                    and self.env.user in current
                ):
                    raise ApprovalRefusal(
                        self.env._(
                            "You submitted %(record)s: someone else must review "
                            "step %(step)s.",
                            record=record.display_name,
                            step=record.approval_current_step,
                        )
                    )
                raise ApprovalRefusal(
                    self.env._(
                        "Only %(users)s (or whoever acts for them) may review step "
                        "%(step)s of %(record)s.",
                        users=join_names(self.env, current.mapped("name"))
                        or self.env._("nobody"),
                        step=record.approval_current_step,
                        record=record.display_name,
                    )
                )
            if action == "cancel" and not (
                record.approval_submitted_by_id == self.env.user
                or self.env.user.has_group("techdept_org.group_director")
            ):
                raise ApprovalRefusal(
                    self.env._(
                        "Only %(user)s, who submitted %(record)s, or the technical "
                        "director may withdraw it.",
                        user=record.approval_submitted_by_id.name,
                        record=record.display_name,
                    )
                )
            if action == "reopen" and not record._approval_may_reopen():
                raise ApprovalRefusal(
                    self.env._(
                        "Only the %(role)s may reopen %(record)s.",
                        role=record._approval_reopen_role_label(),
                        record=record.display_name,
                    )
                )
        if action == "reopen":
            self._approval_check_reopen()

    def _approval_can_decide(self):
        """Whether the current user may decide the pending step now, as
        ``can_approve`` says, read from the record's steps: the decision
        reads them next."""
        self.ensure_one()
        self._approval_read_lines()
        pending = self.sudo().approval_line_ids.filtered(
            lambda line: line.state == "pending"
        )
        # Archived approvers too: filtering them would read them apart.
        every = pending.with_context(active_test=False)
        self._approval_read_people(
            self.env.user | every.submitted_by_id | every.approver_ids
        )
        return any(pending.mapped("can_review"))

    def _approval_action_label(self, action):
        return {
            "submit": self.env._("submitted"),
            "approve": self.env._("approved"),
            "reject": self.env._("rejected"),
            "cancel": self.env._("withdrawn"),
            "reopen": self.env._("reopened"),
        }[action]

    def _approval_reopen_role(self):
        self.ensure_one()
        return self.sudo().approval_chain_id.reopen_role or "director"

    def _approval_reopen_role_label(self):
        roles = dict(
            self.env["hr.job"]._fields["techdept_role"]._description_selection(self.env)
        )
        return roles[self._approval_reopen_role()]

    def _approval_may_reopen(self):
        """The holder of the chain's reopening role (the technical director
        unless the chain names another), or whoever acts for him today."""
        self.ensure_one()
        role = self._approval_reopen_role()
        user = self.env.user
        if role == "director" and user.has_group("techdept_org.group_director"):
            return True
        employee = user.employee_id
        if not employee:
            return False
        if employee.techdept_role == role:
            return True
        return employee in self.env["techdept.resolver"]._role_holders(role)

    # Actions

    def action_approval_submit(self):
        """Submit for review; after a rejection, a withdrawal or a reopening,
        a new round starts and the earlier rounds are kept. Many records at
        once are submitted together: their steps created, their first steps
        opened and their chatter written in batches."""
        self._approval_check("submit")
        self._approval_check_submit()
        Line = self.env["techdept.approval.line"].sudo()
        now = fields.Datetime.now()
        user = self.env.user
        chains = self._approval_chains()
        resolved = {}
        plans = []
        for record in self:
            chain = chains[record]
            if not chain.step_ids:
                raise ApprovalUnassigned(
                    self.env._(
                        "No approval chain with steps is configured for %(record)s.",
                        record=record.display_name,
                    )
                )
            steps = record._approval_steps(chain)
            if not steps:
                raise ApprovalUnassigned(
                    self.env._(
                        "No step of chain %(chain)s applies to %(record)s: check "
                        "the conditions of its steps.",
                        chain=chain.name,
                        record=record.display_name,
                    )
                )
            first = steps[:1]
            # The approvers of a step depend on the record only through a
            # field of it: resolved once per step for the others.
            key = (first.id, record.id if first.approver_type == "field" else None)
            if key not in resolved:
                resolved[key] = record._approval_resolve(first, user)
            plans.append((record, chain, steps, resolved[key]))
        self._approval_read_people(
            user.union(*(approvers for *_rest, approvers in plans))
        )
        lines = Line.create(
            [
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "chain_id": chain.id,
                    "step_id": step.id,
                    "step_label": step.name,
                    "sequence": step.sequence,
                    "round": record.approval_round + 1,
                    "approval_mode": step.approval_mode,
                    "submitted_by_id": user.id,
                    "allow_self_approval": chain.allow_self_approval,
                    "company_id": chain.company_id.id or self.env.company.id,
                    **record._approval_line_extra_values(step, steps),
                }
                for record, chain, steps, _approvers in plans
                for step in chain.step_ids
            ]
        )
        by_values = {}
        for record, chain, _steps, _approvers in plans:
            by_values.setdefault((chain.id, record.approval_round + 1), []).append(
                record.id
            )
        for (chain_id, round_), ids in by_values.items():
            self.browse(ids)._approval_write(
                {
                    "approval_state": "pending",
                    "approval_chain_id": chain_id,
                    "approval_round": round_,
                    "approval_submitted_by_id": user.id,
                    "approval_submitted_date": now,
                }
            )
        self._techdept_log(
            {
                record.id: (
                    lambda env, round_=record.approval_round, steps=steps: env._(
                        "Submitted for review (round %(round)s): %(steps)s.",
                        round=round_,
                        steps=" → ".join(
                            steps.with_context(lang=env.lang).mapped("name")
                        ),
                    )
                )
                for record, _chain, steps, _approvers in plans
            }
        )
        openings = []
        index = 0
        for record, chain, steps, approvers in plans:
            mine = lines[index : index + len(chain.step_ids)]
            index += len(chain.step_ids)
            openings.append(
                (
                    record,
                    mine.filtered(lambda ln, s=steps[:1]: ln.step_id == s),
                    approvers,
                )
            )
        self._approval_open_many(openings)
        self._on_approval_submitted()
        return True

    def _techdept_log(self, bodies):
        """Log a note on each record of ``bodies`` ({id: function of the
        environment, as for ``_techdept_post``}) in the company's language,
        in one batch: notes notify nobody."""
        records = in_company_lang(self.browse(list(bodies)))
        return records._message_log_batch(
            {res_id: body(records.env) for res_id, body in bodies.items()}
        )

    def _approval_chains(self):
        """{record: the chain it goes through}; one search for all when the
        model keeps the default rule (the chain depends on the model only).
        The chains are configuration, read as the server: their steps are
        then read once with every field the review needs."""
        default = TechdeptApprovalMixin._approval_get_chain
        if len(self) > 1 and type(self)._approval_get_chain is default:
            chain = self[:1]._approval_get_chain().sudo()
            return dict.fromkeys(self, chain)
        return {record: record._approval_get_chain().sudo() for record in self}

    def action_approval_approve(self, comment=None):
        if comment and not isinstance(comment, str):
            raise ValidationError(self.env._("A review comment is a text."))
        self._approval_check("approve")
        for record in self:
            record._approval_decide("approved", comment)
        return True

    def action_approval_reject(self):
        """Open the wizard that asks for the reason."""
        self._approval_check("reject")
        return self._approval_comment_wizard("reject", self.env._("Reject"))

    def action_approval_reopen(self):
        """Open the wizard that asks why the approved record is reopened."""
        self._approval_check("reopen")
        return self._approval_comment_wizard("reopen", self.env._("Reopen"))

    def _approval_comment_wizard(self, action, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "techdept.approval.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": str(self.ids),
                "default_action": action,
            },
        }

    def _approval_reject(self, comment):
        if not (comment or "").strip():
            raise ApprovalRefusal(
                self.env._("Say why you reject: a comment is required.")
            )
        self._approval_check("reject")
        for record in self:
            record._approval_decide("rejected", comment)
        return True

    def _approval_reopen(self, reason):
        """Give an approved record back for revision: the technical director
        (or the chain's reopening role) says why; the rounds decided so far
        are kept, the next submission starts a new one."""
        if not (reason or "").strip():
            raise ApprovalRefusal(
                self.env._("Say why you reopen it: a reason is required.")
            )
        self._approval_check("reopen")
        Decision = self.env["techdept.approval.decision"].sudo()
        for record in self:
            last = record._approval_round_lines()[-1:]
            Decision.create(
                {
                    "line_id": last.id,
                    "user_id": self.env.uid,
                    "decision": "reopened",
                    "comment": reason,
                    "seen": record._approval_seen(),
                }
            )
            record._approval_write({"approval_state": "draft"})
            record._techdept_post(
                lambda env: env._(
                    "Reopened by %(user)s: %(reason)s",
                    user=env.user.name,
                    reason=reason,
                ),
                partner_ids=record.approval_submitted_by_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        self._on_approval_reopened()
        return True

    def action_approval_cancel(self):
        """Withdraw a record under review; it can be submitted again."""
        self._approval_check("cancel")
        for record in self:
            lines = record._approval_round_lines().filtered(
                lambda line: line.state in ("waiting", "pending")
            )
            record._approval_close_activities(lines)
            lines.sudo().write({"state": "cancelled"})
            record._approval_write({"approval_state": "cancelled"})
            record._techdept_post(
                lambda env: env._("Review withdrawn."), subtype_xmlid="mail.mt_note"
            )
        self._on_approval_withdrawn()
        return True

    # Engine

    def _approval_write(self, vals):
        """Write the engine's own fields: the one place they change."""
        return as_server(self.sudo()).write(vals)

    def _approval_seen(self):
        self.ensure_one()
        return "%s (%s)" % (
            self.display_name,
            fields.Datetime.to_string(self.sudo().write_date),
        )

    def _approval_round_lines(self):
        self.ensure_one()
        return (
            self.sudo()
            .approval_line_ids.filtered(lambda line: line.round == self.approval_round)
            .sorted(lambda line: (line.sequence, line.id))
        )

    def _approval_read_lines(self):
        """Read the steps of the records with their columns in one query
        (the one2many alone reads their ids, then their columns in a second
        query); the records whose steps are read already are skipped."""
        field = self._fields["approval_line_ids"]
        records = self.browse(self.env.cache.get_missing_ids(self, field))
        if not records:
            return
        Line = self.env[field.comodel_name].sudo()
        lines = Line.search_fetch(
            field.get_domain_list(records) + [("res_id", "in", records.ids)],
            prefetchable_names(Line),
        )
        line_ids = defaultdict(list)
        for line in lines:
            line_ids[line.res_id].append(line.id)
        # Stored as the one2many stores what it reads, in the same order.
        self.env.cache.insert_missing(
            records, field, [tuple(line_ids[res_id]) for res_id in records._ids]
        )

    @api.model
    def _approval_read_people(self, users):
        """Read ``users``, whoever acts for those away and their partners,
        with the company and its partner (the messages' reply-to address is
        the company's), into the cache together: a transition and its
        messages and to-dos then read them one by one without a query each."""
        acting = self.env["techdept.resolver"]._acting_user_ids(users.ids)
        users = (users | users.browse(acting)).sudo()
        partners = users.partner_id | self.env.company.sudo().partner_id
        # Reading one field loads the others of the same records with it.
        partners.mapped("name")

    def _approval_resolve(self, step, submitter):
        """The approvers of ``step`` for this record; a clear error if none."""
        self.ensure_one()
        approvers = step._resolve_approvers(self, submitter)
        if not approvers:
            raise ApprovalUnassigned(
                self.env._(
                    "Nobody can review step %(step)s of %(record)s: check the "
                    "approvers "
                    "of chain %(chain)s.",
                    step=step.name,
                    record=self.display_name,
                    chain=step.chain_id.name,
                )
            )
        return approvers

    def _approval_open(self, line, approvers):
        """Open ``line`` of this record for ``approvers``."""
        self.ensure_one()
        self._approval_open_many([(self, line, approvers)])

    @api.model
    def _approval_open_many(self, openings):
        """Open steps: ``openings`` is a list of (record, line, approvers).
        Each line gets its approvers and deadline; a to-do goes to each
        approver named by the step (see ``_approval_todo_users``), never
        to each member of a group, who finds the step in My Approvals and
        the counter. Writes, to-dos and their notices are batched; returns
        the to-dos."""
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        groups = {}
        todos = []
        for record, line, approvers in openings:
            line = line.sudo()
            deadline = line._approval_deadline(today)
            key = (tuple(approvers.ids), deadline)
            groups[key] = groups.get(key, line.browse()) | line
            for user in line._approval_todo_users(approvers):
                todos.append((record, line, user, deadline))
        for (approver_ids, deadline), lines in groups.items():
            lines.write(
                {
                    "state": "pending",
                    "approver_ids": [fields.Command.set(list(approver_ids))],
                    "date_open": now,
                    "deadline": deadline,
                }
            )
        return self._approval_give_todos_many(todos)

    @api.model
    def _approval_give_todos_many(self, todos):
        """Create the to-dos ``todos``: (record, line, user, deadline), each
        summary in its assignee's language. Without Odoo's "assigned to you"
        notice per to-do: the assignee sees it live in his activity menu and
        its counter. An assignee given several at once (a batch submitted)
        gets one notice listing them."""
        if not todos:
            return self.env["mail.activity"]
        # The id alone, from the cached xmlid: no query.
        activity_type = self.env["ir.model.data"]._xmlid_to_res_id(
            "techdept_org.mail_activity_type_approval"
        )
        langs = {}
        summaries = {}
        values = []
        for record, line, user, deadline in todos:
            if user not in langs:
                langs[user] = user_lang(user)
            key = (line.step_id.id, line.added_from_line_id.id, langs[user])
            if key not in summaries:
                summaries[key] = line.with_context(
                    lang=langs[user]
                )._approval_todo_summary()
            # What Odoo would compute after inserting the to-do (the
            # record's name, no done date, the assignee's time zone below)
            # given with it: no update after the insert.
            values.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id(record._name),
                    "res_id": record.id,
                    "res_name": record.sudo().display_name,
                    "date_done": False,
                    "activity_type_id": activity_type,
                    "summary": summaries[key],
                    "user_id": user.id,
                    "date_deadline": deadline,
                    "techdept_approval_line_id": line.id,
                }
            )
        Activity = as_server(self.env["mail.activity"].sudo())
        # Handed to whoever acts for an absent assignee first, to give each
        # to-do the time zone of the one who gets it (read with the people).
        Activity._techdept_assign_deputies(values)
        # One recordset: those not read yet are read in one query.
        assignees = Activity.env["res.users"].browse([v["user_id"] for v in values])
        for vals, assignee in zip(values, assignees, strict=True):
            vals["user_tz"] = assignee.tz
        activities = Activity.with_context(mail_activity_quick_update=True).create(
            values
        )
        if len({record for record, *_rest in todos}) == 1:
            return activities
        # Grouped by assignee once created: a delegation may have moved some.
        by_user = {}
        for (record, *_rest), activity in zip(todos, activities, strict=True):
            by_user.setdefault(activity.user_id, []).append((record, activity))
        for user, pairs in by_user.items():
            if user == self.env.user:
                continue
            if len(pairs) == 1:
                continue
            if user not in langs:
                langs[user] = user_lang(user)
            records = [record for record, _activity in pairs]
            first = records[0].with_context(lang=langs[user]).sudo()
            names = [
                record.with_context(lang=langs[user]).display_name for record in records
            ]
            first.message_notify(
                partner_ids=user.partner_id.ids,
                subject=first.env._(
                    "%(count)s documents to review", count=len(records)
                ),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    first.env._(
                        "%(count)s documents wait for your review:",
                        count=len(records),
                    ),
                    Markup("").join(Markup("<li>%s</li>") % name for name in names),
                ),
                email_layout_xmlid="mail.mail_notification_layout",
            )
        return activities

    def _approval_decide(self, decision, comment):
        self.ensure_one()
        user = self.env.user
        round_lines = self._approval_round_lines()
        line = round_lines.filtered(lambda ln: ln.state == "pending")[:1]
        following = round_lines.filtered(lambda ln: ln.state == "waiting")[:1]
        holder = line._approval_holder_for(user)
        behalf = holder if holder and holder != user else self.env["res.users"]
        self.env["techdept.approval.decision"].sudo().create(
            {
                "line_id": line.id,
                "user_id": user.id,
                "on_behalf_of_id": behalf.id,
                "decision": decision,
                "comment": comment,
                "seen": self._approval_seen(),
            }
        )

        def who(env):
            if not behalf:
                return user.name
            return env._(
                "%(user)s on behalf of %(holder)s", user=user.name, holder=behalf.name
            )

        values = {
            "acted_by_id": user.id,
            "on_behalf_of_id": behalf.id,
            "comment": comment,
        }
        if decision == "rejected":
            line.write(dict(values, state="rejected", date_done=fields.Datetime.now()))
            round_lines.filtered(lambda ln: ln.state == "waiting").write(
                {"state": "cancelled"}
            )
            self._approval_close_activities(line, decided_by=holder or user, done=True)
            self._approval_write({"approval_state": "rejected"})
            self._techdept_post(
                lambda env: env._(
                    "%(step)s rejected by %(who)s: %(comment)s",
                    step=line.with_context(lang=env.lang).step_name,
                    who=who(env),
                    comment=comment,
                ),
                partner_ids=line.submitted_by_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            self._on_approval_rejected()
            return
        done = line._approval_step_done(holder or user)
        # Resolve the next step first: if nobody can take it, nothing is written.
        next_approvers = (
            self._approval_next_approvers(following) if done and following else None
        )
        if line.approval_mode == "all":
            # An "all" step counts its approvals; an "any" step's one
            # approval is its decision (acted_by_id, on_behalf_of_id).
            line.approved_user_ids = [fields.Command.link((holder or user).id)]

        def approved(env):
            step = line.with_context(lang=env.lang).step_name
            if comment:
                return env._(
                    "%(step)s approved by %(who)s: %(comment)s",
                    step=step,
                    who=who(env),
                    comment=comment,
                )
            return env._("%(step)s approved by %(who)s.", step=step, who=who(env))

        self._approval_close_activities(
            line, decided_by=holder or user, keep_others=not done, done=True
        )
        if not done or following:
            self._techdept_post(approved, subtype_xmlid="mail.mt_note")
        if not done:
            line.write(values)
            return
        line.write(dict(values, state="approved", date_done=fields.Datetime.now()))
        if following:
            self._approval_open(following, next_approvers)
            return
        self._approval_write({"approval_state": "approved"})
        # The last step's decision and the outcome: one message, to the
        # submitter.
        self._techdept_post(
            lambda env: Markup("%s %s") % (approved(env), env._("Approved.")),
            partner_ids=line.submitted_by_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        self._on_approval_done()

    def _approval_close_activities(
        self, lines, decided_by=None, keep_others=False, done=False
    ):
        """Close the to-dos of ``lines``: the one of the approver who decided
        (``decided_by``, himself or through his deputy), and those of a step
        nobody else needs to decide any more, unless ``keep_others`` (the
        other approvers of an "all" step still must). The decision's own
        message says who decided: a "done" message per to-do would repeat
        it. After a decision (``done``) they are archived as done, as Odoo
        keeps done activities (their assignees' counters drop, and deleting
        records would empty the ORM's cache in the middle of the decision);
        a step withdrawn or put back deletes them."""
        # Found and read in one query, as archiving them reads them all.
        Activity = self.env["mail.activity"].sudo()
        activities = Activity.search_fetch(
            [("techdept_approval_line_id", "in", lines.ids)],
            prefetchable_names(Activity),
        )
        if keep_others:
            activities = activities.filtered(
                lambda a: (
                    decided_by
                    and (a.techdept_delegation_id.employee_id.user_id or a.user_id)
                    == decided_by
                )
            )
        if done:
            activities.write({"active": False})
        else:
            activities.unlink()

    # Freezing: a record in review or approved, and its parts, do not change

    def _techdept_frozen(self):
        return (
            self.filtered(lambda r: r.approval_state in FROZEN_STATES)
            | super()._techdept_frozen()
        )

    def _approval_check_unfrozen(self, names):
        """Refuse changing ``names`` on the frozen records of ``self``."""
        frozen = self._techdept_frozen()
        if not frozen or not names:
            return
        record = frozen[0]
        fields_text = join_names(self.env, self._techdept_field_labels(names))
        if record.approval_state in FROZEN_STATES:
            raise FrozenRecord(
                self.env._(
                    "%(record)s is %(state)s: %(fields)s cannot be changed. "
                    "Withdraw it from review, or have it reopened.",
                    record=record.display_name,
                    state=dict(
                        self._fields["approval_state"]._description_selection(self.env)
                    )[record.approval_state],
                    fields=fields_text,
                )
            )
        record._approval_check_parents_unfrozen(names)

    def write(self, vals):
        if not has_server_token(self.env):
            self._approval_check_unfrozen(
                self._approval_locked_field_names() & vals.keys()
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_review_or_approved(self):
        frozen = self._techdept_frozen()
        if frozen:
            raise FrozenRecord(
                self.env._(
                    "%(record)s is under review or approved and cannot be deleted.",
                    record=frozen[0].display_name,
                )
            )

    def unlink(self):
        lines = (
            self.env["techdept.approval.line"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        )
        result = super().unlink()
        lines.unlink()
        return result


class TechdeptApprovalChildMixin(models.AbstractModel):
    """A part of an approvable record (a line of a bonus pool, an item of an
    appraisal, a document of a lead's stage item): frozen with its parent.

    A model inherits this mixin and names the field of its parent in
    ``_approval_parent_field``; ``_approval_child_free_fields`` lists what may
    still change while the parent is in review or approved."""

    _name = "techdept.approval.child.mixin"
    _inherit = ["techdept.guard.mixin"]
    _description = "Part of an Approvable Record"

    _approval_parent_field = None
    _approval_child_free_fields = ()

    def _approval_parents(self):
        return self.sudo()[self._approval_parent_field]

    def _approval_child_free_names(self):
        free = set(self._approval_child_free_fields) | set(models.MAGIC_COLUMNS)
        if "mail.thread" in self.env:
            free |= set(self.env["mail.thread"]._fields)
            free |= set(self.env["mail.activity.mixin"]._fields)
        return free

    def _techdept_frozen(self):
        frozen_parents = self._approval_parents()._techdept_frozen()
        return (
            self.filtered(
                lambda child: child.sudo()[self._approval_parent_field] & frozen_parents
            )
            | super()._techdept_frozen()
        )

    def _approval_check_parents_unfrozen(self, names, parents=None):
        parents = self._approval_parents() if parents is None else parents
        frozen = parents._techdept_frozen()
        if frozen and names:
            raise FrozenRecord(
                self.env._(
                    "%(parent)s is under review or approved: its %(part)s cannot "
                    "change (%(fields)s). Withdraw it from review, or have it "
                    "reopened.",
                    parent=frozen[0].display_name,
                    part=self._description_label(),
                    fields=join_names(self.env, self._techdept_field_labels(names)),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_server_token(self.env):
            field = self._approval_parent_field
            for vals in vals_list:
                if field in vals:
                    vals[field] = client_id(self, field, vals[field])
            parents = self.env[self._fields[field].comodel_name].browse(
                {vals[field] for vals in vals_list if vals.get(field)}
            )
            names = set().union(*(vals.keys() for vals in vals_list))
            self._approval_check_parents_unfrozen(
                names - self._approval_child_free_names() or {field}, parents.sudo()
            )
        return super().create(vals_list)

    def write(self, vals):
        if not has_server_token(self.env):
            names = vals.keys() - self._approval_child_free_names()
            self._approval_check_parents_unfrozen(names)
            field = self._approval_parent_field
            if field in vals:
                vals = dict(vals, **{field: client_id(self, field, vals[field])})
            if vals.get(field):
                target = self.env[self._fields[field].comodel_name].browse(vals[field])
                self._approval_check_parents_unfrozen(names, target.sudo())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_parent_frozen(self):
        if not has_server_token(self.env):
            self._approval_check_parents_unfrozen({self._approval_parent_field})
