"""A live Odoo for the suite-level tests that need committed data and real
concurrent requests: a scratch database with the suite and its demo data, a
server in prefork mode (``--workers``) on 127.0.0.1, and a JSON-RPC client
that talks to it as the web client does (a session cookie from
/web/session/authenticate, then /web/dataset/call_kw).

No Odoo import here: Odoo runs in its own processes, from ODOO_PATH with the
virtual environment of scripts/lib.sh (TECHDEPT_VENV, else the Python that
runs the tests).
"""

import http.cookiejar
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
# The whole suite: the last addon pulls the others in.
SUITE = "techdept_appraisal"


def odoo_paths():
    odoo = os.environ.get("ODOO_PATH")
    assert odoo and (Path(odoo) / "odoo-bin").is_file(), (
        "ODOO_PATH must point at an Odoo 18.0 source tree (scripts/test.sh sets it)"
    )
    # The virtual environment of scripts/lib.sh, which runs these tests.
    venv = os.environ.get("TECHDEPT_VENV")
    python = Path(venv) / "bin" / "python" if venv else Path(sys.executable)
    assert python.is_file(), f"no Python at {python}: run scripts/test.sh once"
    return Path(odoo), python


def odoo_command(*args):
    odoo, python = odoo_paths()
    addons = f"{odoo}/addons,{odoo}/odoo/addons,{REPO}/addons"
    return [str(python), str(odoo / "odoo-bin"), f"--addons-path={addons}", *args]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def create_demo_database(db, data_dir, logfile, timeout=30 * 60):
    """A fresh database ``db`` with the suite and its demo data, its files
    under ``data_dir``."""
    drop_database(db, data_dir)
    subprocess.run(["createdb", db], check=True)
    proc = subprocess.run(
        odoo_command(
            "-d", db, "-i", SUITE, "--stop-after-init", "--no-http",
            f"--data-dir={data_dir}",
            "--http-port", str(free_port()),
            "--logfile", str(logfile), "--log-level", "info",
        ),
        timeout=timeout, check=False, capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, (
        f"installing {SUITE} in {db} failed (see {logfile}):\n{proc.stderr[-3000:]}"
    )


def copy_database(template, db, data_dir, template_data_dir=None):
    """``db`` as a copy of ``template`` (no one may be connected to it), its
    files too."""
    drop_database(db, data_dir)
    subprocess.run(["createdb", "-T", template, db], check=True)
    source = Path(template_data_dir or Path.home() / ".local/share/Odoo")
    source = source / "filestore" / template
    if source.is_dir():
        shutil.copytree(source, Path(data_dir) / "filestore" / db)


def drop_database(db, data_dir=None):
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    if data_dir:
        shutil.rmtree(Path(data_dir) / "filestore" / db, ignore_errors=True)


# Odoo logs the statement that lost a serialization race at ERROR (sql_db's
# "bad query"), then retries the request and says so at INFO: that pair is
# Odoo at work, not a fault.
RETRIED = re.compile(
    r"odoo\.service\.model: (SERIALIZATION_FAILURE|DEADLOCK_DETECTED|"
    r"LOCK_NOT_AVAILABLE), \d+ tries left"
)
RACE_LOST = re.compile(
    r"^ERROR:  ?(could not serialize access|deadlock detected|"
    r"could not obtain lock)",
    re.MULTILINE,
)
# Debian's wkhtmltopdf is built on an unpatched Qt and says on stderr, which
# Odoo logs as a warning, that it ignores the header and footer switches (as
# scripts/screenshots.py and the report's tests accept); nothing else it says.
WKHTMLTOPDF_NOTICE = re.compile(
    r"^\S+ \S+ \d+ WARNING \S+ odoo\.addons\.base\.models\.ir_actions_report: "
    r"wkhtmltopdf: (The switch --[a-z-]+, is not support using unpatched qt, and "
    r"will be ignored\.|QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to "
    r"'[^']*')+\s*$"
)


def log_records(path):
    """[(level, pid, first line, whole text)] of an Odoo log."""
    records = []
    for line in Path(path).read_text(errors="replace").splitlines():
        match = LOG_LINE.match(line)
        if match:
            records.append([match[1], line.split()[2], line, line])
        elif records:
            records[-1][3] += "\n" + line
        else:
            records.append(["", "", line, line])
    return records


def log_problems(path, allowed=()):
    """Records of an Odoo log at WARNING or above, or with a traceback, less
    those matching scripts/log-allowlist.txt or one of ``allowed`` (regexes),
    and less the failed statements of a request Odoo retried."""
    patterns = [
        line
        for line in (REPO / "scripts" / "log-allowlist.txt").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    patterns += list(allowed)
    records = log_records(path)
    problems = []
    for index, (level, pid, first, text) in enumerate(records):
        bad = level in ("WARNING", "ERROR", "CRITICAL") or "Traceback" in text
        if not bad or any(re.search(p, first) for p in patterns):
            continue
        if WKHTMLTOPDF_NOTICE.match(text):
            continue
        if (
            level == "ERROR"
            and "odoo.sql_db: bad query" in first
            and (RACE_LOST.search(text))
        ):
            following = next((r for r in records[index + 1 :] if r[1] == pid), None)
            if following and RETRIED.search(following[2]):
                continue
        problems.append(text if len(text) < 3000 else text[:3000] + " […]")
    return problems


class Server:
    """``odoo-bin`` serving one database on 127.0.0.1 in prefork mode."""

    def __init__(self, db, data_dir, logfile, workers=2, http_port=None,
                 gevent_port=None, extra=()):  # fmt: skip
        self.db = db
        self.logfile = Path(logfile)
        # What does not go through Odoo's logging (a process that cannot start).
        self.stderr = self.logfile.with_suffix(".stderr")
        self.port = http_port or free_port()
        # The prefork master starts a gevent worker too: give it a port of its own.
        self.gevent_port = gevent_port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = odoo_command(
            "-d", db, f"--db-filter=^{re.escape(db)}$", "--no-database-list",
            f"--data-dir={data_dir}",
            "--http-interface=127.0.0.1", "--http-port", str(self.port),
            "--gevent-port", str(self.gevent_port), f"--workers={workers}",
            "--max-cron-threads=0", "--logfile", str(self.logfile),
            "--log-level", "info", *extra,
        )  # fmt: skip
        self.proc = None

    def start(self, timeout=120):
        self.logfile.unlink(missing_ok=True)
        self.proc = subprocess.Popen(  # noqa: S603
            self.command, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=self.stderr.open("wb"),
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with {self.proc.returncode}: "
                    f"{self.stderr.read_text()[-3000:]} (see {self.logfile})"
                )
            try:
                JsonRpc(self.url, self.db).call_route("/web/webclient/version_info")
                return self
            except (OSError, RpcFault):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Odoo did not answer on {self.url} in {timeout} s")

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        # The prefork master stops its workers on SIGTERM.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stderr_problems(self):
        """The last line of each traceback Odoo's processes wrote to stderr
        (e.g. a worker that could not start), with its count."""
        if not self.stderr.is_file():
            return {}
        lines = self.stderr.read_text(errors="replace").splitlines()
        found = {}
        for index, line in enumerate(lines):
            if line.startswith("Traceback"):
                end = next(
                    (
                        lines[i]
                        for i in range(index + 1, len(lines))
                        if lines[i] and not lines[i].startswith(" ")
                    ),
                    "?",
                )
                found[end] = found.get(end, 0) + 1
        return found

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class RpcFault(Exception):
    """An error answered by the server: ``name`` is the exception's class
    (e.g. odoo.exceptions.UserError), ``message`` what the user reads."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        self.debug = data.get("debug", "")
        super().__init__(f"{self.name}: {self.message}")


class JsonRpc:
    """One web client session."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login=None, password=None, timeout=300):
        self.url = url
        self.db = db
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.uid = None
        self.context = {}
        if login:
            self.authenticate(login, password or login)

    def call_route(self, route, params=None):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": next(self._ids),
             "params": params or {}}
        ).encode()  # fmt: skip
        request = urllib.request.Request(
            self.url + route, data=body, headers={"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=self.timeout) as response:
            reply = json.loads(response.read())
        if "error" in reply:
            raise RpcFault(reply["error"])
        return reply["result"]

    def authenticate(self, login, password):
        info = self.call_route(
            "/web/session/authenticate",
            {"db": self.db, "login": login, "password": password},
        )
        self.uid = info["uid"]
        self.context = info["user_context"]
        return info

    def call(self, model, method, *args, context=None, **kwargs):
        kwargs["context"] = dict(self.context, **(context or {}))
        return self.call_route(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data", "search_read",
            [("module", "=", module), ("name", "=", name)], ["res_id"],
        )  # fmt: skip
        assert rows, f"no record {xmlid}"
        return rows[0]["res_id"]
