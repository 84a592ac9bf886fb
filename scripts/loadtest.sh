#!/usr/bin/env bash
# Load test: Odoo in prefork mode (--workers=4) on 127.0.0.1 with the suite
# and its demo data, and Locust (headless) playing the demo staff at work
# for a bounded time (scripts/loadtest/locustfile.py). Prints throughput,
# p50/p95 per operation and errors, then checks over RPC that no decision,
# score, amount, work log or document was lost or doubled, and the server's
# log for errors. Exits 0 when there was no error, nothing lost and a clean
# log; the p95 target (1 s for every interactive call) is reported, not
# enforced, as it depends on the machine.
#
#   ./scripts/loadtest.sh                          # fresh database techdept_load, 50 users, 5 min
#   ./scripts/loadtest.sh --reuse-db techdept_load --users 10 --time 1m
#
# Options: --reuse-db DB (a database with the suite and its demo data; else
# $TECHDEPT_LOAD_DB, default techdept_load, is made afresh), --users N (50),
# --time T (5m; Locust's format: 30s, 5m, 1h), --spawn-rate R (users started
# per second, 5), --workers N (4), --port P ($TECHDEPT_LOAD_PORT, 18069; the
# gevent worker takes P+1). Locust runs in a virtual environment of its own
# (var/loadtest/venv): it pulls Werkzeug 3 and a newer gevent, which Odoo
# 18 cannot use. Logs, the summary and Locust's CSV files: var/loadtest/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DB=${TECHDEPT_LOAD_DB:-techdept_load}
PORT=${TECHDEPT_LOAD_PORT:-18069}
USERS=50 DURATION=5m RATE=5 WORKERS=4 REUSE=0
while [ $# -gt 0 ]; do
    case $1 in
        --reuse-db) DB=$2 REUSE=1; shift 2 ;;
        --users) USERS=$2; shift 2 ;;
        --time) DURATION=$2; shift 2 ;;
        --spawn-rate) RATE=$2; shift 2 ;;
        --workers) WORKERS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
GEVENT_PORT=${TECHDEPT_LOAD_GEVENT_PORT:-$((PORT + 1))}
WORK=$REPO/var/loadtest
DATA=$WORK/data
LOCUST_VENV=${TECHDEPT_LOCUST_VENV:-$WORK/venv}

bootstrap
mkdir -p "$WORK"
rm -f "$WORK"/server.log "$WORK"/summary.txt* "$WORK"/locust_*.csv

want=$(sha256sum "$REPO/scripts/loadtest/requirements.txt" | cut -c1-16)
if [ "$(cat "$LOCUST_VENV/.techdept-requirements" 2>/dev/null)" != "$want" ]; then
    say "Installing Locust into $LOCUST_VENV"
    [ -x "$LOCUST_VENV/bin/python" ] || "$PYTHON" -m venv "$LOCUST_VENV" || die "could not create $LOCUST_VENV"
    "$LOCUST_VENV/bin/python" -m pip install -q -r "$REPO/scripts/loadtest/requirements.txt" \
        >"$WORK/pip.log" 2>&1 || { tail -20 "$WORK/pip.log" >&2; die "could not install Locust (see $WORK/pip.log)"; }
    echo "$want" >"$LOCUST_VENV/.techdept-requirements"
fi

if [ "$REUSE" = 1 ]; then
    psql -d "$DB" -tAc "SELECT 1 FROM ir_module_module WHERE name = 'techdept_appraisal' AND state = 'installed'" 2>/dev/null \
        | grep -q 1 || die "$DB has no techdept_appraisal installed: run without --reuse-db"
    # Its files may lie in Odoo's default data directory (run.sh's database).
    [ -d "$DATA/filestore/$DB" ] || DATA=${TECHDEPT_LOAD_DATA_DIR:-$HOME/.local/share/Odoo}
else
    say "Fresh database $DB with the suite and its demo data"
    dropdb --if-exists --force "$DB" || die "could not drop $DB"
    rm -rf "${DATA:?}/filestore/$DB"
    createdb "$DB" || die "could not create $DB"
    odoo_bin -d "$DB" -i techdept_appraisal --stop-after-init --no-http --http-port "$PORT" \
        --data-dir "$DATA" --logfile "$WORK/install.log" --log-level info \
        || die "installing the suite failed (see $WORK/install.log)"
fi

say "Odoo with --workers=$WORKERS on http://127.0.0.1:$PORT (database $DB)"
# Its own process group, so that stopping it stops its workers too.
setsid "$VENV/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" \
    -d "$DB" --db-filter="^$DB\$" --no-database-list --data-dir "$DATA" \
    --http-interface 127.0.0.1 --http-port "$PORT" --gevent-port "$GEVENT_PORT" \
    --workers "$WORKERS" --max-cron-threads 0 --limit-time-real 600 \
    --logfile "$WORK/server.log" --log-level info 2>"$WORK/server.stderr" &
ODOO_PID=$!
stop_odoo() { kill -TERM -- "-$ODOO_PID" 2>/dev/null && wait "$ODOO_PID" 2>/dev/null; }
trap stop_odoo EXIT
for _ in $(seq 120); do
    curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"params": {}}' \
        "http://127.0.0.1:$PORT/web/webclient/version_info" && break
    kill -0 "$ODOO_PID" 2>/dev/null || die "Odoo stopped (see $WORK/server.log)"
    sleep 1
done

say "Locust: $USERS users for $DURATION"
TECHDEPT_LOAD_DB=$DB TECHDEPT_LOAD_SUMMARY=$WORK/summary.txt \
    "$LOCUST_VENV/bin/locust" -f "$REPO/scripts/loadtest/locustfile.py" --headless \
    --host "http://127.0.0.1:$PORT" -u "$USERS" -r "$RATE" -t "$DURATION" \
    --stop-timeout 30 --csv "$WORK/locust" --only-summary --loglevel WARNING
rc_locust=$?
stop_odoo
trap - EXIT

# Every WARNING/ERROR/traceback of the server, less the allow-list and the
# statements of requests Odoo retried after a serialization failure; then the
# time each call spent in a worker (from werkzeug's lines: SQL + the rest),
# apart from the time it waited for a free worker, which Locust's figures add.
"$VENV/bin/python" - "$WORK/server.log" "$WORKERS" <<PY | tee "$WORK/workers.txt"
import collections, re, statistics, sys
sys.path.insert(0, "$REPO/tests")
from odoo_live import log_problems
log, workers = sys.argv[1], int(sys.argv[2])
problems = log_problems(log)
for problem in problems:
    print(problem, file=sys.stderr)
times, stamps, retried = collections.defaultdict(list), [], 0
request = re.compile(r'^(\S+ \S+) .*"(?:POST|GET) (\S+) HTTP/[\d.]+" \d+ - \d+ ([\d.]+) ([\d.]+)')
for line in open(log, errors="replace"):
    retried += "try again in" in line
    match = request.match(line)
    if match and "/web/webclient/version_info" not in match[2]:
        path = re.sub(r"/\d+(\?.*)?$", "/<id>", match[2].split("?")[0])
        path = re.sub(r"^/web/assets/\w+/", "/web/assets/", path)
        times[path].append(float(match[3]) + float(match[4]))
        stamps.append(match[1])
if stamps:
    import datetime
    parse = lambda s: datetime.datetime.strptime(s, "%Y-%m-%d %H:%M:%S,%f")
    span = max((parse(stamps[-1]) - parse(stamps[0])).total_seconds(), 1)
    busy = sum(map(sum, times.values()))
    print(f"\nIn the workers: {sum(map(len, times.values()))} requests, {busy:.0f} s of "
          f"work in {span:.0f} s: {busy / span / workers:.0%} of {workers} workers busy")
    print(f"{'call':<66} {'count':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for path, values in sorted(times.items(), key=lambda kv: -len(kv[1])):
        values.sort()
        p95 = values[max(int(len(values) * 0.95) - 1, 0)]
        print(f"{path[:66]:<66} {len(values):>6} {statistics.median(values) * 1000:>7.0f} {p95 * 1000:>7.0f}")
print(f"server log: {len(problems)} problems, {retried} requests retried after a serialization failure")
sys.exit(1 if problems else 0)
PY
rc_log=${PIPESTATUS[0]}
[ "$rc_locust" -eq 0 ] || echo "Locust reported errors or lost/doubled data (exit $rc_locust)." >&2
[ "$rc_log" -eq 0 ] || echo "The server's log has errors (see $WORK/server.log)." >&2
[ "$rc_locust" -eq 0 ] && [ "$rc_log" -eq 0 ]
