from odoo import api, fields, models

from .techdept_guard import check_client_values

# Set by the server when it moves or creates an activity; never by a client.
_SERVER_FIELDS = {"techdept_delegation_id", "techdept_approval_line_id"}


class MailActivity(models.Model):
    _inherit = "mail.activity"

    techdept_delegation_id = fields.Many2one(
        "techdept.delegation",
        string="Delegated Through",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="Set while the activity is with a deputy because its assignee is "
        "away; it goes back to the assignee when the delegation ends.",
    )

    techdept_approval_line_id = fields.Many2one(
        "techdept.approval.line",
        string="Approval Step",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list, _SERVER_FIELDS, "create")
        self._techdept_assign_deputies(vals_list)
        activities = super().create(vals_list)
        activities._techdept_follow_delegations()
        return activities

    @api.model
    def _techdept_assign_deputies(self, vals_list):
        """Give the new activities of someone away under a delegation to
        whoever acts for him, as they are created (``vals_list`` is changed),
        rather than creating them for him and moving them: the move would
        write each activity again and subscribe the deputy a second time."""
        user_ids = {
            vals["user_id"]
            for vals in vals_list
            if vals.get("user_id") and not vals.get("techdept_delegation_id")
        }
        if not user_ids:
            return
        resolver = self.env["techdept.resolver"]
        # The day's map of the absent, read once per transaction, knows who
        # is away under a delegation, the first of his delegations in effect
        # and who acts for him at the end of the chain (as
        # _techdept_move_activities() would hand them): no query.
        absences = resolver._absence_map(fields.Date.context_today(self))
        delegating = {
            absences.users.get(employee): employee for employee in absences.deputies
        }
        handed = {}
        for user_id in user_ids & delegating.keys():
            employee_id = delegating[user_id]
            acting_user = absences.users.get(resolver._acting_id(employee_id, absences))
            if acting_user and acting_user != user_id:
                handed[user_id] = (acting_user, absences.delegations[employee_id])
        for vals in vals_list:
            hand = handed.get(vals.get("user_id"))
            if hand and not vals.get("techdept_delegation_id"):
                vals["user_id"], vals["techdept_delegation_id"] = hand

    def write(self, vals):
        check_client_values(self, [vals], _SERVER_FIELDS)
        return super().write(vals)

    def _techdept_follow_delegations(self):
        """Hand activities assigned to someone away to whoever acts for him."""
        users = self.filtered(lambda a: not a.techdept_delegation_id).user_id
        if not users:
            return
        # A period in effect covers today: the day's map of the absent, read
        # once per transaction, tells whether any assignee has one.
        absences = self.env["techdept.resolver"]._absence_map(
            fields.Date.context_today(self)
        )
        delegating = {absences.users.get(employee) for employee in absences.deputies}
        if delegating.isdisjoint(users.ids):
            return
        delegations = (
            self.env["techdept.delegation"]
            .sudo()
            .search(
                [("state", "=", "active"), ("employee_id.user_id", "in", users.ids)]
            )
        )
        for delegation in delegations:
            mine = self.filtered(
                lambda a, user=delegation.employee_id.user_id: (
                    a.user_id == user and not a.techdept_delegation_id
                )
            )
            if mine:
                delegation._techdept_move_activities()
