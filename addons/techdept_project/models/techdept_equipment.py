from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.techdept_org.exceptions import ApprovalRefusal
from odoo.addons.techdept_org.models.techdept_guard import as_server
from odoo.addons.techdept_org.models.techdept_lang import in_company_lang

EQUIPMENT_OPERATIONS = [
    ("add", "Add"),
    ("remove", "Remove"),
    ("change", "Change"),
]


def _qty(quantity):
    """2.0 → "2", 2.5 → "2.5"."""
    return f"{quantity:.3f}".rstrip("0").rstrip(".")


class TechdeptEquipmentLine(models.Model):
    """One item of a project's current equipment list. It changes only
    through approved equipment changes (policy 4.4.2 item 8), which it
    remembers; a removed item is archived, not deleted."""

    _name = "techdept.equipment.line"
    _description = "Project Equipment"
    _inherit = ["techdept.guard.mixin"]
    _order = "project_id, sequence, id"
    _check_company_auto = True
    # The list changes only through approved equipment changes.
    _techdept_server_create = True
    _techdept_server_fields = (
        "project_id",
        "name",
        "spec",
        "quantity",
        "uom",
        "active",
        "change_id",
    )

    sequence = fields.Integer(default=10)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    name = fields.Char(string="Equipment", required=True)
    spec = fields.Char(string="Model / Specification")
    quantity = fields.Float(default=1.0)
    uom = fields.Char(string="Unit")
    note = fields.Text()
    active = fields.Boolean(default=True)
    change_id = fields.Many2one(
        "techdept.equipment.change",
        string="Last Change",
        readonly=True,
        index=True,
        ondelete="set null",
        help="The approved change that added this item or last changed it.",
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )

    @api.depends("name", "spec")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                self.env._("%(name)s (%(spec)s)", name=line.name, spec=line.spec)
                if line.spec
                else (line.name or "")
            )

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of %(equipment)s must be positive.",
                        equipment=line.display_name,
                    )
                )


class TechdeptEquipmentChange(models.Model):
    """A request to change a project's equipment list (policy 4.4.2 item 8),
    approved by the implementation manager then commerce; once approved, its
    lines are applied to the list. The approved changes are the list's
    history."""

    _name = "techdept.equipment.change"
    _description = "Equipment Change"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _approval_chain_code = "techdept_equipment_change"
    _approval_locked_fields = ["name", "project_id", "reason", "line_ids"]
    _techdept_server_fields = ("applied_date",)

    name = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
    )
    reason = fields.Text(required=True)
    line_ids = fields.One2many(
        "techdept.equipment.change.line", "change_id", string="Changes", copy=True
    )
    applied_date = fields.Datetime(
        string="Applied On",
        readonly=True,
        copy=False,
        help="When the approved change was applied to the equipment list.",
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )

    # Approval

    def _approval_check_submit(self):
        for change in self:
            if not change.line_ids:
                raise ApprovalRefusal(
                    self.env._(
                        "%(change)s changes nothing: add a line before submitting it.",
                        change=change.name,
                    )
                )
            change.line_ids._check_equipment_current()

    def _on_approval_done(self):
        self.sudo()._apply()

    def _approval_check_reopen(self):
        # The list has changed already: approving it again would apply its
        # lines twice.
        applied = self.filtered("applied_date")
        if applied:
            raise UserError(
                self.env._(
                    "%(change)s is applied to the equipment list: it cannot be "
                    "reopened; request another change instead.",
                    change=applied[0].name,
                )
            )

    # Business

    def _apply(self):
        """Apply the lines to the project's equipment list and post what
        changed on the project."""
        Equipment = self.env["techdept.equipment.line"]
        # What changed goes to the chatter: in the company's language.
        chatter = in_company_lang(self).env
        for change in self:
            change.line_ids._check_equipment_current()
            summary = []
            for line in change.line_ids:
                equipment = line.equipment_line_id
                if line.operation == "add":
                    equipment = Equipment.create(
                        {
                            "project_id": change.project_id.id,
                            "name": line.name,
                            "spec": line.spec,
                            "quantity": line.quantity,
                            "uom": line.uom,
                            "note": line.note,
                            "change_id": change.id,
                        }
                    )
                    text = chatter._(
                        "Added %(equipment)s × %(quantity)s",
                        equipment=equipment.with_env(chatter).display_name,
                        quantity=_qty(line.quantity),
                    )
                elif line.operation == "change":
                    before = chatter._(
                        "%(equipment)s × %(quantity)s",
                        equipment=equipment.with_env(chatter).display_name,
                        quantity=_qty(equipment.quantity),
                    )
                    values = {
                        "spec": line.spec,
                        "quantity": line.quantity,
                        "change_id": change.id,
                    }
                    if line.uom:
                        values["uom"] = line.uom
                    equipment.write(values)
                    text = chatter._(
                        "Changed %(before)s into %(equipment)s × %(quantity)s",
                        before=before,
                        equipment=equipment.with_env(chatter).display_name,
                        quantity=_qty(equipment.quantity),
                    )
                else:
                    equipment.write({"active": False, "change_id": change.id})
                    text = chatter._(
                        "Removed %(equipment)s",
                        equipment=equipment.with_env(chatter).display_name,
                    )
                summary.append(Markup("<li>%s</li>") % text)
            as_server(change).applied_date = fields.Datetime.now()
            change.project_id._techdept_post(
                Markup("<p>%s</p><ul>%s</ul>")
                % (
                    chatter._(
                        "Equipment change %(change)s approved and applied:",
                        change=change.name,
                    ),
                    Markup().join(summary),
                ),
                subtype_xmlid="mail.mt_note",
            )
            change._techdept_post(
                lambda env: env._("Applied to the equipment list."),
                subtype_xmlid="mail.mt_note",
            )


class TechdeptEquipmentChangeLine(models.Model):
    """One item of an equipment change: add a new item, or remove or change
    an item of the list."""

    _name = "techdept.equipment.change.line"
    _description = "Equipment Change Line"
    _inherit = ["techdept.approval.child.mixin"]
    _order = "change_id, sequence, id"
    _check_company_auto = True
    _approval_parent_field = "change_id"

    sequence = fields.Integer(default=10)
    change_id = fields.Many2one(
        "techdept.equipment.change", required=True, index=True, ondelete="cascade"
    )
    project_id = fields.Many2one(related="change_id.project_id")
    operation = fields.Selection(EQUIPMENT_OPERATIONS, required=True, default="add")
    equipment_line_id = fields.Many2one(
        "techdept.equipment.line",
        string="Equipment Item",
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('project_id', '=', project_id)]",
        help="The item of the list to remove or change.",
    )
    name = fields.Char(
        string="Equipment",
        compute="_compute_from_equipment",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    spec = fields.Char(
        string="Model / Specification",
        compute="_compute_from_equipment",
        store=True,
        precompute=True,
        readonly=False,
    )
    quantity = fields.Float(
        compute="_compute_from_equipment",
        store=True,
        precompute=True,
        readonly=False,
    )
    uom = fields.Char(
        string="Unit",
        compute="_compute_from_equipment",
        store=True,
        precompute=True,
        readonly=False,
    )
    note = fields.Text()
    company_id = fields.Many2one(related="change_id.company_id", store=True, index=True)

    @api.depends("equipment_line_id")
    def _compute_from_equipment(self):
        for line in self:
            equipment = line.equipment_line_id
            if not equipment:
                continue
            line.name = equipment.name
            line.spec = equipment.spec
            line.quantity = equipment.quantity
            line.uom = equipment.uom

    @api.constrains("operation", "equipment_line_id", "change_id")
    def _check_equipment_line(self):
        for line in self:
            if line.operation == "add":
                continue
            if not line.equipment_line_id:
                raise ValidationError(
                    self.env._(
                        "%(change)s: say which item of the list to %(operation)s.",
                        change=line.change_id.name,
                        operation=line._operation_label().lower(),
                    )
                )
            if line.equipment_line_id.sudo().project_id != line.change_id.project_id:
                raise ValidationError(
                    self.env._(
                        "%(equipment)s is not on the equipment list of %(project)s.",
                        equipment=line.equipment_line_id.display_name,
                        project=line.change_id.project_id.display_name,
                    )
                )

    @api.constrains("operation", "quantity")
    def _check_quantity(self):
        for line in self:
            if line.operation in ("add", "change") and line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "%(change)s: the quantity of %(equipment)s must be positive.",
                        change=line.change_id.name,
                        equipment=line.name,
                    )
                )

    def _operation_label(self):
        self.ensure_one()
        return dict(self._fields["operation"]._description_selection(self.env))[
            self.operation
        ]

    def _check_equipment_current(self):
        """Refuse lines whose item was removed by another change meanwhile."""
        for line in self.sudo():
            equipment = line.equipment_line_id
            if line.operation != "add" and equipment and not equipment.active:
                raise UserError(
                    self.env._(
                        "%(change)s: %(equipment)s was removed from the list by "
                        "%(other)s.",
                        change=line.change_id.name,
                        equipment=equipment.display_name,
                        other=equipment.change_id.name or self.env._("another change"),
                    )
                )
