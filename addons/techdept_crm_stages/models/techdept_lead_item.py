from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.techdept_org.exceptions import ApprovalRefusal
from odoo.addons.techdept_org.models.techdept_guard import (
    join_names,
    with_server_flag,
)
from odoo.addons.techdept_org.models.techdept_lang import (
    in_company_lang,
    user_lang,
)

from .crm_lead import TODO_FLAG

LEAD_ITEM_STATES = [
    ("waiting", "Waiting"),
    ("todo", "To Deliver"),
    ("ready", "To Submit"),
    ("pending", "In Review"),
    ("rejected", "Rejected"),
    ("approved", "Approved"),
    ("done", "Done"),
]


class TechdeptLeadItem(models.Model):
    """One stage item on one lead: its deliverables, reviewed as a bundle."""

    _name = "techdept.lead.item"
    _description = "Lead Stage Item"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "lead_id, stage_sequence, item_sequence, id"
    _approval_locked_fields = ["lead_id", "item_id"]
    # Items are given to a lead by the server as it moves through the stages.
    _techdept_server_create = True
    _techdept_server_fields = (
        "lead_id",
        "item_id",
        "done_date",
        "done_by_id",
        "upload_activity_id",
    )

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    item_id = fields.Many2one(
        "techdept.stage.item",
        required=True,
        ondelete="restrict",
        index=True,
    )
    code = fields.Char(related="item_id.code")
    name = fields.Char(related="item_id.name")
    kind = fields.Selection(related="item_id.kind")
    responsible_function = fields.Selection(related="item_id.responsible_function")
    required_type_ids = fields.Many2many(related="item_id.document_type_ids")
    # Precomputed: inserted with the line rather than updated after it.
    stage_id = fields.Many2one(
        related="item_id.stage_id", store=True, index=True, precompute=True
    )
    stage_sequence = fields.Integer(
        related="item_id.stage_id.sequence",
        store=True,
        string="Stage Sequence",
        precompute=True,
    )
    item_sequence = fields.Integer(
        related="item_id.sequence", store=True, string="Item Sequence", precompute=True
    )
    blocking = fields.Boolean(related="item_id.blocking", store=True, precompute=True)
    salesperson_id = fields.Many2one(
        related="lead_id.user_id",
        store=True,
        string="Salesperson",
        index=True,
        precompute=True,
    )
    presales_user_id = fields.Many2one(
        related="lead_id.techdept_presales_user_id",
        store=True,
        index=True,
        precompute=True,
    )
    partner_id = fields.Many2one(related="lead_id.partner_id")
    company_id = fields.Many2one(
        related="lead_id.company_id", store=True, precompute=True
    )
    document_ids = fields.One2many(
        "techdept.document", "lead_item_id", string="Documents"
    )
    missing_type_ids = fields.Many2many(
        "techdept.document.type",
        string="Missing Documents",
        compute="_compute_missing_type_ids",
    )
    done_date = fields.Datetime(readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    # Precomputed: a stage move inserts the lines of the new stage with their
    # state, instead of inserting them, then updating them.
    state = fields.Selection(
        LEAD_ITEM_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        precompute=True,
    )
    is_complete = fields.Boolean(
        compute="_compute_state", store=True, index=True, precompute=True
    )
    upload_activity_id = fields.Many2one("mail.activity", readonly=True, copy=False)

    _sql_constraints = [
        (
            "lead_item_uniq",
            "UNIQUE(lead_id, item_id)",
            "A stage item appears once on a lead.",
        ),
    ]

    @api.depends("code", "name", "lead_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.code} {line.name} — {line.lead_id.name or ''}"

    @api.depends(
        "document_ids.type_id",
        "document_ids.is_latest",
        "document_ids.attachment_ids",
        "required_type_ids",
    )
    def _compute_missing_type_ids(self):
        for line in self:
            # A document counts once its file is in, not as an empty record.
            present = line.document_ids.filtered(
                lambda d: d.is_latest and d.attachment_ids
            ).type_id
            line.missing_type_ids = line.required_type_ids - present

    @api.depends(
        "document_ids.type_id",
        "document_ids.is_latest",
        "document_ids.attachment_ids",
        "item_id.document_type_ids",
        "item_id.chain_id",
        "item_id.kind",
        "item_id.trigger_item_id",
        "approval_state",
        "done_date",
    )
    def _compute_state(self):
        # A task also waits for its trigger line, another line of the lead:
        # write() and unlink() recompute the lines that follow a line whose
        # approval changes (a dependency on the lead's lines would recompute
        # every line of the lead whenever one is added, at each stage move).
        triggers = self._trigger_lines()
        for line in self:
            item = line.item_id
            trigger = triggers.get(line)
            if item.kind == "task":
                if line.done_date:
                    state = "done"
                elif trigger is not None and trigger.approval_state != "approved":
                    state = "waiting"
                else:
                    state = "todo"
            elif line.approval_state in ("pending", "approved", "rejected"):
                state = line.approval_state
            elif line.missing_type_ids:
                state = "todo"
            elif item.chain_id:
                state = "ready"
            else:
                state = "done"
            line.state = state
            line.is_complete = state in ("done", "approved")

    def _trigger_lines(self):
        """Map each line whose item follows another to that other line of
        the same lead (an empty recordset when the lead lacks it): one query
        for all the lines."""
        lines = self.filtered("item_id.trigger_item_id")
        stored = lines.filtered(lambda line: isinstance(line.lead_id.id, int))
        found = {}
        if stored:
            others = self.sudo().search_fetch(
                [
                    ("lead_id", "in", stored.lead_id.ids),
                    ("item_id", "in", stored.item_id.trigger_item_id.ids),
                ],
                ["lead_id", "item_id", "approval_state"],
            )
            found = {(other.lead_id.id, other.item_id.id): other for other in others}
        result = {}
        for line in lines:
            trigger_item = line.item_id.trigger_item_id
            if line in stored:
                result[line] = found.get(
                    (line.lead_id.id, trigger_item.id), self.browse()
                )
            else:
                # A line of a lead being edited, not saved yet.
                result[line] = line.lead_id.techdept_item_ids.filtered(
                    lambda other, item=trigger_item: other.item_id == item
                )[:1]
        return result

    def _followers(self):
        """The lines of the same leads whose items follow these lines'."""
        followed = self.env["techdept.stage.item"]._followed_item_ids()
        if not self.ids or followed.isdisjoint(self.item_id.ids):
            return self.browse()
        pairs = {(line.lead_id.id, line.item_id.id) for line in self}
        candidates = self.sudo().search(
            [
                ("lead_id", "in", self.lead_id.ids),
                ("item_id.trigger_item_id", "in", self.item_id.ids),
            ]
        )
        return candidates.filtered(
            lambda other: (other.lead_id.id, other.item_id.trigger_item_id.id) in pairs
        )

    def _recompute_followers(self, followers=None):
        followers = (self._followers() if followers is None else followers).exists()
        if followers:
            for name in ("state", "is_complete"):
                self.env.add_to_compute(self._fields[name], followers)

    def write(self, vals):
        result = super().write(vals)
        if "approval_state" in vals:
            self._recompute_followers()
        return result

    def unlink(self):
        followers = self._followers() - self
        result = super().unlink()
        self._recompute_followers(followers)
        return result

    # Approval

    def _approval_get_chain(self):
        return self.item_id.chain_id

    def _approval_check_submit(self):
        for line in self:
            if line.kind != "documents" or not line.item_id.chain_id:
                raise ApprovalRefusal(
                    self.env._("%(item)s is not reviewed.", item=line.display_name)
                )
            if line.missing_type_ids:
                raise ApprovalRefusal(
                    self.env._(
                        "%(item)s still needs: %(missing)s.",
                        item=line.display_name,
                        missing=join_names(
                            self.env, line.missing_type_ids.mapped("name")
                        ),
                    )
                )

    def _on_approval_submitted(self):
        self._close_upload_activity()

    def _on_approval_done(self):
        followers = self.env["techdept.lead.item"].search(
            [
                ("lead_id", "in", self.lead_id.ids),
                ("item_id.trigger_item_id", "in", self.item_id.ids),
                ("done_date", "=", False),
            ]
        )
        for follower in followers:
            follower._schedule_todo(
                lambda line, trigger=self.code: line.env._(
                    "%(item)s: %(what)s",
                    item=line.item_id.display_name,
                    what=line.env._(
                        "now that %(trigger)s is approved", trigger=trigger
                    ),
                )
            )

    def _on_approval_rejected(self):
        for line in self:
            line._schedule_todo(
                lambda line: line.env._(
                    "Revise %(item)s after its rejection",
                    item=line.item_id.display_name,
                )
            )

    # To-dos

    def _responsible_user(self):
        """Who must act on the item: the lead's presales engineer (else the
        acting presales manager), the acting commerce manager, the
        salesperson, or the acting manager of the technical department."""
        self.ensure_one()
        return self._responsible_users()[self]

    def _responsible_users(self):
        """{line: user} of ``_responsible_user``, each function's acting
        manager resolved once for all the lines."""
        resolver = self.env["techdept.resolver"]
        managers = {}

        def manager(function):
            if function not in managers:
                managers[function] = resolver._function_manager_user(function)
            return managers[function]

        result = {}
        for line in self:
            function = line.responsible_function
            if function == "presales":
                user = line.lead_id.techdept_presales_user_id or manager("presales")
            elif function == "sales":
                user = line.lead_id.user_id
            else:
                user = manager(function)
            result[line] = user
        return result

    def _schedule_todo(self, summary, notify=True):
        """Give each item's responsible a to-do on the lead (one at a time),
        written in his language: ``summary(line)`` reads the line in it.
        The to-dos of all the lines are created at once; with ``notify``
        False their assignees are not sent a message each (the to-dos
        reach their activity menu, which the server updates live)."""
        self._close_upload_activity()
        responsible = self._responsible_users()
        # The assignees and the author of the request's messages, read at once.
        self.env.user.union(*responsible.values()).sudo().partner_id.mapped("lang")
        langs = {}
        for line, user in responsible.items():
            if user:
                langs.setdefault(user_lang(user), []).append(line)
        if not langs:
            return
        todo = self.env["ir.model.data"]._xmlid_to_res_id(
            "mail.mail_activity_data_todo"
        )
        lead_model = self.env["ir.model"]._get_id("crm.lead")
        deadline = fields.Date.context_today(self)
        vals_list, owners = [], []
        for lang, lines in langs.items():
            for line_lang in self.browse([line.id for line in lines]).with_context(
                lang=lang
            ):
                missing = line_lang.missing_type_ids
                vals_list.append(
                    {
                        "activity_type_id": todo,
                        "summary": summary(line_lang),
                        "automated": True,
                        "note": missing
                        and line_lang.env._(
                            "Documents to upload: %(types)s",
                            types=join_names(line_lang.env, missing.mapped("name")),
                        )
                        or "",
                        "date_deadline": deadline,
                        "res_model_id": lead_model,
                        "res_id": line_lang.lead_id.id,
                        "user_id": responsible[line_lang].id,
                        # What Odoo would compute after inserting them.
                        "res_name": line_lang.lead_id.display_name,
                        "user_tz": responsible[line_lang].tz,
                        "date_done": False,
                    }
                )
                owners.append(line_lang.id)
        # Their partners are read: no search of them again to subscribe them.
        Activity = with_server_flag(self.env["mail.activity"].sudo(), TODO_FLAG)
        if not notify:
            Activity = Activity.with_context(mail_activity_quick_update=True)
        activities = Activity.create(vals_list)
        for line_id, activity in zip(owners, activities, strict=True):
            self.browse(line_id).sudo().upload_activity_id = activity

    def _close_upload_activity(self):
        activities = self.sudo().upload_activity_id.exists()
        if activities:
            activities.action_feedback(feedback=in_company_lang(self).env._("Done."))

    def _techdept_refresh_todos(self):
        """Close the to-dos of items that no longer need their responsible."""
        self.filtered(
            lambda line: (
                line.upload_activity_id and line.state not in ("todo", "rejected")
            )
        )._close_upload_activity()

    def action_mark_done(self):
        """Complete a task item (e.g. the 3.3 demonstration)."""
        for line in self:
            if line.kind != "task":
                raise UserError(
                    self.env._(
                        "%(item)s is complete when its documents are in.",
                        item=line.display_name,
                    )
                )
            if line.state == "waiting":
                raise UserError(
                    self.env._(
                        "%(item)s follows %(trigger)s, which is not approved yet.",
                        item=line.display_name,
                        trigger=line.item_id.trigger_item_id.display_name,
                    )
                )
            user = self.env.user
            allowed = user == line._responsible_user() or user.has_group(
                "techdept_org.group_manager"
            )
            if not allowed:
                raise UserError(
                    self.env._(
                        "Only %(user)s or a manager may mark %(item)s done.",
                        user=line._responsible_user().name,
                        item=line.display_name,
                    )
                )
            line.sudo().write(
                {"done_date": fields.Datetime.now(), "done_by_id": user.id}
            )
            line._close_upload_activity()
            line.lead_id._techdept_post(
                lambda env, line=line: env._(
                    "%(item)s done.",
                    item=line.item_id.with_context(lang=env.lang).display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
