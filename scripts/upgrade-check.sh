#!/usr/bin/env bash
# Upgrade in place: a database made with the suite's addons at the base commit
# (scripts/upgrade-base.txt), with demo data and Chinese, is updated (-u) to
# the addons of this working tree; every record and stored value it held must
# still be there, renames and drops only as scripts/upgrade-mapping.txt
# declares them, each addon whose data model changed must have a higher
# version, and the update's log must have no WARNING/ERROR line that is not
# on scripts/log-allowlist.txt. Same Odoo tree for both, only the addons
# path changes. Exits 0 when all holds, 1 when not, 2 when it cannot run.
#
# Database: $TECHDEPT_UPGRADE_DB, else "${TECHDEPT_TEST_DB:-techdept_test}_upgrade"
# (dropped and made again). Work files, logs and the report: var/upgrade/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DB=${TECHDEPT_UPGRADE_DB:-${TECHDEPT_TEST_DB:-techdept_test}_upgrade}
HTTP_PORT=${TECHDEPT_UPGRADE_PORT:-${TECHDEPT_TEST_PORT:-18069}}
WORK=${TECHDEPT_UPGRADE_DIR:-$REPO/var/upgrade}
BASE_FILE=$REPO/scripts/upgrade-base.txt
MAPPING=$REPO/scripts/upgrade-mapping.txt
start=$SECONDS

step() { say "$* ($((SECONDS - start)) s)"; }

bootstrap
mkdir -p "$WORK" || die "could not create $WORK"
rm -f "$WORK"/*.log "$WORK"/*.json "$WORK"/report.txt

base=$(grep -vE '^\s*(#|$)' "$BASE_FILE" 2>/dev/null | head -1 | tr -d '[:space:]')
[ -n "$base" ] || die "$BASE_FILE names no base commit"
command -v git >/dev/null || die "git is needed to read the base commit $base"
git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 \
    || die "$REPO is not a git checkout: the base commit $base cannot be read"
sha=$(git -C "$REPO" rev-parse --verify --quiet "$base^{commit}") \
    || die "the base commit $base is not in this checkout's history (a shallow clone? git fetch --unshallow)"

BASE_TREE=$WORK/base-$sha
if [ ! -f "$BASE_TREE/.complete" ]; then
    step "Extracting the addons of $base into $BASE_TREE"
    rm -rf "$BASE_TREE"
    mkdir -p "$BASE_TREE"
    git -C "$REPO" archive "$sha" addons | tar -x -C "$BASE_TREE" \
        || die "could not extract the addons of $base"
    touch "$BASE_TREE/.complete"
fi

CURRENT_PATH=$ADDONS_PATH
BASE_PATH="$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$BASE_TREE/addons"
BASE_ADDONS=$(suite_addons "$BASE_TREE/addons")
ADDONS=$(suite_addons)
[ -n "$BASE_ADDONS" ] || die "no addon found at $base"
# The base's addons that still exist are updated; new ones are not installed.
UPDATE=$(tr , '\n' <<<"$BASE_ADDONS" | grep -xF -f <(tr , '\n' <<<"$ADDONS") | paste -sd,)
SNAPSHOT_ADDONS=$(tr , '\n' <<<"$BASE_ADDONS,$ADDONS" | sort -u | paste -sd,)

snapshot() { # OUT LOG: what the database holds, with the code of $ADDONS_PATH
    TECHDEPT_SUITE_ADDONS=$SNAPSHOT_ADDONS TECHDEPT_SNAPSHOT=$1 \
        odoo_bin shell -d "$DB" --no-http --http-port "$HTTP_PORT" \
        --logfile "$2" --log-level warn <"$REPO/scripts/upgrade_snapshot.py" >/dev/null
    [ -s "$1" ] || die "the snapshot $1 failed (see $2)"
}

step "Database $DB with $BASE_ADDONS at $base, demo data and Chinese"
dropdb --if-exists "$DB" || die "could not drop database $DB"
createdb "$DB" || die "could not create database $DB"
ADDONS_PATH=$BASE_PATH
odoo_bin -d "$DB" -i "$BASE_ADDONS" --load-language zh_CN --stop-after-init \
    --no-http --http-port "$HTTP_PORT" --logfile "$WORK/install-base.log" --log-level info \
    || die "installing the addons of $base failed (see $WORK/install-base.log)"

step "Snapshot before the update"
snapshot "$WORK/before.json" "$WORK/snapshot-before.log"

step "Updating $UPDATE to the working tree"
ADDONS_PATH=$CURRENT_PATH
update_start=$SECONDS
odoo_bin -d "$DB" -u "$UPDATE" --stop-after-init \
    --no-http --http-port "$HTTP_PORT" --logfile "$WORK/update.log" --log-level info
rc_update=$?
update_time=$((SECONDS - update_start))
if [ "$rc_update" -ne 0 ]; then
    grep -E ' (ERROR|CRITICAL) ' -A20 "$WORK/update.log" | tail -40 >&2
    echo "Upgrade check: FAILED, the update exited with $rc_update (see $WORK/update.log)" >&2
    exit 1
fi

step "Snapshot after the update"
snapshot "$WORK/after.json" "$WORK/snapshot-after.log"

# The same filter as test.sh: every WARNING, ERROR or CRITICAL line of the
# update (and of loading the updated registry), less the allow-list.
grep -hE '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$WORK/update.log" "$WORK/snapshot-after.log" \
    | grep -vEf <(grep -vE '^\s*(#|$)' "$REPO/scripts/log-allowlist.txt") >"$WORK/bad-lines.log"

step "Comparing"
"$VENV/bin/python" "$REPO/scripts/upgrade_compare.py" "$WORK/before.json" "$WORK/after.json" \
    --mapping "$MAPPING" --bad-log "$WORK/bad-lines.log" --result "$WORK/result.json" \
    | tee "$WORK/report.txt"
rc=${PIPESTATUS[0]}
echo "Base $base ($sha); update $update_time s, whole check $((SECONDS - start)) s; report in $WORK/report.txt"
exit "$rc"
