import re

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.techdept_org.models.techdept_guard import as_server


def force_message(env):
    """The note the force wizard posts on each lead, in ``env``'s language."""
    return env._(
        "Moved from %(origin)s to %(stage)s past its stage items, by %(user)s: "
        "%(reason)s"
    )


class TechdeptLeadStageEntry(models.Model):
    """A lead's stay in one stage: when it came in, who moved it there and
    whether past the gate, when it left. Written by the server as leads move
    (see crm.lead), read by whoever may read the lead."""

    _name = "techdept.lead.stage.entry"
    _description = "Lead Stage Entry"
    _inherit = ["techdept.guard.mixin"]
    _order = "lead_id, date_in, id"
    _techdept_server_create = True
    _techdept_server_fields = (
        "lead_id",
        "stage_id",
        "previous_stage_id",
        "date_in",
        "date_out",
        "user_id",
        "forced",
        "reason",
    )

    lead_id = fields.Many2one(
        "crm.lead", required=True, ondelete="cascade", index=True, readonly=True
    )
    stage_id = fields.Many2one(
        "crm.stage", ondelete="set null", index=True, readonly=True
    )
    previous_stage_id = fields.Many2one(
        "crm.stage", string="Came From", ondelete="set null", readonly=True
    )
    date_in = fields.Datetime(string="Entered", required=True, readonly=True)
    date_out = fields.Datetime(string="Left", readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Moved By",
        readonly=True,
        help="Who moved the lead into the stage; empty when it is not known "
        "(history rebuilt from before it was recorded).",
    )
    forced = fields.Boolean(
        readonly=True,
        help="Moved in past the stage gate, through the force wizard.",
    )
    reason = fields.Text(readonly=True, help="Why the move was forced.")
    duration_days = fields.Float(
        string="Days",
        compute="_compute_duration_days",
        digits=(16, 1),
        help="Days spent in the stage; for the current stage, so far.",
    )
    company_id = fields.Many2one(related="lead_id.company_id")

    @api.depends("stage_id", "lead_id")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = self.env._(
                "%(lead)s in %(stage)s",
                lead=entry.lead_id.name or "",
                stage=entry.stage_id.name or "",
            )

    @api.depends("date_in", "date_out")
    def _compute_duration_days(self):
        now = fields.Datetime.now()
        for entry in self:
            end = entry.date_out or now
            entry.duration_days = (
                (end - entry.date_in).total_seconds() / 86400.0
                if entry.date_in
                else 0.0
            )

    # Access follows the lead

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            leads = self.env["crm.lead"].with_context(active_test=False)._search([])
            domain = expression.AND([domain, [("lead_id", "in", leads)]])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self._ids:
            return result
        leads = self.sudo().lead_id.with_env(self.env)
        visible = leads.with_context(active_test=False)._filtered_access("read")
        forbidden = self.filtered(
            lambda entry: entry.sudo().lead_id.id not in visible.ids
        )
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._(
                    "You may not read the stage history of leads you cannot read."
                )
            )
        return None

    # Recording, by the server

    @api.model
    def _techdept_record(self, leads, forced=False):
        """The leads have just entered their current stage: close their
        open stays and open new ones. One query, whatever the number of
        leads."""
        if not leads:
            return
        Entry = self.sudo()
        Entry.flush_model()
        now = fields.Datetime.now()
        entering = leads.filtered("stage_id")
        # Closed and opened in one statement: the stays being left tell
        # where the leads came from. Nothing is computed on a stay.
        self.env.cr.execute(
            SQL(
                """
            WITH closed AS (
                UPDATE techdept_lead_stage_entry
                   SET date_out = %(now)s, write_date = %(now)s,
                       write_uid = %(uid)s
                 WHERE lead_id IN %(leads)s AND date_out IS NULL
             RETURNING id, lead_id, stage_id
            ), opened AS (
                INSERT INTO techdept_lead_stage_entry
                       (lead_id, stage_id, previous_stage_id, date_in, user_id,
                        forced, create_uid, create_date, write_uid, write_date)
                SELECT entering.lead_id, entering.stage_id, closed.stage_id,
                       %(now)s, %(uid)s, %(forced)s, %(uid)s, %(now)s,
                       %(uid)s, %(now)s
                  FROM unnest(%(entering)s::int[], %(stages)s::int[])
                       AS entering(lead_id, stage_id)
                  LEFT JOIN closed ON closed.lead_id = entering.lead_id
             RETURNING id
            )
            SELECT id FROM closed
            """,
                now=now,
                uid=self.env.uid,
                forced=bool(forced),
                leads=tuple(leads.ids),
                entering=entering.ids,
                stages=[lead.stage_id.id for lead in entering],
            )
        )
        closed = Entry.browse([row[0] for row in self.env.cr.fetchall()])
        closed.invalidate_recordset(["date_out", "write_date", "write_uid"])
        closed.modified(["date_out"])
        leads.invalidate_recordset(["techdept_stage_entry_ids"])

    @api.model
    def _techdept_note_reason(self, leads, reason):
        """Keep why the leads were forced into their current stage."""
        as_server(self.sudo()).search(
            [
                ("lead_id", "in", leads.ids),
                ("date_out", "=", False),
                ("forced", "=", True),
            ]
        ).write({"reason": reason})

    # History of the leads from before it was recorded

    @api.model
    def _techdept_backfill(self):
        """Rebuild the stays of the leads that have none from what the
        chatter kept: the stage changes it tracked, who made them, the force
        wizard's notes (forced, and why); a lead whose changes were not
        tracked has its current stay, from its last stage change on."""
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        done = self.sudo()._read_group([], ["lead_id"])
        leads = Lead.search([("id", "not in", [lead.id for (lead,) in done])])
        if not leads:
            return 0
        field = self.env["ir.model.fields"]._get("crm.lead", "stage_id")
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", "crm.lead"),
                    ("mail_message_id.res_id", "in", leads.ids),
                ]
            )
        )
        changes = {}
        for tracking in trackings.sorted(
            lambda t: (t.mail_message_id.date, t.mail_message_id.id)
        ):
            changes.setdefault(tracking.mail_message_id.res_id, []).append(tracking)
        notes = self._techdept_force_notes(leads)
        stages = set(self.env["crm.stage"].sudo().search([]).ids)
        vals_list = []
        for lead in leads:
            vals_list += self._techdept_rebuild(
                lead, changes.get(lead.id, []), notes.get(lead.id, []), stages
            )
        as_server(self.sudo()).create(vals_list)
        return len(leads)

    @api.model
    def _techdept_rebuild(self, lead, changes, notes, stages):
        """The stays of one lead, from its tracked stage changes."""

        def stage(stage_id):
            return stage_id if stage_id in stages else False

        stays = []
        if changes and changes[0].old_value_integer:
            stays.append(
                {
                    "stage_id": stage(changes[0].old_value_integer),
                    "date_in": lead.create_date,
                }
            )
        previous = None
        for change in changes:
            message = change.mail_message_id
            # The wizard posts its note in the transaction of the move, just
            # before the chatter tracks the change.
            note = self._techdept_match_note(notes, previous, message.date)
            previous = message.date
            stays.append(
                {
                    "stage_id": stage(change.new_value_integer),
                    "previous_stage_id": stage(change.old_value_integer),
                    "date_in": message.date,
                    "user_id": message.author_id.user_ids[:1].id,
                    "forced": bool(note),
                    "reason": note and note["reason"],
                }
            )
        current = lead.stage_id.id
        since = lead.date_last_stage_update or lead.create_date
        if not stays or (stays[-1]["stage_id"] != current and current):
            # A change the chatter did not track: it happened when the lead's
            # stage was last updated; a force note from then on tells the rest.
            since = max(since, previous) if previous else since
            note = self._techdept_match_note(notes, since, None)
            stays.append(
                {
                    "stage_id": current,
                    "previous_stage_id": stays[-1]["stage_id"] if stays else False,
                    "date_in": since,
                    "user_id": note and note["user_id"],
                    "forced": bool(note),
                    "reason": note and note["reason"],
                }
            )
        for stay, following in zip(stays, stays[1:] + [None], strict=True):
            stay["lead_id"] = lead.id
            if following:
                stay["date_out"] = following["date_in"]
            elif not current:
                stay["date_out"] = since
        return [stay for stay in stays if stay["stage_id"]]

    @api.model
    def _techdept_force_notes(self, leads):
        """{lead id: [{date, reason, user_id}]} of the force wizard's notes,
        whatever the language they were written in."""
        patterns = []
        for code, _name in self.env["res.lang"].get_installed():
            template = force_message(self.with_context(lang=code).env)
            pattern = re.escape(template)
            for name in ("origin", "stage", "user"):
                pattern = pattern.replace(re.escape(f"%({name})s"), ".*?")
            pattern = pattern.replace(re.escape("%(reason)s"), "(?P<reason>.*)")
            patterns.append(re.compile(pattern, re.DOTALL))
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
                ]
            )
        )
        notes = {}
        for message in messages:
            text = tools.html2plaintext(message.body or "").strip()
            for pattern in patterns:
                found = pattern.fullmatch(text)
                if found:
                    notes.setdefault(message.res_id, []).append(
                        {
                            "date": message.date,
                            "reason": found["reason"].strip(),
                            "user_id": message.author_id.user_ids[:1].id,
                        }
                    )
                    break
        return notes

    @api.model
    def _techdept_match_note(self, notes, after, until):
        """The last force note posted between ``after`` and ``until`` (either
        may be None), taken out of ``notes``."""
        close = [
            note
            for note in notes
            if (after is None or note["date"] >= after)
            and (until is None or note["date"] <= until)
        ]
        if not close:
            return None
        note = max(close, key=lambda n: n["date"])
        notes.remove(note)
        return note
