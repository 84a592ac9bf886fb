from odoo import fields, models

PROJECT_KINDS = [
    ("implementation", "Implementation"),
    ("om", "After-sales O&M"),
    ("supervision", "Supervision"),
]


class TechdeptProjectPhase(models.Model):
    """A phase of a kind of project and the deliverables it cannot close
    without (policy 4.4.2 item 5; supervision plan and reports)."""

    _name = "techdept.project.phase"
    _description = "Project Phase"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(PROJECT_KINDS, required=True, index=True)
    sequence = fields.Integer(default=10)
    document_type_ids = fields.Many2many(
        "techdept.document.type",
        string="Required Deliverables",
        help="Approved documents of these types must be on the project before "
        "it leaves the phase.",
    )
    requires_handover = fields.Boolean(
        string="Needs the Accepted Handover",
        help="The project leaves this phase once its handover from presales is "
        "accepted.",
    )
    is_closed = fields.Boolean(
        string="Closing Phase", help="The project is over when it reaches this phase."
    )
    fold = fields.Boolean(string="Folded in Kanban")
    description = fields.Text(translate=True)

    def _techdept_key(self):
        self.ensure_one()
        return (self.sequence, self.id)
