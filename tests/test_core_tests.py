"""scripts/core_tests.py (the helper of test-core.sh) on logs of our own, and
the lists it reads."""

import subprocess
import sys

import pytest


def _record(second, level, logger, message):
    return f"2026-01-05 10:00:{second:02},000 1 {level} db {logger}: {message}\n"


LOG = "".join(
    [
        _record(0, "INFO", "odoo.modules.loading", "loading 80 modules..."),
        _record(1, "INFO", "odoo.modules.loading", "Loading module crm (46/87)"),
        _record(2, "WARNING", "odoo.models", "crm's own install warning"),
        _record(
            3,
            "ERROR",
            "odoo.tests.suite",
            "ERROR: setUpClass (odoo.addons.crm.tests.test_a.TestA)",
        ),
        "Traceback (most recent call last):\nKeyError: 'project.project'\n",
        _record(4, "INFO", "odoo.modules.loading", "Loading module mine (71/87)"),
        _record(5, "WARNING", "odoo.fields", "the suite's install warning"),
        _record(6, "INFO", "odoo.service.server", "Starting post tests"),
        _record(7, "ERROR", "odoo.addons.crm.tests.test_ui", "FAIL: TestUi.test_tour"),
        "Traceback (most recent call last):\nAssertionError: tour failed\n",
        _record(
            8,
            "ERROR",
            "odoo.addons.hr.tests.test_b",
            "ERROR: Subtest TestB.test_x (login='demo')",
        ),
        "AccessError: no\n",
        _record(
            9,
            "ERROR",
            "odoo.addons.hr.tests.test_b",
            "ERROR: Subtest TestB.test_x (login='admin')",
        ),
        "AccessError: no\n",
        _record(10, "WARNING", "odoo.http", "a test's own warning"),
        _record(
            11,
            "ERROR",
            "odoo.service.server",
            "1 failed, 3 error(s) of 40 tests when loading database 'db'",
        ),
    ]
)


@pytest.fixture
def helper(repo, tmp_path):
    log = tmp_path / "core-tests.log"
    log.write_text(LOG)

    def run(*args):
        return subprocess.run(
            [sys.executable, str(repo / "scripts" / "core_tests.py"), *args],
            capture_output=True,
            text=True,
        )

    return run, log, tmp_path


def test_report_names_failures_and_fails_on_unexpected_ones(helper):
    run, log, tmp_path = helper
    allow = tmp_path / "allow.txt"
    allow.write_text("# reason\ncrm.tests.test_ui.TestUi.test_tour\n")
    bare = tmp_path / "bare.txt"
    bare.write_text("crm.tests.test_a.TestA.setUpClass  # KeyError\n")
    result = run("report", str(log), "--allowlist", str(allow), "--baseline", str(bare))
    assert result.returncode == 1
    assert "UNEXPECTED FAILURE hr.tests.test_b.TestB.test_x" in result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Odoo's own tests: 40 run, 3 failed, 2 expected, 1 unexpected"
    )

    bare.write_text(bare.read_text() + "hr.tests.test_b.TestB.test_x\n")
    result = run("report", str(log), "--allowlist", str(allow), "--baseline", str(bare))
    assert result.returncode == 0, result.stderr


def test_a_post_install_failure_may_pass_when_run_again(helper):
    run, log, tmp_path = helper
    bare = tmp_path / "bare.txt"
    bare.write_text("crm.tests.test_a.TestA.setUpClass\n")
    lists = ("--baseline", str(bare))
    result = run("retry-tags", str(log), *lists)
    assert result.stdout.split() == ["/crm:TestUi.test_tour,/hr:TestB.test_x"], (
        "at_install tests and set-ups do not run again"
    )
    again = tmp_path / "retry.log"
    again.write_text(
        _record(
            1, "INFO", "odoo.addons.crm.tests.test_ui", "Starting TestUi.test_tour ..."
        )
        + _record(2, "INFO", "odoo.addons.hr.tests.test_b", "Starting TestB.test_x ...")
        + _record(3, "ERROR", "odoo.addons.hr.tests.test_b", "FAIL: TestB.test_x")
        + _record(
            4,
            "INFO",
            "odoo.tests.result",
            "0 failed, 1 error(s) of 2 tests when loading database 'db'",
        )
    )
    result = run("report", str(log), *lists, "--retry-log", str(again))
    assert result.returncode == 1
    assert "passed when run again: crm.tests.test_ui.TestUi.test_tour" in result.stdout
    assert "UNEXPECTED FAILURE hr.tests.test_b.TestB.test_x" in result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Odoo's own tests: 40 run, 2 failed, 1 expected, 1 unexpected "
        "(1 passed when run again)"
    )
    flaky = tmp_path / "flaky.txt"
    flaky.write_text("# races\nhr.tests.test_b.TestB.test_x\n")
    result = run(
        "report", str(log), *lists, "--retry-log", str(again), "--flaky", str(flaky)
    )
    assert result.returncode == 0, result.stderr
    assert "(flaky on the bare tree, failed twice): hr.tests.test_b" in result.stdout


def test_report_fails_without_a_test_report(helper):
    run, log, _tmp_path = helper
    log.write_text(LOG.replace("when loading database", "when loading"))
    result = run("report", str(log))
    assert result.returncode == 1
    assert "No test report" in result.stderr


def test_install_lines_skip_tested_modules_and_tests(helper, repo):
    run, log, tmp_path = helper
    allow = tmp_path / "log-allowlist.txt"
    allow.write_text("# nothing accepted\n")
    result = run(
        "install-lines", str(log), "--test", "crm,hr", "--log-allowlist", str(allow)
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        _record(5, "WARNING", "odoo.fields", "the suite's install warning").strip()
    ]
    allow.write_text("# accepted, for the test\nthe suite's install warning\n")
    result = run(
        "install-lines", str(log), "--test", "crm,hr", "--log-allowlist", str(allow)
    )
    assert result.returncode == 0, result.stdout


def test_plan_installs_nothing_tested_beforehand(helper):
    run, _log, tmp_path = helper
    for name, depends in {
        "base": [],
        "mail": ["base"],
        "crm": ["mail"],
        "sale": ["mail"],
        "crm_extra": ["crm"],
        "sale_crm": ["sale", "crm_extra"],
        "mine": ["crm"],
    }.items():
        (tmp_path / "addons" / name).mkdir(parents=True)
        (tmp_path / "addons" / name / "__manifest__.py").write_text(
            repr({"name": name, "depends": depends})
        )
    result = run(
        "plan",
        "--addons-path",
        str(tmp_path / "addons"),
        "--test",
        "crm,sale_crm",
        "--install",
        "mine",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["base,mail,sale", "crm,sale_crm,mine"]


def test_lists_parse_and_give_reasons(repo):
    """Each test of the allow-list and of the flaky list has its reason in
    the comment above its group (a group ends at a blank line)."""
    for name in ("core-tests-allowlist.txt", "core-tests-flaky.txt"):
        reason = False
        for line in (repo / "scripts" / name).read_text().splitlines():
            if not line.strip():
                reason = False
            elif line.startswith("#"):
                reason = True
            else:
                assert reason, f"{name}: {line}: no reason above it"
                assert len(line.split("#")[0].split()) == 1, line
    bare = (repo / "scripts" / "core-tests-bare-failures.txt").read_text()
    assert bare.startswith("# ")
    assert "refresh-core-baseline.sh" in bare
