import bisect
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import READ_GROUP_AGGREGATE, parse_read_group_spec
from odoo.tools import SQL, float_compare

from odoo.addons.techdept_org.exceptions import ApprovalRefusal
from odoo.addons.techdept_org.models.techdept_guard import (
    as_server,
    has_server_flag,
    is_server,
)
from odoo.addons.techdept_org.models.techdept_lang import in_company_lang, in_lang_of

from .techdept_appraisal_period import APPRAISER_OF_ROLE
from .techdept_kpi_template import KPI_GROUPS, KPI_SOURCES


def _number(value):
    """A measured value as people write it: 96, 87.5."""
    return tools.float_repr(round(value, 2), 2).rstrip("0").rstrip(".")


APPRAISAL_STATES = [
    ("goals", "Goals"),
    ("self_assessment", "Self-assessment"),
    ("draft", "To Score"),
    ("scored", "Scored"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("appealed", "Under Appeal"),
    ("acknowledged", "Acknowledged"),
    ("locked", "Locked"),
]
# Until its appraiser submits it, a form is his: the employee reads his
# goals and his self-assessment (techdept.appraisal.sheet), never the
# appraiser's draft scores.
PRIVATE_STATES = ("goals", "self_assessment", "draft", "scored")
GOALS_STATES = [
    ("draft", "Being Set"),
    ("proposed", "To Confirm"),
    ("confirmed", "Confirmed"),
]
# Raised by the decision on an appeal, once the engine let its approver
# decide: returning the form reopens it, whoever decided.
APPEAL_RETURN_FLAG = "techdept_appeal_return"
GOALS_TODO = "techdept_appraisal.mail_activity_type_goals"
SELF_ASSESSMENT_TODO = "techdept_appraisal.mail_activity_type_self_assessment"
# The forms and sheets of a month are made by the system, a thousand at a
# time: no creation note, no follower, no tracking on each.
_QUIET_CREATE = {"tracking_disable": True}


class TechdeptAppraisal(models.Model):
    """The monthly appraisal form (月度考核表) of one member of the department.

    goals agreed at the start of the month (月初目标) → after the month, the
    employee's self-assessment (自评) where the template asks for it → scored
    by the appraiser (and the co-appraiser) → submitted → approved by the
    technical director or returned with a comment (approval engine) →
    acknowledged by the employee, or appealed (申诉) and decided → locked
    with the month."""

    _name = "techdept.appraisal"
    _description = "Monthly Appraisal"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _approval_chain_code = "techdept_appraisal"
    _approval_locked_fields = [
        "employee_id",
        "period_id",
        "template_id",
        "appraiser_id",
        "co_appraiser_id",
    ]
    # Forms are generated for the month; their state follows the flow below
    # and the approval engine, never a client's write.
    _techdept_server_create = True
    _techdept_server_fields = (
        "state",
        "period_id",
        "employee_id",
        "job_id",
        "department_id",
        "template_id",
        "date_submitted",
        "date_acknowledged",
        "is_late",
        "date_approved",
        "appeal_deadline",
        "acknowledgement",
        "previous_grade_id",
        # The employee's sheet and appeals are made by the server only.
        "sheet_ids",
        "appeal_ids",
    )
    _order = "period_id desc, department_id, total_score desc, id"

    period_id = fields.Many2one(
        "techdept.appraisal.period",
        string="Month",
        required=True,
        ondelete="restrict",
        index=True,
    )
    deadline = fields.Date(related="period_id.deadline")
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="restrict"
    )
    employee_user_id = fields.Many2one(
        "res.users", related="employee_id.user_id", store=True, string="Employee User"
    )
    job_id = fields.Many2one("hr.job", string="Position", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True, index=True)
    template_id = fields.Many2one("techdept.kpi.template", required=True, readonly=True)
    appraiser_id = fields.Many2one("hr.employee", required=True, tracking=True)
    appraiser_user_id = fields.Many2one(
        "res.users", related="appraiser_id.user_id", store=True, string="Appraiser User"
    )
    co_appraiser_id = fields.Many2one(
        "hr.employee",
        string="Co-appraiser",
        tracking=True,
        help="The implementation manager of the projects the engineer worked on "
        "this month: he scores the project items.",
    )
    co_appraiser_user_id = fields.Many2one(
        "res.users",
        related="co_appraiser_id.user_id",
        store=True,
        string="Co-appraiser User",
    )
    line_ids = fields.One2many(
        "techdept.appraisal.line", "appraisal_id", string="Items"
    )
    sheet_ids = fields.One2many("techdept.appraisal.sheet", "appraisal_id")
    sheet_id = fields.Many2one(
        "techdept.appraisal.sheet",
        string="Goals and Self-assessment",
        compute="_compute_sheet_id",
    )
    goals_state = fields.Selection(
        GOALS_STATES, string="Goals", compute="_compute_sheet_id"
    )
    self_total = fields.Float(
        string="Self Score",
        compute="_compute_self_total",
        digits=(5, 2),
        help="The employee's own total, once he has submitted his self-assessment.",
    )
    state = fields.Selection(
        APPRAISAL_STATES,
        default="goals",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    total_score = fields.Float(
        compute="_compute_total_score", store=True, digits=(5, 2), aggregator="avg"
    )
    grade_band_id = fields.Many2one(
        "techdept.grade.band",
        string="Grade",
        compute="_compute_total_score",
        store=True,
    )
    coefficient = fields.Float(
        related="grade_band_id.coefficient", string="Bonus Coefficient"
    )
    is_scored = fields.Boolean(
        string="Scored",
        compute="_compute_total_score",
        store=True,
        index=True,
        help="Every item has its score: the form has a total, a grade and a rank, "
        "and counts in the month's averages.",
    )
    rank = fields.Integer(
        compute="_compute_rank", help="Rank within the group this month."
    )
    can_score = fields.Boolean(
        compute="_compute_can_act",
        help="The current user scores this form now: its appraiser (or whoever "
        "acts for him) or the technical director.",
    )
    can_acknowledge = fields.Boolean(
        compute="_compute_can_act",
        help="The current user is the appraised employee and the form awaits his "
        "acknowledgement.",
    )
    can_appeal = fields.Boolean(
        compute="_compute_can_act",
        help="The current user is the appraised employee, the form is approved "
        "and its appeal window is open.",
    )
    can_skip_self_assessment = fields.Boolean(
        compute="_compute_can_act",
        help="The current user appraises the form and may score it without the "
        "employee's self-assessment: its deadline has passed.",
    )
    date_submitted = fields.Datetime(readonly=True, copy=False)
    date_approved = fields.Datetime(readonly=True, copy=False)
    appeal_deadline = fields.Date(
        string="Appeal By",
        readonly=True,
        copy=False,
        help="The employee may appeal the approved form until this day (working "
        "days of the working calendar); after it the form counts as "
        "acknowledged.",
    )
    date_acknowledged = fields.Datetime(readonly=True, copy=False)
    acknowledgement = fields.Selection(
        [
            ("employee", "By the Employee"),
            ("lapsed", "Appeal Window Lapsed"),
            ("appeal", "Appeal Decided"),
        ],
        readonly=True,
        copy=False,
    )
    appeal_ids = fields.One2many(
        "techdept.appraisal.appeal", "appraisal_id", string="Appeals"
    )
    appeal_count = fields.Integer(compute="_compute_appeal_count")
    previous_grade_id = fields.Many2one(
        "techdept.grade.band",
        string="Grade Before Reopening",
        readonly=True,
        copy=False,
        help="The grade the form had when it was reopened: if its new grade "
        "differs, the bonus pools that counted it are flagged.",
    )
    is_late = fields.Boolean(
        string="Late",
        readonly=True,
        copy=False,
        index=True,
        help="Not submitted by the month's deadline.",
    )
    company_id = fields.Many2one(related="period_id.company_id", store=True)

    _sql_constraints = [
        (
            "employee_period_uniq",
            "UNIQUE(employee_id, period_id)",
            "An employee has one appraisal a month.",
        ),
    ]

    @api.depends("employee_id", "period_id")
    def _compute_display_name(self):
        for appraisal in self:
            appraisal.display_name = (
                f"{appraisal.employee_id.name or ''} {appraisal.period_id.name or ''}"
            )

    @api.depends(
        "line_ids.score", "line_ids.weight", "line_ids.max_score", "line_ids.is_scored"
    )
    def _compute_total_score(self):
        """A form has a total and a grade once every item is scored; until
        then it has neither (the stored total reads 0 and is left out of
        every average, see _read_group_select)."""
        bands = self.env["techdept.grade.band"]._company_bands()
        for appraisal in self:
            lines = appraisal.line_ids
            scored = bool(lines) and all(lines.mapped("is_scored"))
            total = (
                sum(
                    line.score / line.max_score * line.weight
                    for line in lines
                    if line.max_score
                )
                if scored
                else 0.0
            )
            appraisal.is_scored = scored
            appraisal.total_score = round(total, 2)
            appraisal.grade_band_id = bands._band_for(total, bands) if scored else False

    @api.depends("sheet_ids.goals_state")
    def _compute_sheet_id(self):
        for appraisal in self:
            sheet = appraisal._sheet()
            appraisal.sheet_id = sheet.with_env(self.env)
            appraisal.goals_state = sheet.goals_state

    @api.depends("sheet_ids.self_total", "sheet_ids.self_submitted_date")
    def _compute_self_total(self):
        for appraisal in self:
            sheet = appraisal._sheet()
            appraisal.self_total = (
                sheet.self_total if sheet.self_submitted_date else 0.0
            )

    def _sheet(self):
        """The form's sheet (a form has one), as superuser, read along with
        the sheets of the forms fetched with it (a slice alone would fetch
        each sheet on its own)."""
        sheets = self.sudo().sheet_ids
        return sheets[:1].with_prefetch(sheets._prefetch_ids)

    def _compute_appeal_count(self):
        counts = dict(
            self.env["techdept.appraisal.appeal"]
            .sudo()
            ._read_group(
                [("appraisal_id", "in", self.ids)], ["appraisal_id"], ["__count"]
            )
        )
        for appraisal in self:
            appraisal.appeal_count = counts.get(appraisal._origin, 0)

    @api.depends_context("uid")
    @api.depends("state", "appraiser_id", "employee_user_id", "appeal_deadline")
    def _compute_can_act(self):
        user = self.env.user
        today = fields.Date.context_today(self)
        for appraisal in self:
            mine = appraisal.employee_user_id == user
            appraisal.can_score = (
                appraisal.state in ("draft", "scored") and appraisal._is_appraiser()
            )
            appraisal.can_acknowledge = appraisal.state == "approved" and mine
            appraisal.can_appeal = (
                appraisal.state == "approved"
                and mine
                and bool(appraisal.appeal_deadline)
                and today <= appraisal.appeal_deadline
            )
            appraisal.can_skip_self_assessment = (
                appraisal.state == "self_assessment"
                and appraisal._is_appraiser()
                and appraisal._self_assessment_may_be_skipped()
            )

    def _approval_submittable(self):
        # The appraiser submits, once the form is scored.
        return (
            super()
            ._approval_submittable()
            .filtered(lambda a: a.state == "scored" and a._is_appraiser())
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # Forms not scored yet have no total: leave them out of the averages
        # (and sums, minimums, maximums) of lists, pivots and graphs.
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        if fname == "total_score" and func in ("avg", "sum", "min", "max"):
            total = self._field_to_sql(self._table, "total_score", query)
            scored = self._field_to_sql(self._table, "is_scored", query)
            return READ_GROUP_AGGREGATE[func](
                self._table, SQL("CASE WHEN %s THEN %s END", scored, total)
            )
        return super()._read_group_select(aggregate_spec, query)

    @api.depends("total_score", "is_scored", "period_id", "department_id")
    def _compute_rank(self):
        """Rank among the scored forms of the same group and month (ties
        share a rank); 0, shown as nothing, until the form is scored. One
        query, and a sort per group."""
        Appraisal = self.sudo()
        query = Appraisal._search(
            [("period_id", "in", self.period_id.ids), ("is_scored", "=", True)],
            order="id",
        )
        rows = self.env.execute_query(
            query.select(
                *(
                    Appraisal._field_to_sql(Appraisal._table, name, query)
                    for name in ("period_id", "department_id", "total_score")
                )
            )
        )
        scores = {}
        for period_id, department_id, total in rows:
            scores.setdefault((period_id, department_id or False), []).append(total)
        for group in scores.values():
            group.sort()
        for appraisal in self:
            group = scores.get((appraisal.period_id.id, appraisal.department_id.id), [])
            appraisal.rank = (
                len(group) - bisect.bisect_right(group, appraisal.total_score) + 1
                if appraisal.is_scored
                else 0
            )

    # Monthly generation

    @api.model
    def _generate(self, period, opening=None):
        """One appraisal per member of the technical department whose
        position has a template, with the appraiser the policy names and the
        implementation manager as co-appraiser for the engineers who were on
        an implementation project that month, each with the sheet of his
        goals and self-assessment. Forms start with the month's goals, and
        are settled again when scoring opens (_open_scoring); those of a
        month already over start with its scoring, their computed items
        measured. No query per employee: the forms, their items and sheets
        are inserted in the ORM's batches, each written once."""
        # The daily job and the director's button may generate a month at
        # the same moment. Writing the month's row makes the later of two
        # such transactions fail with a serialization error, which Odoo
        # retries on a snapshot that holds the forms the first one made,
        # instead of inserting them again (a unique violation: no retry).
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = write_date WHERE id = %s",
                SQL.identifier(period._table),
                period.id,
            )
        )
        technical = (
            self.env["hr.department"]
            .sudo()
            .search(
                [
                    ("techdept_function", "=", "technical"),
                    ("company_id", "=", period.company_id.id),
                ],
                limit=1,
            )
        )
        if not technical:
            raise UserError(
                self.env._("No department has the technical department's function.")
            )
        # Searched with what is read of them: one query, however many.
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search_fetch(
                [
                    ("department_id", "child_of", technical.ids),
                    ("techdept_role", "in", list(APPRAISER_OF_ROLE)),
                    ("company_id", "=", period.company_id.id),
                ],
                ["techdept_role", "job_id", "department_id"],
            )
        )
        template_of_job = self._template_of_job(employees.job_id)
        done = set(self.sudo().search([("period_id", "=", period.id)]).employee_id.ids)
        employees = employees.filtered(
            lambda e: e.id not in done and e.job_id in template_of_job
        )
        if not employees:
            return self.browse()
        appraisers = self._policy_appraisers(period.company_id)
        co_appraisers = self._co_appraisers(employees, period)
        # A month already over starts where its scoring opens (``opening``
        # says otherwise for a month generated after the fact).
        over = (
            period.date_to < fields.Date.context_today(self)
            if opening is None
            else opening
        )

        def appraised(employee):
            appraiser = appraisers[APPRAISER_OF_ROLE[employee.techdept_role]]
            return bool(appraiser) and appraiser != employee

        employees = employees.filtered(appraised)
        # The computed items of a month over are created with their values.
        measured = self._measure(employees, period, template_of_job) if over else None
        # {(template, co-appraised): the values of its items}, read once.
        item_values = {}
        vals_list, items_list = [], []
        for employee in employees:
            appraiser = appraisers[APPRAISER_OF_ROLE[employee.techdept_role]]
            template = template_of_job[employee.job_id]
            co_appraiser = co_appraisers.get(employee.id, False)
            state = "goals"
            if over:
                state = "self_assessment" if template.self_assessment else "draft"
            key = (template, bool(co_appraiser))
            if key not in item_values:
                item_values[key] = [
                    self._item_values(item, key[1]) for item in template.line_ids
                ]
            items = []
            for values in item_values[key]:
                values = dict(values)
                if measured is not None and values["source"] != "manual":
                    value, count = measured[values["source"]].get(employee.id, (0.0, 0))
                    values.update(
                        value=value,
                        value_count=count,
                        score=self._computed_score(
                            value, values["target"], values["max_score"]
                        ),
                        is_scored=True,
                    )
                items.append(values)
            items_list.append(items)
            vals_list.append(
                {
                    "period_id": period.id,
                    "employee_id": employee.id,
                    "job_id": employee.job_id.id,
                    "department_id": employee.department_id.id,
                    "template_id": template.id,
                    "appraiser_id": appraiser.id,
                    "co_appraiser_id": co_appraiser,
                    "state": state,
                }
            )
        appraisals = (
            self.sudo()
            .with_context(**_QUIET_CREATE)
            .create(vals_list)
            .with_env(self.sudo().env)
        )
        # The items next, so that each form's total is computed once, with
        # all its items, and written with its other computed fields.
        self.env["techdept.appraisal.line"].sudo()._insert_generated(
            [
                dict(values, appraisal_id=appraisal.id)
                for appraisal, items in zip(appraisals, items_list, strict=True)
                for values in items
            ]
        )
        appraisals._create_sheets()
        return appraisals

    @api.model
    def _measure(self, employees, period, template_of_job):
        """{source: {employee id: (value, count)}} of the computed items of
        these employees' templates for ``period``, measured on draft forms
        (the ``_kpi_<source>()`` methods read their employees and month)."""
        sources = {
            item.source
            for template in set(template_of_job.values())
            for item in template.line_ids
            if item.source != "manual"
        }
        if not sources:
            return {}
        drafts = self.concat(
            *(
                self.new({"employee_id": employee.id, "period_id": period.id})
                for employee in employees
            )
        )
        return {
            source: getattr(drafts, f"_kpi_{source}")(with_count=True)
            for source in sources
        }

    @api.model
    def _computed_score(self, value, target, max_score):
        """The score of a computed item: its share of the target, at most
        the maximum."""
        if not target:
            return 0.0
        return round(min(max_score, value / target * max_score), 2)

    @api.model
    def _template_of_job(self, jobs):
        """{job: template} of the templates whose weights total 100 (a
        template that does not appraises nobody)."""
        templates = (
            self.env["techdept.kpi.template"]
            .sudo()
            .search([("job_ids", "in", jobs.ids)])
            .filtered(lambda t: not float_compare(t.total_weight, 100.0, 2))
        )
        return {job: template for template in templates for job in template.job_ids}

    @api.model
    def _policy_appraisers(self, company):
        """{(kind, key) of APPRAISER_OF_ROLE: the employee acting today}."""
        resolver = self.env["techdept.resolver"]
        appraisers = {}
        for kind, key in set(APPRAISER_OF_ROLE.values()):
            if kind == "function":
                appraisers[kind, key] = resolver._function_manager(key, company=company)
            else:
                appraisers[kind, key] = resolver._role_holders(key, company=company)[:1]
        return appraisers

    @api.model
    def _item_values(self, item, co_appraised):
        """The values of a form's item from its template's item."""
        return {
            "template_line_id": item.id,
            "sequence": item.sequence,
            "group": item.group,
            "weight": item.weight,
            "max_score": item.max_score,
            "source": item.source,
            "target": item.target,
            "scorer": item.scorer if co_appraised else "appraiser",
        }

    def _create_sheets(self, lines=None):
        """The employee's sheet of each form, or the items of ``lines`` on
        their forms' sheets."""
        Sheet = self.env["techdept.appraisal.sheet"].sudo()
        if lines is not None:
            return (
                self.env["techdept.appraisal.sheet.line"]
                .sudo()
                .create(
                    [
                        {
                            "sheet_id": line.appraisal_id.sheet_ids[:1].id,
                            "line_id": line.id,
                        }
                        for line in lines
                    ]
                )
            )
        sheets = Sheet.with_context(**_QUIET_CREATE).create(
            [{"appraisal_id": appraisal.id} for appraisal in self]
        )
        # The sheet's lines, one per item, hold nothing yet but the pair
        # (goals and self scores come later): one INSERT for the whole batch.
        self.env["techdept.appraisal.line"].flush_model(["appraisal_id"])
        Sheet.flush_model(["appraisal_id"])
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO techdept_appraisal_sheet_line
                    (sheet_id, line_id, create_uid, create_date, write_uid, write_date)
                SELECT sheet.id, line.id, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM techdept_appraisal_line line
                  JOIN techdept_appraisal_sheet sheet
                    ON sheet.appraisal_id = line.appraisal_id
                 WHERE sheet.id = ANY(%(sheets)s)
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                sheets=sheets.ids,
            )
        )
        self.line_ids.invalidate_recordset(["sheet_line_ids"])
        sheets.invalidate_recordset(["line_ids"])
        return sheets.with_env(Sheet.env)

    def _open_scoring(self):
        """After the month, the forms still on their goals: who appraises,
        co-appraises and which template applies are settled again (a new
        assignment, a delegation, a template changed during the month are
        honoured), the computed items are measured, then the employee
        assesses himself where his template asks for it, else the appraiser
        scores. Returns the forms opened."""
        forms = self.sudo().filtered(lambda a: a.state == "goals")
        if not forms:
            return forms
        for period, batch in forms.grouped("period_id").items():
            batch._resettle(period)
        self_assessed = forms.filtered(lambda a: a.template_id.self_assessment)
        if self_assessed:
            as_server(self_assessed).write({"state": "self_assessment"})
        if forms - self_assessed:
            as_server(forms - self_assessed).write({"state": "draft"})
        forms._refresh_computed_items()
        return forms

    def _resettle(self, period):
        """Settle the appraiser, the co-appraiser, the position and the
        template of these forms of ``period`` as they are today, and their
        items as the template has them; a note says what changed."""
        Employee = self.env["hr.employee"].sudo()
        employees = self.employee_id
        appraisers = self._policy_appraisers(period.company_id)
        co_appraisers = self._co_appraisers(employees, period)
        template_of_job = self._template_of_job(employees.job_id)
        changes = {}
        for form in self:
            employee = form.employee_id
            vals = {}
            key = APPRAISER_OF_ROLE.get(employee.techdept_role)
            appraiser = appraisers.get(key) if key else Employee
            if appraiser and appraiser != employee and appraiser != form.appraiser_id:
                vals["appraiser_id"] = appraiser.id
            co_appraiser = Employee.browse(co_appraisers.get(employee.id, []))
            if co_appraiser != form.co_appraiser_id:
                vals["co_appraiser_id"] = co_appraiser.id
            if employee.job_id and employee.job_id != form.job_id:
                vals["job_id"] = employee.job_id.id
            if employee.department_id != form.department_id:
                vals["department_id"] = employee.department_id.id
            template = template_of_job.get(employee.job_id)
            if template and template != form.template_id:
                vals["template_id"] = template.id
            if vals:
                changes[form] = {name: form[name] for name in vals}
                as_server(form).write(vals)
        self._sync_items()
        for form, before in changes.items():
            form._post_resettled(before)

    def _sync_items(self):
        """Give each form the items of its template, with their current
        weights, maxima, sources and targets: new items are added (with
        their line on the employee's sheet), items the template no longer
        has are removed, with their goals."""
        Line = self.env["techdept.appraisal.line"].sudo()
        to_create = []
        to_remove = Line
        for form in self:
            co_appraised = bool(form.co_appraiser_id)
            current = {line.template_line_id: line for line in form.line_ids}
            for item in form.template_id.line_ids:
                values = self._item_values(item, co_appraised)
                line = current.pop(item, None)
                if line is None:
                    to_create.append(dict(values, appraisal_id=form.id))
                    continue
                del values["template_line_id"]
                changed = {
                    name: value for name, value in values.items() if line[name] != value
                }
                if changed:
                    as_server(line).write(changed)
            to_remove |= Line.union(*current.values())
        if to_remove:
            as_server(to_remove).unlink()
        if to_create:
            lines = as_server(Line).create(to_create)
            self._create_sheets(lines)

    def _post_resettled(self, before):
        """A note on the form saying what changed since the month began."""
        self.ensure_one()

        def body(env):
            parts = [
                env._(
                    "%(field)s: %(old)s → %(new)s",
                    field=self._fields[name].get_description(env)["string"],
                    old=old.with_context(lang=env.lang).display_name or "—",
                    new=self[name].with_context(lang=env.lang).display_name or "—",
                )
                for name, old in before.items()
            ]
            return env._(
                "Scoring opens with what changed during the month: %(changes)s.",
                changes="; ".join(parts),
            )

        self._techdept_post(body, subtype_xmlid="mail.mt_note")

    @api.model
    def _co_appraisers(self, employees, period):
        """{employee id: implementation manager id} for the engineers with an
        implementation assignment during the month."""
        assignments = (
            self.env["techdept.assignment"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("project_id.techdept_kind", "=", "implementation"),
                    ("date_from", "<=", period.date_to),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", period.date_from),
                ],
                order="date_from desc",
            )
        )
        result = {}
        for assignment in assignments:
            manager = assignment.project_id.techdept_implementation_manager_id
            if manager and manager != assignment.employee_id:
                result.setdefault(assignment.employee_id.id, manager.id)
        return result

    def _refresh_computed_items(self):
        """Fill the items computed from the suite for the month, in a few
        grouped queries for the whole batch. Each ``_kpi_<source>()`` maps
        employee ids to their value, or with ``with_count`` to (value,
        number of records counted); the target is the one agreed in the
        month's goals, else the template's."""
        lines = self.line_ids.filtered(lambda line: line.source != "manual")
        if not lines:
            return
        values = {}
        for source in set(lines.mapped("source")):
            values[source] = getattr(self, f"_kpi_{source}")(with_count=True)
        for line in lines:
            value, count = values[line.source].get(
                line.appraisal_id.employee_id.id, (0.0, 0)
            )
            score = self._computed_score(
                value, line._effective_target(), line.max_score
            )
            line.sudo().write(
                {
                    "value": value,
                    "value_count": count,
                    "score": score,
                    "is_scored": True,
                }
            )

    def _month_bounds(self):
        periods = self.period_id
        return min(periods.mapped("date_from")), max(periods.mapped("date_to"))

    def _kpi_worklog_hours(self, with_count=False):
        start, end = self._month_bounds()
        groups = (
            self.env["techdept.worklog"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", self.employee_id.ids),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                ["employee_id"],
                ["hours:sum", "__count"],
            )
        )
        return {
            employee.id: (hours, count) if with_count else hours
            for employee, hours, count in groups
        }

    def _kpi_approvals_on_time(self, with_count=False):
        """Reviews answered in the month, as a percentage answered by their
        deadline. A review that escalated counts against its approvers, as
        not on time, in the month it escalated; whoever it escalated to does
        not answer for it."""
        start, end = self._month_bounds()
        users = self.employee_id.user_id
        date_from = fields.Datetime.to_datetime(start)
        date_to = fields.Datetime.to_datetime(end) + timedelta(days=1)
        lines = (
            self.env["techdept.approval.line"]
            .sudo()
            .search_read(
                [
                    ("acted_by_id", "in", users.ids),
                    ("date_done", ">=", date_from),
                    ("date_done", "<", date_to),
                ],
                ["acted_by_id", "date_done", "deadline", "escalated_user_ids"],
            )
        )
        Escalation = self.env["techdept.approval.escalation"].sudo()
        escalated_before = {
            (row["user_id"][0], row["line_id"][0])
            for row in Escalation.search_read(
                [
                    ("level", "=", "escalation"),
                    ("line_id", "in", [row["id"] for row in lines]),
                ],
                ["user_id", "line_id"],
            )
        }
        totals = {}
        for row in lines:
            user = row["acted_by_id"][0]
            if user in row["escalated_user_ids"] or (user, row["id"]) in (
                escalated_before
            ):
                continue
            total, on_time = totals.get(user, (0, 0))
            in_time = not row["deadline"] or row["date_done"].date() <= row["deadline"]
            totals[user] = (total + 1, on_time + in_time)
        for row in Escalation.search_read(
            [
                ("level", "=", "escalation"),
                ("user_id", "in", users.ids),
                ("date", ">=", date_from),
                ("date", "<", date_to),
            ],
            ["user_id"],
        ):
            total, on_time = totals.get(row["user_id"][0], (0, 0))
            totals[row["user_id"][0]] = (total + 1, on_time)
        employee_of_user = {e.user_id.id: e.id for e in self.employee_id if e.user_id}
        return {
            employee_of_user[user]: (100.0 * on_time / total, total)
            if with_count
            else 100.0 * on_time / total
            for user, (total, on_time) in totals.items()
            if user in employee_of_user
        }

    def _kpi_deliverables_approved(self, with_count=False):
        """Documents the employee wrote whose final approval fell in the
        month."""
        start, end = self._month_bounds()
        users = self.employee_id.user_id
        groups = (
            self.env["techdept.document"]
            .sudo()
            ._read_group(
                [
                    ("author_id", "in", users.ids),
                    ("approval_state", "=", "approved"),
                    ("approval_date_done", ">=", fields.Datetime.to_datetime(start)),
                    (
                        "approval_date_done",
                        "<",
                        fields.Datetime.to_datetime(end) + timedelta(days=1),
                    ),
                ],
                ["author_id"],
                ["__count"],
            )
        )
        employee_of_user = {e.user_id.id: e.id for e in self.employee_id if e.user_id}
        return {
            employee_of_user[user.id]: (float(count), count)
            if with_count
            else float(count)
            for user, count in groups
            if user.id in employee_of_user
        }

    # Flow

    def _is_appraiser(self):
        """The appraiser (or whoever acts for him) or the technical director;
        never the employee of the form, whomever he acts for."""
        self.ensure_one()
        user = self.env.user
        if self.employee_user_id == user:
            return False
        acting = self.env["techdept.resolver"]._acting_employee(self.appraiser_id)
        return user in (self.appraiser_user_id | acting.user_id) or user.has_group(
            "techdept_org.group_director"
        )

    def write(self, vals):
        if {"appraiser_id", "co_appraiser_id"} & vals.keys() and not is_server(
            self.env
        ):
            if not self.env.user.has_group("techdept_org.group_director"):
                raise AccessError(
                    self.env._(
                        "Only the technical director may change who appraises "
                        "%(form)s.",
                        form=self[:1].display_name,
                    )
                )
        return super().write(vals)

    def _check_appraiser(self, what):
        for appraisal in self:
            if not appraisal._is_appraiser():
                raise UserError(
                    self.env._(
                        "Only %(appraiser)s %(what)s %(form)s.",
                        appraiser=appraisal.appraiser_id.name,
                        what=what,
                        form=appraisal.display_name,
                    )
                )

    def action_refresh(self):
        """Recompute the items taken from the suite (until submission)."""
        self._check_appraiser(self.env._("refreshes"))
        if self.filtered(lambda a: a.state not in ("draft", "scored")):
            raise UserError(
                self.env._("Computed items are frozen once the form is submitted.")
            )
        self._refresh_computed_items()
        return True

    def action_mark_scored(self):
        for appraisal in self:
            if appraisal.state != "draft":
                raise UserError(
                    self.env._(
                        "%(form)s is not to be scored.", form=appraisal.display_name
                    )
                )
            if not appraisal._is_appraiser():
                raise UserError(
                    self.env._(
                        "Only %(appraiser)s scores %(form)s.",
                        appraiser=appraisal.appraiser_id.name,
                        form=appraisal.display_name,
                    )
                )
            appraisal._check_all_scored()
            as_server(appraisal).state = "scored"
        return True

    def action_open_sheet(self):
        """The employee's goals and self-assessment of this form."""
        self.ensure_one()
        self.check_access("read")
        sheet = self.sheet_id
        sheet.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "techdept.appraisal.sheet",
            "res_id": sheet.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_appeals(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Appeals"),
            "res_model": "techdept.appraisal.appeal",
            "view_mode": "list,form",
            "domain": [("appraisal_id", "=", self.id)],
        }

    # Self-assessment

    def _self_assessment_may_be_skipped(self):
        """The appraiser scores without the employee's self-assessment once
        its deadline has passed; the technical director at any time."""
        self.ensure_one()
        if self.env.user.has_group("techdept_org.group_director"):
            return True
        deadline = self.period_id.self_assessment_deadline
        return not deadline or fields.Date.context_today(self) > deadline

    def action_skip_self_assessment(self):
        """Score the form without the employee's self-assessment."""
        self.check_access("write")
        for appraisal in self:
            if appraisal.state != "self_assessment":
                raise UserError(
                    self.env._(
                        "%(form)s does not wait for a self-assessment.",
                        form=appraisal.display_name,
                    )
                )
            if not appraisal._is_appraiser():
                raise UserError(
                    self.env._(
                        "Only %(appraiser)s scores %(form)s.",
                        appraiser=appraisal.appraiser_id.name,
                        form=appraisal.display_name,
                    )
                )
            if not appraisal._self_assessment_may_be_skipped():
                raise UserError(
                    self.env._(
                        "%(employee)s has until %(deadline)s to assess himself.",
                        employee=appraisal.employee_id.name,
                        deadline=appraisal.period_id.self_assessment_deadline,
                    )
                )
        for appraisal in self:
            appraisal._start_scoring(skipped=True)
        return True

    def _start_scoring(self, skipped=False):
        """The self-assessment is in (or done without): the appraiser scores."""
        self.ensure_one()
        form = self.sudo()
        sheet = form.sheet_ids[:1]
        as_server(form).state = "draft"
        self._close_todos(sheet, SELF_ASSESSMENT_TODO)
        if skipped:

            def note(env):
                return env._(
                    "%(user)s scores the form without the employee's self-assessment.",
                    user=self.env.user.name,
                )

            form._techdept_post(note, subtype_xmlid="mail.mt_note")
            sheet._techdept_post(note, subtype_xmlid="mail.mt_note")
        if form.appraiser_user_id:
            self._schedule_todo(
                form,
                "mail.mail_activity_data_todo",
                form.appraiser_user_id,
                lambda env: env._("Score and submit this appraisal"),
                form.period_id.deadline,
            )

    # To-dos: one per stage for whoever must act, due on the stage's deadline

    @api.model
    def _schedule_todo(self, record, xmlid, user, summary, deadline=None):
        """A to-do of type ``xmlid`` for ``user`` on ``record``, unless he (or
        his deputy, while he is away) has one already. ``summary`` is a
        function of the environment that writes it, in ``user``'s
        language."""
        if not user or not record:
            return
        record = record.sudo()
        activity_type = self.env.ref(xmlid)
        if record.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == activity_type
                and (a.techdept_delegation_id.employee_id.user_id or a.user_id) == user
            )
        ):
            return
        record.activity_schedule(
            xmlid,
            date_deadline=deadline or fields.Date.context_today(self),
            summary=summary(in_lang_of(record, user).env),
            user_id=user.id,
        )

    @api.model
    def _close_todos(self, record, xmlid, feedback=None, user=None):
        """Close the to-dos of type ``xmlid`` on ``record`` (of ``user`` only,
        when given): done with ``feedback`` (a function of the environment
        that writes it, in the company's language, as the record's history
        is), else removed."""
        activity_type = self.env.ref(xmlid)
        activities = record.sudo().activity_ids.filtered(
            lambda a: (
                a.activity_type_id == activity_type
                and (
                    not user
                    or (a.techdept_delegation_id.employee_id.user_id or a.user_id)
                    == user
                )
            )
        )
        if feedback:
            activities.action_feedback(feedback=feedback(in_company_lang(record).env))
        else:
            activities.unlink()

    @api.model
    def _remind_cycle(self):
        """The to-dos of the goals, of the self-assessment and of the
        acknowledgement, for whoever must act, due on the stage's deadline
        (working days of the working calendar); none twice."""
        forms = self.sudo().search(
            [("state", "in", ("goals", "self_assessment", "approved"))]
        )
        for form in forms:
            sheet = form.sheet_ids[:1]
            period = form.period_id
            if form.state == "goals" and sheet.goals_state == "draft":
                self._schedule_todo(
                    sheet,
                    GOALS_TODO,
                    form.appraiser_user_id,
                    lambda env, form=form: env._(
                        "Set the goals of %(employee)s for %(month)s",
                        employee=form.employee_id.name,
                        month=form.with_context(lang=env.lang).period_id.name,
                    ),
                    period.goals_deadline,
                )
            elif form.state == "goals" and sheet.goals_state == "proposed":
                self._schedule_todo(
                    sheet,
                    GOALS_TODO,
                    form.employee_user_id,
                    lambda env, form=form: env._(
                        "Confirm your goals for %(month)s",
                        month=form.with_context(lang=env.lang).period_id.name,
                    ),
                    period.goals_deadline,
                )
            elif form.state == "self_assessment":
                self._schedule_todo(
                    sheet,
                    SELF_ASSESSMENT_TODO,
                    form.employee_user_id,
                    lambda env, form=form: env._(
                        "Assess yourself for %(month)s",
                        month=form.with_context(lang=env.lang).period_id.name,
                    ),
                    period.self_assessment_deadline,
                )
            elif form.state == "approved":
                form._schedule_acknowledgement_todo()

    def _schedule_acknowledgement_todo(self):
        self.ensure_one()
        self._schedule_todo(
            self,
            "mail.mail_activity_data_todo",
            self.employee_user_id,
            lambda env: env._("Acknowledge or appeal your appraisal"),
            self.appeal_deadline,
        )

    # Review by the technical director (approval engine)

    def _check_all_scored(self):
        for appraisal in self:
            missing = appraisal.line_ids.filtered(lambda line: not line.is_scored)
            if missing:
                raise UserError(
                    self.env._(
                        "%(form)s still has items without a score: %(items)s.",
                        form=appraisal.display_name,
                        items=", ".join(missing.mapped("name")),
                    )
                )

    def _approval_check(self, action):
        if action in ("approve", "reject"):
            own = self.filtered(lambda a: a.sudo().employee_user_id == self.env.user)
            if own:
                raise ApprovalRefusal(
                    self.env._(
                        "%(form)s is your own appraisal: someone else reviews it.",
                        form=own[0].display_name,
                    )
                )
        return super()._approval_check(action)

    def _approval_check_submit(self):
        for appraisal in self:
            if appraisal.state != "scored":
                raise ApprovalRefusal(
                    self.env._(
                        "%(form)s must be scored before it is submitted.",
                        form=appraisal.display_name,
                    )
                )
            if not appraisal._is_appraiser():
                raise ApprovalRefusal(
                    self.env._(
                        "Only %(appraiser)s submits %(form)s.",
                        appraiser=appraisal.appraiser_id.name,
                        form=appraisal.display_name,
                    )
                )
            appraisal._check_all_scored()

    def _on_approval_submitted(self):
        now = fields.Datetime.now()
        for appraisal in self:
            late = fields.Date.context_today(self) > appraisal.period_id.deadline
            appraisal.sudo().write(
                {
                    "state": "submitted",
                    "date_submitted": now,
                    "is_late": late or appraisal.is_late,
                }
            )
            # The appraiser's to-do to score it is done.
            self._close_todos(
                appraisal,
                "mail.mail_activity_data_todo",
                lambda env: env._("Submitted."),
            )

    def _on_approval_done(self):
        """Approved: the employee acknowledges it, or appeals within the
        window (system parameter techdept_appraisal.appeal_days, working
        days, 3 by default)."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("techdept_appraisal.appeal_days", 3)
        )
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        Calendar = self.env["techdept.calendar"]
        for appraisal in self.sudo():
            deadline, _provisional = Calendar._for_company(
                appraisal.company_id
            )._add_working_days(today, days)
            appraisal.write(
                {
                    "state": "approved",
                    "date_approved": now,
                    "appeal_deadline": deadline,
                    "acknowledgement": False,
                }
            )
            appraisal._schedule_acknowledgement_todo()
        self._flag_changed_grades()

    def _flag_changed_grades(self):
        """A form reopened and approved again with another grade: the bonus
        pools that counted it are flagged for the technical director, never
        changed silently."""
        forms = self.sudo().filtered("previous_grade_id")
        changed = forms.filtered(lambda a: a.previous_grade_id != a.grade_band_id)
        if changed:
            self.env["techdept.bonus.pool"]._flag_grade_changes(changed)
        forms.write({"previous_grade_id": False})

    def _on_approval_rejected(self):
        self.sudo().write({"state": "draft"})

    def _on_approval_withdrawn(self):
        """Back to the appraiser, scored: he may change it and submit again."""
        self.sudo().write({"state": "scored"})

    def _approval_may_reopen(self):
        # The decision on an appeal returns the form, whoever decided it.
        return (
            has_server_flag(self.env, APPEAL_RETURN_FLAG)
            or super()._approval_may_reopen()
        )

    def _approval_check_reopen(self):
        locked = self.filtered(lambda a: a.period_id.state == "locked")
        if locked:
            raise ApprovalRefusal(
                self.env._(
                    "%(month)s is locked: %(form)s can no longer be reopened.",
                    month=locked[0].period_id.name,
                    form=locked[0].display_name,
                )
            )
        appealed = self.filtered(lambda a: a.state == "appealed")
        if appealed and not has_server_flag(self.env, APPEAL_RETURN_FLAG):
            raise ApprovalRefusal(
                self.env._(
                    "%(form)s is under appeal: decide the appeal, which may return "
                    "the form.",
                    form=appealed[0].display_name,
                )
            )

    def _on_approval_reopened(self):
        """Back to the appraiser, who scores again and resubmits; the grade
        it had is kept to compare with the next one."""
        for appraisal in self.sudo():
            appraisal.write(
                {
                    "state": "draft",
                    "previous_grade_id": appraisal.previous_grade_id.id
                    or appraisal.grade_band_id.id,
                    "appeal_deadline": False,
                    "acknowledgement": False,
                    "date_acknowledged": False,
                }
            )
            # The employee has nothing to acknowledge any more.
            appraisal.activity_ids.filtered(
                lambda a, user=appraisal.employee_user_id: a.user_id == user
            ).unlink()
        for appraisal in self.filtered("appraiser_user_id"):
            user = appraisal.appraiser_user_id
            appraisal.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=in_lang_of(self, user).env._(
                    "Score again and resubmit this appraisal"
                ),
                user_id=user.id,
            )

    # Acknowledgement and appeal

    def action_acknowledge(self):
        for appraisal in self:
            if appraisal.state != "approved":
                raise UserError(
                    self.env._(
                        "%(form)s is not approved yet.", form=appraisal.display_name
                    )
                )
            if appraisal.employee_user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only %(employee)s acknowledges his appraisal.",
                        employee=appraisal.employee_id.name,
                    )
                )
            appraisal.sudo().write(
                {
                    "state": "acknowledged",
                    "acknowledgement": "employee",
                    "date_acknowledged": fields.Datetime.now(),
                }
            )
            appraisal.activity_ids.filtered(
                lambda a: a.user_id == self.env.user
            ).sudo().action_feedback(
                feedback=in_company_lang(self).env._("Acknowledged.")
            )
        return True

    def _check_can_appeal(self):
        today = fields.Date.context_today(self)
        for appraisal in self:
            if appraisal.employee_user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only %(employee)s may appeal his appraisal.",
                        employee=appraisal.employee_id.name,
                    )
                )
            if appraisal.state != "approved":
                raise UserError(
                    self.env._(
                        "%(form)s is %(state)s: only an approved form can be appealed.",
                        form=appraisal.display_name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[appraisal.state],
                    )
                )
            if not appraisal.appeal_deadline or today > appraisal.appeal_deadline:
                raise UserError(
                    self.env._(
                        "The appeal window of %(form)s closed on %(date)s.",
                        form=appraisal.display_name,
                        date=appraisal.appeal_deadline,
                    )
                )

    def action_appeal(self):
        """Open the wizard in which the employee says why he appeals."""
        self.ensure_one()
        self.check_access("read")
        self._check_can_appeal()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Appeal"),
            "res_model": "techdept.appraisal.appeal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_appraisal_id": self.id},
        }

    @api.model
    def _lapse_appeal_windows(self):
        """Approved forms whose appeal window has closed count as
        acknowledged."""
        today = fields.Date.context_today(self)
        forms = self.sudo().search(
            [("state", "=", "approved"), ("appeal_deadline", "<", today)]
        )
        if not forms:
            return forms
        forms.write(
            {
                "state": "acknowledged",
                "acknowledgement": "lapsed",
                "date_acknowledged": fields.Datetime.now(),
            }
        )
        for form in forms:
            form.activity_ids.filtered(
                lambda a, user=form.employee_user_id: a.user_id == user
            ).unlink()
            form._techdept_post(
                lambda env, form=form: env._(
                    "The appeal window closed on %(date)s: the form counts as "
                    "acknowledged.",
                    date=form.appeal_deadline,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return forms

    @api.model
    def _remind_appraisers(self):
        """Before the deadline, a to-do for each appraiser with forms to
        submit; past it, the forms are flagged late (those still waiting for
        the employee's self-assessment too)."""
        today = fields.Date.context_today(self)
        open_forms = self.sudo().search(
            [("state", "in", ("self_assessment", "draft", "scored"))]
        )
        open_forms.filtered(lambda a: a.period_id.deadline < today).write(
            {"is_late": True}
        )
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        for appraiser, forms in (
            open_forms.filtered(
                lambda a: a.period_id.deadline >= today and a.state != "self_assessment"
            )
            .grouped("appraiser_user_id")
            .items()
        ):
            for form in forms.filtered(
                lambda f: (
                    not f.activity_ids.filtered(
                        lambda a: a.activity_type_id == todo_type
                    )
                )
            ):
                if appraiser:
                    form.activity_schedule(
                        "mail.mail_activity_data_todo",
                        date_deadline=form.period_id.deadline,
                        summary=in_lang_of(self, appraiser).env._(
                            "Score and submit this appraisal"
                        ),
                        user_id=appraiser.id,
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if self.filtered(lambda a: a.state not in PRIVATE_STATES):
            raise UserError(self.env._("Submitted appraisals cannot be deleted."))


class TechdeptAppraisalLine(models.Model):
    _name = "techdept.appraisal.line"
    _description = "Appraisal Item"
    _inherit = ["techdept.approval.child.mixin"]
    _order = "appraisal_id, sequence, id"
    # Items come from the template when the month is generated; only their
    # score and comment are entered, by their scorer.
    _approval_parent_field = "appraisal_id"
    _techdept_server_create = True
    _techdept_server_fields = (
        "appraisal_id",
        "template_line_id",
        "sequence",
        "group",
        "weight",
        "max_score",
        "source",
        "target",
        "value",
        "value_count",
        "scorer",
        "is_scored",
    )

    appraisal_id = fields.Many2one(
        "techdept.appraisal", required=True, ondelete="cascade", index=True
    )
    # The item keeps its template line (which cannot be deleted then), so
    # that its name reads in each user's language.
    template_line_id = fields.Many2one(
        "techdept.kpi.template.line", required=True, ondelete="restrict"
    )
    sequence = fields.Integer()
    name = fields.Char(related="template_line_id.name", string="Item")
    group = fields.Selection(KPI_GROUPS, required=True)
    weight = fields.Float(digits=(5, 2), readonly=True)
    max_score = fields.Float(string="Maximum Score", readonly=True)
    source = fields.Selection(KPI_SOURCES, readonly=True)
    target = fields.Float(readonly=True)
    value = fields.Float(string="Measured", readonly=True, digits=(16, 2))
    value_count = fields.Integer(
        string="Records Counted",
        readonly=True,
        help="How many work log entries, reviews or documents the measured value "
        "comes from.",
    )
    computation = fields.Char(
        string="How Computed",
        compute="_compute_computation",
        help="Where a computed item's value comes from: the source, the month, "
        "what was counted and the target.",
    )
    scorer = fields.Selection(
        [("appraiser", "Appraiser"), ("co_appraiser", "Co-appraiser")], readonly=True
    )
    score = fields.Float(digits=(5, 2))
    is_scored = fields.Boolean(string="Scored", readonly=True)
    comment = fields.Char()
    guide = fields.Text(related="template_line_id.guide")
    sheet_line_ids = fields.One2many("techdept.appraisal.sheet.line", "line_id")
    goal = fields.Text(
        compute="_compute_sheet_values", help="The goal agreed for the month."
    )
    goal_target = fields.Float(
        string="Target This Month",
        compute="_compute_sheet_values",
        help="The measurable target agreed for the month; the template's when "
        "none was.",
    )
    self_score = fields.Float(
        compute="_compute_sheet_values",
        digits=(5, 2),
        help="The employee's own score, once he has submitted his self-assessment.",
    )
    self_comment = fields.Char(compute="_compute_sheet_values")

    @api.depends(
        "sheet_line_ids.goal",
        "sheet_line_ids.goal_target",
        "sheet_line_ids.self_score",
        "sheet_line_ids.self_comment",
        "sheet_line_ids.sheet_id.self_submitted_date",
    )
    def _compute_sheet_values(self):
        # Whoever reads the item may read the goal; the self-assessment
        # shows once the employee has submitted it.
        for line in self:
            mine = line._sheet_line()
            submitted = bool(mine.sheet_id.self_submitted_date)
            line.goal = mine.goal
            line.goal_target = mine.goal_target or line.target
            line.self_score = mine.self_score if submitted else 0.0
            line.self_comment = mine.self_comment if submitted else False

    def _effective_target(self):
        """The target a computed item is measured against."""
        self.ensure_one()
        return self._sheet_line().goal_target or self.target

    def _sheet_line(self):
        """The item's line on the employee's sheet, as superuser, read along
        with those of the items fetched with it."""
        lines = self.sudo().sheet_line_ids
        return lines[:1].with_prefetch(lines._prefetch_ids)

    @api.depends("source", "value", "value_count", "target", "appraisal_id.period_id")
    @api.depends_context("lang")
    def _compute_computation(self):
        for line in self:
            line.computation = line._computation_text() if line.source else False

    def _computation_text(self):
        """What the measured value of a computed item stands for, in the
        reader's language: nothing for an item scored by hand."""
        self.ensure_one()
        if self.source == "manual":
            return False
        period = self.appraisal_id.period_id
        values = {
            "start": tools.format_date(self.env, period.date_from),
            "end": tools.format_date(self.env, period.date_to),
            "count": self.value_count,
            "value": _number(self.value),
            "target": _number(self.target),
        }
        if self.source == "worklog_hours":
            if not self.value_count:
                return self.env._(
                    "No work log entry from %(start)s to %(end)s: 0 hours "
                    "(target %(target)s hours).",
                    **values,
                )
            return self.env._(
                "%(count)s work log entries from %(start)s to %(end)s: "
                "%(value)s hours (target %(target)s hours).",
                **values,
            )
        if self.source == "approvals_on_time":
            if not self.value_count:
                return self.env._(
                    "No review answered or escalated from %(start)s to %(end)s: "
                    "0%% on time (target %(target)s%%).",
                    **values,
                )
            return self.env._(
                "%(count)s reviews answered or escalated from %(start)s to "
                "%(end)s, %(on_time)s of them by their deadline: %(value)s%% "
                "(target %(target)s%%).",
                on_time=round(self.value * self.value_count / 100),
                **values,
            )
        if self.source == "deliverables_approved":
            if not self.value_count:
                return self.env._(
                    "No document of his approved from %(start)s to %(end)s "
                    "(target %(target)s).",
                    **values,
                )
            return self.env._(
                "%(count)s documents of his approved from %(start)s to %(end)s "
                "(target %(target)s).",
                **values,
            )
        return False

    @api.constrains("score", "max_score")
    def _check_score(self):
        for line in self:
            if line.score < 0 or line.score > line.max_score:
                raise ValidationError(
                    self.env._(
                        "The score of %(item)s must lie between 0 and %(max)s.",
                        item=line.name,
                        max=line.max_score,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "score" in vals:
                vals.setdefault("is_scored", True)
        return super().create(vals_list)

    @api.model
    def _insert_generated(self, vals_list):
        """Insert the items of a month's new forms as ``create`` stores them,
        a thousand rows per statement, without its work per record (default
        values, access and frozen-form checks) that generating ten thousand
        items would repeat: only the month's generation calls it, for forms
        it has just created, with the values of every stored field the items
        have (none has a default or is computed). Then, as ``create`` does,
        the new items are put in the cache, what depends on them is marked
        to recompute (the forms' totals) and their constraints are checked."""
        if not vals_list:
            return self.browse()
        names = sorted({name for vals in vals_list for name in vals})
        columns = [self._fields[name] for name in names]
        if not all(
            field.store and field.column_type and not field.compute for field in columns
        ):
            raise ValueError(f"not stored columns of {self._name}: {names}")
        now, uid = self.env.cr.now(), self.env.uid
        ids = []
        for batch in tools.split_every(1000, vals_list):
            rows = [
                (
                    *(
                        field.convert_to_column_insert(vals.get(field.name), self, vals)
                        for field in columns
                    ),
                    uid,
                    now,
                    uid,
                    now,
                )
                for vals in batch
            ]
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s) VALUES %s RETURNING id",
                    SQL.identifier(self._table),
                    SQL(", ").join(
                        SQL.identifier(name)
                        for name in [*names, *models.LOG_ACCESS_COLUMNS]
                    ),
                    SQL(", ").join(rows),
                )
            )
            ids.extend(row[0] for row in self.env.cr.fetchall())
        records = self.browse(ids)
        count = len(ids)
        for field in self._fields.values():
            if field.type in ("one2many", "many2many"):
                values = [()] * count
            elif field.name in names:
                values = [vals.get(field.name) for vals in vals_list]
                values = [field.convert_to_cache(value, self) for value in values]
            elif field.name in models.LOG_ACCESS_COLUMNS:
                values = [uid if field.type == "many2one" else now] * count
            elif field.store and not field.compute:
                values = [field.convert_to_cache(None, self)] * count
            else:
                continue
            self.env.cache.update(records, field, values)
        parent = self._fields["appraisal_id"]
        for appraisal_id, group in records.grouped("appraisal_id").items():
            parent._update_inverses(group, appraisal_id.id)
        records.modified(self._fields, create=True)
        records._validate_fields(names)
        return records

    def write(self, vals):
        if ({"score", "comment"} & vals.keys()) and not is_server(self.env):
            # The record rules first: whoever may not write the item is told
            # so before anything of its form is read.
            self.check_access("write")
            for line in self:
                line._check_can_score()
        result = super().write(vals)
        if "score" in vals:
            as_server(self).write({"is_scored": True})
        return result

    def _check_can_score(self):
        self.ensure_one()
        appraisal = self.appraisal_id
        if appraisal.state not in ("draft", "scored"):
            raise UserError(
                self.env._(
                    "%(form)s is %(state)s: its scores cannot change.",
                    form=appraisal.display_name,
                    state=dict(
                        appraisal._fields["state"]._description_selection(self.env)
                    )[appraisal.state],
                )
            )
        user = self.env.user
        if appraisal.employee_user_id == user:
            raise UserError(
                self.env._(
                    "%(form)s is your own appraisal: its scores are not yours to "
                    "enter.",
                    form=appraisal.display_name,
                )
            )
        if user.has_group("techdept_org.group_director"):
            return
        if self.scorer == "co_appraiser":
            allowed = appraisal.co_appraiser_user_id
        else:
            acting = self.env["techdept.resolver"]._acting_employee(
                appraisal.appraiser_id
            )
            allowed = appraisal.appraiser_user_id | acting.user_id
        if user not in allowed:
            raise UserError(
                self.env._(
                    "%(item)s of %(form)s is scored by %(scorer)s.",
                    item=self.name,
                    form=appraisal.display_name,
                    scorer=", ".join(allowed.mapped("name")) or self.env._("nobody"),
                )
            )
