from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.techdept_org.exceptions import GateRefusal
from odoo.addons.techdept_org.models.techdept_guard import (
    check_client_values,
    client_id,
    has_server_flag,
    join_names,
)
from odoo.addons.techdept_org.models.techdept_lang import in_company_lang

# The lead's checklist and its figures are the server's to write.
_SERVER_FIELDS = {
    "techdept_item_ids",
    "techdept_item_count",
    "techdept_item_done_count",
    "techdept_progress",
    "techdept_blocked",
    "techdept_stage_entry_ids",
}
# Raised by the force wizard once it checked who forces and why.
FORCE_FLAG = "techdept_force_stage"
# Raised by the server while it creates the to-dos of the checklist, whose
# assignees' partners it has read already.
TODO_FLAG = "techdept_checklist_todos"


class CrmLead(models.Model):
    _inherit = "crm.lead"

    techdept_presales_user_id = fields.Many2one(
        "res.users",
        string="Presales Engineer",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="The presales engineer who delivers the technical documents of this lead.",
    )
    techdept_item_ids = fields.One2many(
        "techdept.lead.item", "lead_id", string="Checklist"
    )
    techdept_item_count = fields.Integer(
        string="Items", compute="_compute_techdept_progress", store=True
    )
    techdept_item_done_count = fields.Integer(
        string="Items Done", compute="_compute_techdept_progress", store=True
    )
    techdept_progress = fields.Float(
        string="Deliverables",
        compute="_compute_techdept_progress",
        store=True,
        help="Share of the stage items of this and the passed stages that are "
        "complete.",
    )
    techdept_blocked = fields.Boolean(
        string="Blocked",
        compute="_compute_techdept_progress",
        store=True,
        help="A blocking item of the current stage is incomplete: the lead "
        "cannot move on.",
    )
    techdept_document_ids = fields.One2many(
        "techdept.document",
        "res_id",
        string="Technical Documents",
        domain=[("res_model", "=", "crm.lead")],
    )
    techdept_stage_guidance = fields.Html(
        string="Stage Guidance",
        compute="_compute_techdept_stage_guidance",
        sanitize=False,
        help="What the current stage asks: its items, who delivers them, the "
        "documents and the review, as configured for the stage.",
    )
    techdept_stage_entry_ids = fields.One2many(
        "techdept.lead.stage.entry",
        "lead_id",
        string="Stage History",
        readonly=True,
    )
    techdept_document_count = fields.Integer(
        string="Document Count", compute="_compute_techdept_document_count"
    )

    # Only engineers may read work logs: the fields would otherwise break the
    # lead form of a plain salesperson.
    techdept_worklog_ids = fields.One2many(
        "techdept.worklog",
        "lead_id",
        string="Work Logs",
        groups="techdept_org.group_engineer",
    )
    techdept_worklog_hours = fields.Float(
        string="Work Log Hours",
        compute="_compute_techdept_worklog_hours",
        groups="techdept_org.group_engineer",
        help="Presales hours logged on this lead that you may see.",
    )

    def _techdept_items_of_leads(self, field_names):
        """{lead: its items} for the saved leads, read with ``field_names``
        in one query (the leads' one2many would read the ids, then the
        fields)."""
        stored = self.filtered(lambda lead: isinstance(lead.id, int))
        if not stored:
            return {}
        found = {lead: self.env["techdept.lead.item"] for lead in stored}
        lines = self.env["techdept.lead.item"].search_fetch(
            [("lead_id", "in", stored.ids)], field_names
        )
        for line in lines:
            found[line.lead_id] |= line
        return found

    @api.depends(
        "stage_id.sequence",
        "techdept_item_ids.is_complete",
        "techdept_item_ids.stage_sequence",
        "techdept_item_ids.blocking",
    )
    def _compute_techdept_progress(self):
        items = self._techdept_items_of_leads(
            ["lead_id", "is_complete", "stage_sequence", "blocking", "stage_id"]
        )
        for lead in self:
            lines = items[lead] if lead in items else lead.techdept_item_ids
            reached = lines.filtered(
                lambda line, seq=lead.stage_id.sequence: line.stage_sequence <= seq
            )
            done = reached.filtered("is_complete")
            lead.techdept_item_count = len(reached)
            lead.techdept_item_done_count = len(done)
            lead.techdept_progress = (
                100.0 * len(done) / len(reached) if reached else 0.0
            )
            lead.techdept_blocked = any(
                line.blocking
                and not line.is_complete
                and line.stage_id == lead.stage_id
                for line in reached
            )

    @api.depends(
        "stage_id",
        "techdept_presales_user_id",
        "user_id",
        "techdept_item_ids.state",
        "techdept_item_ids.missing_type_ids",
    )
    @api.depends_context("lang")
    def _compute_techdept_stage_guidance(self):
        # The stage's configuration is readable by everyone; the states of
        # the lead's items are shown to whoever may read the lead.
        Item = self.env["techdept.stage.item"]
        items_of = dict(
            Item._read_group(
                [("stage_id", "in", self.stage_id.ids)],
                ["stage_id"],
                ["id:recordset"],
            )
        )
        functions = dict(
            Item._fields["responsible_function"]._description_selection(self.env)
        )
        states = dict(
            self.env["techdept.lead.item"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        for lead in self:
            stage = lead.stage_id
            if not stage:
                lead.techdept_stage_guidance = False
                continue
            lines = {line.item_id: line for line in lead.sudo().techdept_item_ids}
            rows = []
            for item in items_of.get(stage, Item).sorted(lambda i: (i.sequence, i.id)):
                line = lines.get(item)
                missing = line.missing_type_ids if line else item.document_type_ids
                function = functions.get(item.responsible_function, "")
                user = line._responsible_user() if line else None
                rows.append(
                    {
                        "item": item,
                        "who": self.env._(
                            "%(function)s: %(user)s", function=function, user=user.name
                        )
                        if user
                        else function,
                        "documents": [
                            {"type": doc_type, "present": doc_type not in missing}
                            for doc_type in item.document_type_ids
                        ],
                        "follows": item.trigger_item_id
                        and self.env._(
                            "Opens once %(item)s is approved.",
                            item=item.trigger_item_id.display_name,
                        ),
                        "steps": " → ".join(item.chain_id.step_ids.mapped("name")),
                        "state": states.get(line.state, "") if line else "",
                    }
                )
            lead.techdept_stage_guidance = self.env["ir.qweb"]._render(
                "techdept_crm_stages.crm_lead_stage_guidance",
                {
                    "stage": stage,
                    "phases": ", ".join(stage.techdept_phase_ids.mapped("name")),
                    "items": rows,
                },
            )

    def _compute_techdept_document_count(self):
        counts = dict(
            self.env["techdept.document"]._read_group(
                [("res_model", "=", "crm.lead"), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for lead in self:
            lead.techdept_document_count = counts.get(lead.id, 0)

    # The gate: every path that changes a stage (kanban, form, import, RPC,
    # won) goes through create() or write(), hence through here.

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list, _SERVER_FIELDS, "create")
        leads = super().create(vals_list)
        leads._techdept_check_gate_from_start()
        leads._techdept_sync_items()
        self.env["techdept.lead.stage.entry"]._techdept_record(
            leads.filtered("stage_id"), forced=self._techdept_stage_forced()
        )
        return leads

    def write(self, vals):
        check_client_values(self, [vals], _SERVER_FIELDS)
        if "stage_id" not in vals:
            return super().write(vals)
        # Clearing the stage is a move back, to before the first stage; the
        # next move is then checked from the first stage on.
        stage_id = client_id(self, "stage_id", vals["stage_id"])
        vals = dict(vals, stage_id=stage_id)
        stage = self.env["crm.stage"].browse(stage_id or ())
        # The stages left and the one entered, read at once.
        (self.stage_id | stage).mapped("sequence")
        moving = self.filtered(lambda lead: lead.stage_id != stage)
        backward = moving.filtered(
            lambda lead: (
                lead.stage_id
                and (not stage or lead.stage_id._techdept_key() > stage._techdept_key())
            )
        )
        origins = {lead: lead.stage_id for lead in backward}
        # The gate and the items the leads get, in one query before the move.
        to_create = None
        if stage and moving:
            gated = self.browse() if self._techdept_gate_forced() else moving - backward
            to_create = moving._techdept_plan_move(stage, gated)
        result = super().write(vals)
        if to_create is not None:
            moving._techdept_create_items(to_create)
        self.env["techdept.lead.stage.entry"]._techdept_record(
            moving, forced=self._techdept_stage_forced()
        )
        # Logged like stage tracking: a salesperson without an email address
        # may move a lead back too.
        for lead, origin in origins.items():
            logged = in_company_lang(lead)
            env = logged.env
            logged._message_log(
                body=env._(
                    "Moved back from %(origin)s to %(stage)s.",
                    origin=origin.with_env(env).name,
                    stage=stage.with_env(env).name or env._("no stage"),
                ),
            )
        return result

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """The assignees of the checklist's to-dos follow the lead as Odoo
        has them follow (active partners; customers with the public subtypes
        only), their partners checked from what the server read already
        rather than searched again."""
        if not partner_ids or not has_server_flag(self.env, TODO_FLAG):
            return super().message_subscribe(partner_ids, subtype_ids)
        self.check_access("write")
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        partners = partners.filtered("active")
        return self._message_subscribe(
            partners.ids,
            subtype_ids,
            customer_ids=partners.filtered("partner_share").ids,
        )

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        """The presales engineer follows the leads he supports from his
        assignment on, as the salesperson does: the to-dos of their items
        then find him among the followers already."""
        result = super()._message_auto_subscribe_followers(
            updated_values, default_subtype_ids
        )
        user_id = updated_values.get("techdept_presales_user_id")
        if user_id:
            user = self.env["res.users"].sudo().browse(user_id)
            if user.active:
                result.append((user.partner_id.id, default_subtype_ids, False))
        return result

    def _techdept_gate_forced(self):
        """A forced move: only through the force wizard (see
        techdept.stage.force.wizard), never from a context a client sends."""
        return has_server_flag(self.env, FORCE_FLAG)

    def _techdept_stage_forced(self):
        """Whether a person forced this move past the gate (the server's own
        moves, e.g. adopting the policy's pipeline, are not forced by anyone)."""
        return self._techdept_gate_forced() and not self.env.su

    def _techdept_check_gate(self, stage):
        """Refuse to move these leads forward to ``stage`` while a blocking
        item of a stage they leave or skip is incomplete. One query,
        whatever the number of leads and items."""
        if not self or self._techdept_gate_forced():
            return
        self.browse()._techdept_plan_move(stage, self)

    def _techdept_plan_move(self, stage, gated):
        """Check the gate for the leads ``gated`` moving forward to
        ``stage`` (see ``_techdept_check_gate``), and return the items these
        leads lack once in ``stage``: [{"lead_id", "item_id"}], in the order
        of the stages and items. One query for both."""
        # The leads' stages as the ORM holds them: the move is not flushed yet.
        self.env["crm.stage"].flush_model(["sequence"])
        self.env["techdept.stage.item"].flush_model(
            ["stage_id", "blocking", "active", "sequence"]
        )
        self.env["techdept.lead.item"].flush_model(
            ["lead_id", "item_id", "is_complete"]
        )
        # A lead without a stage starts from the first one.
        self.env.cr.execute(
            SQL(
                """
            SELECT TRUE, moved.lead_id, item.id, NULL::int, NULL::int
              FROM unnest(%(gated)s::int[], %(stages)s::int[])
                   AS moved(lead_id, stage_id)
              CROSS JOIN (SELECT sequence, id FROM crm_stage
                           ORDER BY sequence, id LIMIT 1) AS first
              CROSS JOIN crm_stage AS target
              LEFT JOIN crm_stage AS start ON start.id = moved.stage_id
              JOIN techdept_stage_item AS item
                ON item.blocking AND item.active
              JOIN crm_stage AS crossed ON crossed.id = item.stage_id
              LEFT JOIN techdept_lead_item AS line
                ON line.lead_id = moved.lead_id AND line.item_id = item.id
             WHERE target.id = %(target)s
               AND (crossed.sequence, crossed.id)
                   >= (COALESCE(start.sequence, first.sequence),
                       COALESCE(start.id, first.id))
               AND (crossed.sequence, crossed.id) < (target.sequence, target.id)
               AND line.is_complete IS NOT TRUE
            UNION ALL
            SELECT FALSE, lead.lead_id, item.id, stage.sequence, item.sequence
              FROM unnest(%(leads)s::int[]) AS lead(lead_id)
              JOIN crm_stage AS reached ON reached.id = %(target)s
              JOIN techdept_stage_item AS item ON item.active
              JOIN crm_stage AS stage ON stage.id = item.stage_id
             WHERE (stage.sequence, stage.id) <= (reached.sequence, reached.id)
               AND NOT EXISTS (
                   SELECT FROM techdept_lead_item AS line
                    WHERE line.lead_id = lead.lead_id AND line.item_id = item.id)
            """,
                gated=gated.ids,
                stages=[lead.stage_id.id or None for lead in gated],
                leads=self.ids,
                target=stage.id,
            )
        )
        missing, to_create = {}, []
        for is_gate, lead_id, item_id, *order in self.env.cr.fetchall():
            if is_gate:
                missing.setdefault(lead_id, set()).add(item_id)
            else:
                to_create.append((lead_id, order, item_id))
        if missing:
            gated._techdept_refuse_gate(stage, missing)
        position = {lead_id: index for index, lead_id in enumerate(self.ids)}
        to_create.sort(key=lambda row: (position[row[0]], *row[1], row[2]))
        return [
            {"lead_id": lead_id, "item_id": item_id}
            for lead_id, _order, item_id in to_create
        ]

    def _techdept_refuse_gate(self, stage, missing):
        """Say which items each lead lacks: ``missing`` maps lead ids to the
        ids of their incomplete blocking items."""
        Item = self.env["techdept.stage.item"].sudo()
        items = Item.search([("id", "in", list(set().union(*missing.values())))])
        lines = (
            self.env["techdept.lead.item"]
            .sudo()
            .search([("lead_id", "in", list(missing)), ("item_id", "in", items.ids)])
        )
        by_key = {(line.lead_id.id, line.item_id.id): line for line in lines}
        problems = []
        for lead in self.filtered(lambda lead: lead.id in missing):
            reasons = [
                self._techdept_gate_reason(item, by_key.get((lead.id, item.id)))
                for item in items
                if item.id in missing[lead.id]
            ]
            problems.append(
                self.env._("%(lead)s:", lead=lead.name)
                + "\n  - "
                + "\n  - ".join(reasons)
            )
        raise GateRefusal(
            self.env._(
                "These leads cannot move to %(stage)s yet:\n%(problems)s",
                stage=stage.name,
                problems="\n".join(problems),
            )
        )

    def _techdept_gate_reason(self, item, line):
        """Why ``item`` is not complete on a lead (``line`` may be empty)."""
        if item.kind == "task":
            if line and line.state == "waiting":
                what = self.env._(
                    "waits for %(trigger)s", trigger=item.trigger_item_id.code
                )
            else:
                what = self.env._("not done")
        else:
            missing = line.missing_type_ids if line else item.document_type_ids
            if missing:
                what = self.env._(
                    "missing %(documents)s",
                    documents=join_names(self.env, missing.mapped("name")),
                )
            elif line.approval_state == "pending":
                what = self.env._(
                    "in review (%(step)s)", step=line.approval_current_step or ""
                )
            elif line.approval_state == "rejected":
                what = self.env._("rejected, to be revised and resubmitted")
            else:
                what = self.env._("not submitted for review")
        return self.env._("%(item)s: %(what)s", item=item.display_name, what=what)

    def _techdept_check_gate_from_start(self):
        """A new lead may start in a later stage only if no blocking item
        stands before it (import, quick create in a later column)."""
        first = self.env["crm.stage"].search([], limit=1)
        late = self.filtered(
            lambda lead: (
                lead.stage_id and lead.stage_id._techdept_key() > first._techdept_key()
            )
        )
        if not late or self._techdept_gate_forced():
            return
        for stage, leads in late.grouped("stage_id").items():
            blocking = (
                self.env["techdept.stage.item"]
                .sudo()
                .search(
                    [
                        ("blocking", "=", True),
                        ("stage_id.sequence", "<", stage.sequence),
                    ]
                )
            )
            if blocking:
                raise GateRefusal(
                    self.env._(
                        "%(leads)s cannot start in %(stage)s: a new lead starts in "
                        "%(first)s, and items %(items)s must be delivered before "
                        "%(stage)s.",
                        leads=join_names(self.env, leads.mapped("name")),
                        stage=stage.name,
                        first=first.name,
                        items=join_names(self.env, blocking.mapped("code")),
                    )
                )

    def _techdept_sync_items(self):
        """Give each lead the items of its stage and of the stages before it,
        and a to-do to whoever must deliver the current stage's items."""
        to_create = []
        for stage, leads in self.filtered("stage_id").grouped("stage_id").items():
            to_create += leads._techdept_plan_move(stage, self.browse())
        self._techdept_create_items(to_create)

    def _techdept_create_items(self, to_create):
        """Create the items ``to_create`` (see ``_techdept_plan_move``) and
        the to-dos of those of the leads' current stage."""
        if not to_create:
            return
        # The server's rows: no creation message, follower nor tracking each.
        created = (
            self.env["techdept.lead.item"]
            .sudo()
            .with_context(tracking_disable=True)
            .create(to_create)
            .with_env(self.env(su=True))
        )
        current = created.filtered(lambda line: line.stage_id == line.lead_id.stage_id)
        current.filtered(lambda line: line.state == "todo")._schedule_todo(
            lambda line: line.env._("Deliver %(item)s", item=line.item_id.display_name),
            notify=False,
        )

    def action_techdept_force_stage(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Force Stage"),
            "res_model": "techdept.stage.force.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": self.ids},
        }

    def action_techdept_documents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Technical Documents"),
            "res_model": "techdept.document",
            "view_mode": "list,kanban,form",
            "domain": [("res_model", "=", "crm.lead"), ("res_id", "=", self.id)],
            "context": {"create": False},
        }

    # Each user sums the lines his record rules let him see.
    @api.depends("techdept_worklog_ids.hours")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_techdept_worklog_hours(self):
        hours = dict(
            self.env["techdept.worklog"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["hours:sum"]
            )
        )
        for lead in self:
            lead.techdept_worklog_hours = hours.get(lead._origin, 0.0)

    def action_techdept_worklogs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "techdept_crm_stages.techdept_worklog_action"
        )
        action.update(
            {
                "domain": [("lead_id", "=", self.id)],
                "context": {
                    "default_lead_id": self.id,
                    "default_kind": "project_support",
                },
            }
        )
        return action
