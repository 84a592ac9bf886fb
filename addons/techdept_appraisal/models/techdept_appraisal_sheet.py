from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.techdept_org.exceptions import FrozenRecord
from odoo.addons.techdept_org.models.techdept_guard import as_server, is_server

from .techdept_appraisal import GOALS_STATES, GOALS_TODO

# What the employee sees of his form's progress: while the appraiser scores,
# only that he does.
SHEET_STAGES = [
    ("goals", "Goals"),
    ("self_assessment", "Self-assessment"),
    ("scoring", "Being Scored"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("appealed", "Under Appeal"),
    ("acknowledged", "Acknowledged"),
    ("locked", "Locked"),
]
_STAGE_OF_STATE = {"draft": "scoring", "scored": "scoring"}
GOAL_FIELDS = {"goal", "goal_target"}
SELF_FIELDS = {"self_score", "self_comment"}


class TechdeptAppraisalSheet(models.Model):
    """The employee's part of his monthly form: the month's goals agreed
    with his appraiser (月度目标), then his self-assessment (自评).

    Kept apart from the form on purpose: the employee reads and writes his
    sheet all month long, while the form, with the appraiser's draft scores,
    stays closed to him until it is submitted."""

    _name = "techdept.appraisal.sheet"
    _description = "Goals and Self-assessment"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.guard.mixin"]
    _order = "period_id desc, employee_id"
    _techdept_server_create = True
    _techdept_server_fields = (
        "appraisal_id",
        "goals_state",
        "goals_confirmed_date",
        "self_submitted_date",
    )

    appraisal_id = fields.Many2one(
        "techdept.appraisal", required=True, ondelete="cascade", index=True
    )
    # Copied from the form and computed before the sheet is inserted
    # (precompute): a month's generation writes each sheet once.
    employee_id = fields.Many2one(
        related="appraisal_id.employee_id", store=True, precompute=True, index=True
    )
    employee_user_id = fields.Many2one(
        related="appraisal_id.employee_user_id",
        store=True,
        precompute=True,
        string="Employee User",
    )
    period_id = fields.Many2one(
        related="appraisal_id.period_id", store=True, precompute=True
    )
    department_id = fields.Many2one(
        related="appraisal_id.department_id", store=True, precompute=True
    )
    appraiser_id = fields.Many2one(
        related="appraisal_id.appraiser_id", store=True, precompute=True
    )
    appraiser_user_id = fields.Many2one(
        related="appraisal_id.appraiser_user_id",
        store=True,
        precompute=True,
        string="Appraiser User",
    )
    co_appraiser_id = fields.Many2one(
        related="appraisal_id.co_appraiser_id", store=True, precompute=True
    )
    co_appraiser_user_id = fields.Many2one(
        related="appraisal_id.co_appraiser_user_id",
        store=True,
        precompute=True,
        string="Co-appraiser User",
    )
    company_id = fields.Many2one(
        related="appraisal_id.company_id", store=True, precompute=True
    )
    stage = fields.Selection(
        SHEET_STAGES, compute="_compute_stage", store=True, precompute=True, index=True
    )
    goals_state = fields.Selection(
        GOALS_STATES,
        string="Goals",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    goals_confirmed_date = fields.Datetime(
        string="Goals Confirmed On", readonly=True, copy=False
    )
    goals_deadline = fields.Date(related="period_id.goals_deadline")
    self_assessment = fields.Boolean(
        related="appraisal_id.template_id.self_assessment",
        string="Self-assessment Asked",
    )
    self_assessment_deadline = fields.Date(related="period_id.self_assessment_deadline")
    self_submitted_date = fields.Datetime(
        string="Self-assessment Submitted On", readonly=True, copy=False
    )
    line_ids = fields.One2many(
        "techdept.appraisal.sheet.line", "sheet_id", string="Items"
    )
    self_total = fields.Float(
        string="Self Score", compute="_compute_self_total", digits=(5, 2)
    )
    can_set_goals = fields.Boolean(compute="_compute_can_act")
    can_confirm_goals = fields.Boolean(compute="_compute_can_act")
    can_self_assess = fields.Boolean(compute="_compute_can_act")
    is_mine = fields.Boolean(compute="_compute_can_act")

    _sql_constraints = [
        (
            "appraisal_uniq",
            "UNIQUE(appraisal_id)",
            "A form has one sheet of goals and self-assessment.",
        ),
    ]

    @api.depends("employee_id", "period_id")
    def _compute_display_name(self):
        for sheet in self:
            sheet.display_name = self.env._(
                "%(employee)s: goals and self-assessment %(month)s",
                employee=sheet.employee_id.name or "",
                month=sheet.period_id.name or "",
            )

    @api.depends("appraisal_id.state")
    def _compute_stage(self):
        for sheet in self:
            state = sheet.appraisal_id.state
            sheet.stage = _STAGE_OF_STATE.get(state, state)

    @api.depends("line_ids.self_score", "line_ids.weight", "line_ids.max_score")
    def _compute_self_total(self):
        for sheet in self:
            sheet.self_total = round(
                sum(
                    line.self_score / line.max_score * line.weight
                    for line in sheet.line_ids
                    if line.max_score
                ),
                2,
            )

    @api.depends_context("uid")
    @api.depends("stage", "goals_state", "employee_user_id", "appraiser_user_id")
    def _compute_can_act(self):
        user = self.env.user
        for sheet in self:
            mine = sheet.employee_user_id == user
            sheet.is_mine = mine
            sheet.can_set_goals = sheet.stage == "goals" and sheet._is_appraiser_side()
            sheet.can_confirm_goals = (
                mine and sheet.stage == "goals" and sheet.goals_state == "proposed"
            )
            sheet.can_self_assess = mine and sheet.stage == "self_assessment"

    def _is_appraiser_side(self):
        """The appraiser (or whoever acts for him), or the technical
        director; never the employee himself."""
        self.ensure_one()
        return self.sudo().appraisal_id._is_appraiser()

    def _check_employee(self, what):
        for sheet in self:
            if sheet.employee_user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only %(employee)s %(what)s.",
                        employee=sheet.employee_id.name,
                        what=what,
                    )
                )

    def _check_stage(self, stage, message):
        for sheet in self:
            if sheet.stage != stage:
                raise UserError(message % {"sheet": sheet.display_name})

    # Goals

    def action_propose_goals(self):
        """The appraiser puts the goals to the employee, who confirms them."""
        self.check_access("write")
        self._check_stage(
            "goals",
            self.env._("%(sheet)s: the month's goals are set before scoring opens."),
        )
        for sheet in self:
            if not sheet._is_appraiser_side():
                raise UserError(
                    self.env._(
                        "Only %(appraiser)s proposes the goals of %(sheet)s.",
                        appraiser=sheet.appraiser_id.name,
                        sheet=sheet.display_name,
                    )
                )
            if sheet.goals_state != "draft":
                raise UserError(
                    self.env._(
                        "The goals of %(sheet)s are proposed already.",
                        sheet=sheet.display_name,
                    )
                )
            if not any(line.goal for line in sheet.line_ids):
                raise UserError(
                    self.env._(
                        "Write the goals of %(sheet)s before proposing them.",
                        sheet=sheet.display_name,
                    )
                )
        Appraisal = self.env["techdept.appraisal"]
        for sheet in self:
            as_server(sheet.sudo()).goals_state = "proposed"
            Appraisal._close_todos(sheet, GOALS_TODO)
            Appraisal._schedule_todo(
                sheet,
                GOALS_TODO,
                sheet.employee_user_id,
                lambda env, sheet=sheet: env._(
                    "Confirm your goals for %(month)s",
                    month=sheet.with_context(lang=env.lang).period_id.name,
                ),
                sheet.goals_deadline,
            )
            sheet._techdept_post(
                lambda env: env._(
                    "%(user)s proposes the month's goals.", user=self.env.user.name
                ),
                partner_ids=sheet.employee_user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_confirm_goals(self):
        """The employee agrees to the goals his appraiser proposed."""
        self.check_access("write")
        self._check_employee(self.env._("confirms his goals"))
        self._check_stage(
            "goals",
            self.env._("%(sheet)s: the month's goals are set before scoring opens."),
        )
        for sheet in self:
            if sheet.goals_state != "proposed":
                raise UserError(
                    self.env._(
                        "The goals of %(sheet)s are not proposed for confirmation.",
                        sheet=sheet.display_name,
                    )
                )
        for sheet in self:
            as_server(sheet.sudo()).write(
                {
                    "goals_state": "confirmed",
                    "goals_confirmed_date": fields.Datetime.now(),
                }
            )
            self.env["techdept.appraisal"]._close_todos(
                sheet, GOALS_TODO, feedback=lambda env: env._("Goals confirmed.")
            )
            sheet._techdept_post(
                lambda env: env._(
                    "Goals confirmed by %(user)s.", user=self.env.user.name
                ),
                partner_ids=sheet.appraiser_user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def _goals_changed(self, changes):
        """Goals changed after they were proposed: the change is told in the
        sheet's history, and confirmed goals go back to the employee."""
        self.ensure_one()
        self._techdept_post(
            lambda env: env._(
                "%(user)s changed the goals: %(changes)s.",
                user=self.env.user.name,
                changes="; ".join(change(env) for change in changes),
            ),
            partner_ids=(self.employee_user_id | self.appraiser_user_id).partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        if self.goals_state == "confirmed":
            as_server(self.sudo()).goals_state = "proposed"
            self.env["techdept.appraisal"]._schedule_todo(
                self,
                GOALS_TODO,
                self.employee_user_id,
                lambda env: env._(
                    "Confirm your changed goals for %(month)s",
                    month=self.with_context(lang=env.lang).period_id.name,
                ),
                self.goals_deadline,
            )

    # Self-assessment

    def action_submit_self_assessment(self):
        """The employee hands his self-assessment to his appraiser."""
        self.check_access("write")
        self._check_employee(self.env._("submits his self-assessment"))
        self._check_stage(
            "self_assessment",
            self.env._("%(sheet)s does not wait for a self-assessment."),
        )
        for sheet in self:
            missing = sheet.line_ids.filtered(lambda line: not line.is_self_scored)
            if missing:
                raise UserError(
                    self.env._(
                        "Score yourself on every item first: %(items)s.",
                        items=", ".join(missing.mapped("name")),
                    )
                )
        for sheet in self:
            as_server(sheet.sudo()).self_submitted_date = fields.Datetime.now()
            sheet._techdept_post(
                lambda env, sheet=sheet: env._(
                    "Self-assessment submitted: %(total)s.", total=sheet.self_total
                ),
                partner_ids=sheet.appraiser_user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            sheet.sudo().appraisal_id._start_scoring()
        return True

    def action_open_appraisal(self):
        """The form itself, for whoever may read it: the employee once it
        is submitted."""
        self.ensure_one()
        self.check_access("read")
        appraisal = self.sudo().appraisal_id.with_env(self.env)
        appraisal.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "techdept.appraisal",
            "res_id": appraisal.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }


class TechdeptAppraisalSheetLine(models.Model):
    """One item of the employee's sheet: its goal for the month, its
    measurable target for a computed item, and the employee's own score."""

    _name = "techdept.appraisal.sheet.line"
    _description = "Goal and Self-assessment Item"
    _inherit = ["techdept.guard.mixin"]
    # In the order of the form's items.
    _order = "sheet_id, line_id"
    _techdept_server_create = True
    _techdept_server_fields = ("sheet_id", "line_id", "is_self_scored")

    sheet_id = fields.Many2one(
        "techdept.appraisal.sheet", required=True, ondelete="cascade", index=True
    )
    line_id = fields.Many2one(
        "techdept.appraisal.line", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(related="line_id.name", string="Item")
    group = fields.Selection(related="line_id.group")
    weight = fields.Float(related="line_id.weight", digits=(5, 2))
    max_score = fields.Float(related="line_id.max_score", string="Maximum Score")
    source = fields.Selection(related="line_id.source")
    target = fields.Float(
        related="line_id.target",
        string="Template Target",
        help="The template's target of a computed item.",
    )
    scorer = fields.Selection(related="line_id.scorer")
    guide = fields.Text(related="line_id.guide")
    goal = fields.Text(help="What the employee is to achieve on this item this month.")
    goal_target = fields.Float(
        string="Target This Month",
        help="For a computed item (work-log hours, deliverables, reviews on "
        "time): the value agreed for the month, which earns the maximum score; "
        "empty, the template's target applies.",
    )
    self_score = fields.Float(digits=(5, 2))
    self_comment = fields.Char()
    is_self_scored = fields.Boolean(string="Self-scored", readonly=True)

    _sql_constraints = [
        (
            "line_uniq",
            "UNIQUE(line_id)",
            "An item has one line on the employee's sheet.",
        ),
    ]

    @api.constrains("self_score", "goal_target")
    def _check_values(self):
        for line in self:
            if line.self_score < 0 or line.self_score > line.max_score:
                raise ValidationError(
                    self.env._(
                        "The self score of %(item)s must lie between 0 and %(max)s.",
                        item=line.name,
                        max=line.max_score,
                    )
                )
            if line.goal_target < 0:
                raise ValidationError(
                    self.env._(
                        "The target of %(item)s cannot be negative.", item=line.name
                    )
                )

    def write(self, vals):
        names = vals.keys() & (GOAL_FIELDS | SELF_FIELDS)
        server = is_server(self.env)
        if names and not server:
            self.check_access("write")
            for line in self:
                line._check_can_write(names)
        changes = {}
        if vals.keys() & GOAL_FIELDS:
            for line in self.sudo():
                if line.sheet_id.goals_state == "draft":
                    continue
                for name in GOAL_FIELDS & vals.keys():
                    old, new = line[name], vals[name]
                    if (old or False) != (new or False):
                        changes.setdefault(line.sheet_id, []).append(
                            # Told in the sheet's history, in its language.
                            lambda env, line=line, name=name, old=old, new=new: env._(
                                "%(item)s, %(field)s: %(old)s → %(new)s",
                                item=line.with_context(lang=env.lang).name,
                                field=self._fields[name].get_description(env)["string"],
                                old=old or "—",
                                new=new or "—",
                            )
                        )
        result = super().write(vals)
        if "self_score" in vals:
            as_server(self).write({"is_self_scored": True})
        for sheet, texts in changes.items():
            sheet.with_env(self.env)._goals_changed(texts)
        return result

    def _check_can_write(self, names):
        """Goals during the month, by the appraiser's side and the employee
        (the measurable targets by the appraiser's side only); the
        self-assessment by the employee alone, when it is asked."""
        self.ensure_one()
        sheet = self.sheet_id.sudo()
        user = self.env.user
        mine = sheet.employee_user_id == user
        if names & GOAL_FIELDS:
            if sheet.stage != "goals":
                raise FrozenRecord(
                    self.env._(
                        "The goals of %(sheet)s were set during the month: they no "
                        "longer change.",
                        sheet=sheet.display_name,
                    )
                )
            appraiser_side = sheet.with_env(self.env)._is_appraiser_side() or (
                self.scorer == "co_appraiser" and sheet.co_appraiser_user_id == user
            )
            if "goal_target" in names:
                if self.source == "manual":
                    raise UserError(
                        self.env._(
                            "%(item)s is scored by hand: it has no measurable "
                            "target, only a goal.",
                            item=self.name,
                        )
                    )
                if not appraiser_side:
                    raise UserError(
                        self.env._(
                            "The target of %(item)s is set by %(appraiser)s.",
                            item=self.name,
                            appraiser=sheet.appraiser_id.name,
                        )
                    )
            if not (appraiser_side or mine):
                raise UserError(
                    self.env._(
                        "Only %(employee)s and %(appraiser)s set the goals of "
                        "%(sheet)s.",
                        employee=sheet.employee_id.name,
                        appraiser=sheet.appraiser_id.name,
                        sheet=sheet.display_name,
                    )
                )
        if names & SELF_FIELDS:
            if not mine:
                raise UserError(
                    self.env._(
                        "Only %(employee)s assesses himself.",
                        employee=sheet.employee_id.name,
                    )
                )
            if sheet.stage != "self_assessment":
                raise UserError(
                    self.env._(
                        "%(sheet)s does not wait for a self-assessment.",
                        sheet=sheet.display_name,
                    )
                )
