from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

RESPONSIBLE_FUNCTIONS = [
    ("presales", "Presales"),
    ("commerce", "Commerce"),
    ("sales", "Sales"),
    ("technical", "Technical Department"),
]


class TechdeptStageItem(models.Model):
    """A numbered item of a pipeline stage (policy 1.2: "2.2", "3.2" …):
    what must be delivered, by whom, how it is reviewed, and whether the lead
    may leave the stage without it."""

    _name = "techdept.stage.item"
    _description = "Stage Item"
    _order = "stage_sequence, sequence, id"

    code = fields.Char(required=True, help="The item's number in the policy, e.g. 3.2.")
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    stage_id = fields.Many2one(
        "crm.stage", required=True, ondelete="cascade", index=True
    )
    stage_sequence = fields.Integer(
        related="stage_id.sequence", store=True, string="Stage Sequence"
    )
    phase_id = fields.Many2one("techdept.presales.phase", string="Presales Phase")
    kind = fields.Selection(
        [("documents", "Deliverables"), ("task", "Task")],
        required=True,
        default="documents",
        help="Deliverables: complete when the required documents are uploaded "
        "(and approved, if the item has a review chain). Task: complete when "
        "its responsible marks it done.",
    )
    document_type_ids = fields.Many2many(
        "techdept.document.type", string="Required Documents"
    )
    responsible_function = fields.Selection(
        RESPONSIBLE_FUNCTIONS,
        string="Responsible",
        required=True,
        default="presales",
        help="Who produces the deliverables: the lead's presales engineer, "
        "commerce, the salesperson or the technical department.",
    )
    chain_id = fields.Many2one(
        "techdept.approval.chain",
        string="Review Chain",
        help="How the item's deliverables are reviewed, as one bundle.",
    )
    blocking = fields.Boolean(
        default=True,
        help="A lead cannot move past this stage while the item is incomplete.",
    )
    trigger_item_id = fields.Many2one(
        "techdept.stage.item",
        string="Follows",
        help="The item opens once this one is approved; its responsible then "
        "gets a to-do (e.g. the demonstration after the solution's final approval).",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_stage_uniq",
            "UNIQUE(code, stage_id)",
            "An item number is unique in a stage.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        if any(vals.get("trigger_item_id") for vals in vals_list):
            self.env.registry.clear_cache()
        return items

    def write(self, vals):
        result = super().write(vals)
        if "trigger_item_id" in vals:
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        followed = self & self.browse(self._followed_item_ids())
        followers = self.filtered("trigger_item_id")
        result = super().unlink()
        if followed or followers:
            self.env.registry.clear_cache()
        return result

    @api.model
    @tools.ormcache()
    def _followed_item_ids(self):
        """The ids of the items another item follows (archived ones too): the
        approval of a lead's line matters to its other lines only when its
        item is one of them. Configuration, so kept in the registry's cache
        (cleared when an item's trigger changes)."""
        items = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch([("trigger_item_id", "!=", False)], ["trigger_item_id"])
        )
        return frozenset(items.trigger_item_id.ids)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for item in self:
            item.display_name = f"{item.code} {item.name}"

    @api.constrains("kind", "document_type_ids")
    def _check_documents(self):
        for item in self:
            if item.kind == "documents" and not item.document_type_ids:
                raise ValidationError(
                    self.env._(
                        "Item %(item)s expects deliverables: name at least one "
                        "document type.",
                        item=item.display_name,
                    )
                )

    @api.constrains("trigger_item_id")
    def _check_trigger(self):
        for item in self:
            if item.trigger_item_id and not item.trigger_item_id.chain_id:
                raise ValidationError(
                    self.env._(
                        "Item %(item)s follows %(trigger)s, which has no review "
                        "chain to "
                        "wait for.",
                        item=item.display_name,
                        trigger=item.trigger_item_id.display_name,
                    )
                )
