from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.techdept_org.exceptions import ApprovalRefusal


class TechdeptSubcontract(models.Model):
    """A construction team (施工队) taken on for an implementation project
    (policy 4.4.1 item 10): reviewed by the implementation manager, then
    signed by commerce, with the outsourcing contract attached."""

    _name = "techdept.subcontract"
    _description = "Construction Team Outsourcing"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _approval_chain_code = "techdept_subcontract"
    _approval_locked_fields = [
        "name",
        "project_id",
        "partner_id",
        "scope",
        "amount",
        "date_start",
        "date_end",
        "attachment_ids",
    ]

    name = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        domain=[("techdept_kind", "=", "implementation")],
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Construction Team",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The subcontractor doing the construction work.",
    )
    scope = fields.Text(string="Scope of Work", required=True)
    amount = fields.Monetary(required=True, tracking=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    date_start = fields.Date(string="Start", tracking=True)
    date_end = fields.Date(string="End", tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "techdept_subcontract_attachment_rel",
        "subcontract_id",
        "attachment_id",
        string="Contract Files",
        help="The signed outsourcing contract; required before the review.",
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for subcontract in self:
            subcontract.currency_id = (
                subcontract.company_id.currency_id or self.env.company.currency_id
            )

    @api.constrains("amount")
    def _check_amount(self):
        for subcontract in self:
            if subcontract.amount <= 0:
                raise ValidationError(
                    self.env._(
                        "The amount of %(subcontract)s must be positive.",
                        subcontract=subcontract.name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for subcontract in self:
            if (
                subcontract.date_start
                and subcontract.date_end
                and subcontract.date_end < subcontract.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "%(subcontract)s ends on %(end)s, before it starts on "
                        "%(start)s.",
                        subcontract=subcontract.name,
                        end=subcontract.date_end,
                        start=subcontract.date_start,
                    )
                )

    @api.constrains("project_id")
    def _check_project_kind(self):
        for subcontract in self.sudo():
            if subcontract.project_id.techdept_kind != "implementation":
                raise ValidationError(
                    self.env._(
                        "%(project)s is not an implementation project: construction "
                        "teams are taken on for implementation projects only.",
                        project=subcontract.project_id.display_name,
                    )
                )

    # Approval

    def _approval_check_submit(self):
        for subcontract in self:
            if not subcontract.attachment_ids:
                raise ApprovalRefusal(
                    self.env._(
                        "Attach the outsourcing contract of %(subcontract)s before "
                        "submitting it.",
                        subcontract=subcontract.name,
                    )
                )
