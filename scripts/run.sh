#!/usr/bin/env bash
# Runs the suite: Odoo 18 with every addon of the suite and its demo data on
# a database of its own, web client at http://localhost:8069.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DB=${TECHDEPT_DB:-techdept}
PORT=${TECHDEPT_PORT:-8069}

bootstrap
ADDONS=$(suite_addons)
if ! psql -d "$DB" -tAc "SELECT 1 FROM ir_module_module WHERE name = 'techdept_org' AND state = 'installed'" 2>/dev/null | grep -q 1; then
    say "Creating database $DB with $ADDONS and demo data"
    dropdb --if-exists "$DB"
    createdb "$DB"
    odoo_bin -d "$DB" -i "$ADDONS" --stop-after-init --load-language zh_CN --log-level warn \
        || die "installing the suite failed"
else
    say "Updating $ADDONS in $DB"
    odoo_bin -d "$DB" -u "$ADDONS" --stop-after-init --log-level warn || die "updating the suite failed"
fi
say "Odoo is at http://localhost:$PORT (database $DB) — log in as admin / admin; the demo staff log in with their login as password, e.g. director / director"
exec "$VENV/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" -d "$DB" --db-filter="^$DB\$" --http-port "$PORT"
