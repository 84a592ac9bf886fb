from datetime import date, timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

POOL_STATES = [("free", "Free"), ("busy", "On a Project")]
WEEK_STATES = [("free", "Free"), ("partly", "Partly Free"), ("busy", "Booked")]


class TechdeptPoolEngineer(models.Model):
    """The technical engineer pool as the managers plan from it: who is free,
    who is on which project until when, this week and next.

    A read-only view of the pool's employees that carries only what a
    manager may read of them (name, position, department, line manager) and
    their assignments, so that planning needs no right on employees'
    private records."""

    _name = "techdept.pool.engineer"
    _description = "Pool Engineer"
    _auto = False
    _order = "department_id, name, id"
    _rec_name = "name"
    _depends = {
        "hr.employee": [
            "name",
            "job_id",
            "department_id",
            "parent_id",
            "user_id",
            "company_id",
            "active",
            "techdept_is_pool",
        ],
    }

    employee_id = fields.Many2one("hr.employee", string="Engineer", readonly=True)
    name = fields.Char(readonly=True)
    job_id = fields.Many2one("hr.job", string="Position", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    parent_id = fields.Many2one("hr.employee", string="Line Manager", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(
        POOL_STATES,
        string="Now",
        compute="_compute_availability",
        search="_search_state",
    )
    assignment_id = fields.Many2one(
        "techdept.assignment",
        string="Current Assignment",
        compute="_compute_availability",
    )
    project_id = fields.Many2one(
        "project.project", string="On Project", compute="_compute_availability"
    )
    date_until = fields.Date(
        string="Until",
        compute="_compute_availability",
        help="The end of the current assignment; empty when it has no end date.",
    )
    free_from = fields.Date(
        compute="_compute_availability",
        help="The first day with no assignment, from today on; empty when an "
        "assignment without an end date keeps the engineer busy.",
    )
    week_state = fields.Selection(
        WEEK_STATES,
        string="This Week",
        compute="_compute_availability",
        search="_search_week_state",
    )
    week_note = fields.Char(
        string="This Week's Projects", compute="_compute_availability"
    )
    next_week_state = fields.Selection(
        WEEK_STATES,
        string="Next Week",
        compute="_compute_availability",
        search="_search_next_week_state",
    )
    next_week_note = fields.Char(
        string="Next Week's Projects", compute="_compute_availability"
    )
    assignment_ids = fields.Many2many(
        "techdept.assignment",
        string="Assignments",
        compute="_compute_availability",
        help="Current and planned assignments.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT e.id AS id,
                           e.id AS employee_id,
                           e.name AS name,
                           e.job_id AS job_id,
                           e.department_id AS department_id,
                           e.parent_id AS parent_id,
                           e.user_id AS user_id,
                           e.company_id AS company_id
                      FROM hr_employee e
                     WHERE e.active AND e.techdept_is_pool
                )
                """,
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _weeks(self, today=None):
        """(this week, next week) as (first day, last day), Monday first."""
        today = today or fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday())
        return (
            (monday, monday + timedelta(days=6)),
            (monday + timedelta(days=7), monday + timedelta(days=13)),
        )

    def _open_assignments(self, today):
        """{employee id: assignments not ended and not over before today},
        by start date, in one query."""
        assignments = (
            self.env["techdept.assignment"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", self.employee_id.ids),
                    ("state", "!=", "ended"),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", today),
                ],
                order="date_from, id",
            )
        )
        result = {}
        for assignment in assignments:
            result.setdefault(assignment.employee_id.id, []).append(assignment)
        return result

    @api.model
    def _week_state(self, assignments, first, last, today):
        """How booked the working days of a week are (from today on)."""
        start = max(first, today)
        days = [start + timedelta(days=n) for n in range((last - start).days + 1)]
        working = [day for day in days if day.weekday() < 5] or days
        booked = [
            day
            for day in working
            if any(
                a.date_from <= day and (not a.date_to or day <= a.date_to)
                for a in assignments
            )
        ]
        if not booked:
            return "free", []
        in_week = [
            a
            for a in assignments
            if a.date_from <= last and (not a.date_to or a.date_to >= start)
        ]
        return ("busy" if len(booked) == len(working) else "partly"), in_week

    def _week_note(self, assignments):
        return "; ".join(
            self.env._(
                "%(project)s (until %(date)s)",
                project=a.project_id.name,
                date=tools.format_date(self.env, a.date_to),
            )
            if a.date_to
            else a.project_id.name
            for a in assignments
        )

    @api.depends_context("uid", "tz")
    def _compute_availability(self):
        today = fields.Date.context_today(self)
        (week_first, week_last), (next_first, next_last) = self._weeks(today)
        open_assignments = self._open_assignments(today)
        Assignment = self.env["techdept.assignment"]
        for engineer in self:
            assignments = open_assignments.get(engineer.employee_id.id, [])
            current = [a for a in assignments if a.date_from <= today]
            # The assignment that keeps him longest is the one that counts.
            running = max(
                current,
                key=lambda a: (a.date_to or date.max, a.id),
                default=Assignment,
            ).with_env(self.env)
            engineer.state = "busy" if running else "free"
            engineer.assignment_id = running
            engineer.project_id = running.project_id
            engineer.date_until = running.date_to
            engineer.free_from = self._free_from(assignments, today)
            state, week = self._week_state(assignments, week_first, week_last, today)
            engineer.week_state = state
            engineer.week_note = self._week_note(week)
            state, week = self._week_state(assignments, next_first, next_last, today)
            engineer.next_week_state = state
            engineer.next_week_note = self._week_note(week)
            engineer.assignment_ids = [fields.Command.set([a.id for a in assignments])]

    @api.model
    def _free_from(self, assignments, today):
        """The first day from ``today`` that no assignment covers."""
        day = today
        for assignment in sorted(assignments, key=lambda a: a.date_from):
            if assignment.date_from > day:
                break
            if not assignment.date_to:
                return False
            day = max(day, assignment.date_to + timedelta(days=1))
        return day

    def _search_by(self, field, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise NotImplementedError(
                self.env._("Unsupported search on %(field)s.", field=field)
            )
        values = [value] if operator in ("=", "!=") else list(value)
        # The pool is a few dozen people: their availability is computed.
        engineers = self.search([])
        ids = [e.id for e in engineers if e[field] in values]
        return [("id", "in" if operator in ("=", "in") else "not in", ids)]

    def _search_state(self, operator, value):
        return self._search_by("state", operator, value)

    def _search_week_state(self, operator, value):
        return self._search_by("week_state", operator, value)

    def _search_next_week_state(self, operator, value):
        return self._search_by("next_week_state", operator, value)

    def action_assign(self):
        """Open a new assignment of this engineer, from the day he is free."""
        self.ensure_one()
        self.check_access("read")
        self.env["techdept.assignment"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign %(engineer)s", engineer=self.name),
            "res_model": "techdept.assignment",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_employee_id": self.employee_id.id,
                "default_date_from": fields.Date.to_string(
                    self.free_from or fields.Date.context_today(self)
                ),
            },
        }
