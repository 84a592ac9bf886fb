"""Compares two snapshots of scripts/upgrade_snapshot.py: before and after an
update of the suite in place. Run by scripts/upgrade-check.sh.

Fails when a record, or a value of a field that still exists, was lost or
changed, when a field or model disappeared without being declared in the
mapping file (scripts/upgrade-mapping.txt, which names what the migration
scripts rename or drop), when the update added records that no new data
file explains (demo or data loaded twice), when an addon's data model changed
without a version bump, and when the update's log has WARNING/ERROR lines.
Added fields and models, and records the new code's data adds, are notes.

Exit status: 0 when everything was kept, 1 otherwise. The report goes to
stdout; --result writes it as JSON too, in three parts (data, versions, log).
"""

import argparse
import json
import math
import os
import re
import sys

# How many differences of one model are printed; the rest are counted.
MAX_LINES_PER_MODEL = 25

VERBS = {
    # verb: number of arguments
    "rename-model": 2,  # OLD_MODEL NEW_MODEL
    "rename-field": 3,  # MODEL OLD_FIELD NEW_FIELD
    "drop-model": 1,  # MODEL
    "drop-field": 2,  # MODEL FIELD
    "changed-field": 2,  # MODEL FIELD: values may differ (a migration sets them)
    "changed-records": 1,  # MODEL: records may be added or deleted
}


class Mapping:
    """The declared renames, drops and changes, by the names before the update."""

    def __init__(self):
        self.model_renames = {}
        self.field_renames = {}  # (model, old) -> new
        self.dropped_models = set()
        self.dropped_fields = set()  # (model, field)
        self.changed_fields = set()  # (model, field)
        self.changed_records = set()
        self.errors = []
        self.entries = []  # (file:line, verb, args)

    @classmethod
    def parse(cls, text, name="mapping"):
        mapping = cls()
        commented = False
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line:
                commented = False
                continue
            if line.startswith("#"):
                commented = True
                continue
            code, _hash, reason = line.partition("#")
            words = code.split()
            verb, args = words[0], words[1:]
            where = f"{name}:{number}"
            if verb not in VERBS:
                mapping.errors.append(f"{where}: unknown entry {verb!r}")
            elif len(args) != VERBS[verb]:
                mapping.errors.append(
                    f"{where}: {verb} takes {VERBS[verb]} names, not {len(args)}"
                )
            elif not (commented or reason.strip()):
                mapping.errors.append(
                    f"{where}: {verb} {' '.join(args)} needs a comment saying why"
                )
            else:
                mapping.entries.append((where, verb, args))
                mapping._add(verb, args)
        return mapping

    def _add(self, verb, args):
        if verb == "rename-model":
            self.model_renames[args[0]] = args[1]
        elif verb == "rename-field":
            self.field_renames[(args[0], args[1])] = args[2]
        elif verb == "drop-model":
            self.dropped_models.add(args[0])
        elif verb == "drop-field":
            self.dropped_fields.add((args[0], args[1]))
        elif verb == "changed-field":
            self.changed_fields.add((args[0], args[1]))
        elif verb == "changed-records":
            self.changed_records.add(args[0])

    def model_after(self, model):
        return self.model_renames.get(model, model)

    def field_after(self, model, field):
        return self.field_renames.get((model, field), field)

    def check(self, before, after):
        """Entries must name what the base has and say what the update did."""
        errors = []
        bmodels, amodels = before["models"], after["models"]

        def fields(snapshot_models, model):
            return snapshot_models.get(model, {}).get("fields", {})

        for where, verb, args in self.entries:
            model = args[0]
            if model not in bmodels:
                errors.append(
                    f"{where}: {verb} {' '.join(args)}: the base has no model "
                    f"{model} (left from an earlier release? remove the entry)"
                )
                continue
            new_model = self.model_after(model)
            if verb == "rename-model":
                if model in amodels:
                    errors.append(f"{where}: {model} is renamed but still exists")
                if args[1] not in amodels:
                    errors.append(f"{where}: {args[1]} does not exist after the update")
            if verb == "drop-model" and model in amodels:
                errors.append(f"{where}: {model} is dropped but still exists")
            if verb in ("rename-field", "drop-field", "changed-field"):
                if args[1] not in fields(bmodels, model):
                    errors.append(
                        f"{where}: the base has no field {model}.{args[1]} "
                        "(left from an earlier release? remove the entry)"
                    )
                    continue
                after_fields = fields(amodels, new_model)
                if verb == "rename-field":
                    if args[2] not in after_fields:
                        errors.append(
                            f"{where}: {new_model}.{args[2]} does not exist "
                            "after the update"
                        )
                    if args[1] in after_fields:
                        errors.append(
                            f"{where}: {model}.{args[1]} is renamed but still exists"
                        )
                elif verb == "drop-field" and args[1] in after_fields:
                    errors.append(
                        f"{where}: {model}.{args[1]} is dropped but still exists"
                    )
                elif verb == "changed-field":
                    new_field = self.field_after(model, args[1])
                    if new_field not in after_fields:
                        errors.append(
                            f"{where}: {new_model}.{new_field} does not exist "
                            "after the update"
                        )
        return errors


def show(value, width=70):
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 1] + "…"


def same(old, new):
    if old == new:
        return True
    numbers = (int, float)
    if isinstance(old, numbers) and isinstance(new, numbers):
        if isinstance(old, bool) or isinstance(new, bool):
            return False
        return math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-9)
    # A field made translatable keeps its text as the en_US value.
    if isinstance(old, str) and isinstance(new, dict):
        return new == {"en_US": old}
    if isinstance(new, str) and isinstance(old, dict):
        return old == {"en_US": new}
    return False


def field_change(old, new):
    """What changed in a field's definition, e.g. "selection +reopened"."""
    parts = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "selection" and before and after:
            added = [f"+{v}" for v in after if v not in before]
            removed = [f"-{v}" for v in before if v not in after]
            parts.append(" ".join(["selection", *added, *removed]))
            if not added and not removed:
                parts[-1] += " reordered"
        else:
            parts.append(f"{key} {show(before, 30)} -> {show(after, 30)}")
    return ", ".join(parts)


def record_label(model_data, rec_id):
    xmlid = model_data.get("xmlids", {}).get(rec_id)
    return f"{rec_id} ({xmlid})" if xmlid else rec_id


def compare_fields(model, old, new, mapping, notes):
    """(failures, [(field before, field after)]) of one model's fields."""
    failures, pairs = [], []
    new_model = mapping.model_after(model)
    for field in sorted(old["fields"]):
        if (model, field) in mapping.dropped_fields:
            notes.append(f"{model}.{field}: dropped as declared")
            continue
        new_field = mapping.field_after(model, field)
        if new_field not in new["fields"]:
            held = sum(
                1
                for values in old["records"].values()
                if values.get(field) not in (None, False, [])
            )
            failures.append(
                f"{model}.{field}: the field is gone after the update "
                f"({held} records held a value); declare it in the mapping "
                "(rename-field or drop-field) along with its migration script"
            )
            continue
        if old["fields"][field] != new["fields"][new_field]:
            change = field_change(old["fields"][field], new["fields"][new_field])
            notes.append(f"{new_model}.{new_field}: {change}")
        pairs.append((field, new_field))
    renamed_to = {mapping.field_after(model, f) for f in old["fields"]}
    for field in sorted(set(new["fields"]) - renamed_to):
        notes.append(f"{new_model}.{field}: new field")
    return failures, pairs


def some_records(model_data, ids, limit=10):
    labels = [record_label(model_data, rec_id) for rec_id in ids[:limit]]
    more = f" … and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(labels) + more


def compare_record_sets(model, old, new, mapping, before_xmlids, notes):
    """Failures for records the update deleted or added without a reason."""
    failures = []
    new_model = mapping.model_after(model)
    declared = model in mapping.changed_records
    gone = sorted(set(old["records"]) - set(new["records"]), key=int)
    if gone:
        text = f"{model}: {len(gone)} records deleted: {some_records(old, gone)}"
        if declared:
            notes.append(f"{text} (declared)")
        else:
            failures.append(f"{text}")
    added = sorted(set(new["records"]) - set(old["records"]), key=int)
    # A record of the new code's data has an XML id the base did not have.
    xmlids = {i: new["xmlids"].get(i) for i in added}
    by_new_data = [i for i in added if xmlids[i] and xmlids[i] not in before_xmlids]
    unexplained = [i for i in added if i not in by_new_data]
    if by_new_data:
        notes.append(
            f"{new_model}: {len(by_new_data)} records added by the new data: "
            + some_records(new, by_new_data)
        )
    if unexplained:
        text = (
            f"{new_model}: {len(unexplained)} records added by the update "
            f"without a new XML id: {some_records(new, unexplained)}"
        )
        if declared:
            notes.append(f"{text} (declared)")
        else:
            failures.append(f"{text} (data or demo loaded again?)")
    return failures


def compare_values(model, old, new, pairs, mapping, notes, counts):
    """Failures for the values that differ in the records kept."""
    failures = []
    new_model = mapping.model_after(model)
    for rec_id in sorted(old["records"], key=int):
        old_values, new_values = old["records"][rec_id], new["records"].get(rec_id)
        if new_values is None:
            continue
        counts["records"] += 1
        for field, new_field in pairs:
            counts["values"] += 1
            old_value, new_value = old_values.get(field), new_values.get(new_field)
            if same(old_value, new_value):
                continue
            where = f"{new_model} {record_label(old, rec_id)} {new_field}"
            change = f"{show(old_value)} -> {show(new_value)}"
            if (model, field) in mapping.changed_fields:
                notes.append(f"{where}: {change} (declared)")
            else:
                failures.append(f"{where}: {change}")
    return failures


def compare_data(before, after, mapping):
    """(failures, notes, counts) for the records of every model of the base."""
    failures, notes = [], []
    counts = {"models": 0, "records": 0, "values": 0}
    before_xmlids = {
        xmlid for data in before["models"].values() for xmlid in data["xmlids"].values()
    }
    for model, old in sorted(before["models"].items()):
        if model in mapping.dropped_models:
            notes.append(
                f"{model}: dropped as declared ({len(old['records'])} records)"
            )
            continue
        new = after["models"].get(mapping.model_after(model))
        if new is None:
            failures.append(
                f"{model}: the model is gone after the update "
                f"({len(old['records'])} records); declare it in the mapping "
                "(rename-model or drop-model) along with its migration script"
            )
            continue
        counts["models"] += 1
        lines, pairs = compare_fields(model, old, new, mapping, notes)
        lines += compare_record_sets(model, old, new, mapping, before_xmlids, notes)
        lines += compare_values(model, old, new, pairs, mapping, notes, counts)
        if len(lines) > MAX_LINES_PER_MODEL:
            more = len(lines) - MAX_LINES_PER_MODEL
            lines = lines[:MAX_LINES_PER_MODEL] + [f"{model}: … and {more} more"]
        failures.extend(lines)
    renamed = set(mapping.model_renames.values())
    for model in sorted(set(after["models"]) - set(before["models"]) - renamed):
        records = len(after["models"][model]["records"])
        notes.append(f"{model}: new model ({records} records)")
    return failures, notes, counts


def version_tuple(version):
    return tuple(int(p) for p in re.findall(r"\d+", version or ""))


def schema_changes(old, new):
    changes = []
    for model in sorted(set(old["models"]) - set(new["models"])):
        changes.append(f"-model {model}")
    for model in sorted(set(new["models"]) - set(old["models"])):
        changes.append(f"+model {model}")
    for field in sorted(set(old["fields"]) - set(new["fields"])):
        changes.append(f"-field {field}")
    for field in sorted(set(new["fields"]) - set(old["fields"])):
        changes.append(f"+field {field}")
    for field in sorted(set(old["fields"]) & set(new["fields"])):
        if old["fields"][field] != new["fields"][field]:
            change = field_change(old["fields"][field], new["fields"][field])
            changes.append(f"~field {field}: {change}")
    return changes


def compare_versions(before, after):
    """An addon whose data model changed must have a higher version."""
    failures, notes = [], []
    for addon, old in sorted(before["addons"].items()):
        if old["state"] != "installed":
            continue
        new = after["addons"].get(addon)
        if not new or new["state"] != "installed":
            failures.append(
                f"{addon}: installed at the base, "
                f"{new['state'] if new else 'absent'} after the update"
            )
            continue
        old_v, new_v = version_tuple(old["version"]), version_tuple(new["version"])
        changes = schema_changes(before["schema"][addon], after["schema"][addon])
        if new_v < old_v:
            failures.append(
                f"{addon}: version went down, {old['version']} -> {new['version']}"
            )
        elif changes and new_v == old_v:
            failures.append(
                f"{addon}: the data model changed but the version is still "
                f"{new['version']}: bump it in __manifest__.py (18.0.x.y.z) so "
                "that Odoo runs the migration scripts:\n    " + "\n    ".join(changes)
            )
        elif new_v > old_v:
            notes.append(
                f"{addon}: {old['version']} -> {new['version']}"
                + (f" ({len(changes)} data model changes)" if changes else "")
            )
    for addon, new in sorted(after["addons"].items()):
        was = before["addons"].get(addon, {}).get("state")
        if new["state"] == "installed" and was != "installed":
            notes.append(f"{addon}: new addon, not installed at the base")
    return failures, notes


def check_base(before):
    """The base database must hold what a department has: demo data, Chinese."""
    failures = []
    for addon, info in sorted(before["addons"].items()):
        if info["state"] == "installed" and not info.get("demo"):
            failures.append(f"{addon}: the base database has no demo data")
    if "zh_CN" not in before.get("languages", []):
        failures.append("the base database has no Chinese (zh_CN) loaded")
    suite_records = sum(
        len(d["records"]) for d in before["models"].values() if d["scope"] == "suite"
    )
    if not suite_records:
        failures.append("the base database holds no record of the suite's models")
    return failures


def check_demo_kept(before, after):
    """Odoo unflags an addon's demo data when reloading it fails in the update."""
    return [
        f"{addon}: its demo data failed to load in the update (Odoo dropped the "
        "addon's demo flag; see the update's log)"
        for addon, info in sorted(before["addons"].items())
        if info.get("demo") and not after["addons"].get(addon, {}).get("demo")
    ]


def compare(before, after, mapping_text, bad_log_lines=(), mapping_name="mapping"):
    mapping = Mapping.parse(mapping_text, mapping_name)
    data_failures = check_base(before) + check_demo_kept(before, after)
    data_failures += mapping.errors + mapping.check(before, after)
    failures, data_notes, counts = compare_data(before, after, mapping)
    data_failures += failures
    version_failures, version_notes = compare_versions(before, after)
    return {
        "data": {"failures": data_failures, "notes": data_notes, "counts": counts},
        "versions": {"failures": version_failures, "notes": version_notes},
        "log": {
            "failures": list(bad_log_lines),
            "notes": [],
        },
    }


def report(result, out):
    counts = result["data"]["counts"]
    print(
        f"Compared {counts['models']} models, {counts['records']} records, "
        f"{counts['values']} values.",
        file=out,
    )
    titles = {
        "data": "records and values",
        "versions": "manifest versions",
        "log": "the update's log (WARNING/ERROR lines not on the allow-list)",
    }
    for part, title in titles.items():
        notes = result[part]["notes"]
        if notes:
            print(f"\nNotes on {title}:", file=out)
            shown = notes[:60]
            for note in shown:
                print(f"  {note}", file=out)
            if len(notes) > len(shown):
                print(f"  … and {len(notes) - len(shown)} more", file=out)
    for part, title in titles.items():
        failures = result[part]["failures"]
        if failures:
            print(f"\nFAILED, {title}:", file=out)
            for failure in failures:
                print(f"  {failure}", file=out)
    ok = not any(result[part]["failures"] for part in titles)
    print("\nUpgrade check: " + ("passed" if ok else "FAILED"), file=out)
    return ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--mapping", required=True)
    parser.add_argument("--bad-log", help="file of the log lines that fail the check")
    parser.add_argument("--result", help="write the result as JSON here")
    args = parser.parse_args(argv)
    with open(args.before, encoding="utf-8") as f:
        before = json.load(f)
    with open(args.after, encoding="utf-8") as f:
        after = json.load(f)
    with open(args.mapping, encoding="utf-8") as f:
        mapping_text = f.read()
    bad_lines = []
    if args.bad_log:
        with open(args.bad_log, encoding="utf-8") as f:
            bad_lines = [line.rstrip("\n") for line in f if line.strip()]
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    name = os.path.relpath(os.path.abspath(args.mapping), repo)
    result = compare(before, after, mapping_text, bad_lines, name)
    ok = report(result, sys.stdout)
    if args.result:
        with open(args.result, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
