from odoo import api, fields, models

from odoo.addons.techdept_org.models.techdept_guard import with_server_flag

from .crm_lead import FORCE_FLAG

# Odoo's default pipeline and the policy stage that takes over each one.
_DEFAULT_STAGES = {
    "crm.stage_lead1": "techdept_crm_stages.stage_first_contact",
    "crm.stage_lead2": "techdept_crm_stages.stage_deep_contact",
    "crm.stage_lead3": "techdept_crm_stages.stage_solution_confirmation",
    "crm.stage_lead4": "techdept_crm_stages.stage_contract",
}


class CrmStage(models.Model):
    _inherit = "crm.stage"

    techdept_code = fields.Char(
        string="Policy Stage",
        help="The stage's number in the policy (1 first contact … 5 contract).",
    )
    techdept_item_ids = fields.One2many(
        "techdept.stage.item", "stage_id", string="Stage Items"
    )
    techdept_phase_ids = fields.One2many(
        "techdept.presales.phase", "stage_id", string="Presales Phases"
    )

    def _techdept_key(self):
        """Order of the pipeline: a move to a greater key is forward."""
        self.ensure_one()
        return (self.sequence, self.id)

    @api.model
    def _techdept_adopt_policy_pipeline(self):
        """Move the leads of Odoo's default stages (New, Qualified,
        Proposition, Won) to the matching policy stage and delete the
        default ones, which Odoo lets a database remove. The leads existed
        before the policy did: the gate does not apply to this move."""
        Lead = with_server_flag(
            self.env["crm.lead"].with_context(active_test=False, tracking_disable=True),
            FORCE_FLAG,
        )
        for old_xmlid, new_xmlid in _DEFAULT_STAGES.items():
            old = self.env.ref(old_xmlid, raise_if_not_found=False)
            if not old:
                continue
            Lead.search([("stage_id", "=", old.id)]).write(
                {"stage_id": self.env.ref(new_xmlid).id}
            )
            old.unlink()
