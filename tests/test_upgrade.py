"""Upgrade in place: scripts/upgrade-check.sh makes a database with the addons
of the base commit (scripts/upgrade-base.txt), demo data and Chinese, updates
it to this working tree and compares what it holds.

The tests marked ``upgrade`` run Odoo (about three minutes): without Odoo
(ODOO_PATH) they fail, they never skip. While working on files only, leave
them out with ``-m "not upgrade"``. The other tests check the comparison of
scripts/upgrade_compare.py on small snapshots, so that it is known to catch
what it must.
"""

import copy
import importlib.util
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

spec = importlib.util.spec_from_file_location(
    "upgrade_compare", REPO / "scripts" / "upgrade_compare.py"
)
upgrade_compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(upgrade_compare)

# An update of the whole suite takes minutes; past this it is stuck.
TIMEOUT = 30 * 60


# --- the comparison, on small snapshots --------------------------------------


def make_snapshot():
    appraisal = {
        "scope": "suite",
        "fields": {
            "name": {"type": "char"},
            "score": {"type": "float"},
            "state": {"type": "selection", "selection": ["draft", "done"]},
            "line_ids": {"type": "many2many", "relation": "techdept.line"},
        },
        "records": {
            "1": {"name": "A", "score": 85.5, "state": "done", "line_ids": [1, 2]},
            "2": {"name": "B", "score": None, "state": "draft", "line_ids": []},
        },
        "xmlids": {"1": "techdept_appraisal.appraisal_a_demo"},
    }
    lead = {
        "scope": "extended",
        "fields": {"name": {"type": "char"}, "techdept_progress": {"type": "float"}},
        "records": {"7": {"name": {"en_US": "Lead"}, "techdept_progress": 0.5}},
        "xmlids": {},
    }
    return {
        "addons": {
            "techdept_appraisal": {
                "state": "installed",
                "version": "18.0.1.0.0",
                "demo": True,
            }
        },
        "languages": ["en_US", "zh_CN"],
        "schema": {
            "techdept_appraisal": {
                "models": ["techdept.appraisal"],
                "fields": {
                    "techdept.appraisal.score": {"type": "float"},
                    "crm.lead.techdept_progress": {"type": "float"},
                },
            }
        },
        "models": {"techdept.appraisal": appraisal, "crm.lead": lead},
    }


def failures(result, part="data"):
    return result[part]["failures"]


def rename_score(snapshot, keep_values=True):
    model = snapshot["models"]["techdept.appraisal"]
    model["fields"]["total_score"] = model["fields"].pop("score")
    for values in model["records"].values():
        score = values.pop("score")
        values["total_score"] = score if keep_values else None
    schema = snapshot["schema"]["techdept_appraisal"]["fields"]
    schema["techdept.appraisal.total_score"] = schema.pop("techdept.appraisal.score")
    snapshot["addons"]["techdept_appraisal"]["version"] = "18.0.1.1.0"
    return snapshot


RENAME = "# Weighted now.\nrename-field techdept.appraisal score total_score\n"


def test_same_data_passes():
    before = make_snapshot()
    result = upgrade_compare.compare(before, copy.deepcopy(before), "")
    assert not any(failures(result, part) for part in ("data", "versions", "log"))
    assert result["data"]["counts"] == {"models": 2, "records": 3, "values": 10}


def test_changed_value_fails_with_model_id_field_before_after():
    before, after = make_snapshot(), make_snapshot()
    after["models"]["techdept.appraisal"]["records"]["1"]["score"] = 0.0
    after["models"]["crm.lead"]["records"]["7"]["name"] = {"en_US": "Other"}
    assert failures(upgrade_compare.compare(before, after, "")) == [
        'crm.lead 7 name: {"en_US": "Lead"} -> {"en_US": "Other"}',
        "techdept.appraisal 1 (techdept_appraisal.appraisal_a_demo) score: 85.5 -> 0.0",
    ]


def test_equal_values_in_another_form_pass():
    before, after = make_snapshot(), make_snapshot()
    after["models"]["techdept.appraisal"]["records"]["1"]["score"] = 85.5 + 1e-12
    after["models"]["crm.lead"]["records"]["7"]["name"] = "Lead"  # not translated
    assert not failures(upgrade_compare.compare(before, after, ""))


def test_field_renamed_without_mapping_fails():
    before = make_snapshot()
    after = rename_score(make_snapshot())
    (failure,) = failures(upgrade_compare.compare(before, after, ""))
    assert "techdept.appraisal.score: the field is gone" in failure
    assert "(1 records held a value)" in failure


def test_field_renamed_by_a_migration_passes_with_its_mapping():
    before = make_snapshot()
    after = rename_score(make_snapshot())
    result = upgrade_compare.compare(before, after, RENAME)
    assert not failures(result) and not failures(result, "versions")


def test_field_renamed_without_migration_loses_values():
    before = make_snapshot()
    after = rename_score(make_snapshot(), keep_values=False)
    assert failures(upgrade_compare.compare(before, after, RENAME)) == [
        "techdept.appraisal 1 (techdept_appraisal.appraisal_a_demo) "
        "total_score: 85.5 -> null"
    ]


def test_mapping_entries_need_a_reason_and_the_base_names():
    before = make_snapshot()
    after = rename_score(make_snapshot())
    text = (
        "rename-field techdept.appraisal score total_score\n"
        "\n# Gone long ago.\ndrop-field techdept.appraisal grade\n"
        "drop-model techdept.old  # gone\n"
        "rename techdept.appraisal score\n"
    )
    assert failures(upgrade_compare.compare(before, after, text)) == [
        "mapping:1: rename-field techdept.appraisal score total_score needs a "
        "comment saying why",
        "mapping:6: unknown entry 'rename'",
        "mapping:4: the base has no field techdept.appraisal.grade (left from an "
        "earlier release? remove the entry)",
        "mapping:5: drop-model techdept.old: the base has no model techdept.old "
        "(left from an earlier release? remove the entry)",
        "techdept.appraisal.score: the field is gone after the update (1 "
        "records held a value); declare it in the mapping (rename-field or "
        "drop-field) along with its migration script",
    ]


def test_declared_changes_are_notes():
    before, after = make_snapshot(), make_snapshot()
    after["models"]["techdept.appraisal"]["records"]["2"]["state"] = "done"
    del after["models"]["techdept.appraisal"]["records"]["1"]
    text = (
        "# The migration closes the drafts and drops the demo one.\n"
        "changed-field techdept.appraisal state\n"
        "changed-records techdept.appraisal\n"
    )
    result = upgrade_compare.compare(before, after, text)
    assert not failures(result)
    assert (
        'techdept.appraisal 2 state: "draft" -> "done" (declared)'
        in (result["data"]["notes"])
    )


def test_records_lost_or_added_by_the_update_fail():
    before, after = make_snapshot(), make_snapshot()
    records = after["models"]["techdept.appraisal"]["records"]
    del records["2"]
    records["3"] = dict(records["1"])  # the demo story run again
    records["4"] = dict(records["1"])
    after["models"]["techdept.appraisal"]["xmlids"]["4"] = "techdept_appraisal.new"
    result = upgrade_compare.compare(before, after, "")
    assert failures(result) == [
        "techdept.appraisal: 1 records deleted: 2",
        "techdept.appraisal: 1 records added by the update without a new XML "
        "id: 3 (data or demo loaded again?)",
    ]
    assert result["data"]["notes"] == [
        "techdept.appraisal: 1 records added by the new data: 4 "
        "(techdept_appraisal.new)"
    ]


def test_model_gone_fails_and_new_model_is_a_note():
    before, after = make_snapshot(), make_snapshot()
    after["models"]["techdept.review"] = after["models"].pop("techdept.appraisal")
    result = upgrade_compare.compare(before, after, "")
    assert failures(result)[0].startswith("techdept.appraisal: the model is gone")
    assert "techdept.review: new model (2 records)" in result["data"]["notes"]
    text = "rename-model techdept.appraisal techdept.review  # policy wording\n"
    assert not failures(upgrade_compare.compare(before, after, text))


def test_data_model_change_needs_a_version_bump():
    before, after = make_snapshot(), make_snapshot()
    after["schema"]["techdept_appraisal"]["fields"]["techdept.appraisal.rank"] = {
        "type": "integer"
    }
    (failure,) = failures(upgrade_compare.compare(before, after, ""), "versions")
    assert "techdept_appraisal: the data model changed but the version is still " in (
        failure
    )
    assert "+field techdept.appraisal.rank" in failure
    after["schema"]["techdept_appraisal"]["fields"]["techdept.appraisal.score"] = {
        "type": "selection",
        "selection": ["high", "low"],
    }
    (failure,) = failures(upgrade_compare.compare(before, after, ""), "versions")
    assert failure.endswith(
        "~field techdept.appraisal.score: "
        'selection null -> ["high", "low"], type "float" -> "selection"'
    )
    after["addons"]["techdept_appraisal"]["version"] = "18.0.1.0.1"
    assert not failures(upgrade_compare.compare(before, after, ""), "versions")
    after["addons"]["techdept_appraisal"]["version"] = "18.0.0.9.0"
    assert (
        "version went down"
        in failures(upgrade_compare.compare(before, after, ""), "versions")[0]
    )


def test_base_without_demo_or_chinese_fails():
    before = make_snapshot()
    before["addons"]["techdept_appraisal"]["demo"] = False
    before["languages"] = ["en_US"]
    assert failures(upgrade_compare.compare(before, copy.deepcopy(before), "")) == [
        "techdept_appraisal: the base database has no demo data",
        "the base database has no Chinese (zh_CN) loaded",
    ]


def test_demo_data_failing_in_the_update_fails():
    before, after = make_snapshot(), make_snapshot()
    after["addons"]["techdept_appraisal"]["demo"] = False
    assert failures(upgrade_compare.compare(before, after, "")) == [
        "techdept_appraisal: its demo data failed to load in the update (Odoo "
        "dropped the addon's demo flag; see the update's log)"
    ]


def test_log_lines_fail():
    before = make_snapshot()
    line = "2026-01-01 10:00:00,000 1 WARNING db odoo.models: oops"
    result = upgrade_compare.compare(before, copy.deepcopy(before), "", [line])
    assert failures(result, "log") == [line]


def test_mapping_file_parses():
    text = (REPO / "scripts" / "upgrade-mapping.txt").read_text()
    assert not upgrade_compare.Mapping.parse(text).errors


# --- the upgrade itself, with Odoo --------------------------------------------


@pytest.fixture(scope="module")
def upgrade_run(request):
    result_file = REPO / "var" / "upgrade" / "result.json"
    result_file.unlink(missing_ok=True)
    start = time.monotonic()
    proc = subprocess.run(
        [str(REPO / "scripts" / "upgrade-check.sh")],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=os.environ.copy(),
        check=False,
    )
    elapsed = time.monotonic() - start
    output = proc.stdout + proc.stderr
    result = json.loads(result_file.read_text()) if result_file.is_file() else None
    # The time and the report's place, shown even when the tests pass.
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nupgrade check: exit {proc.returncode} in {elapsed:.0f} s "
                "(report in var/upgrade/report.txt)"
            )
    return proc.returncode, output, result


def upgrade_part(upgrade_run, part):
    rc, output, result = upgrade_run
    assert result is not None, (
        f"the upgrade check did not run (exit {rc}):\n{output[-6000:]}"
    )
    problems = result[part]["failures"]
    assert not problems, "\n".join(problems)
    return rc, output, result


@pytest.mark.upgrade
def test_update_keeps_every_record_and_value(upgrade_run):
    upgrade_part(upgrade_run, "data")


@pytest.mark.upgrade
def test_update_log_is_clean(upgrade_run):
    upgrade_part(upgrade_run, "log")


@pytest.mark.upgrade
def test_versions_follow_the_data_model(upgrade_run):
    upgrade_part(upgrade_run, "versions")
