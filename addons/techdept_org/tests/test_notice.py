import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import _super_send

from .test_escalation import EscalationCase

HOST = "127.0.0.1"


class RobotEndpoint:
    """A group robot's webhook on this machine, for the tests: it keeps what
    it receives, answers as the robots document it (errcode 0 for a message
    accepted) or as told (HTTP 500, too slow), and checks DingTalk's
    signature with its own copy of the secret."""

    def __init__(self, secret=None):
        self.received = []
        self.mode = "ok"
        self.secret = secret
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                entry = {
                    "path": parts.path,
                    "query": query,
                    "content_type": self.headers.get("Content-Type"),
                    "payload": json.loads(body),
                }
                endpoint.received.append(entry)
                if endpoint.mode == "error":
                    return self._answer(500, {"errcode": -1, "errmsg": "system busy"})
                if endpoint.mode == "slow":
                    time.sleep(1.5)
                answer = endpoint.check(entry)
                return self._answer(200, answer)

            def _answer(self, status, answer):
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self.thread.daemon = True
        self.thread.start()

    @property
    def base_url(self):
        return f"http://{HOST}:{self.server.server_port}"

    def check(self, entry):
        payload = entry["payload"]
        kind = payload.get("msgtype")
        if kind == "text" and not payload.get("text", {}).get("content"):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        if kind == "markdown" and not payload.get("markdown"):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        if kind not in ("text", "markdown"):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        if self.secret:
            timestamp = entry["query"].get("timestamp", [""])[0]
            sign = entry["query"].get("sign", [""])[0]
            token = entry["query"].get("access_token", [""])[0]
            expected = base64.b64encode(
                hmac.new(
                    self.secret.encode(),
                    f"{timestamp}\n{self.secret}".encode(),
                    hashlib.sha256,
                ).digest()
            ).decode()
            fresh = timestamp and abs(int(timestamp) - time.time() * 1000) < 3600_000
            entry["signed"] = bool(fresh and sign == expected)
            if not entry["signed"]:
                return {
                    "errcode": 310000,
                    "errmsg": f"sign not match, access_token={token}",
                }
        return {"errcode": 0, "errmsg": "ok"}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@tagged("post_install", "-at_install")
class TestNotice(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wecom = RobotEndpoint()
        cls.addClassCleanup(cls.wecom.close)
        cls.dingtalk = RobotEndpoint(secret="SECtest-signing-secret")
        cls.addClassCleanup(cls.dingtalk.close)
        cls.Robot = cls.env["techdept.notice.robot"]
        cls.Notice = cls.env["techdept.notice"]
        cls.robot = cls.Robot.with_user(cls.user_director).create(
            {
                "name": "O&M group",
                "kind": "wecom",
                "webhook_url": f"{cls.wecom.base_url}/cgi-bin/webhook/send"
                "?key=wecom-key-123",
            }
        )
        cls.step.sudo().robot_id = cls.robot
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param("techdept_org.notice_max_attempts", 3)
        ICP.set_param("techdept_org.notice_retry_minutes", 1)

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # The robots of these tests are on this machine: keep the short
        # timeout a test sets (Odoo raises it to 10 s); anything else is
        # refused as Odoo's tests refuse it.
        if urlsplit(r.url).hostname == HOST:
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.wecom.received.clear()
        self.wecom.mode = "ok"
        self.dingtalk.received.clear()
        self.dingtalk.mode = "ok"

    def _notices(self, record):
        return self.Notice.search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)],
            order="id",
        )

    def _send(self):
        self.Notice._cron_send()
        self.env.invalidate_all()

    def test_wecom_markdown_sent_after_the_transaction(self):
        cron = self.env.ref("techdept_org.ir_cron_techdept_notice_send")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        with freeze_time("2026-11-02 10:00:00"):
            record = self._submit()
            notice = self._notices(record)
            # Queued, not sent: the queue is woken after the commit.
            self.assertEqual(notice.event, "opened")
            self.assertEqual(notice.state, "queued")
            self.assertFalse(self.wecom.received)
            self.assertTrue(
                self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
                - triggers
            )
            self._send()
        self.assertEqual(notice.state, "sent")
        self.assertEqual(notice.attempts, 1)
        (request,) = self.wecom.received
        self.assertEqual(request["path"], "/cgi-bin/webhook/send")
        self.assertEqual(request["query"], {"key": ["wecom-key-123"]})
        self.assertIn("application/json", request["content_type"])
        self.assertEqual(request["payload"]["msgtype"], "markdown")
        content = request["payload"]["markdown"]["content"]
        self.assertTrue(content.startswith("**Review to do**\n"), content)
        for part in ("Solution", "O&M review", "Td Om Manager", "2026-11-05"):
            self.assertIn(part, content)
        self.assertIn(
            f"/mail/view?model=techdept.approval.tester&res_id={record.id})", content
        )
        # Sent once.
        with freeze_time("2026-11-02 10:05:00"):
            self._send()
        self.assertEqual(len(self.wecom.received), 1)

        # Overdue, then escalated: one message each, in the robot's protocol.
        self._escalate_on("2026-11-06")
        self._escalate_on("2026-11-09")
        with freeze_time("2026-11-09 10:00:00"):
            self._send()
        self.assertEqual(
            self._notices(record).mapped("event"), ["opened", "overdue", "escalated"]
        )
        self.assertEqual(set(self._notices(record).mapped("state")), {"sent"})
        overdue, escalated = (
            r["payload"]["markdown"]["content"] for r in self.wecom.received[1:]
        )
        self.assertTrue(overdue.startswith("**Review overdue**"))
        self.assertIn("Td Impl Manager", overdue)
        self.assertTrue(escalated.startswith("**Review escalated**"))
        self.assertIn("escalated to Td Director", escalated)

    def test_message_in_the_robots_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["techdept_org"], ["zh_CN"])
        self.robot.lang = "zh_CN"
        with freeze_time("2026-11-02 10:00:00"):
            self._submit()
            self._send()
        content = self.wecom.received[0]["payload"]["markdown"]["content"]
        self.assertTrue(content.startswith("**审批待办**\n"), content)
        self.assertIn("O&M review待Td Om Manager审批，截止2026-11-05。", content)
        self.assertIn("[打开](", content)

    def test_dingtalk_signature_markdown_and_text(self):
        robot = self.Robot.with_user(self.user_director).create(
            {
                "name": "Ding group",
                "kind": "dingtalk",
                "webhook_url": f"{self.dingtalk.base_url}/robot/send"
                "?access_token=dt-token-123",
                "secret": "SECtest-signing-secret",
            }
        )
        self.step.sudo().robot_id = robot
        record = self._submit()
        self._send()
        (request,) = self.dingtalk.received
        self.assertTrue(request["signed"])
        self.assertEqual(request["path"], "/robot/send")
        self.assertEqual(request["query"]["access_token"], ["dt-token-123"])
        # The signature, computed here by the documented formula.
        timestamp = request["query"]["timestamp"][0]
        expected = base64.b64encode(
            hmac.new(
                b"SECtest-signing-secret",
                f"{timestamp}\nSECtest-signing-secret".encode(),
                hashlib.sha256,
            ).digest()
        ).decode()
        self.assertEqual(request["query"]["sign"], [expected])
        markdown = request["payload"]["markdown"]
        self.assertEqual(markdown["title"], "Review to do")
        self.assertTrue(markdown["text"].startswith("#### Review to do\n\n"))
        self.assertEqual(self._notices(record).state, "sent")

        robot.message_format = "text"
        robot.action_send_test()
        self._send()
        text = self.dingtalk.received[-1]["payload"]
        self.assertEqual(text["msgtype"], "text")
        self.assertIn("Ding group", text["text"]["content"])
        self.assertTrue(self.dingtalk.received[-1]["signed"])

        # A wrong secret: DingTalk refuses; the error is kept, without the
        # token the robot's answer repeats.
        robot.secret = "SECwrong"
        robot.action_send_test()
        self._send()
        failed = self.Notice.search([("robot_id", "=", robot.id)], limit=1)
        self.assertFalse(self.dingtalk.received[-1]["signed"])
        self.assertEqual(failed.state, "queued")
        self.assertEqual(failed.attempts, 1)
        self.assertIn("310000", failed.last_error)
        self.assertNotIn("dt-token-123", failed.last_error)
        self.assertIn("***", failed.last_error)

    def test_failing_endpoint_retried_with_backoff_then_given_up(self):
        self.wecom.mode = "error"
        with freeze_time("2026-11-02 10:00:00"):
            record = self._submit()
            notice = self._notices(record)
            self._send()
            # The approval is untouched by the robot's failure.
            self.assertEqual(record.approval_state, "pending")
            self.assertEqual(notice.state, "queued")
            self.assertEqual(notice.attempts, 1)
            self.assertEqual(notice.last_error, "The robot answered HTTP 500.")
            self.assertEqual(str(notice.next_attempt), "2026-11-02 10:01:00")
        with freeze_time("2026-11-02 10:00:40"):
            self._send()  # not due yet
        self.assertEqual(len(self.wecom.received), 1)
        with freeze_time("2026-11-02 10:01:00"):
            self._send()
            self.assertEqual(notice.attempts, 2)
            # Twice the delay before.
            self.assertEqual(str(notice.next_attempt), "2026-11-02 10:03:00")
        with freeze_time("2026-11-02 10:03:00"):
            self._send()
        self.assertEqual(len(self.wecom.received), 3)
        self.assertEqual(notice.state, "failed")
        # Visible on the record and in the director's log.
        self.assertIn(
            "could not be sent after 3 attempts: The robot answered HTTP 500.",
            record.message_ids[0].body,
        )
        self.assertIn(
            notice,
            self.Notice.with_user(self.user_director).search(
                [("state", "=", "failed")]
            ),
        )
        with freeze_time("2026-11-02 11:00:00"):
            self._send()
        self.assertEqual(len(self.wecom.received), 3)

        # Back up; the director sends it again.
        self.wecom.mode = "ok"
        notice.with_user(self.user_director).action_retry()
        self._send()
        self.assertEqual(notice.state, "sent")

    def test_timeout_is_a_failure_that_blocks_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "techdept_org.notice_timeout", 0.3
        )
        self.wecom.mode = "slow"
        record = self._submit()
        started = time.monotonic()
        self._send()
        self.assertLess(time.monotonic() - started, 1.4)
        notice = self._notices(record)
        self.assertEqual(notice.last_error, "No answer within 0.3 seconds.")
        self.assertEqual(notice.state, "queued")

    def test_nothing_leaves_the_machine_while_testing(self):
        robot = self.Robot.create(
            {
                "name": "Real robot",
                "kind": "wecom",
                "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
                "?key=real-key-456",
            }
        )
        robot.action_send_test()
        notice = self.Notice.search([("robot_id", "=", robot.id)])
        self._send()
        self.assertEqual(notice.attempts, 1)
        self.assertIn("while tests run", notice.last_error)
        # A port of this machine where nobody listens: refused, and the key
        # is not in the error.
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            closed_port = probe.getsockname()[1]
        robot.webhook_url = f"http://{HOST}:{closed_port}/send?key=real-key-456"
        robot.action_send_test()
        self._send()
        refused = self.Notice.search([("robot_id", "=", robot.id)], limit=1)
        self.assertEqual(
            refused.last_error, "The robot could not be reached (ConnectionError)."
        )

    def test_secrets_are_for_the_director_and_administrators(self):
        robot = self.robot.with_user(self.user_director)
        self.assertIn("wecom-key-123", robot.webhook_url)
        admin = new_test_user(
            self.env, login="td_sysadmin", groups="base.group_user,base.group_system"
        )
        self.assertIn("wecom-key-123", self.robot.with_user(admin).webhook_url)

        department = self.dept_om.with_user(self.user_director)
        department.techdept_robot_id = self.robot
        for user in (self.user_a, self.user_engineer):
            with self.assertRaises(AccessError):
                self.robot.with_user(user).read(["webhook_url"])
            with self.assertRaises(AccessError):
                self.Robot.with_user(user).search_read([], ["name"])
            fields = self.Robot.with_user(user).fields_get()
            self.assertNotIn("webhook_url", fields)
            self.assertNotIn("secret", fields)
            # The department and the step name the robot only for them.
            with self.assertRaises(AccessError):
                self.dept_om.with_user(user).read(["techdept_robot_id"])
            self.assertNotIn(
                "techdept_robot_id", self.dept_om.with_user(user).fields_get()
            )
            with self.assertRaises(AccessError):
                self.step.with_user(user).read(["robot_id"])
            with self.assertRaises(AccessError):
                self.Notice.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.robot.with_user(user).write({"webhook_url": "http://x.example"})
        # Notices are the server's to create, even for the director.
        with self.assertRaises(AccessError):
            self.Notice.with_user(self.user_director).create(
                {"robot_id": self.robot.id, "event": "test"}
            )
        notice = self.Notice._enqueue(self.robot, "test", "t", "x", "http://h")
        with self.assertRaises(AccessError):
            notice.with_user(self.user_a).action_retry()

    def test_demo_robot_is_disabled_and_local(self):
        robot = self.env.ref("techdept_org.notice_robot_demo", raise_if_not_found=False)
        if not robot:
            self.skipTest("installed without demo data")
        self.assertFalse(robot.enabled)
        self.assertEqual(urlsplit(robot.webhook_url).hostname, HOST)
        notices = self.Notice.search([("robot_id", "=", robot.id)])
        self.assertLessEqual({"overdue", "escalated"}, set(notices.mapped("event")))
        self._send()
        self.assertEqual(set(notices.mapped("state")), {"queued"})
        self.assertEqual(set(notices.mapped("attempts")), {0})
        # Enabled later, it does not post what waited meanwhile.
        robot.enabled = True
        self.assertEqual(set(notices.mapped("state")), {"cancelled"})
