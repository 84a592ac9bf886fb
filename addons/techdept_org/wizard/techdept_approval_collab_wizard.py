import ast

from odoo import api, fields, models

from ..exceptions import ApprovalRefusal


class TechdeptApprovalForwardWizard(models.TransientModel):
    """Hands the current user's pending step to a colleague, saying why."""

    _name = "techdept.approval.forward.wizard"
    _description = "Forward a Review"

    line_id = fields.Many2one(
        "techdept.approval.line", string="Step", required=True, ondelete="cascade"
    )
    candidate_user_ids = fields.Many2many(
        "res.users", string="Candidates", compute="_compute_candidate_user_ids"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Forward To",
        required=True,
        domain="[('id', 'in', candidate_user_ids)]",
    )
    reason = fields.Text(required=True)

    @api.depends("line_id")
    def _compute_candidate_user_ids(self):
        for wizard in self:
            line = wizard.line_id
            holder = line._approval_holder_for(self.env.user) if line else None
            wizard.candidate_user_ids = (
                line._approval_forward_candidates(holder)
                if holder
                else self.env["res.users"]
            )

    def action_confirm(self):
        self.ensure_one()
        self.line_id._record()._approval_forward(self.user_id, self.reason)
        return {"type": "ir.actions.act_window_close"}


class TechdeptApprovalAddWizard(models.TransientModel):
    """Adds one more approver to the current user's step (加签)."""

    _name = "techdept.approval.add.wizard"
    _description = "Add an Approver"

    line_id = fields.Many2one(
        "techdept.approval.line", string="Step", required=True, ondelete="cascade"
    )
    excluded_user_ids = fields.Many2many(
        "res.users", string="Not Addable", compute="_compute_excluded_user_ids"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Approver",
        required=True,
        domain="[('share', '=', False), ('id', 'not in', excluded_user_ids)]",
    )
    position = fields.Selection(
        [
            ("before", "Before my decision"),
            ("after", "After my decision: I approve now"),
        ],
        string="Decides",
        required=True,
        default="before",
    )
    reason = fields.Text(required=True)
    comment = fields.Text(string="My Comment")

    @api.depends("line_id")
    def _compute_excluded_user_ids(self):
        for wizard in self:
            line = wizard.line_id
            holder = line._approval_holder_for(self.env.user) if line else None
            wizard.excluded_user_ids = (
                line._approval_add_excluded(holder) if holder else self.env.user
            )

    def action_confirm(self):
        self.ensure_one()
        self.line_id._record()._approval_add_approver(
            self.user_id, self.position, self.reason, self.comment
        )
        return {"type": "ir.actions.act_window_close"}


class TechdeptApprovalBulkRejectWizard(models.TransientModel):
    """Rejects many records, or the steps of My Approvals, with one comment;
    each is checked on its own and those refused are reported."""

    _name = "techdept.approval.bulk.reject.wizard"
    _description = "Reject Many Reviews"

    line_ids = fields.Many2many("techdept.approval.line", string="Steps")
    res_model = fields.Char()
    res_ids = fields.Char()
    count = fields.Integer(string="Selected", compute="_compute_count")
    comment = fields.Text(string="Reason", required=True)

    @api.depends("line_ids", "res_ids")
    def _compute_count(self):
        for wizard in self:
            wizard.count = len(wizard.line_ids) or len(wizard._ids_sent() or [])

    def _ids_sent(self):
        try:
            ids = ast.literal_eval(self.res_ids or "")
        except (ValueError, SyntaxError):
            return None
        if not isinstance(ids, list) or not all(
            isinstance(res_id, int) and res_id > 0 for res_id in ids
        ):
            return None
        return ids

    def _records(self):
        """The approvable records sent by the client; a clear error for
        anything else."""
        self.ensure_one()
        approvable = self.env["techdept.approval.line"]._techdept_approvable_models()
        ids = self._ids_sent()
        if self.res_model not in approvable or not ids:
            raise ApprovalRefusal(self.env._("Choose the records to reject."))
        return self.env[self.res_model].browse(dict.fromkeys(ids)).exists()

    def action_confirm(self):
        self.ensure_one()
        if not (self.comment or "").strip():
            raise ApprovalRefusal(
                self.env._("Say why you reject: a comment is required.")
            )
        if self.line_ids:
            done, skipped = self.line_ids._approval_bulk("reject", self.comment)
        else:
            done, skipped = self._records()._approval_bulk("reject", self.comment)
        return self.env["techdept.approval.mixin"]._approval_bulk_report(
            "reject", done, skipped
        )
