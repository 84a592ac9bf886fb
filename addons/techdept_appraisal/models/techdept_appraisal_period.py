import logging

from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.techdept_org.models.techdept_guard import as_server, is_server

_logger = logging.getLogger(__name__)

# Who appraises whom (policy 4.3.1 item 7, 4.4.1 item 7, 4.5.1 item 7, 4.2
# item 4): the appraiser is found through the function or role he holds, so
# whoever acts for him that day appraises.
APPRAISER_OF_ROLE = {
    "presales_engineer": ("function", "presales"),
    "project_manager": ("function", "om"),
    "implementation_engineer": ("function", "om"),
    "aftersales_engineer": ("function", "om"),
    "onsite_engineer": ("function", "om"),
    "supervision_engineer": ("function", "supervision"),
    "presales_manager": ("role", "director"),
    "implementation_manager": ("role", "director"),
    "om_manager": ("role", "director"),
    "supervision_manager": ("role", "director"),
}


class TechdeptAppraisalPeriod(models.Model):
    """A month of appraisals and its submission deadline (按时提交)."""

    _name = "techdept.appraisal.period"
    _description = "Appraisal Month"
    _inherit = ["techdept.guard.mixin"]
    _order = "date_from desc"
    _techdept_server_fields = ("state",)

    name = fields.Char(compute="_compute_name", store=True)
    date_from = fields.Date(string="Month", required=True)
    date_to = fields.Date(compute="_compute_name", store=True)
    deadline = fields.Date(
        required=True,
        help="Appraisers submit the month's forms by this day: by default the "
        "N-th working day of the following month.",
    )
    goals_deadline = fields.Date(
        string="Goals By",
        help="Appraisers and employees agree on the month's goals by this day: "
        "by default the N-th working day of the month.",
    )
    self_assessment_deadline = fields.Date(
        string="Self-assessment By",
        help="Employees assess themselves by this day, where their template asks "
        "for it: by default the N-th working day of the following month. After "
        "it, the appraiser may score without.",
    )
    deadline_provisional = fields.Boolean(
        compute="_compute_deadline_provisional",
        help="The public holidays of the deadline's year are not loaded in the "
        "working calendar yet: the deadline counts weekends only.",
    )
    state = fields.Selection(
        [("open", "Open"), ("locked", "Locked")],
        default="open",
        required=True,
        readonly=True,
    )
    appraisal_ids = fields.One2many(
        "techdept.appraisal", "period_id", string="Appraisals"
    )
    appraisal_count = fields.Integer(compute="_compute_counts")
    late_count = fields.Integer(string="Late", compute="_compute_counts")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "month_uniq",
            "UNIQUE(date_from, company_id)",
            "This month has its appraisals already.",
        ),
    ]

    @api.depends("date_from")
    def _compute_name(self):
        for period in self:
            start = period.date_from
            period.name = start and start.strftime("%Y-%m") or ""
            period.date_to = start and start + relativedelta(day=31)

    @api.depends("deadline", "company_id")
    def _compute_deadline_provisional(self):
        Calendar = self.env["techdept.calendar"]
        for period in self:
            covered = Calendar._for_company(period.company_id)._covered_years()
            period.deadline_provisional = bool(
                period.deadline and period.deadline.year not in covered
            )

    def _compute_counts(self):
        groups = self.env["techdept.appraisal"]._read_group(
            [("period_id", "in", self.ids)], ["period_id", "is_late"], ["__count"]
        )
        counts = {}
        for period, late, count in groups:
            total, lates = counts.get(period.id, (0, 0))
            counts[period.id] = (total + count, lates + (count if late else 0))
        for period in self:
            period.appraisal_count, period.late_count = counts.get(period.id, (0, 0))

    @api.model
    def _month_defaults(self, day):
        """The month of ``day`` and its deadlines, on the working calendar
        (public holidays and make-up working days count as they are worked):
        goals by the N-th working day of the month (system parameter
        techdept_appraisal.goals_day, 3 by default); after the month, the
        self-assessment by the N-th working day of the following month
        (techdept_appraisal.self_assessment_day, 3) and the forms by the N-th
        (techdept_appraisal.deadline_day, 5)."""
        start = day + relativedelta(day=1)
        following = start + relativedelta(months=1)
        param = self.env["ir.config_parameter"].sudo().get_param
        calendar = self.env["techdept.calendar"]._for_company()
        deadline, _provisional = calendar._nth_working_day(
            following, int(param("techdept_appraisal.deadline_day", 5))
        )
        goals, _provisional = calendar._nth_working_day(
            start, int(param("techdept_appraisal.goals_day", 3))
        )
        self_assessment, _provisional = calendar._nth_working_day(
            following, int(param("techdept_appraisal.self_assessment_day", 3))
        )
        return {
            "date_from": start,
            "deadline": deadline,
            "goals_deadline": goals,
            "self_assessment_deadline": min(self_assessment, deadline),
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date_from"):
                start = fields.Date.to_date(vals["date_from"])
                vals["date_from"] = start + relativedelta(day=1)
                defaults = self._month_defaults(start)
                for name in ("deadline", "goals_deadline", "self_assessment_deadline"):
                    vals.setdefault(name, defaults[name])
        return super().create(vals_list)

    def _check_director(self):
        if not is_server(self.env) and not self.env.user.has_group(
            "techdept_org.group_director"
        ):
            raise AccessError(
                self.env._(
                    "Only the technical director generates and locks the months "
                    "of appraisals."
                )
            )

    def action_generate(self):
        """Create the missing appraisals of the month; running it again
        creates nothing twice. Once the month is over, scoring opens on the
        forms still on their goals."""
        self._check_director()
        today = fields.Date.context_today(self)
        Appraisal = self.env["techdept.appraisal"]
        for period in self:
            if period.state == "locked":
                raise UserError(self.env._("%(month)s is locked.", month=period.name))
            Appraisal._generate(period)
            if period.date_to < today:
                # Ordered by id: the forms just made need not be flushed to
                # be sorted by their totals.
                Appraisal.sudo().search(
                    [("period_id", "=", period.id), ("state", "=", "goals")],
                    order="id",
                )._open_scoring()
        return True

    def action_lock(self):
        """Lock the month: acknowledged forms can no longer change (a form
        whose appeal window has closed counts as acknowledged)."""
        self._check_director()
        self.env["techdept.appraisal"]._lapse_appeal_windows()
        for period in self.sudo():
            pending = period.appraisal_ids.filtered(lambda a: a.state != "acknowledged")
            if pending:
                raise UserError(
                    self.env._(
                        "%(count)s appraisals of %(month)s are not acknowledged yet.",
                        count=len(pending),
                        month=period.name,
                    )
                )
            period.appraisal_ids.write({"state": "locked"})
            as_server(period).state = "locked"
        return True

    def _cron_generate(self):
        """``action_generate`` for the daily job. A month the director is
        generating at the same moment would make this transaction lose the
        race (see ``_generate``), and Odoo retries a request that loses, not
        a scheduled job: the job takes the month's row first, and leaves the
        month to the director's transaction, which makes its forms, when it
        cannot."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = %s FOR UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        self.id,
                    ),
                    log_exceptions=False,
                )
        except (errors.LockNotAvailable, errors.SerializationFailure):
            _logger.info(
                "%s is being generated by another transaction: left to it.",
                self.name,
            )
            return
        self.action_generate()

    @api.model
    def _cron_generate_last_month(self):
        """Each day, in every company that has a technical department: the
        forms of the month before are complete and open for scoring, those
        of this month exist for their goals; closed appeal windows count as
        acknowledged; whoever must act has his to-do."""
        today = fields.Date.context_today(self)
        companies = (
            self.env["hr.department"]
            .sudo()
            .search([("techdept_function", "=", "technical")])
            .company_id
        )
        Period = self.sudo()
        for start in (
            today + relativedelta(months=-1, day=1),
            today + relativedelta(day=1),
        ):
            for company in companies:
                period = Period.search(
                    [("date_from", "=", start), ("company_id", "=", company.id)]
                )
                if not period:
                    period = Period.with_company(company).create(
                        dict(
                            self.with_company(company)._month_defaults(start),
                            company_id=company.id,
                        )
                    )
                if period.state == "open":
                    period._cron_generate()
        Appraisal = self.env["techdept.appraisal"]
        Appraisal._lapse_appeal_windows()
        Appraisal._remind_appraisers()
        Appraisal._remind_cycle()
