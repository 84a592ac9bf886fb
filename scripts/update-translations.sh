#!/usr/bin/env bash
# Exports each addon's terms to i18n/<addon>.pot from a scratch database with
# the suite installed, and merges them into i18n/zh_CN.po (existing
# translations kept, new terms left empty for a translator).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DB=${TECHDEPT_I18N_DB:-techdept_i18n}
bootstrap
ADDONS=$(suite_addons)
dropdb --if-exists "$DB"
createdb "$DB"
odoo_bin -d "$DB" -i "$ADDONS" --stop-after-init --log-level warn
for addon in ${ADDONS//,/ }; do
    mkdir -p "$REPO/addons/$addon/i18n"
    odoo_bin -d "$DB" --i18n-export="$REPO/addons/$addon/i18n/$addon.pot" \
        --modules="$addon" --stop-after-init --log-level warn
    "$VENV/bin/python" "$REPO/scripts/i18n_merge.py" \
        "$REPO/addons/$addon/i18n/$addon.pot" "$REPO/addons/$addon/i18n/zh_CN.po"
done
dropdb "$DB"
