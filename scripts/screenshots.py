"""Takes the README's screenshots (docs/screenshots/) from a demo database.

Run through scripts/screenshots.sh, which finds Odoo and the virtual
environment. On a fresh database (or one given with --reuse-db) holding the
suite with its demo data in Simplified Chinese, it starts Odoo on 127.0.0.1,
logs in as the demo user of each shot over JSON-RPC, drives headless Chromium
through the DevTools protocol at a fixed window size and saves one PNG per
entry of SHOTS; the PDF shot is the first page of the report rendered by the
server. It fails on an error dialog or a JavaScript error in the page, on a
view that never settles, on a missing demo record, on a PNG over MAX_BYTES
and on a WARNING or ERROR line in Odoo's log that scripts/log-allowlist.txt
does not accept.
"""

import argparse
import base64
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800
# The PDF's first page: its longer side, in pixels.
PDF_PAGE_SIDE = 1100
MAX_BYTES = 250_000
DEFAULT_DB = "techdept_screenshots"
TIMEOUT = 90  # seconds for a view to settle, Odoo to start, a PDF to render

LOG_RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) "
)
# Accepted besides scripts/log-allowlist.txt: Debian's wkhtmltopdf is built
# on an unpatched Qt and says on stderr, which Odoo logs as a warning, that
# it ignores the header and footer switches (the report's tests mute the
# same lines); nothing else it might say.
WKHTMLTOPDF_NOTICE = re.compile(
    r" WARNING \S+ odoo\.addons\.base\.models\.ir_actions_report: wkhtmltopdf: "
    r"(The switch --[a-z-]+, is not support using unpatched qt, and will be ignored\."
    r"|QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '[^']*')+\s*$"
)


@dataclass(frozen=True)
class Shot:
    """One screenshot: a page of the web client, or a report's first page.

    ``path`` is the web client's URL path, where ``{id}`` stands for the
    record found by ``record`` (a model and a domain, searched as the user
    himself, newest first); ``ready`` are CSS selectors that must all be
    present before the shot. ``report`` names a QWeb PDF report printed for the
    record instead of a web page.
    """

    name: str
    login: str
    caption_zh: str
    caption_en: str
    path: str = ""
    record: tuple = ()
    ready: tuple = ()
    report: str = ""

    @property
    def filename(self):
        return f"{self.name}.png"

    @property
    def size(self):
        """The PNG's expected (width, height); None for a PDF page, whose
        shape follows the paper."""
        return None if self.report else (WIDTH, HEIGHT)


TAX_LEAD = ("crm.lead", [("name", "=", "税务局数据中心扩容")])
FINISHED_APPRAISAL = (
    "techdept.appraisal",
    [
        ("employee_user_id.login", "=", "presales.engineer"),
        ("state", "in", ["acknowledged", "locked"]),
    ],
)

SHOTS = (
    Shot(
        name="presales-pipeline",
        login="presales.engineer",
        caption_zh="售前工程师的商机看板：每张卡片显示本阶段交付物的完成进度",
        caption_en=(
            "The presales engineer's pipeline: each card shows "
            "the progress of its stage's deliverables"
        ),
        path="/odoo/crm",
        ready=(".o_kanban_record .o_progressbar",),
    ),
    Shot(
        name="lead-checklist",
        login="presales.engineer",
        caption_zh="商机本阶段的交付物清单：交付人、文件、审核链和状态",
        caption_en=(
            "A lead's deliverables for its stage: who delivers, "
            "documents, review chain and state"
        ),
        path="/odoo/action-crm.crm_lead_action_pipeline/{id}",
        record=TAX_LEAD,
        ready=(".o_field_widget[name='techdept_stage_guidance'] table",),
    ),
    Shot(
        name="my-approvals",
        login="director",
        caption_zh="技术总监的“我的审批”，顶栏计数显示待审批数量",
        caption_en=(
            "The technical director's My Approvals, "
            "with the pending count in the top bar"
        ),
        path="/odoo/action-techdept_org.techdept_approval_line_action_mine",
        ready=(".o_techdept_approval_counter", ".o_list_view .o_data_row"),
    ),
    Shot(
        name="appraisal-form",
        login="presales.engineer",
        caption_zh="员工查看已结束月份的考核表：各项得分、计算依据、总分和等级",
        caption_en=(
            "An employee's appraisal of a closed month: item scores, "
            "how computed items were computed, total and grade"
        ),
        path="/odoo/action-techdept_appraisal.techdept_appraisal_action/{id}",
        record=FINISHED_APPRAISAL,
        ready=(".o_form_view .o_field_widget[name='line_ids'] .o_data_row",),
    ),
    Shot(
        name="appraisal-pdf",
        login="presales.engineer",
        caption_zh="月度考核表 PDF（第一页）",
        caption_en="The monthly appraisal form as PDF (first page)",
        record=FINISHED_APPRAISAL,
        report="techdept_appraisal.report_appraisal",
    ),
)

# Evaluated in the page: "error: ..." on an error dialog, "idle" once the web
# client shows a view, loads nothing, has its fonts and every ready selector.
IDLE_JS = """
(ready => {
    const dialog = document.querySelector('.o_error_dialog');
    if (dialog) {
        return 'error: ' + dialog.innerText.slice(0, 2000);
    }
    if (document.readyState !== 'complete' || document.fonts.status !== 'loaded') {
        return 'busy: loading the page';
    }
    if (!document.querySelector('.o_action_manager .o_view_controller')) {
        return 'busy: no view';
    }
    if (document.querySelector('.o_loading_indicator, .o-loading, .o_blockUI')) {
        return 'busy: the web client is loading';
    }
    const notification = document.querySelector('.o_notification');
    if (notification) {
        return 'busy: a notification shows: ' + notification.innerText.slice(0, 500);
    }
    const missing = ready.filter(s => !document.querySelector(s));
    return missing.length ? 'busy: missing ' + missing.join(', ') : 'idle';
})(%s)
"""
# Polls the view must stay idle for, one every POLL seconds: a view may
# render once more after its data arrives.
STABLE_POLLS = 4
POLL = 0.25


class Failure(Exception):
    """Stops the run with a message."""


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


# --- Odoo ----------------------------------------------------------------------


def log_problems(path, allowlist):
    """The WARNING/ERROR/CRITICAL lines of an Odoo log not on the allow-list."""
    patterns = [WKHTMLTOPDF_NOTICE] + [
        re.compile(line)
        for line in allowlist.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return [
        line
        for line in path.read_text(errors="replace").splitlines()
        if LOG_RECORD.match(line) and not any(p.search(line) for p in patterns)
    ]


def check_log(path, what, allowlist):
    problems = log_problems(path, allowlist)
    if problems:
        raise Failure(
            f"Odoo's log of {what} ({path}) has WARNING/ERROR lines not on "
            f"{allowlist.relative_to(REPO)}:\n" + "\n".join(problems)
        )


def create_database(args, logdir):
    log(f"Fresh database {args.db} with {args.addons} and demo data in Chinese")
    for cmd in (["dropdb", "--if-exists", args.db], ["createdb", args.db]):
        if subprocess.run(cmd).returncode:
            raise Failure(f"{' '.join(cmd)} failed")
    logfile = logdir / "install.log"
    cmd = odoo_command(args) + [
        "-d", args.db, "-i", args.addons, "--load-language", "zh_CN",
        "--stop-after-init", "--http-port", str(args.port),
        "--logfile", str(logfile), "--log-level", "info",
    ]  # fmt: skip
    if subprocess.run(cmd).returncode:
        raise Failure(f"installing the suite failed (see {logfile})")
    check_log(logfile, "the install", args.allowlist)


def check_database(args):
    """The database holds the suite: stop early with a clear message if not."""
    query = (
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed' "
        f"AND name IN ({', '.join(repr(a) for a in args.addons.split(','))})"
    )
    result = subprocess.run(
        ["psql", "-d", args.db, "-tAc", query], capture_output=True, text=True
    )
    if result.returncode or result.stdout.strip() != str(len(args.addons.split(","))):
        raise Failure(
            f"database {args.db} does not hold the suite's addons {args.addons} "
            f"installed: {result.stderr.strip() or result.stdout.strip()}"
        )


# Odoo's bus replays to a new web client what it sent in its last TIMEOUT
# seconds (odoo/addons/bus/models/bus.py): the demo's own notices, would the
# shots follow the install at once.
BUS_REPLAY = 50


def wait_for_bus_replay(db):
    """Sleeps until the newest notification of the bus is older than what it
    replays, so that no demo notice pops up in a shot."""
    query = (
        "SELECT EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - max(create_date)) "
        "FROM bus_bus"
    )
    result = subprocess.run(
        ["psql", "-d", db, "-tAc", query], capture_output=True, text=True
    )
    if result.returncode:
        raise Failure(f"cannot read the bus of {db}: {result.stderr.strip()}")
    age = float(result.stdout.strip() or "inf")
    if age < BUS_REPLAY + 5:
        wait = BUS_REPLAY + 5 - age
        log(f"Waiting {wait:.0f}s for the demo's notices to age out of the bus")
        time.sleep(wait)


def odoo_command(args):
    return [args.python, args.odoo_bin, f"--addons-path={args.addons_path}"]


def start_odoo(args, logfile):
    log(f"Starting Odoo on 127.0.0.1:{args.port} (log: {logfile})")
    cmd = odoo_command(args) + [
        "-d", args.db, f"--db-filter=^{re.escape(args.db)}$",
        "--http-interface", "127.0.0.1", "--http-port", str(args.port),
        "--max-cron-threads", "0", "--workers", "0",
        "--logfile", str(logfile), "--log-level", "info",
    ]  # fmt: skip
    process = subprocess.Popen(cmd, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failure(f"Odoo exited with {process.returncode} (see {logfile})")
        try:
            with urllib.request.urlopen(f"{base}/web/login", timeout=10) as response:
                if response.status == 200:
                    return process, base
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    stop(process)
    raise Failure(f"Odoo did not answer on {base} within {TIMEOUT}s (see {logfile})")


def stop(process):
    """Ends a process this script started, and its children."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def json_rpc(base, route, params, session_id=None):
    """Calls a JSON-RPC route; returns (result, session id of the answer)."""
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
    request = urllib.request.Request(
        base + route, body.encode(), {"Content-Type": "application/json"}
    )
    if session_id:
        request.add_header("Cookie", f"session_id={session_id}")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        answer = json.load(response)
        cookie = response.headers.get_all("Set-Cookie") or []
    if "error" in answer:
        error = answer["error"].get("data", {}).get("message") or answer["error"]
        raise Failure(f"{route} failed: {error}")
    sid = next(
        (
            c.split(";")[0].split("=", 1)[1]
            for c in cookie
            if c.startswith("session_id=")
        ),
        session_id,
    )
    return answer["result"], sid


def login(base, db, user):
    """The session id of a demo user (his password is his login)."""
    result, sid = json_rpc(
        base, "/web/session/authenticate", {"db": db, "login": user, "password": user}
    )
    if not result or not result.get("uid") or not sid:
        raise Failure(f"cannot log in as {user} on {db}")
    if result.get("user_context", {}).get("lang") != "zh_CN":
        raise Failure(f"{user} does not read the web client in Simplified Chinese")
    return sid


def find_record(base, sid, shot):
    model, domain = shot.record
    ids, _sid = json_rpc(
        base,
        f"/web/dataset/call_kw/{model}/search",
        {
            "model": model,
            "method": "search",
            "args": [domain],
            "kwargs": {"limit": 1, "order": "id desc"},
        },
        sid,
    )
    if not ids:
        raise Failure(
            f"{shot.name}: {shot.login} finds no {model} matching {domain}: "
            "is this the suite's demo database?"
        )
    return ids[0]


# --- Chromium ------------------------------------------------------------------


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise Failure("no Chromium found (install the Debian package chromium)")


def start_chromium(port, profile):
    cmd = [
        find_chromium(),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--force-device-scale-factor=1",
        "--lang=zh-CN",
        f"--window-size={WIDTH},{HEIGHT}",
        "--remote-debugging-address=127.0.0.1",
        f"--remote-debugging-port={port}",
        f"--user-data-dir={profile}",
        "about:blank",
    ]
    process = subprocess.Popen(
        cmd,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failure(f"Chromium exited with {process.returncode}")
        try:
            url = f"http://127.0.0.1:{port}/json/version"
            with urllib.request.urlopen(url, timeout=5) as response:
                return process, json.load(response)["webSocketDebuggerUrl"]
        except (urllib.error.URLError, OSError, KeyError, ValueError):
            time.sleep(0.5)
    stop(process)
    raise Failure(f"Chromium's DevTools did not answer on port {port}")


class DevTools:
    """The browser's DevTools connection; page sessions are flattened on it."""

    def __init__(self, url):
        import websocket  # noqa: PLC0415 (the tests import this file without it)

        self.ws = websocket.create_connection(url, timeout=TIMEOUT, max_size=None)
        self.next_id = 0
        self.events = []

    def send(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise Failure(f"DevTools {method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def page_errors(self, session):
        """JavaScript errors of a page: uncaught exceptions, console.error."""
        errors = []
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                errors.append(
                    details.get("exception", {}).get("description")
                    or details.get("text", "")
                )
            elif (
                event["method"] == "Runtime.consoleAPICalled"
                and params.get("type") == "error"
            ):
                errors.append(
                    " ".join(
                        str(a.get("value", a.get("description", "")))
                        for a in params.get("args", [])
                    )
                )
        return errors

    def close(self):
        self.ws.close()


def wait_idle(devtools, session, shot, debug_png):
    last, stable = "", 0
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        result = devtools.send(
            "Runtime.evaluate",
            session,
            expression=IDLE_JS % json.dumps(list(shot.ready)),
            returnByValue=True,
        )
        last = result.get("result", {}).get("value") or str(result)
        if last.startswith("error"):
            save_debug(devtools, session, debug_png)
            raise Failure(f"{shot.name}: the web client shows an error dialog: {last}")
        errors = devtools.page_errors(session)
        if errors:
            save_debug(devtools, session, debug_png)
            raise Failure(f"{shot.name}: JavaScript errors:\n" + "\n".join(errors))
        stable = stable + 1 if last == "idle" else 0
        if stable >= STABLE_POLLS:
            return
        time.sleep(POLL)
    save_debug(devtools, session, debug_png)
    raise Failure(f"{shot.name}: the page did not settle in {TIMEOUT}s ({last})")


def save_debug(devtools, session, path):
    try:
        data = devtools.send("Page.captureScreenshot", session, format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        log(f"What the page showed: {path}")
    except Exception as error:  # noqa: BLE001 (a failure is being reported)
        log(f"(no screenshot of the failure: {error})")


def take_page(devtools, base, sid, shot, url, debug_png):
    context = devtools.send("Target.createBrowserContext")["browserContextId"]
    target = devtools.send(
        "Target.createTarget", url="about:blank", browserContextId=context
    )["targetId"]
    session = devtools.send("Target.attachToTarget", targetId=target, flatten=True)[
        "sessionId"
    ]
    try:
        for method in ("Page.enable", "Runtime.enable", "Network.enable"):
            devtools.send(method, session)
        devtools.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        devtools.send(
            "Emulation.setTimezoneOverride", session, timezoneId="Asia/Shanghai"
        )
        devtools.send("Emulation.setLocaleOverride", session, locale="zh-CN")
        devtools.send(
            "Network.setCookie",
            session,
            name="session_id",
            value=sid,
            url=base,
            httpOnly=True,
        )
        devtools.send("Page.navigate", session, url=url)
        wait_idle(devtools, session, shot, debug_png)
        # No caret blinking in a field the form focused.
        devtools.send(
            "Runtime.evaluate",
            session,
            expression="document.activeElement && document.activeElement.blur()",
        )
        data = devtools.send(
            "Page.captureScreenshot", session, format="png", captureBeyondViewport=False
        )["data"]
        return base64.b64decode(data)
    finally:
        devtools.send("Target.closeTarget", targetId=target)
        devtools.send("Target.disposeBrowserContext", browserContextId=context)


def take_pdf(base, sid, shot, record_id, workdir):
    url = f"{base}/report/pdf/{shot.report}/{record_id}"
    request = urllib.request.Request(url, headers={"Cookie": f"session_id={sid}"})
    with urllib.request.urlopen(request, timeout=TIMEOUT * 2) as response:
        kind = response.headers.get_content_type()
        content = response.read()
    if kind != "application/pdf" or not content.startswith(b"%PDF"):
        raise Failure(f"{shot.name}: {url} answered {kind}, not a PDF")
    pdf = workdir / f"{shot.name}.pdf"
    pdf.write_bytes(content)
    prefix = workdir / shot.name
    cmd = [
        "pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile",
        "-scale-to", str(PDF_PAGE_SIDE), str(pdf), str(prefix),
    ]  # fmt: skip
    if subprocess.run(cmd).returncode:
        raise Failure(f"{shot.name}: pdftoppm could not read {pdf}")
    return prefix.with_suffix(".png").read_bytes()


# --- PNG files -----------------------------------------------------------------


def optimise_png(data):
    """The smallest of the image as given and in a 256-colour palette, so
    that every shot stays under MAX_BYTES without visible loss."""
    from PIL import Image  # noqa: PLC0415

    image = Image.open(io.BytesIO(data)).convert("RGB")
    best = None
    for candidate in (image, image.quantize(256, dither=Image.Dither.NONE)):
        buffer = io.BytesIO()
        candidate.save(buffer, "PNG", optimize=True)
        if best is None or buffer.tell() < len(best):
            best = buffer.getvalue()
        if len(best) <= MAX_BYTES:
            break
    return best


def png_size(data):
    """(width, height) from a PNG's header; None if it is no PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def save_png(shot, data, out_dir):
    data = optimise_png(data)
    size = png_size(data)
    if shot.size and size != shot.size:
        raise Failure(f"{shot.name}: the image is {size}, not {shot.size}")
    if len(data) > MAX_BYTES:
        raise Failure(f"{shot.name}: {len(data)} bytes, over {MAX_BYTES}")
    path = out_dir / shot.filename
    path.write_bytes(data)
    log(f"{path.relative_to(REPO)}: {size[0]}x{size[1]}, {len(data) // 1024} KB")


# --- main ----------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", required=True, help="the Python that runs Odoo")
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--addons", required=True, help="the suite's addons, in order")
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        help=f"the database created afresh for the shots (default {DEFAULT_DB})",
    )
    parser.add_argument(
        "--reuse-db",
        metavar="DB",
        help="take the shots from this existing demo database instead",
    )
    parser.add_argument("--port", type=int, default=18079, help="Odoo's HTTP port")
    parser.add_argument(
        "--devtools-port", type=int, default=19222, help="Chromium's DevTools port"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[s.name for s in SHOTS],
        help="take only this shot (repeatable)",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--logdir", type=Path, default=REPO / "var" / "screenshots")
    parser.add_argument(
        "--allowlist", type=Path, default=REPO / "scripts" / "log-allowlist.txt"
    )
    args = parser.parse_args(argv)
    if args.reuse_db:
        args.db = args.reuse_db
    return args


def run(args):
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    args.logdir.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.reuse_db:
        check_database(args)
    else:
        create_database(args, args.logdir)
    wait_for_bus_replay(args.db)
    server_log = args.logdir / "odoo.log"
    server_log.unlink(missing_ok=True)
    for stale in args.logdir.glob("*-failed.png"):
        stale.unlink()
    odoo = chromium = devtools = None
    with tempfile.TemporaryDirectory(prefix="techdept-shots-") as tmp:
        workdir = Path(tmp)
        try:
            odoo, base = start_odoo(args, server_log)
            chromium, ws_url = start_chromium(args.devtools_port, workdir / "profile")
            devtools = DevTools(ws_url)
            sessions = {}
            for shot in shots:
                log(f"{shot.name} as {shot.login}")
                if shot.login not in sessions:
                    sessions[shot.login] = login(base, args.db, shot.login)
                sid = sessions[shot.login]
                record_id = find_record(base, sid, shot) if shot.record else None
                if shot.report:
                    data = take_pdf(base, sid, shot, record_id, workdir)
                else:
                    url = base + shot.path.format(id=record_id)
                    debug_png = args.logdir / f"{shot.name}-failed.png"
                    data = take_page(devtools, base, sid, shot, url, debug_png)
                save_png(shot, data, args.out)
        finally:
            if devtools:
                devtools.close()
            stop(chromium)
            stop(odoo)
    check_log(server_log, "the screenshots' server", args.allowlist)


def main(argv=None):
    args = parse_args(argv)
    try:
        run(args)
    except Failure as failure:
        print(f"\033[1;31mERROR: {failure}\033[0m", file=sys.stderr)
        return 2
    log(f"Screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
