from odoo import models
from odoo.tools import SQL

from ..exceptions import FrozenRecord
from .techdept_guard import has_server_token


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _techdept_holders(self):
        """(records, field name) of the suite's records that hold these
        attachments in a many2many field of theirs, e.g. the files of a
        document: one query per such field."""
        holders = []
        if not self.ids:
            return holders
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
                Model.flush_model([field.name])
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
                if ids:
                    holders.append((Model.sudo().browse(ids), field.name))
        return holders

    def _techdept_frozen_owners(self, holders=None):
        """The frozen records (in review or approved, or part of such a
        record) that hold these attachments, e.g. the files of an approved
        document."""
        owners = []
        if holders is None:
            holders = self._techdept_holders()
        for records, _name in holders:
            frozen = records._techdept_frozen()
            if frozen:
                owners.append(frozen)
        return owners

    def _techdept_check_unfrozen(self, holders=None):
        if has_server_token(self.env):
            return
        owners = self._techdept_frozen_owners(holders)
        if owners:
            raise FrozenRecord(
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
        holders = self._techdept_holders()
        self._techdept_check_unfrozen(holders)
        result = super().unlink()
        # The database dropped the many2many rows with the files: what is
        # computed from them (a stage item's missing documents) follows.
        for records, name in holders:
            records.modified([name])
        return result
