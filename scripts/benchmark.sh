#!/usr/bin/env bash
# The suite's hot paths measured beside core Odoo and OCA's tier validation,
# on the same generated data: see the "Benchmark" section of the README.
#
#   scripts/benchmark.sh [--reuse] [--quick] [--rows a,b] [--runs N] [--no-fail]
#                        [--core-db NAME] [--suite-db NAME] [--port PORT] [--demo]
#
# --reuse      keep the two databases (and their data) of an earlier run; the
#              suite's addons are updated on its database first
# --quick      small data, for a smoke run (its figures mean little)
# --rows       only these rows (scripts/benchmark.py rows lists them)
# --runs       runs per row, the time is their median (default 3)
# --no-fail    exit 0 even when a row misses its target
# --demo       install the demo data on both databases
#
# OCA's base_tier_validation (18.0) is looked for in $TECHDEPT_TIER_VALIDATION_PATH
# (a folder that holds base_tier_validation), then in var/tier-validation, else
# cloned there from OCA/tier-validation (or OCA/server-ux); without it the
# tier-validation figures print as n/a.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

CORE_DB=td_bench_core
SUITE_DB=td_bench_suite
PORT=${TECHDEPT_BENCH_PORT:-8079}
REUSE=0
QUICK=()
ROWS=()
RUNS=3
NO_FAIL=()
DEMO=(--without-demo=all)
while [ $# -gt 0 ]; do
    case $1 in
        --reuse) REUSE=1 ;;
        --quick) QUICK=(--quick) ;;
        --rows) ROWS=(--rows "$2"); shift ;;
        --runs) RUNS=$2; shift ;;
        --no-fail) NO_FAIL=(--no-fail) ;;
        --core-db) CORE_DB=$2; shift ;;
        --suite-db) SUITE_DB=$2; shift ;;
        --port) PORT=$2; shift ;;
        --demo) DEMO=() ;;
        -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done

check_odoo
start_postgresql
[ -x "$VENV/bin/python" ] || die "no Python environment at $VENV: run scripts/run.sh or scripts/test.sh once, or set TECHDEPT_VENV."
OUT=$REPO/var/benchmark
mkdir -p "$OUT"

# OCA's tier validation: never committed, fetched at run time.
TIER_NOTE=
find_tier_validation() {
    local dir
    for dir in "${TECHDEPT_TIER_VALIDATION_PATH:-}" "$REPO/var/tier-validation" "$REPO/var/server-ux"; do
        if [ -n "$dir" ] && [ -f "$dir/base_tier_validation/__manifest__.py" ]; then
            if grep -q '"version": "18\.0\.' "$dir/base_tier_validation/__manifest__.py"; then
                TIER_PATH=$dir
                return 0
            fi
            TIER_NOTE="$dir/base_tier_validation is not the 18.0 version"
        fi
    done
    local repo
    for repo in tier-validation server-ux; do
        rm -rf "$REPO/var/$repo.clone"
        if git clone -q --depth 1 -b 18.0 "https://github.com/OCA/$repo" "$REPO/var/$repo.clone" 2>"$OUT/clone-$repo.log" \
            && [ -f "$REPO/var/$repo.clone/base_tier_validation/__manifest__.py" ]; then
            rm -rf "${REPO:?}/var/$repo"
            mv "$REPO/var/$repo.clone" "$REPO/var/$repo"
            TIER_PATH=$REPO/var/$repo
            return 0
        fi
        rm -rf "$REPO/var/$repo.clone"
        TIER_NOTE="OCA base_tier_validation 18.0 could not be obtained ($(tail -1 "$OUT/clone-$repo.log" 2>/dev/null || echo 'not in the repository'))"
    done
    return 1
}
TIER_PATH=
BENCH_ADDONS=
if find_tier_validation; then
    ADDONS_PATH="$ADDONS_PATH,$TIER_PATH,$REPO/scripts/benchmark_addons"
    BENCH_ADDONS=,bench_tier_document
    say "OCA tier validation from $TIER_PATH"
else
    say "Tier validation: n/a — $TIER_NOTE"
fi

CORE_MODULES=crm,project,hr,hr_holidays,mail$BENCH_ADDONS
SUITE_MODULES=$CORE_MODULES,$(suite_addons)

install_db() {
    local db=$1 modules=$2
    if [ "$REUSE" = 1 ] && psql -d "$db" -tAc "SELECT 1" >/dev/null 2>&1; then
        say "Reusing database $db"
        return 0
    fi
    dropdb --if-exists "$db" || die "could not drop database $db"
    createdb "$db" || die "could not create database $db"
    say "Installing $modules on $db"
    odoo_bin -d "$db" -i "$modules" "${DEMO[@]}" --stop-after-init --http-port "$PORT" \
        --logfile "$OUT/$db-install.log" --log-level warn \
        || die "installation on $db failed (see $OUT/$db-install.log)"
}
install_db "$CORE_DB" "$CORE_MODULES"
if [ "$REUSE" = 1 ] && psql -d "$SUITE_DB" -tAc "SELECT 1" >/dev/null 2>&1; then
    # The suite's code may have changed since: its database follows it.
    say "Updating the suite's addons on $SUITE_DB"
    odoo_bin -d "$SUITE_DB" -u "$(suite_addons)" --stop-after-init --http-port "$PORT" \
        --logfile "$OUT/$SUITE_DB-update.log" --log-level warn \
        || die "updating the suite on $SUITE_DB failed (see $OUT/$SUITE_DB-update.log)"
fi
install_db "$SUITE_DB" "$SUITE_MODULES"

# One side after the other: the timings must not share the machine.
START=$SECONDS
driver() {
    local side=$1 db=$2
    say "Measuring $side on $db"
    "$VENV/bin/python" "$REPO/scripts/benchmark.py" run --side "$side" --db "$db" --odoo-path "$ODOO_PATH" \
        --addons-path "$ADDONS_PATH" --out "$OUT/$side.json" --runs "$RUNS" \
        ${TIER_NOTE:+--tier-missing "$TIER_NOTE"} "${QUICK[@]}" "${ROWS[@]}" \
        || die "the $side measures failed"
}
driver core "$CORE_DB"
driver suite "$SUITE_DB"
say "Measured in $((SECONDS - START)) s"
COMMIT=$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)
"$VENV/bin/python" "$REPO/scripts/benchmark.py" table "$OUT/core.json" "$OUT/suite.json" \
    --commit "$COMMIT" "${NO_FAIL[@]}"
