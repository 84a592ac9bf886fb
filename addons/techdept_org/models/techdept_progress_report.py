from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from .techdept_guard import as_server, is_server, join_names
from .techdept_lang import in_company_lang, in_lang_of

# Whom each role reports to (policy 4.3.1 item 6, 4.3.2 item 3, 4.4.1 item 6,
# 4.4.2 item 3, 4.4.3 item 3, 4.5.1 item 6, 4.5.2 item 3, 4.5.3 item 4): the
# manager of his function, the technical director for the managers. The
# projects addon puts engineers on projects under their project managers.
REVIEWER_OF_ROLE = {
    "presales_engineer": ("function", "presales"),
    "project_manager": ("function", "implementation"),
    "implementation_engineer": ("function", "implementation"),
    "aftersales_engineer": ("function", "om"),
    "onsite_engineer": ("function", "om"),
    "supervision_engineer": ("function", "supervision"),
    "presales_manager": ("role", "director"),
    "implementation_manager": ("role", "director"),
    "om_manager": ("role", "director"),
    "supervision_manager": ("role", "director"),
    "director": ("function", "gm_office"),
}

REPORT_STATES = [
    ("draft", "To Write"),
    ("submitted", "Submitted"),
    ("reviewed", "Reviewed"),
]

# How many names a figure lists; the others are counted.
_MAX_NAMES = 15


class TechdeptProgressReport(models.Model):
    """A periodic progress report (工作汇报: 日报, 周报, 月报) of one member of
    the department: the sections he writes, the period's figures the suite
    fills in, and the review of each manager the policy names for him on
    that date (whoever acts for an absent one).

    The server creates the reports of each period (a scheduled action, or
    the author opening his report); the author writes and submits; each
    reviewer reads, comments and marks it reviewed. A submitted report
    changes no more unless its author withdraws it before any review; a
    reviewed one never."""

    _name = "techdept.progress.report"
    _description = "Progress Report"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "techdept.periodic.mixin",
        "techdept.guard.mixin",
    ]
    _order = "period_start desc, employee_id, id"
    _mail_post_access = "read"
    _techdept_server_create = True
    _techdept_server_fields = (
        "employee_id",
        "department_id",
        "job_id",
        "template_id",
        "frequency",
        "period_start",
        "period_end",
        "deadline",
        "state",
        "date_submitted",
        "date_reminded",
        "is_late",
        "figure_ids",
        "review_ids",
        "company_id",
    )

    employee_id = fields.Many2one(
        "hr.employee",
        string="Author",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        "res.users", related="employee_id.user_id", store=True, index=True
    )
    department_id = fields.Many2one("hr.department", readonly=True, index=True)
    job_id = fields.Many2one("hr.job", string="Position", readonly=True)
    template_id = fields.Many2one(
        "techdept.report.template", required=True, readonly=True, ondelete="restrict"
    )
    state = fields.Selection(
        REPORT_STATES,
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    date_reminded = fields.Datetime(string="Reminded On", readonly=True, copy=False)
    section_ids = fields.One2many(
        "techdept.progress.report.section", "report_id", string="Sections"
    )
    figure_ids = fields.One2many(
        "techdept.progress.report.figure",
        "report_id",
        string="Figures",
        help="The period's figures, filled in by the suite when the report is "
        "submitted (or refreshed by its author before).",
    )
    review_ids = fields.One2many(
        "techdept.progress.report.review", "report_id", string="Reviews"
    )
    reviewer_ids = fields.Many2many(
        "hr.employee",
        string="Reviewers",
        compute="_compute_review_summary",
        help="Who reviews the report: the managers the policy names for its "
        "author on its date.",
    )
    review_progress = fields.Char(string="Reviewed", compute="_compute_review_summary")
    can_write = fields.Boolean(compute="_compute_can_act")
    can_withdraw = fields.Boolean(compute="_compute_can_act")
    can_review = fields.Boolean(
        string="To Review",
        compute="_compute_can_act",
        search="_search_can_review",
        help="Submitted, and the current user reviews it (himself, or for an "
        "absent reviewer) and has not yet.",
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "employee_template_period_uniq",
            "UNIQUE(employee_id, template_id, period_start)",
            "An employee writes one report of a template per period.",
        ),
    ]

    @api.depends("template_id", "period_start", "employee_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for report in self:
            names = report.sudo()
            report.display_name = self.env._(
                "%(template)s %(period)s, %(employee)s",
                template=names.template_id.name or "",
                period=report.period_label or "",
                employee=names.employee_id.name or "",
            )

    @api.depends("review_ids.state", "review_ids.reviewer_id")
    def _compute_review_summary(self):
        for report in self:
            reviews = report.sudo().review_ids
            report.reviewer_ids = reviews.reviewer_id
            done = len(reviews.filtered(lambda r: r.state == "done"))
            report.review_progress = f"{done}/{len(reviews)}" if reviews else ""

    @api.depends_context("uid")
    @api.depends("state", "user_id", "review_ids.state")
    def _compute_can_act(self):
        user = self.env.user
        employees = self._techdept_acting_employees()
        pending = (
            self.env["techdept.progress.report.review"]
            .sudo()
            .search(
                [
                    ("report_id", "in", self.ids),
                    ("state", "=", "pending"),
                    ("reviewer_id", "in", employees.ids),
                ]
            )
            if employees and self.ids
            else self.env["techdept.progress.report.review"]
        )
        reviewable = set(pending.report_id.ids)
        for report in self:
            mine = report.user_id == user
            report.can_write = mine and report.state == "draft"
            report.can_withdraw = (
                mine
                and report.state == "submitted"
                and not report.sudo().review_ids.filtered(lambda r: r.state == "done")
            )
            report.can_review = report.state == "submitted" and report.id in reviewable

    def _search_can_review(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on To Review."))
        reviews = (
            self.env["techdept.progress.report.review"]
            .sudo()
            ._search(
                [
                    ("state", "=", "pending"),
                    ("reviewer_id", "in", self._techdept_acting_employees().ids),
                ]
            )
        )
        domain = [
            ("state", "=", "submitted"),
            ("id", "in", reviews.subselect("report_id")),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _techdept_submitted_domain(self):
        return [("state", "in", ("submitted", "reviewed"))]

    # Access: an author reads his reports; a reviewer (and whoever acts for
    # him) those he reviews; a manager those of his department and the
    # departments under it; the technical director all. A record rule cannot
    # follow delegations: the domain is built from subqueries, as for the
    # documents, so a search stays one query.

    @api.model
    def _techdept_sees_all(self):
        return self.env.su or self.env.user.has_group("techdept_org.group_director")

    @api.model
    def _techdept_acting_employees(self):
        """The current user's employee and the absent ones he acts for today."""
        employee = self.env.user.employee_id
        if not employee:
            return self.env["hr.employee"]
        return employee | self.env["techdept.resolver"]._represented(employee)

    @api.model
    def _techdept_access_domain(self):
        employees = self._techdept_acting_employees()
        reviewed = (
            self.env["techdept.progress.report.review"]
            .sudo()
            ._search([("reviewer_id", "in", employees.ids)])
        )
        managed = (
            self.env["hr.department"]
            .sudo()
            .search([("manager_id", "in", employees.ids)])
            if employees
            else self.env["hr.department"]
        )
        parts = [
            [("user_id", "=", self.env.uid)],
            [("id", "in", reviewed.subselect("report_id"))],
        ]
        if managed:
            parts.append([("department_id", "child_of", managed.ids)])
        return expression.OR(parts)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self._techdept_sees_all():
            domain = expression.AND([domain, self._techdept_access_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self._techdept_sees_all() or not self._ids:
            return result
        allowed = self.sudo().search(
            expression.AND([[("id", "in", self.ids)], self._techdept_access_domain()])
        )
        forbidden = self - allowed.with_env(self.env)
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._(
                    "You may not read %(reports)s: only its author, his managers "
                    "and the technical director may.",
                    reports=", ".join(forbidden.sudo().mapped("display_name")),
                )
            )
        return None

    # Generation

    @api.model
    def _techdept_authors(self, employees=None):
        """{template: employees writing it}: the holders of its positions (or
        those of ``employees``), in its company."""
        templates = self.env["techdept.report.template"].sudo().search([])
        domain = [("job_id", "in", templates.job_ids.ids)]
        if employees is not None:
            domain.append(("id", "in", employees.ids))
        staff = self.env["hr.employee"].sudo().search(domain)
        return {
            template: staff.filtered(
                lambda e, t=template: (
                    e.job_id in t.job_ids
                    and (not t.company_id or e.company_id == t.company_id)
                )
            )
            for template in templates
        }

    @api.model
    def _techdept_ensure_reports(self, day, employees=None):
        """The reports of the periods holding ``day`` of every author (or of
        ``employees``), created where missing. A constant number of queries
        per template; returns them in superuser mode."""
        Report = self.sudo()
        result = Report.browse()
        for template, authors in self._techdept_authors(employees).items():
            if not authors:
                continue
            period = self._techdept_period(
                template.frequency, day, template.due_days, template.company_id
            )
            if not period:
                continue
            start, end, deadline = period
            existing = Report.search(
                [
                    ("template_id", "=", template.id),
                    ("period_start", "=", start),
                    ("employee_id", "in", authors.ids),
                ]
            )
            result |= existing
            missing = authors - existing.employee_id
            if not missing:
                continue
            result |= Report.create(
                [
                    {
                        "employee_id": employee.id,
                        "department_id": employee.department_id.id,
                        "job_id": employee.job_id.id,
                        "template_id": template.id,
                        "frequency": template.frequency,
                        "period_start": start,
                        "period_end": end,
                        "deadline": deadline,
                        "company_id": employee.company_id.id,
                        "section_ids": [
                            fields.Command.create(
                                {
                                    "template_section_id": section.id,
                                    "sequence": section.sequence,
                                }
                            )
                            for section in template.section_ids
                        ],
                    }
                    for employee in missing
                ]
            )
        return result

    def action_open_current(self):
        """The current user's report of this period, made if needed; the
        records it is called on do not matter (a menu calls it on none)."""
        employee = self.env.user.employee_id
        if not employee:
            raise UserError(
                self.env._("You have no employee record: nothing to report.")
            )
        today = fields.Date.context_today(self)
        reports = self._techdept_ensure_reports(today, employee)
        if not reports:
            raise UserError(
                self.env._(
                    "No progress report is due from you for this period: your "
                    "position has no report template, or today is not a working "
                    "day of a daily report."
                )
            )
        report = reports.sorted(lambda r: (r.state != "draft", r.id))[:1]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": report.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # Figures: each addon adds those of its records

    def _techdept_window(self):
        """(start, end) of the report's period as naive datetimes, the end
        excluded."""
        self.ensure_one()
        return (
            datetime.combine(self.period_start, time.min),
            datetime.combine(self.period_end + timedelta(days=1), time.min),
        )

    def _techdept_names(self, names):
        """``names`` without repeats, as a list in the author's language."""
        unique = list(dict.fromkeys(name for name in names if name))
        shown = join_names(self.env, unique[:_MAX_NAMES])
        if len(unique) > _MAX_NAMES:
            shown = self.env._(
                "%(names)s and %(count)s more",
                names=shown,
                count=len(unique) - _MAX_NAMES,
            )
        return shown

    def _techdept_report_figures(self):
        """The period's figures of the author's work, filled in by the suite:
        a list of dicts with ``kind`` (a value of the figure's kind), ``value``
        and optionally ``key`` (what a kind is split by, e.g. a work-log
        category), ``detail`` (the records counted) and ``sequence``. Called
        in superuser mode; each addon calls super() and adds the figures of
        its own records."""
        self.ensure_one()
        user = self.user_id
        if not user:
            return []
        start, end = self._techdept_window()
        lines = (
            self.env["techdept.approval.line"]
            .sudo()
            .search(
                [
                    ("acted_by_id", "=", user.id),
                    ("date_done", ">=", start),
                    ("date_done", "<", end),
                    ("state", "in", ("approved", "rejected")),
                ]
            )
        )
        Document = self.env["techdept.document"].sudo()
        submitted = Document.search(
            [
                ("author_id", "=", user.id),
                ("approval_submitted_date", ">=", start),
                ("approval_submitted_date", "<", end),
            ]
        )
        approved = Document.search(
            [
                ("author_id", "=", user.id),
                ("approval_state", "=", "approved"),
                ("approval_date_done", ">=", start),
                ("approval_date_done", "<", end),
            ]
        )
        return [
            {
                "kind": "approvals_decided",
                "sequence": 10,
                "value": len(lines),
                "detail": self._techdept_names(lines.mapped("res_name")),
            },
            {
                "kind": "documents_submitted",
                "sequence": 20,
                "value": len(submitted),
                "detail": self._techdept_names(submitted.mapped("display_name")),
            },
            {
                "kind": "documents_approved",
                "sequence": 30,
                "value": len(approved),
                "detail": self._techdept_names(approved.mapped("display_name")),
            },
        ]

    def _techdept_fill_figures(self):
        """Replace the reports' figures with the suite's current ones."""
        Figure = self.env["techdept.progress.report.figure"].sudo()
        for report in self.sudo():
            rows = report._techdept_report_figures()
            report.figure_ids.unlink()
            Figure.create(
                [
                    dict(
                        row,
                        report_id=report.id,
                        sequence=row.get("sequence", index),
                        value=float(row.get("value") or 0.0),
                    )
                    for index, row in enumerate(rows)
                ]
            )

    # Reviewers

    def _techdept_report_reviewers(self, date):
        """[(employee, origin record or None)]: the managers the policy names
        for the author on ``date``, before delegation (whoever acts for them
        that day reviews instead). Addons name others (e.g. the project
        managers of the engineers on projects): call super() when they have
        none."""
        self.ensure_one()
        employee = self.employee_id.sudo()
        resolver = self.env["techdept.resolver"]
        company = employee.company_id
        rule = REVIEWER_OF_ROLE.get(employee.techdept_role)
        holders = self.env["hr.employee"]
        if rule and rule[0] == "function":
            holders = resolver._function_holder(rule[1], company)
        elif rule:
            holders = (
                self.env["hr.employee"]
                .sudo()
                .search(
                    [("techdept_role", "=", rule[1]), ("company_id", "=", company.id)],
                    limit=1,
                )
            )
        if not holders or holders == employee:
            holders = employee._techdept_home_manager()[employee]
        return [(holder, None) for holder in holders]

    def _techdept_resolve_reviewers(self, date):
        """[(reviewer, policy holder, origin)] of the report on ``date``: the
        holder, or whoever acts for him that day; never its author (then the
        manager above reviews)."""
        self.ensure_one()
        resolver = self.env["techdept.resolver"]
        author = self.employee_id.sudo()
        named = [
            (holder.sudo(), origin)
            for holder, origin in self._techdept_report_reviewers(date)
            if holder
        ]
        if not named:
            return []
        holders = self.env["hr.employee"].union(*(holder for holder, _o in named))
        acting = resolver._acting_for(holders, date)
        result, seen = [], set()
        for holder, origin in named:
            reviewer = acting.get(holder) or holder
            if reviewer == author:
                reviewer = self._techdept_manager_above(reviewer, date)
            if not reviewer or reviewer.id in seen:
                continue
            seen.add(reviewer.id)
            result.append((reviewer, holder, origin))
        return result

    def _techdept_manager_above(self, employee, date):
        """Whoever acts on ``date`` for the first manager above ``employee``."""
        resolver = self.env["techdept.resolver"]
        department = employee.sudo().department_id
        while department:
            manager = department.manager_id
            if manager and manager != employee:
                acting = resolver._acting_employee(manager, date)
                if acting != employee:
                    return acting
            department = department.parent_id
        return self.env["hr.employee"]

    # Flow

    def _techdept_check_author(self, action):
        """Only the author fills in, submits or withdraws his report."""
        for report in self:
            if report.user_id == self.env.user:
                continue
            values = {
                "author": report.sudo().employee_id.name,
                "report": report.display_name,
            }
            if action == "fill":
                message = self.env._(
                    "Only %(author)s refreshes the figures of %(report)s.", **values
                )
            elif action == "submit":
                message = self.env._("Only %(author)s submits %(report)s.", **values)
            else:
                message = self.env._("Only %(author)s withdraws %(report)s.", **values)
            raise AccessError(message)

    def _techdept_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def action_fill_figures(self):
        """Fill in the period's figures now (its author, before submitting)."""
        self._techdept_check_author("fill")
        not_draft = self.filtered(lambda r: r.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "%(report)s is %(state)s: its figures are those of its submission.",
                    report=not_draft[0].display_name,
                    state=not_draft[0]._techdept_state_label(),
                )
            )
        self._techdept_fill_figures()
        return True

    def action_submit(self):
        """Submit to the managers the policy names for the author on the
        report's date (whoever acts for them then): the figures are filled
        in, each reviewer gets a to-do."""
        self._techdept_check_author("submit")
        for report in self:
            if report.state != "draft":
                raise UserError(
                    self.env._(
                        "%(report)s is %(state)s already.",
                        report=report.display_name,
                        state=report._techdept_state_label(),
                    )
                )
            empty = report.section_ids.filtered(
                lambda s: s.required and not (s.body or "").strip()
            )
            if empty:
                raise UserError(
                    self.env._(
                        "Write %(sections)s before submitting %(report)s.",
                        sections=join_names(self.env, empty.mapped("name")),
                        report=report.display_name,
                    )
                )
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        Review = self.env["techdept.progress.report.review"].sudo()
        for report in self:
            server = as_server(report.sudo())
            reviewers = server._techdept_resolve_reviewers(min(report.deadline, today))
            if not reviewers:
                raise UserError(
                    self.env._(
                        "Nobody reviews %(report)s: %(author)s has no manager in "
                        "the organisation.",
                        report=report.display_name,
                        author=server.employee_id.name,
                    )
                )
            server._techdept_fill_figures()
            calendar = self.env["techdept.calendar"]._for_company(server.company_id)
            review_deadline, _provisional = calendar._add_working_days(
                today, server.template_id.review_days
            )
            reviews = Review.create(
                [
                    {
                        "report_id": report.id,
                        "reviewer_id": reviewer.id,
                        "holder_id": holder.id,
                        "origin_model": origin._name if origin else False,
                        "origin_id": origin.id if origin else False,
                        "deadline": review_deadline,
                    }
                    for reviewer, holder, origin in reviewers
                ]
            )
            server.write(
                {
                    "state": "submitted",
                    "date_submitted": now,
                    "is_late": today > report.deadline,
                }
            )
            server._techdept_close_reminders()
            reviews._techdept_schedule()
            names = reviews.reviewer_id.mapped("name")
            server._techdept_post(
                lambda env, names=names: env._(
                    "Submitted to %(reviewers)s.", reviewers=join_names(env, names)
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_withdraw(self):
        """Take a submitted report back to change it, before anyone reviewed
        it."""
        self._techdept_check_author("withdraw")
        today = fields.Date.context_today(self)
        for report in self:
            server = as_server(report.sudo())
            if report.state != "submitted" or server.review_ids.filtered(
                lambda r: r.state == "done"
            ):
                raise UserError(
                    self.env._(
                        "%(report)s cannot be withdrawn: only a submitted report "
                        "nobody has reviewed yet can.",
                        report=report.display_name,
                    )
                )
            server.review_ids._techdept_unschedule()
            server.review_ids.unlink()
            server.write(
                {
                    "state": "draft",
                    "date_submitted": False,
                    "is_late": report.deadline < today,
                }
            )
            server._techdept_post(
                lambda env: env._("Withdrawn by its author."),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _techdept_my_review(self):
        """The pending review of this report the current user gives: his
        own, else the first of an absent reviewer he acts for."""
        self.ensure_one()
        employees = self._techdept_acting_employees()
        pending = self.sudo().review_ids.filtered(
            lambda r: r.state == "pending" and r.reviewer_id in employees
        )
        own = pending.filtered(lambda r: r.reviewer_id.user_id == self.env.user)
        return (own or pending)[:1]

    def _techdept_check_reviewer(self):
        """The review the current user gives now, or a clear refusal."""
        self.ensure_one()
        review = self._techdept_my_review() if self.state == "submitted" else None
        if not review:
            if self.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(report)s is %(state)s: there is nothing to review.",
                        report=self.display_name,
                        state=self._techdept_state_label(),
                    )
                )
            pending = self.sudo().review_ids.filtered(lambda r: r.state == "pending")
            raise UserError(
                self.env._(
                    "%(report)s is not yours to review: %(reviewers)s (or "
                    "whoever acts for them) review it.",
                    report=self.display_name,
                    reviewers=join_names(self.env, pending.reviewer_id.mapped("name"))
                    or self.env._("nobody"),
                )
            )
        return review

    def action_review(self, comment=None):
        """Mark the report reviewed (审核) for the current user's review, with
        an optional comment for its author."""
        if comment is not None and not isinstance(comment, str):
            raise ValidationError(self.env._("A review comment is a text."))
        comment = (comment or "").strip()
        reviews = {report: report._techdept_check_reviewer() for report in self}
        today = fields.Date.context_today(self)
        for report, review in reviews.items():
            behalf = review.reviewer_id.user_id != self.env.user
            review.write(
                {
                    "state": "done",
                    "date_done": fields.Datetime.now(),
                    "reviewed_by_id": self.env.uid,
                    "on_behalf": behalf,
                    "comment": comment,
                    "is_late": review.is_late or today > review.deadline,
                }
            )
            review._techdept_unschedule(done=True)
            server = as_server(report.sudo())
            user_name = self.env.user.name
            reviewer_name = review.reviewer_id.name

            def body(
                env,
                behalf=behalf,
                comment=comment,
                user_name=user_name,
                reviewer_name=reviewer_name,
            ):
                who = (
                    env._(
                        "%(user)s on behalf of %(reviewer)s",
                        user=user_name,
                        reviewer=reviewer_name,
                    )
                    if behalf
                    else user_name
                )
                return (
                    env._("Reviewed by %(who)s: %(comment)s", who=who, comment=comment)
                    if comment
                    else env._("Reviewed by %(who)s.", who=who)
                )

            if not server.review_ids.filtered(lambda r: r.state == "pending"):
                server.state = "reviewed"
            server._techdept_post(
                body,
                partner_ids=server.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_open_review_wizard(self):
        self.ensure_one()
        self._techdept_check_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review"),
            "res_model": "techdept.progress.report.review.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_id": self.id},
        }

    # Reminders and lateness

    def _techdept_close_reminders(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", todo.id),
                    ("user_id", "in", self.user_id.ids),
                ]
            )
        )
        activities.unlink()

    @api.model
    def _cron_progress_reports(self):
        """Every day: make this period's reports, remind their authors before
        they are due, flag the late ones and the overdue reviews. Running it
        again the same day does nothing more."""
        today = fields.Date.context_today(self)
        self._techdept_ensure_reports(today)
        Report = as_server(self.sudo())
        Report.search(
            [("state", "=", "draft"), ("deadline", "<", today), ("is_late", "=", False)]
        ).write({"is_late": True})
        to_remind = Report.search(
            [
                ("state", "=", "draft"),
                ("deadline", ">=", today),
                ("date_reminded", "=", False),
                ("user_id", "!=", False),
            ]
        )
        for report in to_remind:
            left = report._techdept_working_days_left(
                report.deadline, report.company_id, today
            )
            if left > report.template_id.remind_days:
                continue
            user = report.user_id
            report.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=report.deadline,
                summary=in_lang_of(report, user).env._("Write and submit your report"),
                user_id=user.id,
            )
            report.date_reminded = fields.Datetime.now()
        self.env["techdept.progress.report.review"].sudo().search(
            [
                ("state", "=", "pending"),
                ("deadline", "<", today),
                ("is_late", "=", False),
            ]
        ).write({"is_late": True})

    def write(self, vals):
        if "section_ids" in vals and not is_server(self.env):
            self._techdept_check_section_commands(vals["section_ids"])
        return super().write(vals)

    def _techdept_check_section_commands(self, commands):
        """The form writes the sections' text through the report: only an
        update of the text of its own sections passes (the section checks
        who writes); no section is added, moved or removed."""
        own = set(self.sudo().section_ids.ids)
        for command in commands or ():
            if not isinstance(command, (list, tuple)) or not command:
                raise ValidationError(
                    self.env._(
                        "%(value)s is not a change of sections.",
                        value=repr(command)[:60],
                    )
                )
            code = command[0]
            target = command[1] if len(command) > 1 else None
            changes = command[2] if len(command) > 2 else None
            allowed = (
                code in (fields.Command.UPDATE, fields.Command.LINK)
                and target in own
                and (
                    code == fields.Command.LINK
                    or (isinstance(changes, dict) and changes.keys() <= {"body"})
                )
            )
            if not allowed:
                raise AccessError(
                    self.env._(
                        "The sections of a report come from its template: only "
                        "their text is written."
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(
                self.env._("A submitted or reviewed report cannot be deleted.")
            )


class TechdeptProgressReportPart(models.AbstractModel):
    """A part of a progress report (a section, a figure, a review): read by
    whoever may read its report."""

    _name = "techdept.progress.report.part"
    _description = "Part of a Progress Report"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        Report = self.env["techdept.progress.report"]
        if not Report._techdept_sees_all():
            reports = Report.with_context(active_test=False)._search([])
            domain = expression.AND([domain, [("report_id", "in", reports)]])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        Report = self.env["techdept.progress.report"]
        if result or Report._techdept_sees_all() or not self._ids:
            return result
        reports = self.sudo().report_id
        visible = set(reports.with_env(self.env)._filtered_access("read").ids)
        forbidden = self.filtered(lambda p: p.sudo().report_id.id not in visible)
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._("You may not read the parts of reports you cannot read.")
            )
        return None


class TechdeptProgressReportSection(models.Model):
    """What the author writes in one section of his report."""

    _name = "techdept.progress.report.section"
    _description = "Progress Report Section"
    _inherit = ["techdept.progress.report.part", "techdept.guard.mixin"]
    _order = "report_id, sequence, id"
    _techdept_server_create = True
    _techdept_server_fields = ("report_id", "template_section_id", "sequence")

    report_id = fields.Many2one(
        "techdept.progress.report", required=True, ondelete="cascade", index=True
    )
    template_section_id = fields.Many2one(
        "techdept.report.template.section", required=True, ondelete="restrict"
    )
    sequence = fields.Integer()
    name = fields.Char(related="template_section_id.name", string="Section")
    guide = fields.Text(related="template_section_id.guide")
    required = fields.Boolean(related="template_section_id.required")
    body = fields.Text(string="Text")

    def write(self, vals):
        if not is_server(self.env):
            # The template's fields are refused to everyone, by their names.
            self._techdept_check_client_values([vals], "write")
            for section in self:
                report = section.sudo().report_id
                if report.user_id != self.env.user:
                    raise AccessError(
                        self.env._(
                            "Only %(author)s writes %(report)s.",
                            author=report.employee_id.name,
                            report=report.display_name,
                        )
                    )
                if report.state != "draft":
                    raise UserError(
                        self.env._(
                            "%(report)s is %(state)s: it cannot be changed. "
                            "Withdraw it first, while nobody has reviewed it.",
                            report=report.display_name,
                            state=report._techdept_state_label(),
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_client(self):
        if not is_server(self.env):
            raise UserError(
                self.env._("The sections of a report come from its template.")
            )


class TechdeptProgressReportFigure(models.Model):
    """One figure of the period, filled in by the suite (work-log hours of a
    category, leads worked on, reviews decided …)."""

    _name = "techdept.progress.report.figure"
    _description = "Progress Report Figure"
    _inherit = ["techdept.progress.report.part", "techdept.guard.mixin"]
    _order = "report_id, sequence, id"
    _techdept_server_create = True
    _techdept_server_fields = (
        "report_id",
        "sequence",
        "kind",
        "key",
        "value",
        "detail",
    )

    report_id = fields.Many2one(
        "techdept.progress.report", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(readonly=True)
    kind = fields.Selection(
        [
            ("approvals_decided", "Reviews decided"),
            ("documents_submitted", "Deliverables submitted"),
            ("documents_approved", "Deliverables approved"),
        ],
        required=True,
        readonly=True,
    )
    key = fields.Char(
        readonly=True, help="What the figure's kind is split by, e.g. a category."
    )
    name = fields.Char(string="Figure", compute="_compute_name")
    value = fields.Float(readonly=True, digits=(16, 2))
    detail = fields.Text(readonly=True)

    @api.depends("kind", "key")
    @api.depends_context("lang")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for figure in self:
            label = kinds.get(figure.kind, "")
            part = figure._techdept_key_label() if figure.key else ""
            figure.name = (
                self.env._("%(figure)s: %(part)s", figure=label, part=part)
                if part
                else label
            )

    def _techdept_key_label(self):
        """What ``key`` reads as for this figure's kind; addons that split a
        kind say it."""
        self.ensure_one()
        return self.key

    @api.ondelete(at_uninstall=False)
    def _unlink_except_client(self):
        if not is_server(self.env):
            raise UserError(self.env._("The figures of a report are the suite's."))


class TechdeptProgressReportReview(models.Model):
    """The review of a report by one manager the policy names for its author:
    read, commented, marked reviewed, on time or not."""

    _name = "techdept.progress.report.review"
    _description = "Progress Report Review"
    _inherit = ["techdept.progress.report.part", "techdept.guard.mixin"]
    _order = "report_id, id"
    _rec_name = "reviewer_id"
    _techdept_server_create = True
    _techdept_server_fields = (
        "report_id",
        "reviewer_id",
        "holder_id",
        "origin_model",
        "origin_id",
        "state",
        "deadline",
        "date_done",
        "reviewed_by_id",
        "on_behalf",
        "comment",
        "is_late",
        "activity_id",
    )

    report_id = fields.Many2one(
        "techdept.progress.report", required=True, ondelete="cascade", index=True
    )
    author_id = fields.Many2one(
        related="report_id.employee_id", string="Author", store=True, index=True
    )
    reviewer_id = fields.Many2one(
        "hr.employee",
        string="Reviewer",
        required=True,
        readonly=True,
        index=True,
        help="The manager named by the policy on the report's date, or whoever "
        "acted for him that day.",
    )
    holder_id = fields.Many2one(
        "hr.employee",
        string="Named By the Policy",
        readonly=True,
        help="The manager the policy names; when he was absent on the report's "
        "date, the reviewer acts for him.",
    )
    origin_model = fields.Char(readonly=True)
    origin_id = fields.Many2oneReference(model_field="origin_model", readonly=True)
    origin_name = fields.Char(string="As Manager Of", compute="_compute_origin_name")
    state = fields.Selection(
        [("pending", "To Review"), ("done", "Reviewed")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    deadline = fields.Date(string="Review By", readonly=True, index=True)
    date_done = fields.Datetime(string="Reviewed On", readonly=True)
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True)
    on_behalf = fields.Boolean(
        string="For an Absent Reviewer",
        readonly=True,
        help="Reviewed by whoever acted for the reviewer that day.",
    )
    comment = fields.Text(readonly=True)
    is_late = fields.Boolean(
        string="Late", readonly=True, index=True, help="Not reviewed by its day."
    )
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    company_id = fields.Many2one(related="report_id.company_id", store=True)

    def _compute_origin_name(self):
        for review in self:
            name = ""
            if review.origin_model in self.env and review.origin_id:
                origin = self.env[review.origin_model].sudo().browse(review.origin_id)
                name = origin.exists().display_name or ""
            review.origin_name = name

    def _techdept_schedule(self):
        """A to-do for each reviewer (a delegation moves it to his deputy)."""
        for review in self:
            user = review.reviewer_id.user_id
            if not user:
                continue
            report = review.report_id.sudo()
            activity = report.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=review.deadline,
                summary=in_lang_of(report, user).env._("Read and review this report"),
                user_id=user.id,
            )
            review.activity_id = activity

    def _techdept_unschedule(self, done=False):
        activities = self.sudo().activity_id
        if done and activities:
            activities.action_feedback(
                feedback=in_company_lang(self).env._("Reviewed.")
            )
        else:
            activities.unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_client(self):
        if not is_server(self.env):
            raise UserError(
                self.env._("Reviews are made and removed by the report's flow only.")
            )
