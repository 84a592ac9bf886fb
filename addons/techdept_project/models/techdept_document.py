from odoo import api, models


class TechdeptDocument(models.Model):
    _inherit = "techdept.document"

    @api.model
    def _techdept_origin_operation(self, model, operation):
        # Project users do not write projects, yet the project manager and
        # the engineers write its deliverables: reading the project suffices.
        if model == "project.project":
            return "read"
        return super()._techdept_origin_operation(model, operation)
