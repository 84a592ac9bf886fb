import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import time
from datetime import timedelta
from urllib.parse import parse_qsl, quote_plus, urlsplit

import requests

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.modules import module as odoo_module

from .techdept_lang import in_company_lang

_logger = logging.getLogger(__name__)

# Who reads a robot's webhook and signing secret.
SECRET_GROUPS = "techdept_org.group_director,base.group_system"


class NoticeError(Exception):
    """A notice that did not go through; the text is safe to show."""


class TechdeptNoticeRobot(models.Model):
    """A group robot of WeCom (企业微信) or DingTalk (钉钉) that the approval
    engine posts to: a step opened, overdue or escalated.

    The webhook and the signing secret let anyone post to the group: only
    the technical director and the administrators read them."""

    _name = "techdept.notice.robot"
    _description = "Group Robot"
    _order = "name, id"

    name = fields.Char(required=True)
    kind = fields.Selection(
        [("wecom", "WeCom Group Robot"), ("dingtalk", "DingTalk Group Robot")],
        required=True,
        default="wecom",
    )
    webhook_url = fields.Char(
        string="Webhook",
        required=True,
        groups=SECRET_GROUPS,
        help="The robot's address, with its key or access token, as the group "
        "settings show it.",
    )
    secret = fields.Char(
        string="Signing Secret",
        groups=SECRET_GROUPS,
        help="DingTalk: the secret of the robot's signature (加签), starting "
        "with SEC. Each message is signed with it.",
    )
    message_format = fields.Selection(
        [("markdown", "Markdown"), ("text", "Text")],
        required=True,
        default="markdown",
    )
    lang = fields.Selection(
        selection="_lang_get",
        string="Language",
        help="The language of the messages; by default the company's.",
    )
    enabled = fields.Boolean(
        default=True,
        help="Messages to a disabled robot are kept unsent; when it is enabled "
        "again they are cancelled rather than posted late.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    notice_ids = fields.One2many("techdept.notice", "robot_id", string="Notices")
    failed_count = fields.Integer(string="Failed", compute="_compute_failed_count")

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    def _compute_failed_count(self):
        groups = self.env["techdept.notice"]._read_group(
            [("robot_id", "in", self.ids), ("state", "=", "failed")],
            ["robot_id"],
            ["__count"],
        )
        counts = {robot.id: count for robot, count in groups}
        for robot in self:
            robot.failed_count = counts.get(robot.id, 0)

    @api.constrains("webhook_url")
    def _check_webhook_url(self):
        for robot in self.sudo():
            parts = urlsplit(robot.webhook_url or "")
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValidationError(
                    self.env._(
                        "The webhook of %(robot)s must be an http or https address.",
                        robot=robot.name,
                    )
                )

    @api.model
    @tools.ormcache()
    def _department_robot_ids(self):
        """{department id: robot id}: the robot each department's people are
        heard through, its own or the nearest above. Cached until a
        department or a robot changes. Do not modify."""
        robots = set(self.sudo().search([]).ids)
        rows = (
            self.env["hr.department"]
            .sudo()
            .with_context(active_test=False)
            .search_read([], ["parent_id", "techdept_robot_id"])
        )
        parent = {row["id"]: row["parent_id"] and row["parent_id"][0] for row in rows}
        own = {
            row["id"]: row["techdept_robot_id"][0]
            for row in rows
            if row["techdept_robot_id"] and row["techdept_robot_id"][0] in robots
        }
        result = {}
        for department in parent:
            current, seen = department, set()
            while current and current not in own and current not in seen:
                seen.add(current)
                current = parent.get(current)
            if current in own:
                result[department] = own[current]
        return result

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    def write(self, vals):
        self.env.registry.clear_cache()
        waking = self.filtered(lambda r: not r.enabled) if vals.get("enabled") else None
        result = super().write(vals)
        if waking:
            self.env["techdept.notice"].sudo().search(
                [("robot_id", "in", waking.ids), ("state", "=", "queued")]
            ).write(
                {
                    "state": "cancelled",
                    "last_error": in_company_lang(self).env._(
                        "Queued while the robot was disabled."
                    ),
                }
            )
        return result

    def _notice_lang(self):
        self.ensure_one()
        return (
            self.lang
            or self.company_id.partner_id.lang
            or self.env.company.partner_id.lang
            or "en_US"
        )

    # Sending

    def _signed_url(self):
        """The webhook, with DingTalk's timestamp and signature when the
        robot has a secret: sign = urlencode(base64(hmac_sha256(secret,
        "timestamp\\nsecret"))), the timestamp in milliseconds."""
        self.ensure_one()
        url = self.webhook_url
        if self.kind != "dingtalk" or not self.secret:
            return url
        timestamp = str(round(time.time() * 1000))
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}timestamp={timestamp}&sign={self._sign(timestamp)}"

    def _sign(self, timestamp):
        secret = self.secret.encode()
        digest = hmac.new(
            secret, f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
        ).digest()
        return quote_plus(base64.b64encode(digest))

    def _redact(self, text):
        """``text`` without the webhook's key or token and the secret."""
        text = str(text or "")
        secrets = [self.webhook_url or "", self.secret or ""]
        secrets += [value for _key, value in parse_qsl(urlsplit(secrets[0]).query)]
        for secret in sorted(filter(None, secrets), key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    @api.model
    def _loopback_only(self):
        # While tests run, nothing leaves the machine.
        return bool(odoo_module.current_test or tools.config["test_enable"])

    def _post(self, payload):
        """Post ``payload`` to the robot; raise NoticeError with a safe text."""
        self.ensure_one()
        url = self._signed_url()
        host = urlsplit(url).hostname or ""
        if self._loopback_only():
            try:
                loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                raise NoticeError(
                    self.env._(
                        "Not sent: while tests run, robots on this machine only."
                    )
                )
        ICP = self.env["ir.config_parameter"].sudo()
        timeout = float(ICP.get_param("techdept_org.notice_timeout", 5))
        try:
            response = requests.post(url, json=payload, timeout=timeout)
        except requests.Timeout as error:
            raise NoticeError(
                self.env._("No answer within %(seconds)s seconds.", seconds=timeout)
            ) from error
        except requests.RequestException as error:
            raise NoticeError(
                self.env._(
                    "The robot could not be reached (%(error)s).",
                    error=type(error).__name__,
                )
            ) from error
        if response.status_code != 200:
            raise NoticeError(
                self.env._(
                    "The robot answered HTTP %(status)s.", status=response.status_code
                )
            )
        try:
            answer = response.json()
        except ValueError as error:
            raise NoticeError(self.env._("The robot's answer is not JSON.")) from error
        code = answer.get("errcode", 0) if isinstance(answer, dict) else -1
        if code != 0:
            raise NoticeError(
                self.env._(
                    "The robot refused the message: %(code)s %(message)s",
                    code=code,
                    message=self._redact(answer.get("errmsg", ""))[:200],
                )
            )

    def _payload(self, title, text, url):
        """The message in the robot's JSON protocol."""
        self.ensure_one()
        open_label = self.env._("Open")
        if self.message_format == "text":
            return {"msgtype": "text", "text": {"content": f"{title}\n{text}\n{url}"}}
        if self.kind == "dingtalk":
            return {
                "msgtype": "markdown",
                "markdown": {
                    "title": title,
                    "text": f"#### {title}\n\n{text}\n\n[{open_label}]({url})",
                },
            }
        return {
            "msgtype": "markdown",
            "markdown": {"content": f"**{title}**\n{text}\n[{open_label}]({url})"},
        }

    def action_send_test(self):
        """Queue a test message to each robot; the queue sends it."""
        self.check_access("write")
        Notice = self.env["techdept.notice"]
        for robot in self:
            lang_robot = robot.with_context(lang=robot._notice_lang())
            Notice._enqueue(
                robot,
                "test",
                lang_robot.env._("Test message"),
                lang_robot.env._(
                    "%(robot)s is set up: approval notices will be posted here.",
                    robot=robot.name,
                ),
                robot.get_base_url(),
            )
        return True


class TechdeptNotice(models.Model):
    """A message to a group robot, waiting or sent.

    Queued inside the transaction that opens, reminds or escalates a step,
    sent by a scheduled action after that transaction is committed: a robot
    that is slow or down never blocks nor undoes an approval. A failed
    message is tried again later, each time after twice the delay before."""

    _name = "techdept.notice"
    _description = "Robot Notice"
    _inherit = ["techdept.guard.mixin"]
    _order = "id desc"
    _techdept_server_create = True

    robot_id = fields.Many2one(
        "techdept.notice.robot", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(related="robot_id.kind")
    event = fields.Selection(
        [
            ("opened", "Step Opened"),
            ("overdue", "Overdue"),
            ("escalated", "Escalated"),
            ("test", "Test"),
        ],
        required=True,
        readonly=True,
    )
    res_model = fields.Char(string="Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", readonly=True, index=True
    )
    res_name = fields.Char(string="Document", compute="_compute_res_name")
    line_id = fields.Many2one(
        "techdept.approval.line", string="Approval", readonly=True, ondelete="cascade"
    )
    title = fields.Char(readonly=True)
    body = fields.Text(string="Message", readonly=True)
    payload = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(readonly=True, index=True)
    last_error = fields.Text(readonly=True)
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, default=lambda self: self.env.company
    )

    def _compute_res_name(self):
        for notice in self:
            record = (
                self.env[notice.res_model].sudo().browse(notice.res_id).exists()
                if notice.res_model in self.env and notice.res_id
                else None
            )
            notice.res_name = record.display_name if record else ""

    @api.model
    def _enqueue(self, robot, event, title, text, url, record=None, line=None):
        """Queue a message to ``robot`` and wake the queue after commit."""
        notice = self.sudo().create(
            {
                "robot_id": robot.id,
                "event": event,
                "res_model": record._name if record else False,
                "res_id": record.id if record else False,
                "line_id": line.id if line else False,
                "title": title,
                "body": text,
                "payload": json.dumps(
                    robot.with_context(lang=robot._notice_lang())._payload(
                        title, text, url
                    ),
                    ensure_ascii=False,
                ),
                "next_attempt": fields.Datetime.now(),
                "company_id": robot.company_id.id or self.env.company.id,
            }
        )
        if robot.enabled:
            self._cron()._trigger()
        return notice

    def _cron(self):
        return self.env.ref("techdept_org.ir_cron_techdept_notice_send").sudo()

    # The queue

    @api.model
    def _due_domain(self):
        return [
            ("state", "=", "queued"),
            ("next_attempt", "<=", fields.Datetime.now()),
            ("robot_id.enabled", "=", True),
            ("robot_id.active", "=", True),
        ]

    @api.model
    def _cron_send(self, batch=20):
        """Send the notices that are due, a batch at a time (the scheduler
        commits between batches and calls again while some remain)."""
        Notice = self.sudo()
        notices = Notice.search(
            Notice._due_domain(), limit=batch, order="next_attempt, id"
        )
        for notice in notices:
            notice._deliver()
        remaining = Notice.search_count(Notice._due_domain())
        self.env["ir.cron"]._notify_progress(done=len(notices), remaining=remaining)

    def _deliver(self):
        self.ensure_one()
        # Why it failed is kept as text: in the company's language.
        robot = in_company_lang(self.robot_id.sudo())
        try:
            robot._post(json.loads(self.payload))
        except NoticeError as error:
            self._failed(robot._redact(error))
        else:
            self.write(
                {
                    "state": "sent",
                    "attempts": self.attempts + 1,
                    "date_sent": fields.Datetime.now(),
                    "last_error": False,
                }
            )

    def _failed(self, error):
        """Try again after 1, 2, 4 … minutes; give up after the last attempt
        and say so on the record."""
        ICP = self.env["ir.config_parameter"].sudo()
        max_attempts = int(ICP.get_param("techdept_org.notice_max_attempts", 5))
        delay = float(ICP.get_param("techdept_org.notice_retry_minutes", 1))
        attempts = self.attempts + 1
        if attempts >= max_attempts:
            self.write({"state": "failed", "attempts": attempts, "last_error": error})
            self._post_failure(error)
            return
        next_attempt = fields.Datetime.now() + timedelta(
            minutes=delay * 2 ** (attempts - 1)
        )
        self.write(
            {"attempts": attempts, "last_error": error, "next_attempt": next_attempt}
        )
        self._cron()._trigger(at=next_attempt)

    def _post_failure(self, error):
        if self.res_model not in self.env or not hasattr(
            self.env[self.res_model], "message_post"
        ):
            return
        record = self.env[self.res_model].sudo().browse(self.res_id).exists()
        if record:
            record._techdept_post(
                lambda env: env._(
                    "The notice to %(robot)s could not be sent after %(count)s "
                    "attempts: %(error)s",
                    robot=self.robot_id.name,
                    count=self.attempts,
                    error=error,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_retry(self):
        """Send failed notices again (technical director)."""
        self._check_director()
        self.sudo().filtered(lambda n: n.state in ("failed", "cancelled")).write(
            {
                "state": "queued",
                "attempts": 0,
                "next_attempt": fields.Datetime.now(),
            }
        )
        self._cron()._trigger()
        return True

    def action_cancel(self):
        self._check_director()
        self.sudo().filtered(lambda n: n.state == "queued").write(
            {"state": "cancelled"}
        )
        return True

    def _check_director(self):
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("techdept_org.group_director")
            or user.has_group("base.group_system")
        ):
            raise AccessError(
                self.env._("Only the technical director manages the robot notices.")
            )


class HrDepartment(models.Model):
    _inherit = "hr.department"

    techdept_robot_id = fields.Many2one(
        "techdept.notice.robot",
        string="Group Robot",
        groups=SECRET_GROUPS,
        help="The WeCom or DingTalk group robot that hears of the reviews of "
        "this department's people, unless their step names its own.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("techdept_robot_id") for vals in vals_list):
            self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if vals.keys() & {"techdept_robot_id", "parent_id", "active"}:
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
