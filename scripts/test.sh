#!/usr/bin/env bash
# Runs every test of the suite: each addon's Odoo tests (browser tours
# included) on a fresh database, then the suite-level tests/ with pytest
# (among them the upgrade check of scripts/upgrade-check.sh and the
# concurrency tests against Odoo with --workers, each on a database of its
# own), then Odoo's own tests with the suite installed (test-core.sh).
# Fails on a failed test, on a WARNING/ERROR line in Odoo's log that is not
# on scripts/log-allowlist.txt (for Odoo's own tests: in their install
# steps), and when Odoo cannot be found.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DB=${TECHDEPT_TEST_DB:-techdept_test}
HTTP_PORT=${TECHDEPT_TEST_PORT:-18069}
LOGDIR=${TECHDEPT_LOGDIR:-$REPO/var/test-logs}

bootstrap
mkdir -p "$LOGDIR"
rm -f "$LOGDIR"/*.log

ADDONS=$(suite_addons)
DEPENDS=$(external_depends)
[ -n "$ADDONS" ] || die "no addon found under $REPO/addons"
TAGS=$(echo "$ADDONS" | sed 's/\([^,]*\)/\/\1/g')

say "Fresh database $DB"
dropdb --if-exists "$DB" || die "could not drop database $DB"
createdb "$DB" || die "could not create database $DB"

# Odoo's own modules first, without their tests (as OCA's CI does), then the
# suite's addons with theirs.
say "Installing dependencies: $DEPENDS"
odoo_bin -d "$DB" -i "$DEPENDS" --stop-after-init --http-port "$HTTP_PORT" \
    --logfile "$LOGDIR/install.log" --log-level info
rc_deps=$?

say "Installing and testing: $ADDONS"
odoo_bin -d "$DB" -i "$ADDONS" --stop-after-init --http-port "$HTTP_PORT" \
    --test-enable --test-tags "$TAGS" \
    --logfile "$LOGDIR/odoo-tests.log" --log-level test
rc_odoo=$?

# "X failed, Y error(s) of N tests when loading database 'db'"
report=$(grep -E "failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database" "$LOGDIR/odoo-tests.log" | tail -1)
odoo_run=0 odoo_failed=0
if [[ $report =~ ([0-9]+)\ failed,\ ([0-9]+)\ error\(s\)\ of\ ([0-9]+)\ tests ]]; then
    odoo_failed=$((BASH_REMATCH[1] + BASH_REMATCH[2]))
    odoo_run=${BASH_REMATCH[3]}
else
    echo "No test report in Odoo's log: the Odoo tests did not run." >&2
    odoo_failed=1
fi
echo "Odoo tests run: $odoo_run, of which failed: $odoo_failed"

# Every WARNING, ERROR or CRITICAL line of both runs, less the allow-list.
bad_log=0
grep -hE '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$LOGDIR/install.log" "$LOGDIR/odoo-tests.log" \
    | grep -vEf <(grep -vE '^\s*(#|$)' "$REPO/scripts/log-allowlist.txt") >"$LOGDIR/bad-lines.log"
if [ -s "$LOGDIR/bad-lines.log" ]; then
    bad_log=1
    echo "Odoo's log has WARNING/ERROR lines not on scripts/log-allowlist.txt:" >&2
    cat "$LOGDIR/bad-lines.log" >&2
fi

say "Suite-level tests"
export ODOO_PATH
"$VENV/bin/python" -m pytest "$REPO/tests" -q -p no:cacheprovider --junitxml "$LOGDIR/pytest.xml" 2>&1 | tee "$LOGDIR/pytest.log"
rc_pytest=${PIPESTATUS[0]}
read -r py_passed py_failed < <("$VENV/bin/python" - "$LOGDIR/pytest.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print(0, 1)
    raise SystemExit
suites = [root] if root.tag == "testsuite" else list(root)
tests = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(tests - bad - skipped, bad)
PY
)
[ "$rc_pytest" -eq 0 ] || [ "$py_failed" -gt 0 ] || py_failed=1

say "Odoo's own tests with the suite installed"
"$REPO/scripts/test-core.sh" 2>&1 | tee "$LOGDIR/core.out"
rc_core=${PIPESTATUS[0]}
# "Odoo's own tests: N run, N failed, N expected, N unexpected"
core_run=0 core_failed=0 core_expected=0 core_unexpected=0
if [[ $(grep "^Odoo's own tests: " "$LOGDIR/core.out" | tail -1) =~ ([0-9]+)\ run,\ ([0-9]+)\ failed,\ ([0-9]+)\ expected,\ ([0-9]+)\ unexpected ]]; then
    core_run=${BASH_REMATCH[1]} core_failed=${BASH_REMATCH[2]}
    core_expected=${BASH_REMATCH[3]} core_unexpected=${BASH_REMATCH[4]}
fi
[ "$rc_core" -eq 0 ] || [ "$core_unexpected" -gt 0 ] || core_unexpected=1

passed=$((odoo_run - odoo_failed + py_passed + core_run - core_failed))
failed=$((odoo_failed + py_failed + core_unexpected))
status=0
[ "$rc_deps" -eq 0 ] || { echo "Installing the dependencies failed (exit $rc_deps)." >&2; status=1; }
[ "$rc_odoo" -eq 0 ] || { echo "Odoo exited with $rc_odoo." >&2; status=1; }
[ "$bad_log" -eq 0 ] || status=1
[ "$failed" -eq 0 ] || status=1
[ "$odoo_run" -gt 0 ] || status=1
[ "$rc_core" -eq 0 ] || { echo "Odoo's own tests failed (see $LOGDIR/core.out)." >&2; status=1; }
known=
[ "$core_expected" -eq 0 ] || known=", $core_expected known failures of Odoo's own tests"
echo "$passed passed, $failed failed$known"
exit $status
