#!/usr/bin/env bash
# Retakes the README's screenshots (docs/screenshots/): the suite with its
# demo data in Chinese on a fresh database, each screen as the demo user
# whose work it is, in headless Chromium. See scripts/screenshots.py.
#   ./scripts/screenshots.sh                      # fresh database techdept_screenshots
#   ./scripts/screenshots.sh --reuse-db techdept  # an existing demo database
#   ./scripts/screenshots.sh --reuse-db techdept --only my-approvals  # one shot
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bootstrap
ADDONS=$(suite_addons)
[ -n "$ADDONS" ] || die "no addon found under $REPO/addons"
command -v pdftoppm >/dev/null || die "pdftoppm not found (Debian package poppler-utils)"
"$VENV/bin/python" "$REPO/scripts/screenshots.py" \
    --python "$VENV/bin/python" --odoo-bin "$ODOO_PATH/odoo-bin" \
    --addons-path "$ADDONS_PATH" --addons "$ADDONS" \
    --db "${TECHDEPT_SCREENSHOT_DB:-techdept_screenshots}" \
    --port "${TECHDEPT_SCREENSHOT_PORT:-18079}" \
    --devtools-port "${TECHDEPT_DEVTOOLS_PORT:-19222}" \
    "$@" || die "the screenshots failed (logs in $REPO/var/screenshots)"
