"""Snapshot of what a database holds for the suite, as JSON.

Run by scripts/upgrade-check.sh in an Odoo shell, before and after the
update, each time with the code the database runs at that moment:

    TECHDEPT_SUITE_ADDONS=techdept_org,... TECHDEPT_SNAPSHOT=out.json \\
        odoo-bin shell -d DB --no-http < scripts/upgrade_snapshot.py

Which models it reads is found by introspection, so a new model or field
needs no edit here:

- "suite": models a suite addon defines (every record, every stored field);
- "extended": models of other modules that a suite addon extends (crm.lead,
  project.project, hr.employee, mail.activity ...): every record, every stored
  field, Odoo's own included, since the suite's logic writes them too;
- "data": other models where a suite addon holds editable (noupdate) data,
  e.g. its demo users and partners: every record. Of Odoo's technical models
  (ir.*, res.groups), whose records code defines, only the suite's editable
  records (its crons, server actions ...), every stored field.

Values are read with SQL as stored (translations in every language,
many2one as ids, many2many as sorted id lists, binaries as checksums).
write_uid and write_date are left out: an update rewrites them legitimately.
It also records, per addon, its installed version and its data model (the
models with a table it defines and the stored fields it defines or redefines
on models with a table) for the version check. Nothing is written to the database.
"""

import datetime
import decimal
import hashlib
import json
import os

from odoo.tools import SQL

env = env  # noqa: F821,PLW0127 (provided by `odoo-bin shell`)

SUITE = [a for a in os.environ["TECHDEPT_SUITE_ADDONS"].split(",") if a]
OUT = os.environ["TECHDEPT_SNAPSHOT"]
SKIPPED_COLUMNS = {"write_uid", "write_date"}


def is_technical(model_name):
    return model_name.startswith("ir.") or model_name == "res.groups"


def has_table(model):
    return not model._abstract and not model._transient and model._auto


def suite_modules_of(model):
    """Suite addons whose classes make up the model."""
    return {
        cls._module
        for cls in type(model).__mro__
        if getattr(cls, "_module", None) in SUITE and getattr(cls, "_name", None)
    }


def stored_fields(model):
    fields = {}
    for name, field in model._fields.items():
        if not field.store or name in SKIPPED_COLUMNS or field.type == "one2many":
            continue
        if field.type != "many2many" and not field.column_type:
            if not (field.type == "binary" and field.attachment):
                continue
        fields[name] = field
    return fields


def field_info(field):
    info = {"type": field.type}
    if field.relational:
        info["relation"] = field.comodel_name
    if field.type == "selection" and isinstance(field.selection, list):
        info["selection"] = [value for value, _label in field.selection]
    return info


def plain(value):
    """A stored value as JSON can hold it, comparable between two runs."""
    if isinstance(value, decimal.Decimal | float):
        return float(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, memoryview | bytes):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return value


def read_records(model, fields, ids=None):
    """{id: {field: value}} of the given (or all) records."""
    where = SQL("WHERE id IN %s", tuple(ids)) if ids is not None else SQL()
    if ids is not None and not ids:
        return {}
    columns = [n for n, f in fields.items() if f.type != "many2many" and f.column_type]
    env.cr.execute(
        SQL(
            "SELECT %s FROM %s %s ORDER BY id",
            SQL(", ").join(SQL.identifier(c) for c in ["id", *columns]),
            SQL.identifier(model._table),
            where,
        )
    )
    records = {
        row[0]: {c: plain(v) for c, v in zip(columns, row[1:], strict=True)}
        for row in env.cr.fetchall()
    }
    for name, field in fields.items():
        if field.type == "many2many":
            for values in records.values():
                values[name] = []
            env.cr.execute(
                SQL(
                    "SELECT %s, %s FROM %s ORDER BY 1, 2",
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    SQL.identifier(field.relation),
                )
            )
            for rec_id, other_id in env.cr.fetchall():
                if rec_id in records:
                    records[rec_id][name].append(other_id)
        elif field.type == "binary" and field.attachment:
            for values in records.values():
                values[name] = None
            env.cr.execute(
                SQL(
                    "SELECT res_id, checksum FROM ir_attachment"
                    " WHERE res_model = %s AND res_field = %s",
                    model._name,
                    name,
                )
            )
            for rec_id, checksum in env.cr.fetchall():
                if rec_id in records:
                    records[rec_id][name] = checksum
    return records


def xmlids_of(model_name):
    env.cr.execute(
        SQL(
            "SELECT res_id, module || '.' || name FROM ir_model_data"
            " WHERE model = %s ORDER BY module, name",
            model_name,
        )
    )
    xmlids = {}
    for res_id, xmlid in env.cr.fetchall():
        xmlids.setdefault(res_id, xmlid)
    return xmlids


def suite_data_records():
    """{model: [ids]} of the editable (noupdate) records of the suite's data."""
    env.cr.execute(
        SQL(
            "SELECT model, array_agg(res_id ORDER BY res_id) FROM ir_model_data"
            " WHERE module IN %s AND noupdate GROUP BY model",
            tuple(SUITE),
        )
    )
    return dict(env.cr.fetchall())


def snapshot():
    modules = env["ir.module.module"].search([("name", "in", SUITE)])
    result = {
        "addons": {
            m.name: {"state": m.state, "version": m.latest_version, "demo": m.demo}
            for m in modules
        },
        "languages": sorted(env["res.lang"].search([]).mapped("code")),
        "schema": {a: {"models": [], "fields": {}} for a in SUITE},
        "models": {},
    }
    data_records = suite_data_records()
    for model_name in sorted(env.registry):
        model = env[model_name]
        if not has_table(model):
            continue
        fields = stored_fields(model)
        if model._original_module in SUITE:
            result["schema"][model._original_module]["models"].append(model_name)
        for name, field in fields.items():
            for addon in set(field._modules or ()) & set(SUITE):
                result["schema"][addon]["fields"][f"{model_name}.{name}"] = field_info(
                    field
                )
        ids = None
        if is_technical(model_name):
            # Code defines these records; only the suite's editable ones are
            # data. The same rule whether or not the suite extends the model,
            # so that starting to extend it changes nothing here.
            if model_name not in data_records:
                continue
            scope, ids = "data", data_records[model_name]
        elif model._original_module in SUITE:
            scope = "suite"
        elif suite_modules_of(model) or any(
            set(f._modules or ()) & set(SUITE) for f in model._fields.values()
        ):
            scope = "extended"
        elif model_name in data_records:
            scope = "data"
        else:
            continue
        result["models"][model_name] = {
            "scope": scope,
            "fields": {n: field_info(f) for n, f in sorted(fields.items())},
            "records": read_records(model, fields, ids),
            "xmlids": xmlids_of(model_name),
        }
    return result


with open(OUT, "w", encoding="utf-8") as out:
    json.dump(snapshot(), out, ensure_ascii=False, sort_keys=True, indent=0)
print(f"snapshot written to {OUT}")
