"""The suite under real concurrent requests: Odoo in prefork mode
(``--workers=2``) on a scratch database with the suite and its demo data,
the demo staff logged in through the web client's JSON-RPC, and two requests
sent at the same moment (threads released by a barrier), a few rounds each
so that the race happens:

- two approvers decide the same "any" step: one decision is recorded, the
  other approver is told who decided, never a serialization error;
- the monthly generation run by its scheduled job and by the director's
  button at once: one form per employee and month, no crash;
- a lead moved on while the director reopens one of its approved items: the
  gate never lets the lead pass with an incomplete item.
- twice as many appraisal forms printed at once as there are workers: every
  one a PDF within seconds (wkhtmltopdf asks the server for nothing).

Then the load test's locustfile runs briefly against the same server (six of
the demo staff for 40 s, in Locust's own virtual environment, see
scripts/loadtest.sh): no error, nothing lost or doubled. Last, the server's
log must hold no error and no traceback, but for the failed statement of a
request Odoo retried after a serialization failure (it logs both).

These tests commit data, so they cannot be Odoo's TransactionCase tests. They
run Odoo (about six minutes, most of it installing the demo database):
without Odoo (ODOO_PATH) they fail, they never skip; leave them out with
``-m "not concurrency"`` while working on files only.

Environment: TECHDEPT_CONCURRENCY_DB names the scratch database (else
``${TECHDEPT_TEST_DB:-techdept_test}_concurrency``; dropped at the end unless
TECHDEPT_CONCURRENCY_KEEP_DB=1); TECHDEPT_CONCURRENCY_PORT its HTTP port and
TECHDEPT_CONCURRENCY_GEVENT_PORT the port of its gevent worker (else free
ones); TECHDEPT_CONCURRENCY_TEMPLATE a database with the suite and its
demo data to copy instead of installing (faster while developing; its files
from TECHDEPT_CONCURRENCY_TEMPLATE_DATA_DIR, else Odoo's default data
directory);
TECHDEPT_CONCURRENCY_ROUNDS the rounds per race (5); TECHDEPT_LOCUST_VENV
Locust's virtual environment (var/loadtest/venv, made when missing).
"""

import base64
import datetime
import hashlib
import os
import re
import subprocess
import threading
import time
import uuid
from pathlib import Path

import polib
import pytest
from odoo_live import (
    REPO,
    JsonRpc,
    RpcFault,
    Server,
    copy_database,
    create_demo_database,
    drop_database,
    log_problems,
)

pytestmark = pytest.mark.concurrency

ROUNDS = int(os.environ.get("TECHDEPT_CONCURRENCY_ROUNDS", "5"))
WORKDIR = REPO / "var" / "concurrency"
# What a lost race must never show the user.
RAW_ERRORS = re.compile(
    r"could not serialize|concurrent update|deadlock|psycopg2|Traceback|"
    r"duplicate key|IntegrityError|InFailedSqlTransaction",
    re.IGNORECASE,
)
REFUSALS = {
    "odoo.addons.techdept_org.exceptions.ApprovalRefusal",
    "odoo.addons.techdept_org.exceptions.GateRefusal",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
}


def message_pattern(addon, msgid):
    """A regex matching ``msgid`` in English or in the addon's Chinese, each
    %(name)s placeholder as a named group."""
    po = polib.pofile(str(REPO / "addons" / addon / "i18n" / "zh_CN.po"))
    entry = po.find(msgid)
    assert entry and entry.msgstr, f"{msgid!r} is not translated in {addon}"

    def regex(text):
        parts = re.split(r"%\((\w+)\)s", text)
        out = ""
        for i, part in enumerate(parts):
            out += re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
        return out

    return Either(
        re.compile(regex(msgid), re.DOTALL), re.compile(regex(entry.msgstr), re.DOTALL)
    )


class Either:
    """The first of some patterns that matches."""

    def __init__(self, *patterns):
        self.patterns = patterns

    def search(self, text):
        return next(filter(None, (p.search(text) for p in self.patterns)), None)


class Outcome:
    def __init__(self, who, result=None, error=None, seconds=0.0):
        self.who = who
        self.result = result
        self.error = error
        self.seconds = seconds

    @property
    def ok(self):
        return self.error is None

    def __repr__(self):
        return f"<{self.who}: {'ok' if self.ok else self.error!r}>"


def race(calls, delays=None):
    """Run the calls in threads released together (each after its delay, if
    any, in seconds); {name: Outcome}."""
    barrier = threading.Barrier(len(calls))
    outcomes = {}
    delays = delays or {}

    def run(who, call):
        barrier.wait()
        time.sleep(delays.get(who, 0))
        start = time.monotonic()
        try:
            outcomes[who] = Outcome(who, result=call())
        except Exception as exc:  # noqa: BLE001 (judged by the caller)
            outcomes[who] = Outcome(who, error=exc)
        outcomes[who].seconds = time.monotonic() - start

    threads = [
        threading.Thread(target=run, args=item, daemon=True) for item in calls.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert len(outcomes) == len(calls), f"a request never returned: {outcomes}"
    return outcomes


def assert_clean_refusal(outcome):
    """The request failed as the rules say, with a message for a person."""
    error = outcome.error
    assert isinstance(error, RpcFault), (
        f"{outcome.who}: not an answer of the server but {error!r}"
    )
    assert error.name in REFUSALS, (
        f"{outcome.who} got {error.name}, not a refusal:\n{error.debug}"
    )
    assert not RAW_ERRORS.search(error.message), (
        f"{outcome.who} was shown a database error: {error.message}"
    )
    return error.message


class Live:
    """The running server and the demo staff's sessions."""

    def __init__(self, server):
        self.server = server
        self.sessions = {}
        self.admin = self.login("admin", "admin")
        self.notes = []

    def login(self, login, password=None):
        if login not in self.sessions:
            self.sessions[login] = JsonRpc(
                self.server.url, self.server.db, login, password or login
            )
        return self.sessions[login]

    def uid(self, login):
        return self.login(login).uid

    def name(self, login):
        return self.admin.call("res.users", "read", [self.uid(login)], ["name"])[0][
            "name"
        ]


@pytest.fixture(scope="module")
def live(request):
    base = os.environ.get("TECHDEPT_TEST_DB", "techdept_test")
    db = os.environ.get("TECHDEPT_CONCURRENCY_DB") or f"{base}_concurrency"
    port = int(os.environ.get("TECHDEPT_CONCURRENCY_PORT") or 0) or None
    gevent_port = int(os.environ.get("TECHDEPT_CONCURRENCY_GEVENT_PORT") or 0) or None
    template = os.environ.get("TECHDEPT_CONCURRENCY_TEMPLATE")
    WORKDIR.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    installed = 0.0
    data_dir = WORKDIR / "data"
    server = Server(
        db,
        data_dir,
        WORKDIR / "server.log",
        workers=2,
        http_port=port,
        gevent_port=gevent_port,
    )
    live = None
    try:
        if template:
            copy_database(
                template,
                db,
                data_dir,
                os.environ.get("TECHDEPT_CONCURRENCY_TEMPLATE_DATA_DIR"),
            )
        else:
            create_demo_database(db, data_dir, WORKDIR / "install.log")
            problems = log_problems(WORKDIR / "install.log")
            assert not problems, "installing the suite logged:\n" + "\n".join(problems)
        installed = time.monotonic() - start
        server.start()
        live = Live(server)
        yield live
    finally:
        server.stop()
        if os.environ.get("TECHDEPT_CONCURRENCY_KEEP_DB") != "1":
            drop_database(db, data_dir)
    # The time and what happened, shown even when the tests pass.
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter and capture and (WORKDIR / "server.log").is_file():
        retries = sum(
            "try again in" in line
            for line in (WORKDIR / "server.log").read_text().splitlines()
        )
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nconcurrency: database ready in {installed:.0f} s, whole run "
                f"{time.monotonic() - start:.0f} s, {retries} requests retried by "
                "Odoo after a serialization failure (log in "
                "var/concurrency/server.log)"
            )
            for note in live.notes if live else ():
                reporter.write_line(f"concurrency: {note}")
            for error, count in server.stderr_problems().items():
                reporter.write_line(
                    f"concurrency: {count} times on Odoo's stderr: {error} (see "
                    f"{server.stderr})"
                )


def b64(text):
    return base64.b64encode(text.encode()).decode()


def attach(session, document_id, name):
    attachment = session.call(
        "ir.attachment",
        "create",
        {
            "name": name,
            "datas": b64(name),
            "res_model": "techdept.document",
            "res_id": document_id,
        },
    )
    session.call(
        "techdept.document",
        "write",
        [document_id],
        {"attachment_ids": [(6, 0, [attachment])]},
    )


# --- two approvers, one "any" step --------------------------------------------


def approving(session, line):
    """Approve the step from My Approvals, as ``session``'s user."""
    return lambda: session.call("techdept.approval.line", "action_approve", [line])


def test_any_step_is_decided_once(live):
    """An "any" step open to three users; two of them approve it at the same
    moment, from My Approvals, in every round: one decision is recorded, the
    other is told who decided it."""
    admin = live.admin
    approvers = ["director", "presales.manager", "gm"]
    stamp = uuid.uuid4().hex[:8]
    chain = admin.call(
        "techdept.approval.chain",
        "create",
        {
            "name": f"Any of three {stamp}",
            "code": f"any_of_three_{stamp}",
            "step_ids": [
                (0, 0, {
                    "name": "Any of three",
                    "approver_type": "users",
                    "user_ids": [(6, 0, [live.uid(a) for a in approvers])],
                    "approval_mode": "any",
                }),
            ],
        },
    )  # fmt: skip
    doc_type = admin.call(
        "techdept.document.type",
        "create",
        {
            "name": f"Raced document {stamp}",
            "code": f"raced_{stamp}",
            "category": "presales",
            "chain_id": chain,
        },
    )
    engineer = live.login("presales.engineer")
    decided = message_pattern(
        "techdept_org", "Step %(step)s of %(record)s was already decided by %(user)s."
    )
    pairs = [(approvers[i % 3], approvers[(i + 1) % 3]) for i in range(ROUNDS)]
    for number, (first, second) in enumerate(pairs, 1):
        document = engineer.call(
            "techdept.document",
            "create",
            {"name": f"Race {stamp} {number}", "type_id": doc_type},
        )
        attach(engineer, document, f"race-{number}.txt")
        engineer.call("techdept.document", "action_approval_submit", [document])
        (line,) = admin.call(
            "techdept.approval.line",
            "search",
            [
                ("res_model", "=", "techdept.document"),
                ("res_id", "=", document),
                ("state", "=", "pending"),
            ],
        )
        # Both see the step in My Approvals before they click.
        for login in (first, second):
            mine = live.login(login).call(
                "techdept.approval.line", "search", [("can_review", "=", True)]
            )
            assert line in mine, f"{login} does not see the step to review"
        outcomes = race(
            {login: approving(live.login(login), line) for login in (first, second)}
        )
        winners = [o for o in outcomes.values() if o.ok]
        assert len(winners) == 1, f"round {number}: {outcomes}"
        winner = winners[0].who
        (loser,) = [o for o in outcomes.values() if not o.ok]
        message = assert_clean_refusal(loser)
        match = decided.search(message)
        assert match and live.name(winner) in match["user"], (
            f"round {number}: {loser.who} was told {message!r}, not that "
            f"{live.name(winner)} decided already"
        )
        decisions = admin.call(
            "techdept.approval.decision",
            "search_read",
            [("line_id", "=", line)],
            ["user_id", "decision"],
        )
        assert [(d["user_id"][0], d["decision"]) for d in decisions] == [
            (live.uid(winner), "approved")
        ], f"round {number}: decisions {decisions}"
        (state,) = admin.call(
            "techdept.approval.line", "read", [line], ["state", "acted_by_id"]
        )
        assert state["state"] == "approved"
        assert state["acted_by_id"][0] == live.uid(winner)
        (doc,) = admin.call("techdept.document", "read", [document], ["approval_state"])
        assert doc["approval_state"] == "approved"
    live.notes.append(
        f"any step: {ROUNDS} rounds, one decision each, the other approver told who "
        "decided"
    )


# --- the monthly generation, twice at once ------------------------------------


def test_monthly_generation_twice_at_once(live):
    """New engineers join; the scheduled job (run now, as from its form) and
    the director's Generate button start at the same moment: each engineer
    has one form per month and neither caller sees a database error."""
    admin = live.admin
    director = live.login("director")
    cron = admin.ref("techdept_appraisal.ir_cron_techdept_appraisal_generate")
    job = admin.ref("techdept_org.job_onsite_engineer")
    department = admin.ref("techdept_org.dept_om")
    today = datetime.date.today()
    month = today.replace(day=1).isoformat()
    periods = admin.call(
        "techdept.appraisal.period", "search", [("date_from", "=", month)]
    )
    period = periods[0] if periods else None
    if not period:
        period = director.call(
            "techdept.appraisal.period", "create", {"date_from": month}
        )
    stamp = uuid.uuid4().hex[:6]
    all_new = []
    both = 0
    for number in range(1, ROUNDS + 1):
        new = [
            admin.call(
                "hr.employee",
                "create",
                {
                    "name": f"Raced engineer {stamp}-{number}-{i}",
                    "job_id": job,
                    "department_id": department,
                },
            )
            for i in range(3)
        ]
        all_new += new
        outcomes = race(
            {
                "cron": lambda: admin.call("ir.cron", "method_direct_trigger", [cron]),
                "button": lambda: director.call(
                    "techdept.appraisal.period", "action_generate", [period]
                ),
            }
        )
        for outcome in outcomes.values():
            if not outcome.ok:
                assert_clean_refusal(outcome)
        forms = admin.call(
            "techdept.appraisal",
            "search_read",
            [("employee_id", "in", new), ("period_id", "=", period)],
            ["employee_id"],
        )
        assert sorted(f["employee_id"][0] for f in forms) == sorted(new), (
            f"round {number}: forms of this month {forms} for {new}; {outcomes}"
        )
        # Whoever lost the race got the forms made by the other, not an error,
        # when Odoo could retry; a refusal is acceptable, never both failing.
        assert any(o.ok for o in outcomes.values()), f"round {number}: {outcomes}"
        both += all(o.ok for o in outcomes.values())
    duplicates = admin.call(
        "techdept.appraisal",
        "read_group",
        [("employee_id", "in", all_new)],
        ["employee_id"],
        ["employee_id", "period_id"],
        lazy=False,
    )
    assert all(group["__count"] == 1 for group in duplicates), duplicates
    live.notes.append(
        f"generation: {ROUNDS} rounds, one form per engineer and month, both "
        f"callers succeeded in {both}"
    )


# --- a move and a reopening at once -------------------------------------------


def lead_at_tender(live, number, stamp):
    """A lead in Tender and Bidding with every blocking item of the stage
    complete: 4.2 delivered, 4.5 delivered and approved. Returns (lead, item
    4.5)."""
    admin = live.admin
    sales = live.login("sales")
    presales = live.login("presales.engineer")
    director = live.login("director")
    lead = sales.call(
        "crm.lead",
        "create",
        {
            "name": f"Raced lead {stamp}-{number}",
            "type": "opportunity",
            "user_id": sales.uid,
            "techdept_presales_user_id": presales.uid,
        },
    )
    tender = admin.ref("techdept_crm_stages.stage_tender")
    wizard = director.call(
        "techdept.stage.force.wizard",
        "create",
        {
            "lead_ids": [(6, 0, [lead])],
            "stage_id": tender,
            "reason": "Concurrency test: the earlier stages are not under test.",
        },
    )
    director.call("techdept.stage.force.wizard", "action_confirm", [wizard])
    items = presales.call(
        "techdept.lead.item",
        "search_read",
        [("lead_id", "=", lead), ("code", "in", ["4.2", "4.5"])],
        ["code", "missing_type_ids"],
    )
    assert sorted(i["code"] for i in items) == ["4.2", "4.5"], items
    for item in items:
        for type_id in item["missing_type_ids"]:
            document = presales.call(
                "techdept.document",
                "create",
                {
                    "name": f"Raced {item['code']} {number}",
                    "type_id": type_id,
                    "lead_item_id": item["id"],
                },
            )
            attach(presales, document, f"raced-{item['code']}-{number}.txt")
    bid = next(i["id"] for i in items if i["code"] == "4.5")
    presales.call("techdept.lead.item", "action_approval_submit", [bid])
    for login in ("director", "gm"):
        live.login(login).call("techdept.lead.item", "action_approval_approve", [bid])
    return lead, bid


def lead_figures(admin, lead):
    """The lead's stored checklist figures, and the same figures counted
    from its items as they are now."""
    (stored,) = admin.call(
        "crm.lead",
        "read",
        [lead],
        [
            "stage_id",
            "techdept_item_count",
            "techdept_item_done_count",
            "techdept_blocked",
        ],
    )
    (stage,) = admin.call("crm.stage", "read", [stored["stage_id"][0]], ["sequence"])
    items = admin.call(
        "techdept.lead.item",
        "search_read",
        [("lead_id", "=", lead)],
        ["stage_sequence", "stage_id", "is_complete", "blocking"],
    )
    reached = [i for i in items if i["stage_sequence"] <= stage["sequence"]]
    counted = {
        "techdept_item_count": len(reached),
        "techdept_item_done_count": sum(i["is_complete"] for i in reached),
        "techdept_blocked": any(
            i["blocking"]
            and not i["is_complete"]
            and i["stage_id"][0] == stored["stage_id"][0]
            for i in reached
        ),
    }
    return stored, counted


def test_move_and_reopen_at_once(live):
    """The salesperson moves a lead from Tender and Bidding to Contract while
    the director reopens its approved bid review (4.5, blocking). Serialized,
    either the move came first (the lead is in Contract, the item complete
    when it moved, reopened there afterwards: a reopening is the director's
    to give at any stage) or the reopening did (the gate refuses the move,
    naming 4.5). Never both before the other: a lead in Contract whose move
    did not see the item complete."""
    admin = live.admin
    sales = live.login("sales")
    director = live.login("director")
    tender = admin.ref("techdept_crm_stages.stage_tender")
    contract = admin.ref("techdept_crm_stages.stage_contract")
    refused = message_pattern(
        "techdept_crm_stages", "These leads cannot move to %(stage)s yet:\n%(problems)s"
    )
    stamp = uuid.uuid4().hex[:6]
    seen = {"moved": 0, "refused": 0}
    for number in range(1, ROUNDS + 1):
        lead, bid = lead_at_tender(live, number, stamp)
        (item,) = admin.call("techdept.lead.item", "read", [bid], ["is_complete"])
        assert item["is_complete"]
        wizard = director.call(
            "techdept.approval.reject.wizard",
            "create",
            {
                "res_model": "techdept.lead.item",
                "res_ids": str([bid]),
                "action": "reopen",
                "comment": "The bid price changed: review it again.",
            },
        )
        # The reopening is the lighter transaction: without a head start for
        # the move in some rounds, it would always commit first.
        outcomes = race(
            {
                "move": lambda lead=lead: sales.call(
                    "crm.lead", "write", [lead], {"stage_id": contract}
                ),
                "reopen": lambda wizard=wizard: director.call(
                    "techdept.approval.reject.wizard", "action_confirm", [wizard]
                ),
            },
            delays={"reopen": (0, 0.1, 0.2, 0.05, 0.3)[(number - 1) % 5]},
        )
        move, reopen = outcomes["move"], outcomes["reopen"]
        assert reopen.ok, f"round {number}: the reopening failed: {reopen.error!r}"
        (item,) = admin.call(
            "techdept.lead.item",
            "read",
            [bid],
            ["approval_state", "is_complete", "code"],
        )
        assert item["approval_state"] == "draft" and not item["is_complete"]
        stored, counted = lead_figures(admin, lead)
        assert {k: stored[k] for k in counted} == counted, (
            f"round {number}: the lead's figures {stored} are not its items' {counted}"
        )
        entries = admin.call(
            "techdept.lead.stage.entry",
            "search_read",
            [("lead_id", "=", lead), ("stage_id", "=", contract)],
            ["create_date"],
        )
        if move.ok:
            seen["moved"] += 1
            assert stored["stage_id"][0] == contract
            assert len(entries) == 1, entries
            # The reopening came after the move, in a transaction that saw it.
            (decision,) = admin.call(
                "techdept.approval.decision",
                "search_read",
                [
                    ("line_id.res_model", "=", "techdept.lead.item"),
                    ("line_id.res_id", "=", bid),
                    ("decision", "=", "reopened"),
                ],
                ["create_date"],
            )
            assert decision["create_date"] >= entries[0]["create_date"], (
                f"round {number}: reopened at {decision['create_date']}, before the "
                f"move at {entries[0]['create_date']}, yet the move passed the gate"
            )
        else:
            seen["refused"] += 1
            message = assert_clean_refusal(move)
            assert refused.search(message) and "4.5" in message, (
                f"round {number}: the move was refused with {message!r}"
            )
            assert stored["stage_id"][0] == tender and not entries
    live.notes.append(f"move and reopen: {seen}")


# --- the load test, briefly ----------------------------------------------------


# --- PDFs printed at once -----------------------------------------------------


def test_pdfs_printed_at_once(live):
    """Twice as many appraisal forms printed at the same moment as there are
    workers, with the server's own address as the base of the reports' links
    (as Odoo sets it at the administrator's first login): every print is a
    PDF within seconds. Were the report's style sheets links, each
    wkhtmltopdf would ask the server for them while every worker waits for
    one, until Odoo kills the workers after limit_time_real (120 s)."""
    admin = live.admin
    admin.call("ir.config_parameter", "set_param", "web.base.url", live.server.url)
    admin.call("ir.config_parameter", "set_param", "report.url", False)
    director = live.login("director")
    forms = director.call("techdept.appraisal", "search", [], limit=4)
    assert len(forms) == 4

    def printing(form):
        url = f"{live.server.url}/report/pdf/techdept_appraisal.report_appraisal/{form}"

        def call():
            with director.opener.open(url, timeout=110) as response:
                return response.read()

        return call

    outcomes = race({form: printing(form) for form in forms})
    for form, outcome in outcomes.items():
        assert outcome.ok, f"form {form}: {outcome.error!r}"
        assert outcome.result.startswith(b"%PDF"), f"form {form}: not a PDF"
        assert outcome.seconds < 60, f"form {form}: {outcome.seconds:.0f} s"
    slowest = max(outcome.seconds for outcome in outcomes.values())
    live.notes.append(f"PDFs at once: 4 on 2 workers, the slowest in {slowest:.1f} s")


def locust_venv():
    """The load test's own virtual environment (see scripts/loadtest.sh)."""
    venv = Path(os.environ.get("TECHDEPT_LOCUST_VENV", REPO / "var/loadtest/venv"))
    requirements = REPO / "scripts" / "loadtest" / "requirements.txt"
    stamp = venv / ".techdept-requirements"
    want = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    if not stamp.is_file() or stamp.read_text().strip() != want:
        if not (venv / "bin" / "python").is_file():
            subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin/python"), "-m", "pip", "install", "-q", "-r",
             str(requirements)],
            check=True,
        )  # fmt: skip
        stamp.write_text(want + "\n")
    return venv


def test_load_smoke(live):
    """scripts/loadtest/locustfile.py for half a minute with six of the demo
    staff (every kind of work): no error, nothing lost or doubled."""
    venv = locust_venv()
    summary = WORKDIR / "load-summary.txt"
    proc = subprocess.run(
        [
            str(venv / "bin/locust"), "-f",
            str(REPO / "scripts/loadtest/locustfile.py"), "--headless",
            "--host", live.server.url, "-u", "6", "-r", "6", "-t", "40s",
            "--stop-timeout", "30", "--only-summary", "--loglevel", "WARNING",
        ],
        env=dict(
            os.environ, TECHDEPT_LOAD_DB=live.server.db,
            TECHDEPT_LOAD_SUMMARY=str(summary),
        ),
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    report = summary.read_text() if summary.is_file() else proc.stdout[-5000:]
    assert proc.returncode == 0, f"{report}\n{proc.stderr[-5000:]}"
    assert "warm-up until all were logged in: never" not in report, report
    live.notes.append("load smoke: " + report.strip().splitlines()[1])


# --- the server's log ---------------------------------------------------------


def test_server_log_is_clean(live):
    """No ERROR, no traceback: a request that lost a serialization race is
    retried by Odoo (logged at INFO); refusals are logged at INFO by the
    suite. Warnings: only a unique violation turned into a message."""
    live.server.stop()
    problems = log_problems(live.server.logfile)
    assert not problems, "\n".join(problems)
