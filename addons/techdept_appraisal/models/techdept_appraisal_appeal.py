from lxml import etree
from markupsafe import Markup, escape

from odoo import api, fields, models

from odoo.addons.techdept_org.exceptions import ApprovalRefusal
from odoo.addons.techdept_org.models.techdept_guard import (
    as_server,
    has_server_flag,
    with_server_flag,
)
from odoo.addons.techdept_org.models.techdept_lang import in_company_lang

from .techdept_appraisal import APPEAL_RETURN_FLAG
from .techdept_appraisal_period import APPRAISER_OF_ROLE

# Raised by the decision wizard once the engine let its user decide: an
# appeal is decided by upholding the form or returning it, never by a bare
# approval.
DECIDE_FLAG = "techdept_appeal_decide"
APPEAL_OUTCOMES = [
    ("upheld", "Appraisal Upheld"),
    ("returned", "Form Returned for Scoring"),
]


class TechdeptAppraisalAppeal(models.Model):
    """An employee's appeal (申诉) of his approved monthly form, with his
    reason, decided through the approval engine: by the technical director,
    or by the general manager's office for a manager, whom the director
    appraised. Upholding the form changes nothing; returning it reopens the
    form for its appraiser through the engine's reopening."""

    _name = "techdept.appraisal.appeal"
    _description = "Appraisal Appeal"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "id desc"
    _approval_locked_fields = ["appraisal_id", "reason"]
    _techdept_server_create = True
    _techdept_server_fields = ("appraisal_id", "outcome", "date_decided")

    appraisal_id = fields.Many2one(
        "techdept.appraisal",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    employee_id = fields.Many2one(
        related="appraisal_id.employee_id", store=True, index=True
    )
    employee_user_id = fields.Many2one(
        related="appraisal_id.employee_user_id", store=True, string="Employee User"
    )
    period_id = fields.Many2one(related="appraisal_id.period_id", store=True)
    department_id = fields.Many2one(related="appraisal_id.department_id", store=True)
    appraiser_id = fields.Many2one(related="appraisal_id.appraiser_id")
    company_id = fields.Many2one(related="appraisal_id.company_id", store=True)
    for_gm_office = fields.Boolean(
        string="Decided by the General Manager's Office",
        compute="_compute_for_gm_office",
        store=True,
        help="A manager's appeal: the technical director appraised him, the "
        "general manager's office decides.",
    )
    reason = fields.Text(required=True, tracking=True)
    outcome = fields.Selection(APPEAL_OUTCOMES, readonly=True, tracking=True)
    date_decided = fields.Datetime(readonly=True, copy=False)
    total_score = fields.Float(related="appraisal_id.total_score", digits=(5, 2))
    self_total = fields.Float(related="appraisal_id.self_total", digits=(5, 2))
    grade_band_id = fields.Many2one(related="appraisal_id.grade_band_id")
    summary = fields.Html(string="Items", compute="_compute_summary", sanitize=False)

    @api.depends("employee_id", "period_id")
    def _compute_display_name(self):
        for appeal in self:
            # Whoever reads the appeal may read whose and which month it is.
            names = appeal.sudo()
            appeal.display_name = self.env._(
                "Appeal of %(employee)s, %(month)s",
                employee=names.employee_id.name or "",
                month=names.period_id.name or "",
            )

    @api.depends("appraisal_id.employee_id.techdept_role")
    def _compute_for_gm_office(self):
        for appeal in self:
            role = appeal.sudo().appraisal_id.employee_id.techdept_role
            appeal.for_gm_office = APPRAISER_OF_ROLE.get(role) == ("role", "director")

    def _compute_summary(self):
        """The form's items as its readers see them: whoever may read the
        appeal may read the form it is about."""
        labels = {
            "item": self.env._("Item"),
            "weight": self.env._("Weight"),
            "self": self.env._("Self Score"),
            "score": self.env._("Score"),
            "comment": self.env._("Comment"),
        }
        for appeal in self:
            rows = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td><td class='text-end'>%s</td>"
                    "<td>%s</td></tr>"
                )
                % (
                    line.name or "",
                    f"{line.weight:.2f}",
                    f"{line.self_score:.2f}",
                    f"{line.score:.2f}",
                    line.comment or "",
                )
                for line in appeal.sudo().appraisal_id.line_ids
            )
            appeal.summary = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th><th>%s</th></tr></thead>"
                "<tbody>%s</tbody></table>"
            ) % (
                labels["item"],
                labels["weight"],
                labels["self"],
                labels["score"],
                labels["comment"],
                rows,
            )

    # Form view: an appeal is decided by upholding or returning the form

    @api.model
    def _approval_inject_form(self, arch):
        result = super()._approval_inject_form(arch)
        header = arch.find(".//header")
        if header is None or header.find("button[@name='action_uphold']") is not None:
            return result
        for name in ("action_approval_approve", "action_approval_reject"):
            for button in header.iterfind(f".//button[@name='{name}']"):
                button.getparent().remove(button)
        labels = {
            "uphold": escape(self.env._("Uphold the Appraisal")),
            "return": escape(self.env._("Return the Form")),
        }
        buttons = f"""
            <div>
            <button name="action_uphold" type="object" class="btn-primary"
                string="{labels["uphold"]}" invisible="not can_approve"/>
            <button name="action_return" type="object"
                string="{labels["return"]}" invisible="not can_approve"/>
            </div>"""
        for node in reversed(list(etree.fromstring(buttons))):
            header.insert(0, node)
        return result

    # The engine

    def _approval_get_chain(self):
        self.ensure_one()
        code = (
            "techdept_appraisal_appeal_gm"
            if self.sudo().for_gm_office
            else "techdept_appraisal_appeal"
        )
        return (
            self.env["techdept.approval.chain"]
            .sudo()
            .search(
                [
                    ("code", "=", code),
                    ("company_id", "in", [False, *self.env.companies.ids]),
                ],
                limit=1,
            )
        )

    def _approval_submittable(self):
        # Only the employee appeals.
        return (
            super()
            ._approval_submittable()
            .filtered(lambda a: a.employee_user_id == self.env.user)
        )

    def _approval_check_submit(self):
        for appeal in self:
            if appeal.employee_user_id != self.env.user:
                raise ApprovalRefusal(
                    self.env._(
                        "Only %(employee)s may appeal his appraisal.",
                        employee=appeal.employee_id.name,
                    )
                )
            if not (appeal.reason or "").strip():
                raise ApprovalRefusal(
                    self.env._("Say why you appeal: a reason is required.")
                )
            appeal.sudo().appraisal_id.with_env(self.env)._check_can_appeal()

    def _on_approval_submitted(self):
        for appeal in self:
            appraisal = appeal.sudo().appraisal_id
            as_server(appraisal).state = "appealed"
            # Nothing to acknowledge while the appeal is decided.
            appraisal.activity_ids.filtered(
                lambda a, user=appraisal.employee_user_id: a.user_id == user
            ).unlink()
            appraisal._techdept_post(
                lambda env, appeal=appeal: env._(
                    "%(employee)s appeals: %(reason)s",
                    employee=appeal.employee_id.name,
                    reason=appeal.reason,
                ),
                partner_ids=appraisal.appraiser_user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _on_approval_withdrawn(self):
        """Withdrawn by the employee: the form is approved again, to
        acknowledge, or to appeal while the window is open."""
        for appeal in self:
            appraisal = appeal.sudo().appraisal_id
            if appraisal.state == "appealed":
                as_server(appraisal).state = "approved"
                appraisal._schedule_acknowledgement_todo()

    def action_approval_approve(self, comment=None):
        if not has_server_flag(self.env, DECIDE_FLAG):
            raise ApprovalRefusal(
                self.env._(
                    "Decide the appeal: uphold the appraisal or return the form, "
                    "with your reasons."
                )
            )
        return super().action_approval_approve(comment=comment)

    def action_approval_reject(self):
        raise ApprovalRefusal(
            self.env._(
                "An appeal is not rejected: uphold the appraisal or return the "
                "form, with your reasons."
            )
        )

    def _approval_reject(self, comment):
        return self.action_approval_reject()

    def _approval_check_reopen(self):
        raise ApprovalRefusal(
            self.env._(
                "A decided appeal is final: the director may still reopen the "
                "form itself."
            )
        )

    def action_uphold(self):
        return self._decision_wizard("upheld")

    def action_return(self):
        return self._decision_wizard("returned")

    def _decision_wizard(self, outcome):
        self.ensure_one()
        self.check_access("read")
        self._approval_check("approve")
        return {
            "type": "ir.actions.act_window",
            "name": dict(self._fields["outcome"]._description_selection(self.env))[
                outcome
            ],
            "res_model": "techdept.appraisal.appeal.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_appeal_id": self.id, "default_outcome": outcome},
        }

    def _decide(self, outcome, comment):
        """Decide the appeal as its current approver, with a reason."""
        if outcome not in dict(APPEAL_OUTCOMES):
            raise ApprovalRefusal(self.env._("Choose how the appeal is decided."))
        if not (comment or "").strip():
            raise ApprovalRefusal(self.env._("Give the reasons of your decision."))
        self.check_access("read")
        self._approval_check("approve")
        for appeal in self:
            as_server(appeal.sudo()).outcome = outcome
        with_server_flag(self, DECIDE_FLAG).action_approval_approve(comment=comment)
        return True

    def _on_approval_done(self):
        now = fields.Datetime.now()
        for appeal in self:
            line = appeal.sudo()._approval_round_lines()[-1:]
            comment = line.comment or ""
            as_server(appeal.sudo()).date_decided = now
            appraisal = appeal.sudo().appraisal_id

            def note(env, appeal=appeal, comment=comment):
                labels = dict(self._fields["outcome"]._description_selection(env))
                return env._(
                    "Appeal decided by %(user)s: %(outcome)s. %(comment)s",
                    user=self.env.user.name,
                    outcome=labels[appeal.outcome],
                    comment=comment,
                )

            if appeal.outcome == "returned":
                # The engine's reopening, whoever decided: the decision
                # checked he may. Its reason is told in the form's history.
                with_server_flag(appraisal, APPEAL_RETURN_FLAG)._approval_reopen(
                    note(in_company_lang(appraisal).env)
                )
            else:
                as_server(appraisal).write(
                    {
                        "state": "acknowledged",
                        "acknowledgement": "appeal",
                        "date_acknowledged": now,
                    }
                )
                appraisal._techdept_post(
                    note,
                    partner_ids=appraisal.employee_user_id.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )
            appeal.sudo()._techdept_post(
                note,
                partner_ids=appeal.employee_user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
