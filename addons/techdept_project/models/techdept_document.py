from odoo import api, models
from odoo.osv import expression


class TechdeptDocument(models.Model):
    _inherit = "techdept.document"

    @api.model
    def _techdept_origin_query(self, model, operation):
        # Project users do not write projects, yet the people working on a
        # project write its deliverables: its members (managers, project
        # manager, engineers) and the technical director contribute. Every
        # employee reads the projects, not their deliverables: the
        # department's managers and the general manager's office read them
        # all, anybody else those of the projects he works on (and those he
        # reviews, see _techdept_access_domain).
        user = self.env.user
        if model != "project.project" or (
            operation == "read"
            and (
                user.has_group("techdept_org.group_manager")
                or user.has_group("techdept_org.group_gm_office")
            )
        ):
            return super()._techdept_origin_query(model, operation)
        Project = self.env[model].with_context(active_test=False)
        if not Project.has_access("read"):
            return None
        if user.has_group("techdept_org.group_director"):
            return Project.sudo()._search([])
        rule = self.env["ir.rule"]._compute_domain(model, "read") or []
        # The members are computed and stored: make the subquery see them.
        Project.flush_model(["techdept_member_user_ids"])
        return Project.sudo()._search(
            expression.AND([rule, [("techdept_member_user_ids", "in", self.env.uid)]])
        )
