from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .techdept_guard import has_server_token


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _techdept_frozen_owners(self):
        """The frozen records (in review or approved, or part of such a
        record) that hold these attachments in a many2many field of theirs,
        e.g. the files of an approved document: one query per such field."""
        owners = []
        if not self.ids:
            return owners
        for model_name in self.pool.descendants(["techdept.guard.mixin"], "_inherit"):
            Model = self.env[model_name]
            if Model._abstract or Model._transient:
                continue
            for field in Model._fields.values():
                if not (
                    field.type == "many2many"
                    and field.comodel_name == "ir.attachment"
                    and field.store
                ):
                    continue
                self.env.cr.execute(
                    SQL(
                        "SELECT DISTINCT %s FROM %s WHERE %s IN %s",
                        SQL.identifier(field.column1),
                        SQL.identifier(field.relation),
                        SQL.identifier(field.column2),
                        tuple(self.ids),
                    )
                )
                ids = [row[0] for row in self.env.cr.fetchall()]
                frozen = Model.sudo().browse(ids)._techdept_frozen()
                if frozen:
                    owners.append(frozen)
        return owners

    def _techdept_check_unfrozen(self):
        if has_server_token(self.env):
            return
        owners = self._techdept_frozen_owners()
        if owners:
            raise UserError(
                self.env._(
                    "The file belongs to %(record)s, which is under review or "
                    "approved: it cannot be changed or deleted.",
                    record=owners[0][0].display_name,
                )
            )

    def write(self, vals):
        if vals.keys() - {"access_token"}:
            self._techdept_check_unfrozen()
        return super().write(vals)

    def unlink(self):
        self._techdept_check_unfrozen()
        return super().unlink()
