#!/usr/bin/env bash
# Runs Odoo's own tests of the modules the suite builds on, and of Sales and
# Timesheets beside it (CORE_TESTED in lib.sh), with the suite installed on a
# fresh database without demo data. Fails on a failed test that is neither a
# deliberate change of the policy (scripts/core-tests-allowlist.txt) nor a
# failure of the bare Odoo tree on this machine
# (scripts/core-tests-bare-failures.txt, see refresh-core-baseline.sh, and
# scripts/core-tests-flaky.txt for tours that fail now and then), on a
# WARNING/ERROR line logged while installing modules that are not under test
# and not on scripts/log-allowlist.txt, when no test report is found, and
# when Odoo cannot be found. Odoo's own tests log errors on purpose: their
# log is not held to that rule.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DB=${TECHDEPT_CORE_DB:-${TECHDEPT_TEST_DB:-techdept_test}_core}
HTTP_PORT=${TECHDEPT_TEST_PORT:-18069}
LOGDIR=${TECHDEPT_LOGDIR:-$REPO/var/test-logs}

bootstrap
mkdir -p "$LOGDIR"
rm -f "$LOGDIR"/core-*.log

ADDONS=$(suite_addons)
[ -n "$ADDONS" ] || die "no addon found under $REPO/addons"
core_test_run "$DB" "$HTTP_PORT" "$LOGDIR" core "$ADDONS"
rc_deps=$?

# WARNING/ERROR lines of the install steps, less the allow-list.
bad_log=0
"$PYTHON" "$REPO/scripts/core_tests.py" install-lines --test "$CORE_TESTED" \
    --log-allowlist "$REPO/scripts/log-allowlist.txt" \
    "$LOGDIR/core-install.log" "$LOGDIR/core-tests.log" >"$LOGDIR/core-bad-lines.log"
if [ -s "$LOGDIR/core-bad-lines.log" ]; then
    bad_log=1
    echo "Installing logged WARNING/ERROR lines not on scripts/log-allowlist.txt:" >&2
    cat "$LOGDIR/core-bad-lines.log" >&2
fi

# A few of Odoo's browser tours race the web client on a loaded machine (on
# the bare tree too): an unexpected failure of a post_install test runs once
# more, on the same database, and counts as a failure unless it passes then
# or is on scripts/core-tests-flaky.txt.
LISTS=(--allowlist "$REPO/scripts/core-tests-allowlist.txt"
    --baseline "$REPO/scripts/core-tests-bare-failures.txt"
    --flaky "$REPO/scripts/core-tests-flaky.txt")
retry=$("$PYTHON" "$REPO/scripts/core_tests.py" retry-tags "$LOGDIR/core-tests.log" "${LISTS[@]}")
if [ -n "$retry" ]; then
    say "Running once more: $retry"
    odoo_bin -d "$DB" --stop-after-init --http-port "$HTTP_PORT" --test-enable \
        --test-tags "$retry" --logfile "$LOGDIR/core-retry.log" --log-level test
fi

say "Odoo's own tests"
"$PYTHON" "$REPO/scripts/core_tests.py" report "$LOGDIR/core-tests.log" "${LISTS[@]}" \
    --retry-log "$LOGDIR/core-retry.log"
rc_report=$?

status=0
[ "$rc_deps" -eq 0 ] || { echo "Installing the dependencies failed (exit $rc_deps)." >&2; status=1; }
[ "$bad_log" -eq 0 ] || status=1
[ "$rc_report" -eq 0 ] || status=1
exit $status
