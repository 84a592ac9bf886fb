from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.techdept_org.exceptions import ApprovalRefusal
from odoo.addons.techdept_org.models.techdept_lang import in_company_lang


class TechdeptRepair(models.Model):
    """A repair (返修) or replacement (更换) of equipment of an after-sales
    O&M project (policy 4.5.1 items 9-10, 4.5.3 items 6-7). Commerce checks
    the price (核价); an approved replacement or purchase becomes a sales
    opportunity for the quotation."""

    _name = "techdept.repair"
    _description = "Equipment Repair or Replacement"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _approval_chain_code = "techdept_repair_price_check"
    _approval_locked_fields = [
        "name",
        "project_id",
        "equipment_line_id",
        "equipment",
        "fault",
        "kind",
        "vendor_id",
        "price_amount",
    ]
    _techdept_server_fields = ("lead_id",)

    name = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one(
        "project.project",
        string="O&M Project",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        domain=[("techdept_kind", "=", "om")],
    )
    partner_id = fields.Many2one(related="project_id.partner_id")
    equipment_line_id = fields.Many2one(
        "techdept.equipment.line",
        string="Equipment Item",
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        domain="[('project_id', '=', project_id)]",
        help="The item of the project's equipment list, when it is on the list.",
    )
    equipment = fields.Char(
        compute="_compute_equipment",
        store=True,
        readonly=False,
        tracking=True,
        help="What is repaired or replaced, when it is not on the equipment list.",
    )
    fault = fields.Text(required=True)
    kind = fields.Selection(
        [
            ("repair", "Repair"),
            ("replace", "Replacement"),
            ("purchase", "Purchase"),
        ],
        required=True,
        default="repair",
        tracking=True,
    )
    vendor_id = fields.Many2one(
        "res.partner",
        string="Repair Vendor",
        index=True,
        tracking=True,
        check_company=True,
    )
    price_amount = fields.Monetary(
        string="Checked Price",
        tracking=True,
        help="The price commerce checks (核价) before the work is ordered.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    lead_id = fields.Many2one(
        "crm.lead",
        string="Quotation Opportunity",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )

    @api.depends("equipment_line_id")
    def _compute_equipment(self):
        for repair in self:
            if repair.equipment_line_id:
                repair.equipment = repair.equipment_line_id.display_name

    @api.depends("company_id")
    def _compute_currency_id(self):
        for repair in self:
            repair.currency_id = (
                repair.company_id.currency_id or self.env.company.currency_id
            )

    @api.constrains("project_id")
    def _check_project_kind(self):
        for repair in self.sudo():
            if repair.project_id.techdept_kind != "om":
                raise ValidationError(
                    self.env._(
                        "%(project)s is not an after-sales O&M project: repairs and "
                        "replacements are recorded on O&M projects only.",
                        project=repair.project_id.display_name,
                    )
                )

    @api.constrains("equipment_line_id", "equipment", "project_id")
    def _check_equipment(self):
        for repair in self.sudo():
            if not repair.equipment_line_id and not (repair.equipment or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(repair)s: say which equipment is repaired or replaced.",
                        repair=repair.name,
                    )
                )
            line = repair.equipment_line_id
            if line and line.project_id != repair.project_id:
                raise ValidationError(
                    self.env._(
                        "%(equipment)s is not on the equipment list of %(project)s.",
                        equipment=line.display_name,
                        project=repair.project_id.display_name,
                    )
                )

    @api.constrains("price_amount")
    def _check_price_amount(self):
        for repair in self:
            if repair.price_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The price of %(repair)s cannot be negative.",
                        repair=repair.name,
                    )
                )

    def action_request_quotation(self):
        """Ask sales for a quotation of an approved replacement or purchase:
        an opportunity for the project's customer, once."""
        self.ensure_one()
        self.check_access("write")
        if self.kind not in ("replace", "purchase"):
            raise UserError(
                self.env._(
                    "%(repair)s is a repair: only replacements and purchases are "
                    "quoted.",
                    repair=self.name,
                )
            )
        if self.approval_state != "approved":
            raise UserError(
                self.env._(
                    "The price of %(repair)s is not checked yet: a quotation is "
                    "requested once commerce approves it.",
                    repair=self.name,
                )
            )
        if self.lead_id:
            raise UserError(
                self.env._(
                    "A quotation is already requested for %(repair)s: %(lead)s.",
                    repair=self.name,
                    lead=self.lead_id.sudo().display_name,
                )
            )
        # The opportunity is sales' to read: in the company's language.
        repair = in_company_lang(self.sudo())
        project = repair.project_id
        equipment = repair._equipment_label()
        description = Markup(
            "<p><strong>%s</strong> %s</p><p><strong>%s</strong> %s</p>"
            "<p><strong>%s</strong></p><p>%s</p>"
        ) % (
            repair.env._("Project:"),
            project.display_name,
            repair.env._("Equipment:"),
            equipment,
            repair.env._("Fault:"),
            repair.fault or "",
        )
        lead = (
            self.env["crm.lead"]
            .sudo()
            .create(
                {
                    "name": repair.env._(
                        "Replacement: %(equipment)s — %(project)s",
                        equipment=equipment,
                        project=project.name,
                    ),
                    "type": "opportunity",
                    "partner_id": project.partner_id.id,
                    "user_id": project.techdept_lead_id.user_id.id,
                    "description": description,
                    "company_id": repair.company_id.id or self.env.company.id,
                }
            )
        )
        repair.lead_id = lead
        repair._techdept_post(
            lambda env: env._(
                "Quotation requested from sales: %(lead)s.", lead=lead.name
            ),
            subtype_xmlid="mail.mt_note",
        )
        lead._techdept_post(
            lambda env: env._(
                "Quotation requested for %(repair)s (%(project)s).",
                repair=repair.name,
                project=project.with_env(env).display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if not lead.with_env(self.env).has_access("read"):
            return True
        return {
            "type": "ir.actions.act_window",
            "name": lead.name,
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _equipment_label(self):
        self.ensure_one()
        return self.equipment_line_id.sudo().display_name or self.equipment or ""

    # Approval

    def _approval_check_submit(self):
        for repair in self:
            if repair.price_amount <= 0:
                raise ApprovalRefusal(
                    self.env._(
                        "Enter the price of %(repair)s before submitting it for the "
                        "price check.",
                        repair=repair.name,
                    )
                )
