from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.techdept_org.models.techdept_guard import with_server_flag

from ..models.project_project import PHASE_FORCE_FLAG


class TechdeptPhaseForceWizard(models.TransientModel):
    """Move projects past missing deliverables, with a written reason posted
    on each project. For the technical director only."""

    _name = "techdept.phase.force.wizard"
    _description = "Force a Project's Phase"

    project_ids = fields.Many2many("project.project", string="Projects", required=True)
    phase_id = fields.Many2one(
        "techdept.project.phase", string="Move To", required=True
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "phase_id" in fields_list and not values.get("phase_id"):
            projects = self.env["project.project"].browse(
                self.env.context.get("default_project_ids") or ()
            )
            values["phase_id"] = self._next_phase(projects).id
        return values

    @api.model
    def _next_phase(self, projects):
        """The phase after the one the projects are in (if they share one)."""
        projects = projects.exists()
        phase = projects.techdept_phase_id
        kinds = set(projects.mapped("techdept_kind"))
        if len(phase) != 1 or len(kinds) != 1:
            return self.env["techdept.project.phase"]
        key = phase._techdept_key()
        following = (
            self.env["techdept.project.phase"]
            .search([("kind", "=", phase.kind)])
            .filtered(lambda p: p._techdept_key() > key)
        )
        return min(following, key=lambda p: p._techdept_key(), default=following)

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("techdept_org.group_director"):
            raise AccessError(
                self.env._(
                    "Only the technical director may force a project past its "
                    "deliverables."
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for forcing the move."))
        projects = with_server_flag(self.project_ids, PHASE_FORCE_FLAG)
        origins = {project: project.techdept_phase_id for project in projects}
        projects.write({"techdept_phase_id": self.phase_id.id})
        for project, origin in origins.items():
            project._techdept_post(
                lambda env, origin=origin: env._(
                    "Moved from %(origin)s to %(phase)s past its deliverables, by "
                    "%(user)s: %(reason)s",
                    origin=origin.with_context(lang=env.lang).name or env._("no phase"),
                    phase=self.phase_id.with_context(lang=env.lang).name,
                    user=self.env.user.name,
                    reason=self.reason,
                ),
                subtype_xmlid="mail.mt_comment",
            )
        return {"type": "ir.actions.act_window_close"}
