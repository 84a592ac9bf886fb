from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.techdept_org.models.techdept_guard import (
    as_server,
    has_server_token,
    is_server,
    join_names,
)
from odoo.addons.techdept_org.models.techdept_lang import in_lang_of
from odoo.addons.techdept_org.models.techdept_periodic import FREQUENCIES

from .project_project import HANDOVER_READERS

# What an on-site engineer writes; the rest of the report is the server's.
_CONTENT_FIELDS = {"work_done", "incidents", "repair_ids", "site_changes"}


class TechdeptOnsiteReport(models.Model):
    """The periodic report of an O&M service's on-site engineers (驻场运维
    汇报, policy 4.5.3 item 4), as often as its contract requires: work done,
    incidents, the equipment returned or replaced (its repairs), and what
    changes at the customer's site (用户现场的动向). Reviewed by the O&M
    manager through the approval engine: in review or reviewed, it no longer
    changes."""

    _name = "techdept.onsite.report"
    _description = "On-site O&M Report"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "techdept.periodic.mixin",
        "techdept.approval.mixin",
    ]
    _order = "period_start desc, project_id, id"
    _check_company_auto = True
    _mail_post_access = "read"
    _approval_chain_code = "techdept_onsite_report"
    _approval_locked_fields = list(_CONTENT_FIELDS)
    _techdept_server_create = True
    _techdept_server_fields = (
        "project_id",
        "frequency",
        "period_start",
        "period_end",
        "deadline",
        "is_late",
        "employee_id",
        "date_reminded",
    )

    project_id = fields.Many2one(
        "project.project",
        string="O&M Service",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(related="project_id.partner_id", string="Customer")
    om_manager_id = fields.Many2one(
        related="project_id.techdept_om_manager_id", string="O&M Manager"
    )
    onsite_engineer_ids = fields.Many2many(
        related="project_id.techdept_onsite_engineer_ids", string="On-site Engineers"
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Written By",
        readonly=True,
        help="The on-site engineer who submitted the report.",
    )
    work_done = fields.Text(string="Work Done")
    incidents = fields.Text(
        help="Faults and incidents of the period, and what was done."
    )
    repair_ids = fields.Many2many(
        "techdept.repair",
        "techdept_onsite_report_repair_rel",
        "report_id",
        "repair_id",
        string="Equipment Returned or Replaced",
        domain="[('project_id', '=', project_id)]",
        check_company=True,
    )
    site_changes = fields.Text(
        string="Changes at the Customer's Site",
        help="What is moving at the customer's site (用户现场的动向): new "
        "systems, people, plans, needs.",
    )
    date_reminded = fields.Datetime(readonly=True, copy=False)
    can_write = fields.Boolean(compute="_compute_can_write")
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True
    )

    _sql_constraints = [
        (
            "project_period_uniq",
            "UNIQUE(project_id, period_start)",
            "An O&M service has one on-site report per period.",
        ),
    ]

    @api.depends("project_id", "period_start")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "On-site report %(period)s, %(service)s",
                period=report.period_label or "",
                service=report.sudo().project_id.name or "",
            )

    @api.depends_context("uid")
    @api.depends("approval_state", "project_id.techdept_onsite_engineer_ids")
    def _compute_can_write(self):
        for report in self:
            report.can_write = (
                report.approval_state
                in (
                    "draft",
                    "rejected",
                    "cancelled",
                )
                and report._techdept_is_writer()
            )

    def _techdept_submitted_domain(self):
        return [("approval_state", "in", ("pending", "approved"))]

    # Who writes: the service's on-site engineers

    def _techdept_is_writer(self):
        self.ensure_one()
        return (
            self.env.user in self.sudo().project_id.techdept_onsite_engineer_ids.user_id
        )

    def _techdept_check_writer(self):
        if is_server(self.env):
            return
        for report in self:
            if not report._techdept_is_writer():
                engineers = report.sudo().project_id.techdept_onsite_engineer_ids
                raise AccessError(
                    self.env._(
                        "Only the on-site engineers of %(service)s (%(engineers)s) "
                        "write its on-site reports.",
                        service=report.sudo().project_id.name,
                        engineers=join_names(self.env, engineers.mapped("name"))
                        or self.env._("none"),
                    )
                )

    def write(self, vals):
        content = _CONTENT_FIELDS & vals.keys()
        if content:
            # A report in review or reviewed is closed to everyone: that is
            # said first, naming what cannot change, before who writes.
            if not has_server_token(self.env):
                self._approval_check_unfrozen(content)
            self._techdept_check_writer()
        result = super().write(vals)
        if "repair_ids" in vals:
            self._check_repairs()
        return result

    def _check_repairs(self):
        for report in self.sudo():
            foreign = report.repair_ids.filtered(
                lambda r, report=report: r.project_id != report.project_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(repair)s is not a repair of %(service)s.",
                        repair=foreign[0].name,
                        service=report.project_id.name,
                    )
                )

    # Review by the O&M manager (the approval engine)

    def _approval_submittable(self):
        return (
            super()._approval_submittable().filtered(lambda r: r._techdept_is_writer())
        )

    def _approval_check_submit(self):
        self._techdept_check_writer()
        for report in self:
            if not (report.work_done or "").strip():
                raise UserError(
                    self.env._(
                        "Say what was done on site before submitting %(report)s.",
                        report=report.display_name,
                    )
                )

    def _on_approval_submitted(self):
        today = fields.Date.context_today(self)
        employee = self.env.user.employee_id
        for report in self:
            as_server(report.sudo()).write(
                {
                    "employee_id": employee.id,
                    "is_late": report.is_late or today > report.deadline,
                }
            )
        self._techdept_close_reminders()

    def _techdept_close_reminders(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", todo.id),
            ]
        ).unlink()

    # The periods

    @api.model
    def _techdept_services_due(self, day):
        """The O&M services whose contract asks for on-site reports on
        ``day``: a frequency, on-site engineers, the service running."""
        return (
            self.env["project.project"]
            .sudo()
            .search(
                [
                    ("techdept_kind", "=", "om"),
                    ("techdept_onsite_report_frequency", "!=", False),
                    ("techdept_onsite_engineer_ids", "!=", False),
                    "|",
                    ("techdept_service_date_from", "=", False),
                    ("techdept_service_date_from", "<=", day),
                    "|",
                    ("techdept_service_date_to", "=", False),
                    ("techdept_service_date_to", ">=", day),
                ]
            )
        )

    @api.model
    def _techdept_ensure_reports(self, day, services=None):
        """The on-site reports of the periods holding ``day``, made where
        missing; in superuser mode."""
        Report = self.sudo()
        services = self._techdept_services_due(day) if services is None else services
        result = Report.browse()
        for service in services.sudo():
            period = self._techdept_period(
                service.techdept_onsite_report_frequency,
                day,
                service.techdept_onsite_report_due_days,
                service.company_id,
            )
            if not period:
                continue
            start, end, deadline = period
            report = Report.search(
                [("project_id", "=", service.id), ("period_start", "=", start)]
            )
            if not report:
                report = Report.create(
                    {
                        "project_id": service.id,
                        "frequency": service.techdept_onsite_report_frequency,
                        "period_start": start,
                        "period_end": end,
                        "deadline": deadline,
                    }
                )
            result |= report
        return result

    @api.model
    def _cron_onsite_reports(self):
        """Every day: make this period's on-site reports, remind the on-site
        engineers the working day before they are due, flag the late ones.
        Running it again the same day does nothing more."""
        today = fields.Date.context_today(self)
        self._techdept_ensure_reports(today)
        Report = as_server(self.sudo())
        not_submitted = ("draft", "rejected", "cancelled")
        Report.search(
            [
                ("approval_state", "in", not_submitted),
                ("deadline", "<", today),
                ("is_late", "=", False),
            ]
        ).write({"is_late": True})
        for report in Report.search(
            [
                ("approval_state", "in", not_submitted),
                ("deadline", ">=", today),
                ("date_reminded", "=", False),
            ]
        ):
            if (
                report._techdept_working_days_left(
                    report.deadline, report.company_id, today
                )
                > 1
            ):
                continue
            for user in report.project_id.techdept_onsite_engineer_ids.user_id:
                report.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=report.deadline,
                    summary=in_lang_of(report, user).env._(
                        "Write and submit the on-site report"
                    ),
                    user_id=user.id,
                )
            report.date_reminded = fields.Datetime.now()

    def action_open_current(self, project_id=None):
        """The current period's on-site report of a service the user works
        on site for (of ``project_id`` only, when given), made if needed; the
        records it is called on do not matter (a menu calls it on none)."""
        today = fields.Date.context_today(self)
        services = self._techdept_services_due(today).filtered(
            lambda s: self.env.user in s.techdept_onsite_engineer_ids.user_id
        )
        if project_id:
            services = services.filtered(lambda s: s.id == project_id)
        reports = self._techdept_ensure_reports(today, services)
        if not reports:
            raise UserError(
                self.env._(
                    "No on-site report is due from you: you are on site for no O&M "
                    "service whose contract asks for reports."
                )
            )
        action = {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "name": self.env._("On-site Reports"),
        }
        if len(reports) == 1:
            return dict(
                action, res_id=reports.id, view_mode="form", views=[(False, "form")]
            )
        return dict(action, view_mode="list,form", domain=[("id", "in", reports.ids)])


class ProjectProject(models.Model):
    _inherit = "project.project"

    techdept_onsite_report_frequency = fields.Selection(
        FREQUENCIES,
        string="On-site Reports",
        tracking=True,
        help="How often the service's on-site engineers report, as its O&M "
        "contract requires; empty: no on-site report.",
    )
    techdept_onsite_report_due_days = fields.Integer(
        string="On-site Report Grace (Working Days)",
        default=2,
        help="An on-site report is due this many working days after its "
        "period's last working day.",
    )
    # Read by those who read the reports (other project users open projects).
    techdept_onsite_report_ids = fields.One2many(
        "techdept.onsite.report",
        "project_id",
        string="On-site Report List",
        groups=HANDOVER_READERS,
    )
    techdept_onsite_report_count = fields.Integer(
        string="On-site Report Count",
        compute="_compute_techdept_onsite_counts",
        groups=HANDOVER_READERS,
    )
    techdept_onsite_late_count = fields.Integer(
        string="Late On-site Reports",
        compute="_compute_techdept_onsite_counts",
        help="On-site reports submitted late or still missing.",
        groups=HANDOVER_READERS,
    )

    def _compute_techdept_onsite_counts(self):
        groups = self.env["techdept.onsite.report"]._read_group(
            [("project_id", "in", self.ids)], ["project_id", "is_late"], ["__count"]
        )
        counts = {}
        for project, late, count in groups:
            total, lates = counts.get(project.id, (0, 0))
            counts[project.id] = (total + count, lates + (count if late else 0))
        for project in self:
            project.techdept_onsite_report_count, project.techdept_onsite_late_count = (
                counts.get(project.id, (0, 0))
            )

    @api.constrains("techdept_onsite_report_due_days")
    def _check_techdept_onsite_report_due_days(self):
        if any(p.techdept_onsite_report_due_days < 0 for p in self):
            raise ValidationError(
                self.env._(
                    "The on-site reports' working days of grace cannot be negative."
                )
            )

    def action_techdept_onsite_reports(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("On-site Reports"),
            "res_model": "techdept.onsite.report",
            "view_mode": "list,form",
            "domain": [("project_id", "=", self.id)],
            "context": {"create": False},
        }
