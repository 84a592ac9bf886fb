from odoo import api, fields, models

from odoo.addons.techdept_org.models.techdept_guard import client_id


class TechdeptDocument(models.Model):
    _name = "techdept.document"
    _inherit = ["techdept.document", "techdept.approval.child.mixin"]
    # The deliverables of a stage item in review or approved are frozen with it.
    _approval_parent_field = "lead_item_id"
    _approval_child_free_fields = ("tag_ids", "partner_id")

    lead_item_id = fields.Many2one(
        "techdept.lead.item",
        string="Stage Item",
        index="btree_not_null",
        ondelete="cascade",
        help="The stage item of a lead this document is delivered for.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "lead_item_id" in vals:
                vals["lead_item_id"] = client_id(
                    self, "lead_item_id", vals["lead_item_id"]
                )
        items = self.env["techdept.lead.item"].browse(
            [vals["lead_item_id"] for vals in vals_list if vals.get("lead_item_id")]
        )
        for vals in vals_list:
            if vals.get("lead_item_id"):
                item = items.browse(vals["lead_item_id"]).sudo()
                vals.update(
                    res_model="crm.lead",
                    res_id=item.lead_id.id,
                    partner_id=vals.get("partner_id") or item.lead_id.partner_id.id,
                )
        documents = super().create(vals_list)
        documents.lead_item_id._techdept_refresh_todos()
        return documents

    def _approval_locked_field_names(self):
        # An approved deliverable stays with the item it was approved for.
        return super()._approval_locked_field_names() | {"lead_item_id"}

    def write(self, vals):
        if "lead_item_id" in vals:
            vals = dict(
                vals, lead_item_id=client_id(self, "lead_item_id", vals["lead_item_id"])
            )
        if vals.get("lead_item_id"):
            item = self.env["techdept.lead.item"].browse(vals["lead_item_id"]).sudo()
            vals = dict(vals, res_model="crm.lead", res_id=item.lead_id.id)
        result = super().write(vals)
        if "attachment_ids" in vals:
            # The files are in: the item may be delivered now.
            self.lead_item_id._techdept_refresh_todos()
        return result
