from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount

COCKPIT_SECTIONS = [
    ("pipeline", "Pipeline"),
    ("approvals", "Approvals"),
    ("projects", "Projects"),
    ("pool", "Engineer Pool"),
    ("appraisals", "Appraisals"),
    ("bonus", "Bonus and Budgets"),
]
TO_SCORE_STATES = ("self_assessment", "draft", "scored")
APPROVED_STATES = ("approved", "acknowledged", "locked")


class TechdeptCockpitFigure(models.Model):
    """One figure of the technical director's cockpit: its value, computed
    on reading in one or two queries whatever the number of records, and the
    records behind it, which a click opens.

    The general manager's office reads the figures (counts, distributions,
    totals per stream) but opens only the lists that name nobody's score or
    amount, and only those it may read anyway."""

    _name = "techdept.cockpit.figure"
    _description = "Cockpit Figure"
    _order = "section_sequence, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    section = fields.Selection(COCKPIT_SECTIONS, required=True, readonly=True)
    section_sequence = fields.Integer(compute="_compute_section_sequence", store=True)
    sequence = fields.Integer(default=10)
    director_only = fields.Boolean(
        readonly=True,
        help="The records behind it show individuals' scores or amounts: only "
        "the technical director opens them.",
    )
    value = fields.Float(compute="_compute_value", digits=(16, 2))
    value_text = fields.Char(string="Figure", compute="_compute_value")
    detail = fields.Char(compute="_compute_value")

    _sql_constraints = [
        ("code_uniq", "UNIQUE(code)", "A cockpit figure's code is unique."),
    ]

    @api.depends("section")
    def _compute_section_sequence(self):
        order = [key for key, _label in COCKPIT_SECTIONS]
        for figure in self:
            figure.section_sequence = order.index(figure.section)

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_value(self):
        self._check_reader()
        for figure in self:
            spec = figure._spec()
            figure.value = spec["value"]
            figure.value_text = spec.get("text") or self._format_count(spec["value"])
            figure.detail = spec.get("detail") or False

    def _check_reader(self):
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("techdept_org.group_director")
            or user.has_group("techdept_org.group_gm_office")
        ):
            raise AccessError(
                self.env._(
                    "The cockpit is for the technical director and the general "
                    "manager's office."
                )
            )

    def _spec(self):
        """{value, text?, detail?, model, domain, group_by?, views?} of the
        figure, from its method _figure_<code>."""
        self.ensure_one()
        method = getattr(self, f"_figure_{self.code}", None)
        if method is None:
            raise UserError(
                self.env._("Unknown cockpit figure: %(code)s.", code=self.code)
            )
        return method()

    def action_open(self):
        """The records behind the figure, as the user may read them."""
        self.ensure_one()
        self._check_reader()
        is_director = self.env.user.has_group("techdept_org.group_director")
        if self.director_only and not is_director:
            raise AccessError(
                self.env._(
                    "%(figure)s names people's scores or amounts: only its total "
                    "is shown to you.",
                    figure=self.name,
                )
            )
        spec = self._spec()
        model = self.env[spec["model"]]
        if not model.has_access("read"):
            raise AccessError(
                self.env._(
                    "You may read the figure %(figure)s, not the records behind it.",
                    figure=self.name,
                )
            )
        views = spec.get("views", ["list", "form"])
        context = dict(spec.get("context", {}))
        if spec.get("group_by"):
            context["group_by"] = spec["group_by"]
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": spec["model"],
            "view_mode": ",".join(views),
            "views": [(False, view) for view in views],
            "domain": spec["domain"],
            "context": context,
        }

    # Helpers

    def _companies(self):
        return [False, *self.env.companies.ids]

    def _count(self, model, domain):
        return self.env[model].sudo().search_count(domain)

    def _format_count(self, value):
        return str(int(value))

    def _today(self):
        return fields.Date.context_today(self)

    def _appraisal_months(self):
        """The month being appraised (the one before this) and the month
        before it, in the user's companies."""
        month = self._today() + relativedelta(months=-1, day=1)
        Period = self.env["techdept.appraisal.period"].sudo()
        companies = self.env.companies.ids
        current = Period.search(
            [("date_from", "=", month), ("company_id", "in", companies)]
        )
        previous = Period.search(
            [
                ("date_from", "=", month + relativedelta(months=-1)),
                ("company_id", "in", companies),
            ]
        )
        return current, previous

    def _week(self, weeks=0):
        monday = self._today() + relativedelta(weekday=0, days=-6, weeks=weeks)
        return monday, monday + relativedelta(days=6)

    # Pipeline

    def _figure_leads_blocked(self):
        domain = [
            ("techdept_blocked", "=", True),
            ("company_id", "in", self._companies()),
        ]
        return {
            "value": self._count("crm.lead", domain),
            "model": "crm.lead",
            "domain": domain,
            "group_by": ["stage_id"],
        }

    def _figure_items_missing(self):
        """The blocking items of their lead's current stage still missing,
        the one most often missing named."""
        self.env["techdept.lead.item"].flush_model()
        self.env["crm.lead"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT item.id, item.item_id
                  FROM techdept_lead_item item
                  JOIN crm_lead lead ON lead.id = item.lead_id
                 WHERE item.stage_id = lead.stage_id
                   AND item.blocking
                   AND NOT item.is_complete
                   AND lead.active
                   AND (lead.company_id IS NULL OR lead.company_id IN %s)
                """,
                tuple(self.env.companies.ids),
            )
        )
        counts = {}
        for _id, item in rows:
            counts[item] = counts.get(item, 0) + 1
        detail = False
        if counts:
            top = max(counts, key=lambda item: (counts[item], -item))
            detail = self.env._(
                "Most often: %(item)s (%(count)s)",
                item=self.env["techdept.stage.item"].sudo().browse(top).name,
                count=counts[top],
            )
        return {
            "value": len(rows),
            "detail": detail,
            "model": "techdept.lead.item",
            "domain": [("id", "in", [row[0] for row in rows])],
            "group_by": ["item_id"],
        }

    # Approvals

    def _figure_approvals_pending(self):
        domain = [("state", "=", "pending"), ("company_id", "in", self._companies())]
        return {
            "value": self._count("techdept.approval.line", domain),
            "model": "techdept.approval.line",
            "domain": domain,
            "group_by": ["approver_ids"],
        }

    def _figure_approvals_overdue(self):
        domain = [
            ("state", "=", "pending"),
            ("is_overdue", "=", True),
            ("company_id", "in", self._companies()),
        ]
        return {
            "value": self._count("techdept.approval.line", domain),
            "model": "techdept.approval.line",
            "domain": domain,
            "group_by": ["approver_ids"],
        }

    def _figure_approvals_decision_time(self):
        """Hours from a step's opening to its decision, on average, for the
        steps decided this month."""
        start = fields.Datetime.to_datetime(self._today() + relativedelta(day=1))
        domain = [
            ("state", "in", ("approved", "rejected")),
            ("date_done", ">=", start),
            ("date_open", "!=", False),
            ("company_id", "in", self._companies()),
        ]
        Line = self.env["techdept.approval.line"].sudo()
        query = Line._search(domain)
        [(hours, count)] = self.env.execute_query(
            query.select(
                SQL(
                    "AVG(EXTRACT(EPOCH FROM (%s - %s))) / 3600, COUNT(*)",
                    SQL.identifier(query.table, "date_done"),
                    SQL.identifier(query.table, "date_open"),
                )
            )
        )
        hours = round(float(hours or 0.0), 1)
        return {
            "value": hours,
            "text": self.env._("%(hours)s h", hours=hours) if count else "—",
            "detail": self.env._("%(count)s steps decided", count=count),
            "model": "techdept.approval.line",
            "domain": domain,
        }

    # Projects

    def _project_domain(self):
        return [
            ("techdept_kind", "=", "implementation"),
            ("company_id", "in", self._companies()),
        ]

    def _figure_projects_in_progress(self):
        domain = [*self._project_domain(), ("techdept_phase_id.is_closed", "=", False)]
        return {
            "value": self._count("project.project", domain),
            "model": "project.project",
            "domain": domain,
            "group_by": ["techdept_phase_id"],
        }

    def _figure_projects_missing_deliverables(self):
        """Projects whose current phase lacks an approved deliverable."""
        projects = (
            self.env["project.project"]
            .sudo()
            .search(
                [*self._project_domain(), ("techdept_phase_id.is_closed", "=", False)]
            )
        )
        missing = projects.filtered("techdept_missing_type_ids")
        domain = [("id", "in", missing.ids)]
        return {
            "value": len(missing),
            "detail": self.env._(
                "%(count)s deliverables missing",
                count=sum(len(p.techdept_missing_type_ids) for p in missing),
            ),
            "model": "project.project",
            "domain": domain,
            "group_by": ["techdept_phase_id"],
        }

    def _figure_projects_acceptance_late(self):
        domain = [
            ("techdept_acceptance_late", "=", True),
            ("company_id", "in", self._companies()),
        ]
        return {
            "value": self._count("project.project", domain),
            "model": "project.project",
            "domain": domain,
        }

    # Engineer pool

    def _pool_domain(self, weeks, busy):
        monday, sunday = self._week(weeks)
        booked = [
            (
                "techdept_assignment_ids",
                "any",
                [
                    ("state", "!=", "ended"),
                    ("date_from", "<=", sunday),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", monday),
                ],
            )
        ]
        return [
            ("techdept_is_pool", "=", True),
            ("company_id", "in", self._companies()),
            *(booked if busy else ["!", *booked]),
        ]

    def _pool_figure(self, weeks, busy):
        domain = self._pool_domain(weeks, busy)
        monday, sunday = self._week(weeks)
        return {
            "value": self._count("hr.employee", domain),
            "detail": self.env._(
                "%(monday)s – %(sunday)s",
                monday=monday.strftime("%m-%d"),
                sunday=sunday.strftime("%m-%d"),
            ),
            "model": "hr.employee",
            "domain": domain,
            "views": ["list", "kanban", "form"],
        }

    def _figure_pool_free_this_week(self):
        return self._pool_figure(0, busy=False)

    def _figure_pool_assigned_this_week(self):
        return self._pool_figure(0, busy=True)

    def _figure_pool_free_next_week(self):
        return self._pool_figure(1, busy=False)

    def _figure_pool_assigned_next_week(self):
        return self._pool_figure(1, busy=True)

    # Appraisals of the month being appraised

    def _appraisal_figure(self, extra):
        current, _previous = self._appraisal_months()
        domain = [("period_id", "in", current.ids), *extra]
        return {
            "value": self._count("techdept.appraisal", domain),
            "detail": ", ".join(current.mapped("name")) or False,
            "model": "techdept.appraisal",
            "domain": domain,
        }

    def _figure_appraisals_to_score(self):
        return self._appraisal_figure([("state", "in", TO_SCORE_STATES)])

    def _figure_appraisals_submitted(self):
        return self._appraisal_figure([("state", "=", "submitted")])

    def _figure_appraisals_approved(self):
        return self._appraisal_figure([("state", "in", APPROVED_STATES)])

    def _figure_appraisals_appealed(self):
        return self._appraisal_figure([("state", "=", "appealed")])

    def _figure_appraisers_late(self):
        """Appraisers with a form of the month late."""
        current, _previous = self._appraisal_months()
        domain = [("period_id", "in", current.ids), ("is_late", "=", True)]
        groups = (
            self.env["techdept.appraisal"]
            .sudo()
            ._read_group(domain, ["appraiser_id"], ["__count"])
        )
        return {
            "value": len(groups),
            "detail": self.env._(
                "%(count)s forms late", count=sum(count for _a, count in groups)
            ),
            "model": "techdept.appraisal",
            "domain": domain,
            "group_by": ["appraiser_id"],
        }

    def _figure_grade_distribution(self):
        """Forms per grade this month, and the month before."""
        current, previous = self._appraisal_months()
        domain = [
            ("period_id", "in", (current | previous).ids),
            ("grade_band_id", "!=", False),
        ]
        groups = (
            self.env["techdept.appraisal"]
            .sudo()
            ._read_group(domain, ["period_id", "grade_band_id"], ["__count"])
        )
        counts = {}
        for period, grade, count in groups:
            month = "current" if period in current else "previous"
            counts.setdefault(month, {})
            counts[month][grade] = counts[month].get(grade, 0) + count
        grades = self.env["techdept.grade.band"].sudo().search([])

        def line(month):
            found = counts.get(month, {})
            return " · ".join(
                f"{grade.name} {found[grade]}" for grade in grades if grade in found
            )

        return {
            "value": sum(counts.get("current", {}).values()),
            "text": line("current") or "—",
            "detail": self.env._(
                "Month before: %(grades)s", grades=line("previous") or "—"
            ),
            "model": "techdept.appraisal",
            "domain": domain,
            "views": ["pivot", "list", "form"],
            "context": {
                "pivot_row_groupby": ["department_id"],
                "pivot_column_groupby": ["period_id", "grade_band_id"],
            },
        }

    # Bonus pools and budgets

    def _pool_state_figure(self, states):
        domain = [
            ("approval_state", "in", states),
            ("company_id", "in", self._companies()),
        ]
        groups = (
            self.env["techdept.bonus.pool"]
            .sudo()
            ._read_group(domain, ["currency_id"], ["__count", "amount:sum"])
        )
        count = sum(row[1] for row in groups)
        total = sum(row[2] for row in groups)
        currency = groups[0][0] if groups else self.env.company.currency_id
        return {
            "value": total,
            "text": format_amount(self.env, total, currency),
            "detail": self.env._("%(count)s pools", count=count),
            "model": "techdept.bonus.pool",
            "domain": domain,
        }

    def _figure_bonus_approved(self):
        return self._pool_state_figure(("approved",))

    def _figure_bonus_pending(self):
        return self._pool_state_figure(("pending",))

    def _budget_figure(self, stream):
        """Budget used (actual of planned) of a stream: its approved budgets
        running this year."""
        year = self._today() + relativedelta(month=1, day=1)
        domain = [
            ("stream", "=", stream),
            ("approval_state", "=", "approved"),
            ("company_id", "in", self._companies()),
            "|",
            ("date_to", "=", False),
            ("date_to", ">=", year),
        ]
        [(planned, actual)] = (
            self.env["techdept.budget"]
            .sudo()
            ._read_group(domain, [], ["planned:sum", "actual:sum"])
        )
        currency = self.env.company.currency_id
        percent = round(100.0 * actual / planned) if planned else 0
        return {
            "value": actual,
            "text": self.env._("%(percent)s%% used", percent=percent),
            "detail": self.env._(
                "%(actual)s of %(planned)s",
                actual=format_amount(self.env, actual, currency),
                planned=format_amount(self.env, planned, currency),
            ),
            "model": "techdept.budget",
            "domain": domain,
        }

    def _figure_budget_presales(self):
        return self._budget_figure("presales")

    def _figure_budget_implementation(self):
        return self._budget_figure("implementation")

    def _figure_budget_om(self):
        return self._budget_figure("om")
