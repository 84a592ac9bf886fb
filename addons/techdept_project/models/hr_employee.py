from odoo import api, fields, models


class HrEmployeeBase(models.AbstractModel):
    # On the base model, so that hr.employee.public has the fields too: users
    # without HR rights read employees through it (the engineer pool).
    _inherit = "hr.employee.base"

    techdept_assignment_ids = fields.One2many(
        "techdept.assignment", "employee_id", string="Assignments"
    )
    techdept_current_project_ids = fields.Many2many(
        "project.project",
        string="On Projects",
        compute="_compute_techdept_current_project_ids",
        search="_search_techdept_current_project_ids",
        help="The projects the engineer is assigned to now.",
    )
    techdept_is_free = fields.Boolean(
        string="Free",
        compute="_compute_techdept_current_project_ids",
        search="_search_techdept_is_free",
    )

    @api.depends("techdept_assignment_ids.state", "techdept_assignment_ids.project_id")
    def _compute_techdept_current_project_ids(self):
        # One query for the whole pool list.
        groups = (
            self.env["techdept.assignment"]
            .sudo()
            ._read_group(
                [("employee_id", "in", self.ids), ("state", "=", "active")],
                ["employee_id"],
                ["project_id:array_agg"],
            )
        )
        projects = {employee.id: ids for employee, ids in groups}
        for employee in self:
            ids = projects.get(employee.id, [])
            employee.techdept_current_project_ids = [fields.Command.set(ids)]
            employee.techdept_is_free = not ids

    def _search_techdept_current_project_ids(self, operator, value):
        return [
            (
                "techdept_assignment_ids",
                "any",
                [("state", "=", "active"), ("project_id", operator, value)],
            )
        ]

    def _search_techdept_is_free(self, operator, value):
        busy = [("techdept_assignment_ids", "any", [("state", "=", "active")])]
        if (operator == "=") == bool(value):
            return ["!", *busy]
        return busy
