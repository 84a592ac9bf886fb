"""Helpers of test-core.sh and refresh-core-baseline.sh (standard library only).

plan      which modules to install before the tested ones, so that each tested
          module is installed, and its at_install tests run, in the test run
report    read the test run's log: failed tests by id against the lists of
          expected failures, and the run's counts
retry-tags  the unexpected failures that may run once more (post_install)
install-lines  the WARNING/ERROR lines logged while installing modules that
          are not under test (Odoo's own tests legitimately log errors)
baseline  write the failed tests of a run as a list file
"""

import argparse
import ast
import datetime
import pathlib
import re
import sys

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>\S+): "
    r"(?P<message>.*)$"
)
REPORT = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
LOADING = re.compile(r"^Loading module (\w+) \(\d+/\d+\)")
OUTCOME = re.compile(r"^(FAIL|ERROR): (.+?)\s*$")
FIXTURE = re.compile(
    r"^(setUpClass|tearDownClass|setUpModule|tearDownModule) "
    r"\((?:odoo\.addons\.)?(.+)\)$"
)
SUBTEST = re.compile(r"^Subtest (\S+)")
STARTED = re.compile(r"^Starting (\S+) \.\.\.")
EXCEPTION = re.compile(r"^[\w.]*(Error|Exception|Failure)\b")


def manifests(addons_path):
    found = {}
    for root in addons_path.split(","):
        for manifest in sorted(pathlib.Path(root).glob("*/__manifest__.py")):
            found.setdefault(
                manifest.parent.name, ast.literal_eval(manifest.read_text())
            )
    return found


def plan(args):
    """Print the modules to install first (no tested module and nothing that
    depends on one), then the modules of the test run."""
    known = manifests(args.addons_path)
    tested = set(args.test.split(","))
    targets = [m for m in (args.test + "," + args.install).split(",") if m]
    missing = sorted(set(targets) - set(known))
    if missing:
        sys.exit(f"modules not found in the addons path: {', '.join(missing)}")

    closure = {}

    def depends(name):
        if name not in closure:
            closure[name] = set()
            for dep in known.get(name, {}).get("depends", []):
                closure[name] |= {dep} | depends(dep)
        return closure[name]

    needed = set().union(*(depends(m) for m in targets))
    first = sorted(
        m for m in needed - set(targets) if m not in tested and not depends(m) & tested
    )
    print(",".join(first))
    print(",".join(dict.fromkeys(targets)))


def records(path):
    """(level, logger, first line, whole text) of each log record."""
    current = None
    if not pathlib.Path(path).is_file():
        return
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = RECORD.match(line.rstrip("\n"))
            if match:
                if current:
                    yield current
                current = [match["level"], match["logger"], match["message"], line]
            elif current:
                current[3] += line
    if current:
        yield current


def test_id(logger, description):
    fixture = FIXTURE.match(description)
    if fixture:
        return f"{fixture[2]}.{fixture[1]}"
    subtest = SUBTEST.match(description)
    if subtest:
        description = subtest[1]
    module = logger.removeprefix("odoo.addons.")
    return f"{module}.{description}"


def last_line(text):
    """The error of a failed test's record: its exception's line, or the last
    line (a tour's failed step)."""
    lines = [line.strip() for line in text.rstrip().splitlines()]
    errors = [line for line in lines if EXCEPTION.match(line)]
    if errors and "The test code" not in errors[-1]:
        return errors[-1]
    return lines[-1]


def read_list(path):
    """Test ids of a list file: one a line, '#' starts a comment."""
    if not path or not pathlib.Path(path).is_file():
        return set()
    lines = pathlib.Path(path).read_text().splitlines()
    return {line.split("#", 1)[0].strip() for line in lines} - {""}


class Run:
    """What a test run's log says: failed test ids (with their record), those
    failed among the post_install tests, the tests started, the run's report
    (failed, errors, run) or None, and the WARNING/ERROR records logged
    outside the tested modules and the tests."""

    def __init__(self, log, tested=()):
        self.failed, self.post, self.started = {}, set(), set()
        self.report, self.install_lines = None, []
        module, testing = None, False
        for level, logger, message, text in records(log):
            loading = (
                LOADING.match(message) if logger == "odoo.modules.loading" else None
            )
            if loading:
                module = loading[1]
            elif message.startswith("Starting post tests"):
                testing = True
            started = STARTED.match(message) if level == "INFO" else None
            if started:
                self.started.add(test_id(logger, started[1]))
            outcome = OUTCOME.match(message) if level == "ERROR" else None
            if outcome:
                test = test_id(logger, outcome[2])
                self.failed.setdefault(test, text)
                if testing:
                    self.post.add(test)
            match = REPORT.search(message)
            if match:
                self.report = tuple(int(n) for n in match.groups())
            in_tests = testing or module in tested
            if level in ("WARNING", "ERROR", "CRITICAL") and not in_tests:
                self.install_lines.append(text.splitlines()[0])


def unexpected(run, args):
    allowed, bare = read_list(args.allowlist), read_list(args.baseline)
    return sorted(t for t in run.failed if t not in allowed and t not in bare)


def retry_tags(args):
    """Print the test tags of the unexpected failures that a second run can
    repeat as they ran: post_install test methods (a class's set-up and the
    at_install tests ran on another registry)."""
    run = Run(args.log)
    tags = []
    for test in unexpected(run, args):
        module, *_path, cls, method = test.split(".")
        if test in run.post and method.startswith("test"):
            tags.append(f"/{module}:{cls}.{method}")
    print(",".join(tags))
    return 0


def report(args):
    run = Run(args.log)
    if run.report is None:
        print("No test report in Odoo's log: the tests did not run.", file=sys.stderr)
        return 1
    n_failed, n_errors, n_run = run.report
    allowed, bare = read_list(args.allowlist), read_list(args.baseline)
    racing = read_list(args.flaky)
    failing = unexpected(run, args)
    passed_again = []
    if args.retry_log and pathlib.Path(args.retry_log).is_file():
        again = Run(args.retry_log)
        if again.report is not None:
            passed_again = [
                t for t in failing if t in again.started - set(again.failed)
            ]
    failing = [t for t in failing if t not in passed_again and t not in racing]
    expected = sorted(set(run.failed) - set(failing) - set(passed_again))
    for test in failing:
        print(
            f"UNEXPECTED FAILURE {test}: {last_line(run.failed[test])}", file=sys.stderr
        )
    if failing:
        print(f"(tracebacks in {args.log})", file=sys.stderr)
    for test in passed_again:
        print(f"failed, then passed when run again: {test}")
    for test in expected:
        if test in allowed:
            why = "policy"
        elif test in bare:
            why = "bare tree"
        else:
            why = "flaky on the bare tree, failed twice"
        print(f"expected failure ({why}): {test}")
    for test in sorted((allowed | bare) - set(run.failed)):
        print(f"listed but passed: {test}")
    status = 1 if failing else 0
    if n_failed + n_errors and not run.failed:
        print(
            "Odoo counts failed tests but none could be read from its log.",
            file=sys.stderr,
        )
        status = 1
    again = f" ({len(passed_again)} passed when run again)" if passed_again else ""
    print(
        f"Odoo's own tests: {n_run} run, {len(run.failed) - len(passed_again)} failed, "
        f"{len(expected)} expected, {len(failing)} unexpected{again}"
    )
    return status


def install_lines(args):
    """Print the WARNING/ERROR lines of the install steps that the log
    allow-list does not accept."""
    tested = set(args.test.split(",")) if args.test else set()
    patterns = [
        re.compile(line)
        for line in pathlib.Path(args.log_allowlist).read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    bad = 0
    for log in args.log:
        for line in Run(log, tested).install_lines:
            if not any(p.search(line) for p in patterns):
                print(line)
                bad += 1
    return 1 if bad else 0


def baseline(args):
    run = Run(args.log)
    if run.report is None:
        print("No test report in Odoo's log: the tests did not run.", file=sys.stderr)
        return 1
    failed = dict(run.failed)
    if args.retry_log and pathlib.Path(args.retry_log).is_file():
        again = Run(args.retry_log)
        if again.report is not None:
            for test in again.started - set(again.failed):
                failed.pop(test, None)
    n_failed, n_errors, n_run = run.report
    lines = [
        "# Odoo's own tests that fail on the bare Odoo tree of this machine, without",
        "# the suite: test-core.sh does not count them against the suite. Each line",
        "# ends with the test's error. A post_install test that passed when run",
        "# again is not listed.",
        f"# Produced by scripts/refresh-core-baseline.sh on {datetime.date.today()}",
        f"# (Odoo {args.odoo}, no demo data), do not edit by hand. Tests of:",
        f"# {args.modules}: {n_run} run, {n_failed} failed, {n_errors} error(s).",
    ]
    for test in sorted(failed):
        lines.append(f"{test}  # {last_line(failed[test])[:120]}")
    pathlib.Path(args.output).write_text("\n".join(lines) + "\n")
    print(f"{len(failed)} failed tests of {n_run} written to {args.output}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--addons-path", required=True)
    p.add_argument("--test", required=True, help="modules whose tests run")
    p.add_argument("--install", default="", help="other modules of the run")
    for name in ("report", "retry-tags"):
        p = sub.add_parser(name)
        p.add_argument("log")
        p.add_argument("--allowlist")
        p.add_argument("--baseline")
        p.add_argument("--retry-log", help="the log of the run of retry-tags")
        p.add_argument("--flaky", help="tests that may fail twice on the bare tree")
    p = sub.add_parser("install-lines")
    p.add_argument("log", nargs="+")
    p.add_argument("--test", default="")
    p.add_argument("--log-allowlist", required=True)
    p = sub.add_parser("baseline")
    p.add_argument("log")
    p.add_argument("--retry-log", help="the log of the run of retry-tags")
    p.add_argument("--output", required=True)
    p.add_argument("--odoo", default="")
    p.add_argument("--modules", default="")
    args = parser.parse_args()
    if args.command == "plan":
        return plan(args)
    commands = {
        "report": report,
        "retry-tags": retry_tags,
        "install-lines": install_lines,
        "baseline": baseline,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
