from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.techdept_org.models.techdept_guard import as_server


class CrmLead(models.Model):
    _inherit = "crm.lead"

    techdept_project_ids = fields.One2many(
        "project.project", "techdept_lead_id", string="Projects"
    )
    stage_is_won = fields.Boolean(related="stage_id.is_won", string="Won Stage")
    techdept_project_count = fields.Integer(
        string="Project Count", compute="_compute_techdept_project_count"
    )

    def _compute_techdept_project_count(self):
        counts = dict(
            self.env["project.project"]._read_group(
                [("techdept_lead_id", "in", self.ids)],
                ["techdept_lead_id"],
                ["__count"],
            )
        )
        for lead in self:
            lead.techdept_project_count = counts.get(lead, 0)

    def action_techdept_create_project(self):
        """From a won opportunity: the implementation project and its
        handover from presales, with the lead's documents carried over."""
        self.ensure_one()
        if not self.stage_id.is_won:
            raise UserError(
                self.env._("%(lead)s is not won: no project yet.", lead=self.name)
            )
        if self.techdept_project_ids.filtered(
            lambda p: p.techdept_kind == "implementation"
        ):
            raise UserError(
                self.env._(
                    "%(lead)s has its implementation project already.", lead=self.name
                )
            )
        manager = self.env["techdept.resolver"]._function_holder(
            "implementation", self.company_id or self.env.company
        )
        project = as_server(self.env["project.project"]).create(
            {
                "name": self.name,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id or self.env.company.id,
                "techdept_kind": "implementation",
                "techdept_lead_id": self.id,
                "techdept_implementation_manager_id": manager.id,
                "user_id": manager.user_id.id,
            }
        )
        documents = self.env["techdept.document"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", self.id),
                ("is_latest", "=", True),
            ]
        )
        self.env["techdept.handover"].create(
            {
                "project_id": project.id,
                "document_ids": [fields.Command.set(documents.ids)],
            }
        )
        self._techdept_post(
            lambda env: env._(
                "Implementation project %(project)s created.", project=project.name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "project.project",
            "res_id": project.id,
            "view_mode": "form",
        }

    def action_techdept_projects(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Projects"),
            "res_model": "project.project",
            "view_mode": "list,form",
            "domain": [("techdept_lead_id", "=", self.id)],
        }
