# Shared by run.sh and test.sh: find Odoo, install what the suite needs on
# this machine, start PostgreSQL. Safe to run again: every step checks first.
# shellcheck shell=bash

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${TECHDEPT_VENV:-$REPO/.venv}
PYTHON=${TECHDEPT_PYTHON:-python3}
APT_PACKAGES=(
    postgresql libpq-dev libldap2-dev libsasl2-dev  # PostgreSQL, python-ldap
    wkhtmltopdf fonts-noto-cjk                     # PDF reports with Chinese text
    fonts-wqy-microhei                             # the appraisal PDF's font: no radical code points
    poppler-utils                                  # pdftotext, pdfimages in the PDF tests
    chromium                                       # Odoo's browser tours
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 2; }

# The suite's addons, in dependency order (each manifest lists its depends),
# of addons/ or of the addons folder given.
suite_addons() {
    "$PYTHON" - "${1:-$REPO/addons}" <<'PY'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
manifests = {
    p.parent.name: ast.literal_eval(p.read_text())
    for p in sorted(root.glob("*/__manifest__.py"))
}
done = []
def visit(name):
    if name in done or name not in manifests:
        return
    for dep in manifests[name].get("depends", []):
        visit(dep)
    done.append(name)
for name in manifests:
    if manifests[name].get("installable", True):
        visit(name)
print(",".join(done))
PY
}

# What the suite's addons depend on outside the suite.
external_depends() {
    "$PYTHON" - "$REPO/addons" <<'PY'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
manifests = {p.parent.name: ast.literal_eval(p.read_text()) for p in root.glob("*/__manifest__.py")}
deps = sorted({d for m in manifests.values() for d in m.get("depends", [])} - set(manifests))
print(",".join(deps))
PY
}

check_odoo() {
    [ -n "${ODOO_PATH:-}" ] || die "ODOO_PATH is not set: point it at an Odoo 18.0 source tree (the folder that holds odoo-bin)."
    [ -f "$ODOO_PATH/odoo-bin" ] && [ -f "$ODOO_PATH/odoo/release.py" ] \
        || die "ODOO_PATH=$ODOO_PATH holds no Odoo source tree (no odoo-bin, no odoo/release.py)."
    grep -qE '^version_info = \(18, 0,' "$ODOO_PATH/odoo/release.py" \
        || die "ODOO_PATH=$ODOO_PATH is not Odoo 18.0 ($(grep -m1 '^version_info' "$ODOO_PATH/odoo/release.py"))."
    ADDONS_PATH="$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$REPO/addons"
}

install_system_packages() {
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    command -v apt-get >/dev/null || die "Debian packages missing and no apt-get here: ${missing[*]}"
    local sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    say "Installing Debian packages: ${missing[*]}"
    $sudo apt-get update -q >/dev/null || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
        || die "could not install Debian packages: ${missing[*]}"
}

start_postgresql() {
    if ! pg_isready -q 2>/dev/null; then
        command -v pg_lsclusters >/dev/null || die "PostgreSQL is not installed (pg_lsclusters not found)."
        local cluster
        cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
        [ -n "$cluster" ] || die "PostgreSQL has no cluster: create one with pg_createcluster."
        say "Starting PostgreSQL cluster $cluster"
        # shellcheck disable=SC2086
        pg_ctlcluster $cluster start || die "could not start PostgreSQL cluster $cluster"
        for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL did not come up."
    fi
    local me
    me=$(id -un)
    if ! psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
        say "Creating PostgreSQL superuser role $me"
        if [ "$(id -u)" -eq 0 ]; then
            su postgres -c "createuser --superuser '$me'" || die "could not create PostgreSQL role $me"
        else
            sudo -u postgres createuser --superuser "$me" || die "could not create PostgreSQL role $me"
        fi
    fi
}

install_python_packages() {
    local stamp="$VENV/.techdept-requirements" want
    want=$(cat "$ODOO_PATH/requirements.txt" "$REPO/requirements.txt" "$REPO/requirements-test.txt" 2>/dev/null | sha256sum | cut -c1-16)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV" || die "could not create the virtual environment $VENV"
    say "Installing Python packages into $VENV"
    local log="$VENV/pip.log"
    # Odoo's gevent worker (the bus of --workers) imports pkg_resources,
    # which setuptools 81 removed: see requirements.txt.
    "$VENV/bin/python" -m pip install -q -U pip 'setuptools<81' wheel >"$log" 2>&1 \
        || { tail -20 "$log" >&2; die "pip could not upgrade itself (see $log)"; }
    # cbor2 (an Odoo requirement) only builds with an older setuptools.
    local build_constraints="$VENV/build-constraints.txt"
    echo 'setuptools<70' >"$build_constraints"
    "$VENV/bin/python" -m pip install -q --build-constraint "$build_constraints" \
        -r "$ODOO_PATH/requirements.txt" -r "$REPO/requirements.txt" -r "$REPO/requirements-test.txt" \
        >>"$log" 2>&1 \
        || { tail -20 "$log" >&2; die "pip could not install Odoo's and the suite's requirements (see $log)"; }
    echo "$want" >"$stamp"
}

bootstrap() {
    check_odoo
    install_system_packages
    start_postgresql
    install_python_packages
}

odoo_bin() {
    "$VENV/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" "$@"
}

# Odoo's own modules whose tests test-core.sh runs with the suite installed:
# those the suite builds on, and Sales and Timesheets, which run beside it.
CORE_TESTED=crm,project,hr,hr_holidays,sale_crm,sale_project,hr_timesheet

# core_test_run DB PORT LOGDIR NAME [MODULES]: on a fresh database without
# demo data, installs what CORE_TESTED and MODULES need (no test), then
# installs CORE_TESTED and MODULES with the tests of CORE_TESTED only. So
# each tested module's at_install tests run as it is installed, on a registry
# that matches the database, and its post_install tests once everything is.
# (Run later, on a database that holds modules depending on it, a module's
# at_install tests see a registry loaded only up to that module: they fail
# on the later modules' data, on the bare tree too.)
# Logs: LOGDIR/NAME-install.log and LOGDIR/NAME-tests.log. Returns non-zero
# when the first step fails; the test run's result is read from its log.
core_test_run() {
    local db=$1 port=$2 logdir=$3 name=$4 modules=${5:-} plan first run
    plan=$("$PYTHON" "$REPO/scripts/core_tests.py" plan --addons-path "$ADDONS_PATH" \
        --test "$CORE_TESTED" --install "$modules") || die "cannot plan the core tests"
    first=$(sed -n 1p <<<"$plan")
    run=$(sed -n 2p <<<"$plan")
    say "Fresh database $db"
    dropdb --if-exists "$db" || die "could not drop database $db"
    createdb "$db" || die "could not create database $db"
    say "Installing dependencies without tests: $first"
    odoo_bin -d "$db" -i "$first" --without-demo=all --stop-after-init --http-port "$port" \
        --logfile "$logdir/$name-install.log" --log-level info || return 1
    say "Installing $run with the tests of $CORE_TESTED"
    odoo_bin -d "$db" -i "$run" --without-demo=all --stop-after-init --http-port "$port" \
        --test-enable --test-tags "/${CORE_TESTED//,/,/}" \
        --logfile "$logdir/$name-tests.log" --log-level test
    return 0
}
