from odoo import api, models, tools

# Abstract models of the suite whose fields every consumer inherits. Odoo
# looks a field's label, help and selection labels up per model, under the
# consumer's own module; a consumer's translation file does not carry the
# mixin's terms (and a new consumer has none yet), so the mixin's own
# translations stand in for them.
TRANSLATED_MIXINS = ("techdept.approval.mixin",)


class IrModelFields(models.Model):
    _inherit = "ir.model.fields"

    @api.model
    def _techdept_mixins(self, model_name):
        """The translated mixins ``model_name`` inherits, as models."""
        model_class = self.pool.get(model_name)
        if model_class is None:
            return []
        return [
            self.env[name]
            for name in TRANSLATED_MIXINS
            if name != model_name
            and name in self.pool
            and issubclass(model_class, self.pool[name])
        ]

    @api.model
    def _techdept_fill_from_mixins(self, model_name, values, attribute, lookup):
        """Fill ``values`` ({field: text}) with the mixins' translations of
        ``attribute`` ('string' or 'help') for the fields the consumer has
        neither relabelled nor translated itself."""
        mixins = self._techdept_mixins(model_name)
        if not mixins:
            return values
        values = dict(values)
        fields = self.env[model_name]._fields
        for mixin in mixins:
            translated = lookup(mixin._name)
            for name, mixin_field in mixin._fields.items():
                field = fields.get(name)
                source = getattr(mixin_field, attribute, None)
                if (
                    field is None
                    or not source
                    or getattr(field, attribute, None) != source
                    or values.get(name, source) != source
                    or not translated.get(name)
                ):
                    continue
                values[name] = translated[name]
        return values

    @api.model
    @tools.ormcache_context("model_name", keys=("lang",))
    def get_field_string(self, model_name):
        return self._techdept_fill_from_mixins(
            model_name,
            super().get_field_string(model_name),
            "string",
            super().get_field_string,
        )

    @api.model
    @tools.ormcache_context("model_name", keys=("lang",))
    def get_field_help(self, model_name):
        return self._techdept_fill_from_mixins(
            model_name,
            super().get_field_help(model_name),
            "help",
            super().get_field_help,
        )

    @api.model
    @tools.ormcache_context("model_name", "field_name", keys=("lang",))
    def get_field_selection(self, model_name, field_name):
        selection = super().get_field_selection(model_name, field_name)
        field = self.env[model_name]._fields.get(field_name)
        for mixin in self._techdept_mixins(model_name):
            mixin_field = mixin._fields.get(field_name)
            if (
                field is None
                or mixin_field is None
                or not isinstance(field.selection, list)
                or not isinstance(mixin_field.selection, list)
            ):
                continue
            sources = dict(field.selection)
            mixin_sources = dict(mixin_field.selection)
            translated = dict(super().get_field_selection(mixin._name, field_name))
            selection = [
                (
                    value,
                    translated[value]
                    if label == sources.get(value) == mixin_sources.get(value)
                    and translated.get(value)
                    else label,
                )
                for value, label in selection
            ]
        return selection
