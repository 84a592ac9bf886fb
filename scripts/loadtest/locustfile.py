"""A month of the department's work against a demo database, for Locust.

Each simulated user logs in as one of the demo staff (logins in turn, so
that every role works: director, managers, engineers, sales, commerce, the
general manager's office) and, waiting 2 to 10 s between actions, does what
his role does, through the JSON-RPC calls the web client makes:

- browse the pipeline kanban (web_read_group, then web_search_read per column);
- move his leads between stages and update their amount (web_save, as a drag);
- upload a technical document (the document, its file, its submission);
- open My Approvals and approve a step;
- score an item of an appraisal form he appraises;
- log work time;
- print an appraisal form (PDF) and the month's sheet (XLSX), reported apart.

At the end, over RPC as admin, it checks that nothing was lost or doubled:
the decisions recorded are the approvals that succeeded, one each; every
score, amount and work log written is in the database once, as written.
The process exits non-zero when a check fails or a request failed.

Run it with scripts/loadtest.sh (which starts Odoo with --workers=4), or
headless by hand: locust -f scripts/loadtest/locustfile.py --headless
--host http://127.0.0.1:8069 -u 50 -r 5 -t 5m; TECHDEPT_LOAD_DB names the
database (default techdept_load).
"""

import base64
import collections
import datetime
import itertools
import json
import os
import random
import re
import time
import uuid

import gevent.lock
from locust import HttpUser, between, events, task
from locust.exception import StopUser

DB = os.environ.get("TECHDEPT_LOAD_DB", "techdept_load")
ADMIN = (os.environ.get("TECHDEPT_LOAD_ADMIN", "admin"),) * 2
# The demo staff (README): login = password; the first few already do every
# kind of work, for a short run with few users.
STAFF = [
    "director",
    "sales",
    "presales.engineer",
    "om.manager",
    "implementation.engineer",
    "gm",
    "presales.manager",
    "commerce",
    "implementation.manager",
    "onsite.engineer",
    "supervision.manager",
    "project.manager",
    "aftersales.engineer",
    "supervision.engineer",
]
# What each one does, with weights: a month's mix of work.
WORK = {
    "director": {"pipeline": 3, "approve": 5, "score": 2, "pdf": 1, "xlsx": 1},
    "presales.manager": {"pipeline": 3, "approve": 4, "score": 2, "worklog": 2},
    "presales.engineer": {"pipeline": 4, "upload": 3, "worklog": 3, "pdf": 1},
    "implementation.manager": {"approve": 4, "score": 2, "upload": 1},
    "project.manager": {"upload": 3, "approve": 1},
    "implementation.engineer": {"upload": 3, "approve": 1, "pdf": 1},
    "om.manager": {"approve": 4, "score": 3, "xlsx": 1},
    "aftersales.engineer": {"upload": 3, "approve": 1},
    "onsite.engineer": {"upload": 3, "approve": 1},
    "supervision.manager": {"approve": 4, "score": 2},
    "supervision.engineer": {"upload": 3, "approve": 1},
    "sales": {"pipeline": 4, "move": 4, "approve": 1},
    "commerce": {"pipeline": 2, "approve": 2, "upload": 1},
    "gm": {"pipeline": 3, "approve": 4},
}
# The category of the documents each uploader writes.
CATEGORY = {
    "presales.engineer": "presales",
    "implementation.manager": "implementation",
    "project.manager": "implementation",
    "implementation.engineer": "implementation",
    "aftersales.engineer": "om",
    "onsite.engineer": "om",
    "supervision.engineer": "supervision",
    "commerce": "commerce",
}
REPORT = "report"  # request names of reports start with it: reported apart
RUN = uuid.uuid4().hex[:8]
ALREADY_DECIDED = re.compile(r"already decided|已由")
_logins = itertools.cycle(STAFF)
SESSIONS = collections.defaultdict(lambda: {"lock": gevent.lock.Semaphore()})
STOPPING = []  # set once the run stops: requests cut short then are no errors


class Ledger:
    """What the simulated users did, to check against the database."""

    def __init__(self):
        self.approved_lines = []
        self.already_decided = 0
        self.scores = {}  # item id -> last score written
        self.score_owner = {}  # item id -> the simulated user who scores it
        self.form_owner = {}  # form id -> the simulated user who opens its scoring
        self.amounts = {}  # lead id -> last expected revenue written
        self.worklog_hours = collections.Counter()  # login -> hours logged
        self.worklog_count = 0
        self.documents = 0
        self.submitted = 0
        self.decision_floor = 0
        self.interrupted = 0
        self.logged_in = 0
        self.started = 0.0
        # Once all are in: (seconds, logins, their p50, p95, errors, requests)
        self.warm_up = None
        self.problems = []


LEDGER = Ledger()


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


def rpc_body(params):
    return {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}


class Staff(HttpUser):
    wait_time = between(2, 10)

    def on_start(self):
        self.login = next(_logins)
        self.key = uuid.uuid4().hex[:6]
        # The simulated users of one login are the tabs of one browser: the
        # first logs in, the others take its session cookie.
        with SESSIONS[self.login]["lock"]:
            session = SESSIONS[self.login]
            if "info" not in session:
                session["info"] = self.route(
                    "/web/session/authenticate",
                    {"db": DB, "login": self.login, "password": self.login},
                    name="login",
                )
                session["cookie"] = self.client.cookies.get("session_id")
            else:
                self.client.cookies.set("session_id", session["cookie"])
        info = session["info"]
        self.uid = info["uid"]
        self.user_context = info["user_context"]
        LEDGER.logged_in += 1
        if LEDGER.logged_in == self.environment.runner.target_user_count:
            warm_up_done(self.environment)
        actions = WORK[self.login]
        self.actions = list(actions)
        self.weights = [actions[a] for a in self.actions]
        self.lead = None
        self.stages = None

    # JSON-RPC as the web client does it

    def route(self, path, params, name):
        with self.client.post(
            path, json=rpc_body(params), name=name, catch_response=True
        ) as response:
            try:
                reply = response.json()
            except ValueError:
                if STOPPING and not response.status_code:
                    # Cut short by the end of the run, not answered wrongly.
                    LEDGER.interrupted += 1
                    response.success()
                    raise StopUser() from None
                response.failure(f"HTTP {response.status_code}, not JSON")
                raise RpcError({"message": f"HTTP {response.status_code}"}) from None
            if "error" in reply:
                error = RpcError(reply["error"])
                if ALREADY_DECIDED.search(error.message):
                    response.success()  # a colleague was faster: judged below
                else:
                    response.failure(str(error)[:300])
                raise error
            response.success()
            return reply["result"]

    def call(self, model, method, *args, name, **kwargs):
        kwargs.setdefault("context", self.user_context)
        return self.route(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            name=name,
        )

    @task
    def work(self):
        action = random.choices(self.actions, self.weights)[0]
        try:
            getattr(self, f"do_{action}")()
        except RpcError:
            pass  # counted as a failure where it happened (or judged there)

    # The actions

    def do_pipeline(self):
        """The pipeline kanban: the columns, then the cards of each."""
        domain = [("type", "=", "opportunity")]
        groups = self.call(
            "crm.lead",
            "web_read_group",
            domain,
            ["stage_id", "expected_revenue:sum"],
            ["stage_id"],
            lazy=True,
            name="pipeline: web_read_group",
        )
        spec = {
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "expected_revenue": {},
            "stage_id": {"fields": {"display_name": {}}},
            "user_id": {"fields": {"display_name": {}}},
            "techdept_progress": {},
            "techdept_blocked": {},
            "activity_state": {},
            "priority": {},
            "tag_ids": {"fields": {"display_name": {}}},
        }
        for group in groups["groups"][:6]:
            stage = group["stage_id"] and group["stage_id"][0]
            self.call(
                "crm.lead",
                "web_search_read",
                domain + [("stage_id", "=", stage)],
                spec,
                limit=40,
                name="pipeline: web_search_read (column)",
            )

    def do_move(self):
        """Drag his lead to the other early column, raising its amount."""
        if self.lead is None:
            first = self.call(
                "crm.stage",
                "search_read",
                [],
                ["sequence"],
                order="sequence, id",
                limit=2,
                name="move: stages",
            )
            self.stages = [s["id"] for s in first]
            self.lead = self.call(
                "crm.lead",
                "web_save",
                [],
                {
                    "name": f"Load {RUN} {self.key}",
                    "type": "opportunity",
                    "user_id": self.uid,
                    "expected_revenue": 100000,
                    "stage_id": self.stages[0],
                },
                specification={"stage_id": {}},
                name="move: new lead (web_save)",
            )[0]["id"]
            LEDGER.amounts[self.lead] = 100000
            self.stage = self.stages[0]
        target = self.stages[1] if self.stage == self.stages[0] else self.stages[0]
        amount = LEDGER.amounts[self.lead] + 1000
        self.call(
            "crm.lead",
            "web_save",
            [self.lead],
            {"stage_id": target, "expected_revenue": amount},
            specification={"stage_id": {}, "expected_revenue": {}},
            name="move: drag to stage (web_save)",
        )
        self.stage = target
        LEDGER.amounts[self.lead] = amount

    def do_upload(self):
        """A new document with its file, submitted for review."""
        types = self.call(
            "techdept.document.type",
            "search_read",
            [("category", "=", CATEGORY[self.login]), ("chain_id", "!=", False)],
            ["id"],
            limit=1,
            name="upload: document types",
        )
        if not types:
            return
        name = f"Load {RUN} {self.login} {uuid.uuid4().hex[:6]}"
        document = self.call(
            "techdept.document",
            "web_save",
            [],
            {"name": name, "type_id": types[0]["id"]},
            specification={"name": {}},
            name="upload: new document (web_save)",
        )[0]["id"]
        attachment = self.call(
            "ir.attachment",
            "create",
            {
                "name": f"{name}.txt",
                "datas": base64.b64encode(os.urandom(30_000)).decode(),
                "res_model": "techdept.document",
                "res_id": document,
            },
            name="upload: file (ir.attachment create)",
        )
        self.call(
            "techdept.document",
            "web_save",
            [document],
            {"attachment_ids": [(4, attachment)]},
            specification={"attachment_ids": {}},
            name="upload: attach (web_save)",
        )
        LEDGER.documents += 1
        self.call(
            "techdept.document",
            "action_approval_submit",
            [document],
            name="upload: submit for review",
        )
        LEDGER.submitted += 1

    def do_approve(self):
        """My Approvals, then approve one of the steps listed."""
        lines = self.call(
            "techdept.approval.line",
            "web_search_read",
            [("can_review", "=", True)],
            {
                "res_name": {},
                "step_name": {},
                "deadline": {},
                "is_overdue": {},
                "submitted_by_id": {"fields": {"display_name": {}}},
            },
            limit=80,
            name="approvals: My Approvals (web_search_read)",
        )["records"]
        if not lines:
            return
        line = random.choice(lines[:10])["id"]
        try:
            self.call(
                "techdept.approval.line",
                "action_approve",
                [line],
                name="approvals: approve",
            )
        except RpcError as error:
            if ALREADY_DECIDED.search(error.message):
                LEDGER.already_decided += 1
                return
            raise
        LEDGER.approved_lines.append(line)

    def do_score(self):
        """Score an item of a form he appraises, as from the form; when none
        waits, score a form without the self-assessment whose time is over."""
        domain = [
            ("appraisal_id.appraiser_user_id", "=", self.uid),
            ("scorer", "=", "appraiser"),
            ("source", "=", "manual"),
        ]
        items = self.call(
            "techdept.appraisal.line",
            "search_read",
            domain + [("appraisal_id.state", "in", ("draft", "scored"))],
            ["max_score"],
            limit=40,
            name="score: items to score",
        )
        # Each item is scored by one simulated user, so the last score is known.
        mine = [
            i
            for i in items
            if LEDGER.score_owner.setdefault(i["id"], self.key) == self.key
        ]
        if not mine:
            waiting = [
                ("appraiser_user_id", "=", self.uid),
                ("state", "=", "self_assessment"),
            ]
            if self.login != "director":
                # Others score without it only once its time is over (the
                # UTC date is never ahead of the company's).
                today = datetime.datetime.now(datetime.timezone.utc).date()
                waiting.append(
                    ("period_id.self_assessment_deadline", "<", today.isoformat())
                )
            forms = self.call(
                "techdept.appraisal",
                "search",
                waiting,
                limit=10,
                name="score: forms waiting for a self-assessment",
            )
            forms = [
                f
                for f in forms
                if LEDGER.form_owner.setdefault(f, self.key) == self.key
            ][:1]
            if forms:
                self.call(
                    "techdept.appraisal",
                    "action_skip_self_assessment",
                    forms,
                    name="score: score without the self-assessment",
                )
            return
        item = random.choice(mine)
        score = round(random.uniform(0, item["max_score"]), 2)
        self.call(
            "techdept.appraisal.line",
            "web_save",
            [item["id"]],
            {"score": score},
            specification={"score": {}, "is_scored": {}},
            name="score: item (web_save)",
        )
        LEDGER.scores[item["id"]] = score

    def do_worklog(self):
        employees = self.call(
            "hr.employee",
            "search_read",
            [("user_id", "=", self.uid)],
            ["id"],
            limit=1,
            name="worklog: employee",
        )
        hours = random.choice([0.5, 1.0, 1.5, 2.0, 3.0])
        self.call(
            "techdept.worklog",
            "web_save",
            [],
            {
                "employee_id": employees[0]["id"],
                "kind": "training",
                "hours": hours,
                "name": f"Load {RUN} {self.login}",
            },
            specification={"hours": {}},
            name="worklog: log time (web_save)",
        )
        LEDGER.worklog_hours[self.login] += hours
        LEDGER.worklog_count += 1

    def do_pdf(self):
        forms = self.call(
            "techdept.appraisal",
            "search",
            [],
            limit=20,
            name="print: forms (search)",
        )
        if not forms:
            return
        form = random.choice(forms)
        with self.client.get(
            f"/report/pdf/techdept_appraisal.report_appraisal/{form}",
            name=f"{REPORT} PDF: appraisal form",
            catch_response=True,
        ) as response:
            if not response.content.startswith(b"%PDF"):
                response.failure(f"HTTP {response.status_code}, not a PDF")

    def do_xlsx(self):
        periods = self.call(
            "techdept.appraisal.period",
            "search",
            [],
            limit=3,
            name="print: months (search)",
        )
        if not periods:
            return
        with self.client.get(
            f"/techdept_appraisal/xlsx/period/{random.choice(periods)}",
            name=f"{REPORT} XLSX: month's sheet",
            catch_response=True,
        ) as response:
            if not response.content.startswith(b"PK"):
                response.failure(f"HTTP {response.status_code}, not an XLSX file")


# --- before and after ----------------------------------------------------------


class Admin:
    """An admin session, with requests' own session (outside the stats)."""

    def __init__(self, host):
        import requests

        self.http = requests.Session()
        self.host = host.rstrip("/")
        self.route(
            "/web/session/authenticate",
            {"db": DB, "login": ADMIN[0], "password": ADMIN[1]},
        )

    def route(self, path, params):
        reply = self.http.post(self.host + path, json=rpc_body(params), timeout=300)
        reply = reply.json()
        if "error" in reply:
            raise RpcError(reply["error"])
        return reply["result"]

    def call(self, model, method, *args, **kwargs):
        return self.route(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def warm_up_done(environment):
    """Every simulated user has its session: the figures start from here. The
    warm-up (each worker loading the registry, a password check per login)
    is reported apart."""
    login = environment.stats.get("login", "POST")
    LEDGER.warm_up = (
        time.monotonic() - LEDGER.started,
        login.num_requests,
        percentile(login, 0.5),
        percentile(login, 0.95),
        environment.stats.total.num_failures,
        environment.stats.total.num_requests,
    )
    environment.stats.reset_all()


@events.test_stopping.add_listener
def stopping(environment, **_kwargs):
    STOPPING.append(time.monotonic())


@events.test_start.add_listener
def before(environment, **_kwargs):
    LEDGER.started = time.monotonic()
    admin = Admin(environment.host)
    last = admin.call(
        "techdept.approval.decision", "search", [], order="id desc", limit=1
    )
    LEDGER.decision_floor = last[0] if last else 0


def check_ledger(admin):
    """What the database holds against what the simulated users did."""
    problems = []
    decisions = admin.call(
        "techdept.approval.decision",
        "search_read",
        [("id", ">", LEDGER.decision_floor), ("decision", "=", "approved")],
        ["line_id"],
    )
    decided = collections.Counter(d["line_id"][0] for d in decisions)
    approved = collections.Counter(LEDGER.approved_lines)
    if decided != approved:
        problems.append(
            f"decisions: {sum(decided.values())} recorded for "
            f"{sum(approved.values())} approvals that succeeded; differing steps "
            f"{sorted((decided - approved) + (approved - decided))[:20]}"
        )
    if LEDGER.scores:
        rows = admin.call(
            "techdept.appraisal.line",
            "read",
            list(LEDGER.scores),
            ["score", "is_scored"],
        )
        wrong = [
            (r["id"], r["score"], LEDGER.scores[r["id"]])
            for r in rows
            if abs(r["score"] - LEDGER.scores[r["id"]]) > 0.005 or not r["is_scored"]
        ]
        if wrong or len(rows) != len(LEDGER.scores):
            problems.append(f"scores: (item, in database, written) {wrong[:20]}")
    if LEDGER.amounts:
        rows = admin.call(
            "crm.lead", "read", list(LEDGER.amounts), ["expected_revenue"]
        )
        wrong = [
            (r["id"], r["expected_revenue"], LEDGER.amounts[r["id"]])
            for r in rows
            if abs(r["expected_revenue"] - LEDGER.amounts[r["id"]]) > 0.005
        ]
        if wrong:
            problems.append(f"amounts: (lead, in database, written) {wrong[:20]}")
    logs = admin.call(
        "techdept.worklog",
        "read_group",
        [("name", "like", f"Load {RUN} ")],
        ["hours:sum"],
        ["user_id"],
        lazy=False,
    )
    logged = sum(g["hours"] for g in logs)
    count = sum(g["__count"] for g in logs)
    if (
        abs(logged - sum(LEDGER.worklog_hours.values())) > 0.005
        or count != LEDGER.worklog_count
    ):
        problems.append(
            f"work logs: {count} lines, {logged} h in the database; "
            f"{LEDGER.worklog_count} lines, {sum(LEDGER.worklog_hours.values())} h "
            "logged"
        )
    documents = admin.call(
        "techdept.document", "search_count", [("name", "like", f"Load {RUN} ")]
    )
    if documents != LEDGER.documents:
        problems.append(
            f"documents: {documents} in the database, {LEDGER.documents} uploaded"
        )
    return problems


def percentile(entry, share):
    return entry.get_response_time_percentile(share) if entry.num_requests else 0


@events.quitting.add_listener
def after(environment, **_kwargs):
    stats = environment.stats
    entries = sorted(
        stats.entries.values(), key=lambda e: (e.name.startswith(REPORT), e.name)
    )
    last = stats.total.last_request_timestamp or stats.total.start_time
    duration = max(last - stats.total.start_time, 1)
    users = getattr(environment.parsed_options, "num_users", "?")
    header = ("operation", "count", "errors", "p50 ms", "p95 ms", "max ms")
    warm = LEDGER.warm_up
    lines = [
        "",
        f"Load test {RUN}: {users} users; warm-up until all were logged in: "
        + (
            f"{warm[0]:.0f} s, {warm[1]} logins (p50 {warm[2]:.0f} ms, p95 "
            f"{warm[3]:.0f} ms), {warm[5]} requests, {warm[4]} errors (not in the "
            "figures below)"
            if warm
            else "never complete: the figures below include it"
        ),
        f"Measured: {duration:.0f} s, "
        f"{stats.total.num_requests} requests, "
        f"{stats.total.num_requests / duration:.1f} requests/s, "
        f"{stats.total.num_failures} errors",
        "{:<46} {:>6} {:>6} {:>7} {:>7} {:>7}".format(*header),
    ]
    slow = []
    for entry in entries:
        if not entry.num_requests:
            continue
        p50, p95 = percentile(entry, 0.5), percentile(entry, 0.95)
        lines.append(
            f"{entry.name:<46} {entry.num_requests:>6} {entry.num_failures:>6} "
            f"{p50:>7.0f} {p95:>7.0f} {entry.max_response_time or 0:>7.0f}"
        )
        if not entry.name.startswith(REPORT) and entry.name != "login" and p95 > 1000:
            slow.append(entry.name)
    lines.append(
        f"approvals: {len(LEDGER.approved_lines)} approved, "
        f"{LEDGER.already_decided} already decided by a colleague; documents "
        f"uploaded {LEDGER.documents}, submitted {LEDGER.submitted}; items scored "
        f"{len(LEDGER.scores)}; leads moved {len(LEDGER.amounts)}; work logs "
        f"{LEDGER.worklog_count}"
    )
    if LEDGER.interrupted:
        lines.append(
            f"{LEDGER.interrupted} requests cut short by the end of the run "
            "(not counted as errors)"
        )
    exceptions = sum(e["count"] for e in environment.runner.exceptions.values())
    if exceptions:
        lines.append(f"{exceptions} exceptions in the simulated users (see above)")
    try:
        problems = check_ledger(Admin(environment.host))
    except Exception as exc:  # noqa: BLE001
        problems = [f"the checks after the run failed: {exc!r}"]
    lines.append(
        "nothing lost or doubled (decisions, scores, amounts, work logs, documents)"
        if not problems
        else "LOST OR DOUBLED:\n  " + "\n  ".join(problems)
    )
    if slow:
        lines.append("p95 over 1 s (interactive): " + ", ".join(slow))
    print("\n".join(lines))
    summary = os.environ.get("TECHDEPT_LOAD_SUMMARY")
    if summary:
        with open(summary, "w") as out:
            out.write("\n".join(lines) + "\n")
        with open(summary + ".json", "w") as out:
            json.dump(
                {
                    "run": RUN,
                    "duration": duration,
                    "requests": stats.total.num_requests,
                    "failures": stats.total.num_failures,
                    "warm_up": warm,
                    "problems": problems,
                    "slow": slow,
                    "operations": {
                        e.name: {
                            "count": e.num_requests,
                            "failures": e.num_failures,
                            "p50": percentile(e, 0.5),
                            "p95": percentile(e, 0.95),
                        }
                        for e in entries
                    },
                },
                out,
                indent=1,
            )
    warm_errors = warm[4] if warm else 0
    if problems or stats.total.num_failures or warm_errors or exceptions:
        environment.process_exit_code = 1
