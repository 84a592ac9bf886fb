#!/usr/bin/env bash
# Records which of Odoo's own tests fail on the bare Odoo tree of this
# machine: runs the tests test-core.sh runs (same modules, same steps) on a
# fresh database without the suite, and rewrites
# scripts/core-tests-bare-failures.txt. Run it again after updating Odoo;
# some of Odoo's tests depend on today's date.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DB=${TECHDEPT_CORE_BARE_DB:-${TECHDEPT_TEST_DB:-techdept_test}_core_bare}
HTTP_PORT=${TECHDEPT_TEST_PORT:-18069}
LOGDIR=${TECHDEPT_LOGDIR:-$REPO/var/test-logs}
LIST=$REPO/scripts/core-tests-bare-failures.txt

bootstrap
mkdir -p "$LOGDIR"
rm -f "$LOGDIR"/core-bare-*.log

core_test_run "$DB" "$HTTP_PORT" "$LOGDIR" core-bare \
    || die "installing the dependencies failed (see $LOGDIR/core-bare-install.log)"
odoo_version=$("$PYTHON" -c 'import sys; ns = {}; exec(open(sys.argv[1]).read(), ns); print(ns["version"])' \
    "$ODOO_PATH/odoo/release.py")
# As in test-core.sh, a failed post_install test runs once more: one that
# passes then is not a failure of the bare tree.
retry=$("$PYTHON" "$REPO/scripts/core_tests.py" retry-tags "$LOGDIR/core-bare-tests.log")
if [ -n "$retry" ]; then
    say "Running once more: $retry"
    odoo_bin -d "$DB" --stop-after-init --http-port "$HTTP_PORT" --test-enable \
        --test-tags "$retry" --logfile "$LOGDIR/core-bare-retry.log" --log-level test
fi
"$PYTHON" "$REPO/scripts/core_tests.py" baseline "$LOGDIR/core-bare-tests.log" \
    --retry-log "$LOGDIR/core-bare-retry.log" \
    --output "$LIST" --odoo "$odoo_version" --modules "$CORE_TESTED" \
    || die "no test report in $LOGDIR/core-bare-tests.log"
dropdb --if-exists "$DB"
