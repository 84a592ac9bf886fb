"""The smallest document OCA's tier validation can review: the shape of
base_tier_validation's own test model (a state, a mail thread), so that the
benchmark measures the validation engine and nothing else."""

from odoo import api, fields, models


class BenchTierDocument(models.Model):
    _name = "bench.tier.document"
    _description = "Benchmark Tier Document"
    _inherit = ["tier.validation", "mail.thread"]
    _state_from = ["draft"]
    _state_to = ["confirmed"]

    name = fields.Char(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
    )

    def action_confirm(self):
        self.write({"state": "confirmed"})


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        return super()._get_tier_validation_model_names() + ["bench.tier.document"]
