from odoo import api, fields, models
from odoo.exceptions import UserError


class TechdeptDocument(models.Model):
    _inherit = "techdept.document"

    lead_item_id = fields.Many2one(
        "techdept.lead.item",
        string="Stage Item",
        index="btree_not_null",
        ondelete="cascade",
        help="The stage item of a lead this document is delivered for.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        items = self.env["techdept.lead.item"].browse(
            [vals["lead_item_id"] for vals in vals_list if vals.get("lead_item_id")]
        )
        items._check_open_for_documents()
        for vals in vals_list:
            if vals.get("lead_item_id"):
                item = items.browse(vals["lead_item_id"])
                vals.update(
                    res_model="crm.lead",
                    res_id=item.lead_id.id,
                    partner_id=vals.get("partner_id") or item.lead_id.partner_id.id,
                )
        documents = super().create(vals_list)
        documents.lead_item_id._techdept_refresh_todos()
        return documents

    _FROZEN_WITH_ITEM = {
        "name",
        "type_id",
        "attachment_ids",
        "lead_item_id",
        "is_latest",
        "res_id",
    }

    def write(self, vals):
        if self._FROZEN_WITH_ITEM & vals.keys():
            self.lead_item_id._check_open_for_documents()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_item_in_review(self):
        self.lead_item_id._check_open_for_documents()


class TechdeptLeadItem(models.Model):
    _inherit = "techdept.lead.item"

    def _check_open_for_documents(self):
        """The deliverables of an item in review or approved are frozen."""
        frozen = self.filtered(
            lambda line: line.approval_state in ("pending", "approved")
        )
        if frozen:
            raise UserError(
                self.env._(
                    "The documents of %(item)s are in review or approved: withdraw "
                    "the review first.",
                    item=frozen[0].display_name,
                )
            )
