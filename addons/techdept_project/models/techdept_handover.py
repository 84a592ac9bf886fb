from odoo import api, fields, models

from odoo.addons.techdept_org.exceptions import ApprovalRefusal


class TechdeptHandover(models.Model):
    """A handover (交接): presales to implementation (policy 4.3.1 item 11,
    4.4.1 item 11), or implementation to after-sales O&M (4.4.1 item 15).
    The receiving manager accepts or returns it through the approval engine."""

    _name = "techdept.handover"
    _description = "Project Handover"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "create_date desc, id desc"
    _approval_locked_fields = ["project_id", "kind", "document_ids", "note"]
    # The handover to O&M is made by the acceptance, not by hand.
    _techdept_server_fields = ("kind", "target_project_id")

    # In the reader's language, from the kind and the project's name.
    name = fields.Char(compute="_compute_name", search="_search_name")
    kind = fields.Selection(
        [
            ("presales", "Presales to Implementation"),
            ("om", "Implementation to O&M"),
        ],
        required=True,
        default="presales",
    )
    project_id = fields.Many2one(
        "project.project", required=True, ondelete="cascade", index=True
    )
    target_project_id = fields.Many2one(
        "project.project",
        string="O&M Service",
        readonly=True,
        help="For a handover to O&M: the service project that takes over.",
    )
    lead_id = fields.Many2one(related="project_id.techdept_lead_id", store=True)
    document_ids = fields.Many2many(
        "techdept.document",
        string="Documents Handed Over",
        help="The lead's approved documents, and the deepened implementation plan.",
    )
    deepened_plan_ok = fields.Boolean(
        string="Deepened Plan Attached", compute="_compute_deepened_plan_ok"
    )
    note = fields.Html()
    company_id = fields.Many2one(related="project_id.company_id", store=True)

    @api.depends("kind", "project_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for handover in self:
            handover.name = self.env._(
                "%(kind)s: %(project)s",
                kind=kinds.get(handover.kind, ""),
                project=handover.project_id.name or "",
            )

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for handover in self:
            handover.display_name = handover.name

    def _search_name(self, operator, value):
        return [("project_id.name", operator, value)]

    @api.depends("document_ids.type_id")
    def _compute_deepened_plan_ok(self):
        plan = self.env.ref("techdept_org.document_type_deepened_plan")
        for handover in self:
            handover.deepened_plan_ok = plan in handover.document_ids.type_id

    def _approval_get_chain(self):
        code = (
            "techdept_handover_presales"
            if self.kind == "presales"
            else "techdept_handover_om"
        )
        return (
            self.env["techdept.approval.chain"]
            .sudo()
            .search([("code", "=", code)], limit=1)
        )

    def _approval_check_submit(self):
        for handover in self:
            if handover.kind == "presales" and not handover.deepened_plan_ok:
                raise ApprovalRefusal(
                    self.env._(
                        "%(handover)s needs the deepened implementation plan "
                        "(深化实施方案) "
                        "before it is handed over.",
                        handover=handover.name,
                    )
                )

    def _on_approval_done(self):
        for handover in self.filtered(lambda h: h.kind == "presales"):
            project = handover.project_id
            phases = self.env["techdept.project.phase"].search(
                [("kind", "=", project.techdept_kind)]
            )
            # A project without a phase is at the first one; one past the
            # handover's phase has moved on (approved again after a reopening).
            phase = project.techdept_phase_id or phases[:1]
            if not phase.requires_handover:
                continue
            current = phase._techdept_key()
            following = phases.filtered(
                lambda p, current=current: p._techdept_key() > current
            )[:1]
            if following:
                project.sudo().techdept_phase_id = following
            project._techdept_post(
                lambda env: env._("Handover accepted: the implementation starts."),
                subtype_xmlid="mail.mt_note",
            )
