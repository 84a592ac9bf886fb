import functools

from odoo import api, models
from odoo.exceptions import ValidationError

from ..exceptions import ServerOwnedField


class _ServerToken:
    """The value that marks an environment as the server's own work.

    RPC transports carry only JSON values, so no client can put this object
    in a context: a context key holding it cannot be forged, unlike a flag."""

    __slots__ = ()

    def __repr__(self):
        return "<techdept server>"


_SERVER = _ServerToken()
_SERVER_KEY = "techdept_server"


def as_server(records):
    """``records`` in an environment whose writes the guards trust: for the
    server's own transitions, never for values a client sent."""
    return records.with_context(**{_SERVER_KEY: _SERVER})


def has_server_token(env):
    """Whether ``env`` carries the token of ``as_server``."""
    return env.context.get(_SERVER_KEY) is _SERVER


def with_server_flag(records, flag):
    """``records`` with ``flag`` raised in their context, in a way no client
    can imitate (e.g. a forced move, after its wizard checked who forces)."""
    return records.with_context(**{flag: _SERVER})


def has_server_flag(env, flag):
    return env.context.get(flag) is _SERVER


def is_server(env):
    """Whether ``env`` runs the server's own work: superuser mode (which no
    RPC call can enter) or the token of ``as_server``."""
    return env.su or has_server_token(env)


def join_names(env, names):
    """``names`` as a list in the user's language ("a, b" in English,
    "a、b" in Chinese)."""
    names = list(names)
    if not names:
        return ""
    return functools.reduce(
        lambda first, second: env._(
            "%(first)s, %(second)s", first=first, second=second
        ),
        names,
    )


def field_labels(model, names):
    """The labels of fields ``names`` of ``model``, in the user's language."""
    return [
        model._fields[name].get_description(model.env)["string"]
        for name in sorted(names)
    ]


def prefetchable_names(model):
    """The fields of ``model`` the ORM reads together when it reads one of
    them (its columns): what a ``search_fetch`` gives to read rows the way
    reading their first field would, in the same query as the search."""
    return [name for name, field in model._fields.items() if field.prefetch is True]


def model_label(model):
    """The name of ``model`` in the user's language."""
    return model.env["ir.model"]._get(model._name).name or model._description


def client_id(model, name, value):
    """The id a client sent for the many2one ``name`` of ``model``, for code
    that reads it before the ORM does: an integer, or False for none (False,
    None, 0). Anything else (a string, a list, a float, a boolean) is
    refused with a clear error rather than failing deeper down."""
    if value is None or value is False:
        return False
    if isinstance(value, models.BaseModel) and len(value) <= 1:
        return value.id
    if type(value) is int:
        return value
    raise ValidationError(
        model.env._(
            "%(value)s is not a valid value for %(field)s (%(model)s).",
            value=repr(value)[:60],
            field=field_labels(model, [name])[0],
            model=model_label(model),
        )
    )


def check_client_values(model, vals_list, protected, operation="write"):
    """Refuse values of the ``protected`` fields of ``model`` from anyone but
    the server, including ``default_*`` keys of the context on creation.
    For models of other applications that the suite extends."""
    if is_server(model.env):
        return
    sent = set()
    for vals in vals_list:
        sent |= protected & vals.keys()
    if operation == "create":
        sent |= {
            key[8:]
            for key in model.env.context
            if key.startswith("default_") and key[8:] in protected
        }
    if sent:
        raise ServerOwnedField(
            model.env._(
                "%(fields)s (%(model)s) cannot be written directly: the system "
                "sets them.",
                fields=join_names(model.env, field_labels(model, sent)),
                model=model_label(model),
            )
        )


class TechdeptGuardMixin(models.AbstractModel):
    """Fields that only the server writes.

    A model declares them in ``_techdept_server_fields``; every stored field
    computed by the server (related ones included) is added without being
    named. A client (any RPC call: ``create``, ``write``, ``copy``, a
    ``default_*`` key of the context) cannot set them; the server does so in
    superuser mode or through ``as_server()``. With
    ``_techdept_server_create``, only the server creates records at all.
    A client's write must leave the records within his write access, as a
    creation must.
    """

    _name = "techdept.guard.mixin"
    _description = "Server-Owned Fields"

    _techdept_server_fields = ()
    _techdept_server_create = False
    # False for a model that checks after each write, with its own words,
    # who may put a record where (work logs, assignments, delegations).
    _techdept_recheck_access = True

    @api.model
    def _techdept_server_field_names(self):
        names = set(self._techdept_server_fields)
        for name, field in self._fields.items():
            if field.store and field.compute and field.readonly:
                names.add(name)
        return names

    def _techdept_check_client_values(self, vals_list, operation):
        """Refuse values of server-owned fields from anyone but the server."""
        if operation == "create" and self._techdept_server_create:
            if not is_server(self.env):
                raise ServerOwnedField(
                    self.env._(
                        "%(model)s records are created by the system only.",
                        model=model_label(self),
                    )
                )
        check_client_values(
            self, vals_list, self._techdept_server_field_names(), operation
        )

    def _techdept_field_labels(self, names):
        return field_labels(self, names)

    @api.model
    def _description_label(self):
        return model_label(self)

    @api.model_create_multi
    def create(self, vals_list):
        self._techdept_check_client_values(vals_list, "create")
        return super().create(vals_list)

    def write(self, vals):
        self._techdept_check_client_values([vals], "write")
        result = super().write(vals)
        if self._techdept_recheck_access and not is_server(self.env):
            # Odoo checks the record rules on the records as they were: a
            # client must not write one out of his reach either (onto a
            # project, a lead or a pool he has no part in).
            self.check_access("write")
        return result

    def _techdept_frozen(self):
        """The records of ``self`` that may not change now (see the
        approval engine); none by default."""
        return self.browse()

    def _approval_check_parents_unfrozen(self, names, parents=None):
        """Refuse changing ``names`` of records whose parent is frozen (see
        techdept.approval.child.mixin); nothing to check by default."""
