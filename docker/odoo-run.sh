#!/bin/bash
# Command of the odoo and test services of docker-compose.yml:
#   odoo-run.sh serve  install the addons, demo data included, into $TECHDEPT_DB
#                      and serve it on port 8069
#   odoo-run.sh test   install the addons without demo data into a fresh
#                      $TECHDEPT_TEST_DB, run their tests and stop
# The image's /entrypoint.sh then waits for PostgreSQL and adds the database
# settings (HOST, USER, PASSWORD) before starting odoo.
set -euo pipefail

addons_dir=${TECHDEPT_ADDONS_DIR:-/mnt/extra-addons}
odoo_entrypoint=${ODOO_ENTRYPOINT:-/entrypoint.sh}

# Empty TECHDEPT_ADDONS means every addon mounted from ./addons.
addons=${TECHDEPT_ADDONS:-}
if [ -z "$addons" ]; then
    for manifest in "$addons_dir"/*/__manifest__.py; do
        [ -f "$manifest" ] || continue
        name=$(basename "$(dirname "$manifest")")
        addons=${addons:+$addons,}$name
    done
fi
if [ -z "$addons" ]; then
    echo "odoo-run.sh: no addon found in $addons_dir" >&2
    exit 1
fi

case "${1:-serve}" in
serve)
    echo "techdept: database $TECHDEPT_DB with $addons"
    echo "techdept: open http://localhost:8069 and log in as admin / admin"
    exec "$odoo_entrypoint" odoo -d "$TECHDEPT_DB" -i "$addons"
    ;;
test)
    # Tests build their own data, so no demo data; a fresh
    # database so nothing is left from an earlier run. Browser tours are
    # skipped: the image has no Chrome.
    PGPASSWORD=$PASSWORD dropdb --if-exists -h "$HOST" -U "$USER" "$TECHDEPT_TEST_DB"
    tags=/${addons//,/,/}
    exec "$odoo_entrypoint" odoo -d "$TECHDEPT_TEST_DB" -i "$addons" \
        --without-demo=all --test-enable --test-tags "$tags" \
        --stop-after-init --log-level=test
    ;;
*)
    echo "usage: odoo-run.sh serve|test" >&2
    exit 2
    ;;
esac
