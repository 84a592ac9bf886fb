from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.techdept_org.models.techdept_guard import with_server_flag

from ..models.crm_lead import FORCE_FLAG


class TechdeptStageForceWizard(models.TransientModel):
    """Move leads past missing stage items, with a written reason that is
    posted on each lead. For the technical director and the general
    manager's office only."""

    _name = "techdept.stage.force.wizard"
    _description = "Force a Lead's Stage"

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    stage_id = fields.Many2one("crm.stage", string="Move To", required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "stage_id" in fields_list and not values.get("stage_id"):
            leads = self.env["crm.lead"].browse(
                self.env.context.get("default_lead_ids") or ()
            )
            values["stage_id"] = self._next_stage(leads).id
        return values

    @api.model
    def _next_stage(self, leads):
        """The stage after the one the leads are in (if they share one):
        where a forced move usually goes."""
        stage = leads.exists().stage_id
        if len(stage) != 1:
            return self.env["crm.stage"]
        key = stage._techdept_key()
        following = (
            self.env["crm.stage"]
            .search([("team_id", "in", [False, *leads.team_id.ids])])
            .filtered(lambda s: s._techdept_key() > key)
        )
        return min(following, key=lambda s: s._techdept_key(), default=following)

    def action_confirm(self):
        self.ensure_one()
        user = self.env.user
        if not (
            user.has_group("techdept_org.group_director")
            or user.has_group("techdept_org.group_gm_office")
        ):
            raise AccessError(
                self.env._(
                    "Only the technical director or the general manager's office "
                    "may force a lead past its stage items."
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for forcing the move."))
        leads = with_server_flag(self.lead_ids, FORCE_FLAG)
        origins = {lead: lead.stage_id for lead in leads}
        leads.write({"stage_id": self.stage_id.id})
        self.env["techdept.lead.stage.entry"]._techdept_note_reason(leads, self.reason)
        for lead, origin in origins.items():
            lead._techdept_post(
                lambda env, origin=origin: env._(
                    "Moved from %(origin)s to %(stage)s past its stage items, by "
                    "%(user)s: %(reason)s",
                    origin=origin.with_context(lang=env.lang).name,
                    stage=self.stage_id.with_context(lang=env.lang).name,
                    user=self.env.user.name,
                    reason=self.reason,
                ),
                subtype_xmlid="mail.mt_comment",
            )
        return {"type": "ir.actions.act_window_close"}
