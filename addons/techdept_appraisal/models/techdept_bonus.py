import io
import math

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import float_compare

from odoo.addons.techdept_org.exceptions import ApprovalRefusal
from odoo.addons.techdept_org.models.techdept_guard import as_server
from odoo.addons.techdept_org.models.techdept_lang import (
    in_company_lang,
    in_lang_of,
)

BONUS_STREAMS = [
    ("presales", "Presales"),
    ("implementation", "Implementation"),
    ("om", "O&M"),
]
# Appraisals whose coefficient counts for the bonus.
COUNTED_APPRAISAL_STATES = ("approved", "acknowledged", "locked")


class TechdeptBonusPool(models.Model):
    """A project's bonus shared between its presales, implementation and O&M
    streams (policy 4.2 item 10, 4.3.1 item 15, 4.4.1 item 16, 4.5.1 item 14);
    the technical director approves it."""

    _name = "techdept.bonus.pool"
    _description = "Project Bonus Pool"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _approval_chain_code = "techdept_bonus_pool"
    _approval_locked_fields = [
        "name",
        "project_id",
        "amount",
        "presales_percent",
        "implementation_percent",
        "om_percent",
        "line_ids",
        "period_ids",
        "company_id",
    ]
    _techdept_server_fields = ("grade_changed", "grade_change_note")

    name = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one(
        "project.project", required=True, index=True, tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True)
    presales_percent = fields.Float(string="Presales %", default=20.0, tracking=True)
    implementation_percent = fields.Float(
        string="Implementation %", default=50.0, tracking=True
    )
    om_percent = fields.Float(string="O&M %", default=30.0, tracking=True)
    line_ids = fields.One2many("techdept.bonus.line", "pool_id", string="Lines")
    period_ids = fields.Many2many(
        "techdept.appraisal.period",
        string="Months Concerned",
        help="The appraisal months whose bonus coefficients weight the lines.",
    )
    allocated_amount = fields.Monetary(compute="_compute_allocated_amount")
    grade_changed = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="An appraisal this pool counted was reopened and approved again "
        "with another grade: the lines keep the coefficient they had until the "
        "technical director has the pool reviewed.",
    )
    grade_change_note = fields.Text(string="Grade Changes", readonly=True, copy=False)
    appeal_employee_ids = fields.Many2many(
        "hr.employee",
        string="Under Appeal",
        compute="_compute_appeal_employee_ids",
        help="Employees of the pool whose form of a month concerned is under "
        "appeal: it does not count until the appeal is decided.",
    )

    @api.depends("line_ids.amount")
    def _compute_allocated_amount(self):
        for pool in self:
            pool.allocated_amount = sum(pool.line_ids.mapped("amount"))

    @api.depends("line_ids.employee_id", "period_ids")
    def _compute_appeal_employee_ids(self):
        forms = (
            self.env["techdept.appraisal"]
            .sudo()
            .search(
                [
                    ("state", "=", "appealed"),
                    ("period_id", "in", self.period_ids.ids),
                    ("employee_id", "in", self.line_ids.employee_id.ids),
                ]
            )
        )
        for pool in self:
            pool.appeal_employee_ids = forms.filtered(
                lambda f, p=pool: (
                    f.period_id in p.period_ids
                    and f.employee_id in p.line_ids.employee_id
                )
            ).employee_id

    @api.model
    def _flag_grade_changes(self, appraisals):
        """Flag for the technical director the pools that counted these
        forms, approved again with another grade; nothing else changes."""
        pools = self.sudo().search(
            [
                ("line_ids.employee_id", "in", appraisals.employee_id.ids),
                ("period_ids", "in", appraisals.period_id.ids),
            ]
        )
        director = self.env["techdept.resolver"]._role_holders("director").user_id
        for pool in pools:
            concerned = appraisals.filtered(
                lambda a, p=pool: (
                    a.period_id in p.period_ids
                    and a.employee_id in p.line_ids.employee_id
                )
            )
            if not concerned:
                continue

            def changes(env, concerned=concerned):
                return "\n".join(
                    env._(
                        "%(employee)s, %(month)s: %(old)s → %(new)s",
                        employee=form.employee_id.name,
                        month=form.period_id.name,
                        old=form.previous_grade_id.name,
                        new=form.grade_band_id.name or "—",
                    )
                    for form in concerned.with_context(lang=env.lang)
                )

            # The note stays with the pool: in the company's language, as
            # its history.
            text = changes(in_company_lang(pool).env)
            as_server(pool).write(
                {
                    "grade_changed": True,
                    "grade_change_note": "\n".join(
                        filter(None, [pool.grade_change_note, text])
                    ),
                }
            )
            pool._techdept_post(
                lambda env, changes=changes: env._(
                    "Grades changed after this pool counted them: %(changes)s",
                    changes=changes(env),
                ),
                subtype_xmlid="mail.mt_note",
            )
            if pool.approval_state in ("pending", "approved"):
                for user in director[:1]:
                    pool.activity_schedule(
                        "mail.mail_activity_data_todo",
                        summary=in_lang_of(pool, user).env._(
                            "Grades changed: review this bonus pool"
                        ),
                        user_id=user.id,
                    )

    def action_clear_grade_change(self):
        """The technical director has seen the grade changes (he reopens the
        pool to pay the new grades)."""
        if not self.env.user.has_group("techdept_org.group_director"):
            raise AccessError(
                self.env._("Only the technical director clears a grade change.")
            )
        for pool in self:
            as_server(pool.sudo()).write({"grade_changed": False})
            pool._techdept_post(
                lambda env: env._(
                    "Grade changes reviewed by %(user)s.", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.constrains("amount")
    def _check_amount(self):
        for pool in self:
            if pool.currency_id.compare_amounts(pool.amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The bonus pool %(pool)s needs a positive amount.",
                        pool=pool.name,
                    )
                )

    @api.constrains("presales_percent", "implementation_percent", "om_percent")
    def _check_percents(self):
        for pool in self:
            percents = (
                pool.presales_percent,
                pool.implementation_percent,
                pool.om_percent,
            )
            total = sum(percents)
            if min(percents) < 0 or float_compare(total, 100.0, precision_digits=4):
                raise ValidationError(
                    self.env._(
                        "The presales, implementation and O&M "
                        "shares of %(pool)s must be "
                        "positive or zero and total exactly 100%%; "
                        "they total %(total)s%%.",
                        pool=pool.name,
                        total=round(total, 4),
                    )
                )

    def action_propose_lines(self):
        """(Re)build the lines from the project: contributions already typed
        for the same employee and stream are kept, new ones start at 1.0."""
        self.check_access("write")
        for pool in self:
            kept = {
                (line.stream, line.employee_id): line.contribution
                for line in pool.line_ids
            }
            commands = [Command.clear()]
            for stream, employees in pool._bonus_stream_employees().items():
                for employee in employees:
                    commands.append(
                        Command.create(
                            {
                                "stream": stream,
                                "employee_id": employee.id,
                                "contribution": kept.get((stream, employee), 1.0),
                            }
                        )
                    )
            pool.line_ids = commands
            if pool.grade_changed:
                # The new proposal pays the grades as they are now.
                as_server(pool.sudo()).write({"grade_changed": False})
        return True

    def action_export_xlsx(self):
        """Download the payroll sheet of the pool: made on request for the
        user who asks, and stored nowhere."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/techdept_appraisal/xlsx/bonus/{self.id}",
            "target": "self",
        }

    def _techdept_xlsx_file(self):
        """(file name, content) of the pool's payroll sheet."""
        self.ensure_one()
        labels = dict(
            self.env["techdept.bonus.line"]
            ._fields["stream"]
            ._description_selection(self.env)
        )
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Bonus"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        bold_money = workbook.add_format({"bold": True, "num_format": "#,##0.00"})
        headers = [
            self.env._("Employee"),
            self.env._("Stream"),
            self.env._("Contribution"),
            self.env._("Coefficient"),
            self.env._("Amount"),
        ]
        sheet.write_row(0, 0, headers, bold)
        row = 0
        for row, line in enumerate(self.line_ids, start=1):
            sheet.write_string(row, 0, line.employee_id.name or "")
            sheet.write_string(row, 1, labels.get(line.stream, ""))
            sheet.write_number(row, 2, line.contribution)
            sheet.write_number(row, 3, line.coefficient)
            sheet.write_number(row, 4, line.amount, money)
        total = self.currency_id.round(sum(self.line_ids.mapped("amount")))
        sheet.write_string(row + 1, 0, self.env._("Total"), bold)
        sheet.write_number(row + 1, 4, total, bold_money)
        sheet.set_column(0, 1, 24)
        sheet.set_column(2, 4, 14)
        workbook.close()
        return f"{self.name}.xlsx", output.getvalue()

    def _bonus_stream_employees(self):
        """{stream: employees} proposed for the pool's project."""
        self.ensure_one()
        project = self.project_id.sudo()
        lead = project.techdept_lead_id
        presales = lead.techdept_presales_user_id.employee_id
        if lead:
            presales |= (
                self.env["techdept.worklog"]
                .sudo()
                .search([("lead_id", "=", lead.id)])
                .employee_id
            )
        implementation = project.techdept_assignment_ids.employee_id
        om_projects = project.techdept_om_project_ids
        om = (
            om_projects.techdept_aftersales_engineer_ids
            | om_projects.techdept_onsite_engineer_ids
        )
        return {"presales": presales, "implementation": implementation, "om": om}

    def _bonus_stream_percent(self, stream):
        return {
            "presales": self.presales_percent,
            "implementation": self.implementation_percent,
            "om": self.om_percent,
        }[stream]

    @staticmethod
    def _largest_remainder(exact, total, order):
        """Round ``exact`` ({key: amount in units}) to whole units adding up
        to ``total`` units: every key gets its amount rounded down, and the
        units left over go one each to the largest remainders (``order``
        breaks ties). Each result lies within one unit of its exact amount."""
        units = {key: math.floor(value) for key, value in exact.items()}
        left = total - sum(units.values())
        for key in sorted(exact, key=lambda k: (-(exact[k] - units[k]), order(k)))[
            : max(left, 0)
        ]:
            units[key] += 1
        return units

    def _bonus_stream_shares(self):
        """{stream: units} of the pool's amount: each stream's exact share
        (amount × percent / 100) rounded to the currency's unit so that the
        three add up exactly to the amount."""
        self.ensure_one()
        unit = self.currency_id.rounding or 0.01
        streams = [key for key, _label in BONUS_STREAMS]
        # Shave the float noise so that 33333.99999999 counts as 33334.
        exact = {
            stream: round(
                self.amount * self._bonus_stream_percent(stream) / 100.0 / unit, 6
            )
            for stream in streams
        }
        total = round(self.amount / unit)
        return (
            self._largest_remainder(exact, total, streams.index),
            exact,
        )

    def _bonus_allocate(self):
        """{line: amount}. Each stream's share is first rounded to the
        currency's unit, the three adding up to the pool amount; then it is
        split among the stream's lines in proportion to contribution ×
        coefficient, by the largest-remainder method within the stream. So
        every stream gets its share exactly, the lines add up to the pool,
        and each line lies within one unit of its exact share."""
        self.ensure_one()
        unit = self.currency_id.rounding or 0.01
        shares, exact_shares = self._bonus_stream_shares()
        amounts = {}
        for stream, lines in self.line_ids.grouped("stream").items():
            total_weight = sum(line._bonus_weight() for line in lines)
            if total_weight <= 0:
                amounts.update(dict.fromkeys(lines, 0.0))
                continue
            exact = {
                line: round(
                    exact_shares[stream] * line._bonus_weight() / total_weight, 6
                )
                for line in lines
            }
            units = self._largest_remainder(
                exact, shares[stream], lambda line: line._origin.id or 0
            )
            amounts.update(
                {line: self.currency_id.round(units[line] * unit) for line in lines}
            )
        return amounts

    def _approval_check_submit(self):
        if not self.env.user.has_group("techdept_org.group_manager"):
            raise ApprovalRefusal(self.env._("Only a manager may submit a bonus pool."))
        labels = dict(
            self.env["techdept.bonus.line"]
            ._fields["stream"]
            ._description_selection(self.env)
        )
        for pool in self:
            if not pool.line_ids:
                raise ApprovalRefusal(
                    self.env._(
                        "The bonus pool %(pool)s has no lines: propose them first.",
                        pool=pool.name,
                    )
                )
            for stream, label in labels.items():
                lines = pool.line_ids.filtered(lambda line, s=stream: line.stream == s)
                has_weight = any(line._bonus_weight() > 0 for line in lines)
                if pool._bonus_stream_percent(stream) > 0 and not has_weight:
                    raise ApprovalRefusal(
                        self.env._(
                            "The %(stream)s stream of %(pool)s has a "
                            "%(percent)s%% share but "
                            "nobody to receive it: add a line with a "
                            "contribution, or set "
                            "its share to 0.",
                            stream=label,
                            pool=pool.name,
                            percent=pool._bonus_stream_percent(stream),
                        )
                    )
            allocated = sum(pool.line_ids.mapped("amount"))
            if pool.currency_id.compare_amounts(allocated, pool.amount):
                raise ApprovalRefusal(
                    self.env._(
                        "The lines of %(pool)s add up to "
                        "%(allocated)s instead of %(amount)s "
                        "(difference: %(difference)s).",
                        pool=pool.name,
                        allocated=pool.currency_id.round(allocated),
                        amount=pool.amount,
                        difference=pool.currency_id.round(pool.amount - allocated),
                    )
                )

    def _on_approval_reopened(self):
        """Back to the manager who drew the pool up."""
        for pool in self.sudo().filtered("create_uid"):
            pool.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=in_lang_of(self, pool.create_uid).env._(
                    "Revise and resubmit this bonus pool"
                ),
                user_id=pool.create_uid.id,
            )

    def _approval_check(self, action):
        result = super()._approval_check(action)
        if action == "approve":
            mine = self.env.user.employee_ids
            for pool in self:
                if pool.sudo().line_ids.employee_id & mine:
                    raise UserError(
                        self.env._(
                            "You have a line in the bonus pool "
                            "%(pool)s: you cannot approve it.",
                            pool=pool.name,
                        )
                    )
        return result


class TechdeptBonusLine(models.Model):
    _name = "techdept.bonus.line"
    _description = "Project Bonus Line"
    _inherit = ["techdept.approval.child.mixin"]
    _order = "pool_id, stream, id"
    # Lines follow their pool: frozen while it is in review or approved.
    _approval_parent_field = "pool_id"

    pool_id = fields.Many2one(
        "techdept.bonus.pool", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    stream = fields.Selection(BONUS_STREAMS, required=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="restrict"
    )
    contribution = fields.Float(default=1.0, digits=(16, 2))
    coefficient = fields.Float(
        compute="_compute_coefficient",
        store=True,
        digits=(16, 4),
        help="The average bonus coefficient of the employee's approved appraisals in "
        "the months concerned; 1.0 without any.",
    )
    amount = fields.Monetary(compute="_compute_amount", store=True)

    _sql_constraints = [
        (
            "employee_stream_uniq",
            "UNIQUE(pool_id, stream, employee_id)",
            "An employee has one line per stream in a bonus pool.",
        ),
    ]

    @api.depends("employee_id", "pool_id.period_ids")
    def _compute_coefficient(self):
        appraisals = (
            self.env["techdept.appraisal"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", self.employee_id.ids),
                    ("period_id", "in", self.pool_id.period_ids.ids),
                    ("state", "in", COUNTED_APPRAISAL_STATES),
                ]
            )
        )
        for line in self:
            mine = appraisals.filtered(
                lambda a, ln=line: (
                    a.employee_id == ln.employee_id
                    and a.period_id in ln.pool_id.period_ids
                )
            )
            coefficients = mine.mapped("coefficient")
            line.coefficient = (
                sum(coefficients) / len(coefficients) if coefficients else 1.0
            )

    @api.depends(
        "contribution",
        "coefficient",
        "stream",
        "pool_id.amount",
        "pool_id.presales_percent",
        "pool_id.implementation_percent",
        "pool_id.om_percent",
        "pool_id.line_ids.contribution",
        "pool_id.line_ids.coefficient",
        "pool_id.line_ids.stream",
    )
    def _compute_amount(self):
        amounts = {}
        for pool in self.pool_id:
            amounts.update(pool._bonus_allocate())
        for line in self:
            line.amount = amounts.get(line, 0.0)

    @api.constrains("contribution")
    def _check_contribution(self):
        for line in self:
            if line.contribution < 0:
                raise ValidationError(
                    self.env._(
                        "The contribution of %(employee)s cannot be negative.",
                        employee=line.employee_id.name,
                    )
                )

    def _bonus_weight(self):
        return max(self.contribution, 0.0) * self.coefficient


class TechdeptBudget(models.Model):
    """A stream's expense budget for a period or a project (F27); the
    technical director reviews it."""

    _name = "techdept.budget"
    _description = "Expense Budget"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _approval_chain_code = "techdept_budget"
    # The actual spending is recorded after the budget is approved.
    _approval_locked_fields = [
        "name",
        "stream",
        "date_from",
        "date_to",
        "project_id",
        "planned",
        "company_id",
    ]

    name = fields.Char(required=True, tracking=True)
    stream = fields.Selection(BONUS_STREAMS, required=True, tracking=True)
    date_from = fields.Date(string="From", tracking=True)
    date_to = fields.Date(string="Until", tracking=True)
    project_id = fields.Many2one(
        "project.project", index=True, tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    planned = fields.Monetary(required=True, tracking=True)
    actual = fields.Monetary(tracking=True)
    variance = fields.Monetary(
        compute="_compute_variance",
        store=True,
        help="Planned minus actual: negative when overspent.",
    )

    @api.depends("planned", "actual")
    def _compute_variance(self):
        for budget in self:
            budget.variance = budget.planned - budget.actual

    @api.constrains("planned", "actual")
    def _check_amounts(self):
        for budget in self:
            if budget.currency_id.compare_amounts(budget.planned, 0.0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The budget %(budget)s needs a positive planned amount.",
                        budget=budget.name,
                    )
                )
            if budget.currency_id.compare_amounts(budget.actual, 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "The actual spending of %(budget)s cannot be negative.",
                        budget=budget.name,
                    )
                )

    @api.constrains("name", "date_from", "date_to", "project_id")
    def _check_scope(self):
        for budget in self:
            has_dates = budget.date_from and budget.date_to
            if not has_dates and not budget.project_id:
                raise ValidationError(
                    self.env._(
                        "The budget %(budget)s needs either a period "
                        "(from and until) or a project.",
                        budget=budget.name,
                    )
                )
            if has_dates and budget.date_from > budget.date_to:
                raise ValidationError(
                    self.env._(
                        "The budget %(budget)s ends before it starts.",
                        budget=budget.name,
                    )
                )
