from odoo import fields, models


class TechdeptPresalesPhase(models.Model):
    """One of the six phases of presales support (policy 1.2): contact,
    consulting, tracking, tender, bidding, implementation."""

    _name = "techdept.presales.phase"
    _description = "Presales Phase"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    stage_id = fields.Many2one(
        "crm.stage",
        string="Pipeline Stage",
        ondelete="set null",
        help="The stage of the pipeline this phase of presales work falls in.",
    )
    description = fields.Text(translate=True)
