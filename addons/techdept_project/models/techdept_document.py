from odoo import api, models
from odoo.osv import expression


class TechdeptDocument(models.Model):
    _inherit = "techdept.document"

    @api.model
    def _techdept_origin_query(self, model, operation):
        # Project users do not write projects, yet the people working on a
        # project write its deliverables: its members (managers, project
        # manager, engineers) and the technical director contribute; others
        # who may read the project only read them.
        if model != "project.project" or operation == "read":
            return super()._techdept_origin_query(model, operation)
        Project = self.env[model].with_context(active_test=False)
        if not Project.has_access("read"):
            return None
        if self.env.user.has_group("techdept_org.group_director"):
            return Project.sudo()._search([])
        rule = self.env["ir.rule"]._compute_domain(model, "read") or []
        # The members are computed and stored: make the subquery see them.
        Project.flush_model(["techdept_member_user_ids"])
        return Project.sudo()._search(
            expression.AND([rule, [("techdept_member_user_ids", "in", self.env.uid)]])
        )
