from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.techdept_org.exceptions import ApprovalRefusal
from odoo.addons.techdept_org.models.techdept_guard import with_server_flag
from odoo.addons.techdept_org.models.techdept_lang import in_every_lang

from .project_project import PHASE_FORCE_FLAG


class TechdeptAcceptance(models.Model):
    """Acceptance (验收) of an implementation project with its internal review
    (内部评审), approved by the implementation manager and the technical
    director (policy 4.2 item 9, 4.4.1 item 14). Once approved, the project
    is handed over to after-sales O&M (4.4.1 item 15): an O&M service project
    is created, the implementation assignments end and the engineers go back
    to the pool."""

    _name = "techdept.acceptance"
    _description = "Acceptance and Internal Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _approval_chain_code = "techdept_acceptance"
    _order = "create_date desc, id desc"
    _approval_locked_fields = [
        "project_id",
        "date_acceptance",
        "review_note",
        "service_date_from",
        "service_date_to",
        "aftersales_engineer_ids",
        "onsite_engineer_ids",
    ]
    _techdept_server_fields = ("om_project_id",)

    # In the reader's language, from the project's name.
    name = fields.Char(compute="_compute_name", search="_search_name")
    project_id = fields.Many2one(
        "project.project",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('techdept_kind', '=', 'implementation')]",
    )
    date_acceptance = fields.Date(
        string="Customer Acceptance", default=fields.Date.context_today, required=True
    )
    review_note = fields.Html(string="Internal Review")
    service_date_from = fields.Date(string="Service From")
    service_date_to = fields.Date(string="Service Until")
    aftersales_engineer_ids = fields.Many2many(
        "hr.employee",
        "techdept_acceptance_aftersales_rel",
        "acceptance_id",
        "employee_id",
        string="After-sales Engineers",
        domain="[('techdept_role', '=', 'aftersales_engineer')]",
    )
    onsite_engineer_ids = fields.Many2many(
        "hr.employee",
        "techdept_acceptance_onsite_rel",
        "acceptance_id",
        "employee_id",
        string="On-site Engineers",
        domain="[('techdept_role', '=', 'onsite_engineer')]",
    )
    om_project_id = fields.Many2one(
        "project.project", string="O&M Service", readonly=True
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True)

    @api.depends("project_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        for acceptance in self:
            acceptance.name = self.env._(
                "Acceptance of %(project)s", project=acceptance.project_id.name or ""
            )

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for acceptance in self:
            acceptance.display_name = acceptance.name

    def _search_name(self, operator, value):
        return [("project_id.name", operator, value)]

    def _approval_check_submit(self):
        for acceptance in self:
            project = acceptance.project_id
            acceptance_type = self.env.ref(
                "techdept_org.document_type_acceptance_documents"
            )
            if acceptance_type not in project._techdept_approved_types().get(
                project.id, self.env["techdept.document.type"]
            ):
                raise ApprovalRefusal(
                    self.env._(
                        "%(project)s has no approved acceptance documents "
                        "(验收文档) yet.",
                        project=project.name,
                    )
                )
            if not acceptance.service_date_from or not acceptance.service_date_to:
                raise ApprovalRefusal(
                    self.env._(
                        "Give the O&M service period before the internal review."
                    )
                )
            if acceptance.service_date_to < acceptance.service_date_from:
                raise ApprovalRefusal(
                    self.env._("The O&M service period ends before it starts.")
                )
            if not (
                acceptance.aftersales_engineer_ids or acceptance.onsite_engineer_ids
            ):
                raise ApprovalRefusal(
                    self.env._(
                        "Name the after-sales or on-site engineers who take over."
                    )
                )

    def _on_approval_done(self):
        for acceptance in self:
            acceptance.sudo()._techdept_handover_to_om()

    def _approval_check_reopen(self):
        # Its approval created the O&M service and ended the assignments:
        # approving it again would do so twice.
        done = self.filtered("om_project_id")
        if done:
            raise UserError(
                self.env._(
                    "%(acceptance)s handed the project over to O&M (%(service)s): "
                    "it cannot be reopened.",
                    acceptance=done[0].name,
                    service=done[0].om_project_id.sudo().name,
                )
            )

    def _techdept_handover_to_om(self):
        """Create the O&M service and its handover, end the assignments and
        close the implementation project."""
        self.ensure_one()
        project = self.project_id
        resolver = self.env["techdept.resolver"]
        om_manager = resolver._function_holder("om", project.company_id)
        om_phase = self.env["techdept.project.phase"].search(
            [("kind", "=", "om")], limit=1
        )
        # The project's name is translatable: the service's, in every
        # installed language.
        names = in_every_lang(
            self.env,
            lambda env: env._(
                "O&M: %(project)s", project=project.with_env(env).name or ""
            ),
        )
        service = self.env["project.project"].create(
            {
                "name": names.get(self.env.lang or "en_US") or names["en_US"],
                "partner_id": project.partner_id.id,
                "company_id": project.company_id.id,
                "techdept_kind": "om",
                "techdept_phase_id": om_phase.id,
                "techdept_lead_id": project.techdept_lead_id.id,
                "techdept_origin_project_id": project.id,
                "techdept_om_manager_id": om_manager.id,
                "techdept_service_date_from": self.service_date_from,
                "techdept_service_date_to": self.service_date_to,
                "techdept_aftersales_engineer_ids": [
                    fields.Command.set(self.aftersales_engineer_ids.ids)
                ],
                "techdept_onsite_engineer_ids": [
                    fields.Command.set(self.onsite_engineer_ids.ids)
                ],
                "user_id": om_manager.user_id.id,
            }
        )
        service.update_field_translations("name", names)
        handover = self.env["techdept.handover"].create(
            {
                "kind": "om",
                "project_id": project.id,
                "target_project_id": service.id,
                "document_ids": [
                    fields.Command.set(
                        project.techdept_document_ids.filtered("is_latest").ids
                    )
                ],
            }
        )
        self.om_project_id = service
        project.techdept_assignment_ids.filtered(
            lambda a: a.state != "ended"
        ).action_end()
        closing = self.env["techdept.project.phase"].search(
            [("kind", "=", "implementation"), ("is_closed", "=", True)], limit=1
        )
        if closing:
            with_server_flag(project, PHASE_FORCE_FLAG).techdept_phase_id = closing
        project._techdept_post(
            lambda env: env._(
                "Accepted and handed over to after-sales O&M: %(service)s.",
                service=service.with_env(env).name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        handover.action_approval_submit()

    def action_open_om_project(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "project.project",
            "res_id": self.om_project_id.id,
            "view_mode": "form",
        }
