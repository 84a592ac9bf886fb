from odoo import api, fields, models
from odoo.tools import SQL

# The key of the day's absence map in the transaction's data.
_MAP_KEY = "techdept.resolver.absences"


class _AbsenceMap:
    """Who is away on a day and what the answers need to know about it."""

    __slots__ = (
        "absent",
        "delegations",
        "departments",
        "deputies",
        "functions",
        "home",
        "users",
    )

    def __init__(
        self, deputies, absent, departments, home, users, functions, delegations
    ):
        self.deputies = deputies  # {absent id: {department id: deputy id}}
        # {absent id: id of his first delegation in effect (earliest start)}
        self.delegations = delegations
        self.absent = absent  # {absent employee id}
        self.departments = departments  # {id: (parent id, manager id, active)}
        self.home = home  # {absent employee id: his department id}
        self.users = users  # {employee id: user id}, for those concerned
        # {(function, company id): [active department ids]}
        self.functions = functions

    def managed_functions(self, user_id):
        """The functions of the active departments the user ``user_id``
        manages (in every company)."""
        return {
            function
            for (function, _company), departments in self.functions.items()
            for department in departments
            if self.users.get(self.departments[department][1]) == user_id
        }

    def managed(self, employee_id):
        """The first active department ``employee_id`` manages, or None."""
        return next(
            (
                department
                for department, (_parent, manager, active) in sorted(
                    self.departments.items()
                )
                if manager == employee_id and active
            ),
            None,
        )


def forget_absences(env):
    """Drop the absence maps of the transaction: what they read changed."""
    data = env.cr.precommit.data
    for key in [key for key in data if isinstance(key, tuple) and key[0] == _MAP_KEY]:
        del data[key]


class TechdeptResolver(models.AbstractModel):
    """Answers "who acts for this person, department, function or role on
    this date". The rest of the suite asks here and never reads managers or
    time off itself.

    Absence: a delegation period covering the date, or a validated time off.
    An absent person's deputy acts for him; if the deputy is absent too, the
    deputy's own deputy acts, and so on. When the chain ends on someone absent
    (no deputy, or it runs back on itself), the acting manager of the parent
    department acts; at the top of the organisation the holder himself stays
    responsible, so nothing is ever left without an owner.
    """

    _name = "techdept.resolver"
    _description = "Who Acts Resolver"

    @api.model
    def _absence_map(self, date):
        """Everything the answers for ``date`` need, read once per
        transaction in one query: the delegations and validated time off of
        the day, the departments (parent, manager) and the users of the
        people concerned. Dropped when any of it changes (see the models
        below), when the transaction ends and when it is rolled back."""
        key = (_MAP_KEY, fields.Date.to_string(date))
        data = self.env.cr.precommit.data
        cached = data.get(key)
        if cached is not None:
            return cached
        self.env["techdept.delegation"].flush_model(
            ["employee_id", "deputy_id", "department_id", "date_from", "date_to"]
        )
        self.env["hr.leave"].flush_model(
            ["employee_id", "state", "request_date_from", "request_date_to"]
        )
        self.env["hr.department"].flush_model(
            ["parent_id", "manager_id", "active", "techdept_function", "company_id"]
        )
        self.env["hr.employee"].flush_model(["department_id", "user_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT 'delegation', d.employee_id, d.deputy_id, d.department_id,
                       deputy.user_id, d.date_from, d.id, TRUE, NULL::varchar, NULL::int
                  FROM techdept_delegation d
                  JOIN hr_employee deputy ON deputy.id = d.deputy_id
                 WHERE d.date_from <= %(date)s AND d.date_to >= %(date)s
                UNION ALL
                SELECT 'leave', l.employee_id, NULL, NULL, NULL, NULL, NULL, TRUE,
                       NULL, NULL
                  FROM hr_leave l
                 WHERE l.state = 'validate'
                   AND l.request_date_from <= %(date)s
                   AND l.request_date_to >= %(date)s
                UNION ALL
                SELECT 'department', dep.id, dep.parent_id, dep.manager_id,
                       manager.user_id, NULL, NULL, dep.active,
                       dep.techdept_function, dep.company_id
                  FROM hr_department dep
                  LEFT JOIN hr_employee manager ON manager.id = dep.manager_id
                UNION ALL
                SELECT 'employee', e.id, e.department_id, NULL, e.user_id,
                       NULL, NULL, TRUE, NULL, NULL
                  FROM hr_employee e
                 WHERE e.id IN (
                        SELECT employee_id FROM techdept_delegation
                         WHERE date_from <= %(date)s AND date_to >= %(date)s
                        UNION
                        SELECT employee_id FROM hr_leave
                         WHERE state = 'validate'
                           AND request_date_from <= %(date)s
                           AND request_date_to >= %(date)s)
                """,
                date=date,
            )
        )
        deputies = {}
        first_delegations = {}
        departments = {}
        functions = {}
        users = {}
        absent = set()
        delegations = sorted(
            (row for row in rows if row[0] == "delegation"),
            key=lambda row: (row[5], row[6]),
        )
        for (
            _kind,
            employee_id,
            deputy_id,
            department_id,
            user_id,
            _date_from,
            delegation_id,
            *_rest,
        ) in delegations:
            deputies.setdefault(employee_id, {}).setdefault(department_id, deputy_id)
            first_delegations.setdefault(employee_id, delegation_id)
            absent.add(employee_id)
            users[deputy_id] = user_id
        for kind, first, second, third, user_id, _date, _id, active, *rest in rows:
            if kind == "leave":
                absent.add(first)
            elif kind == "department":
                departments[first] = (second, third, active)
                if third:
                    users[third] = user_id
                function, company_id = rest
                if function and active:
                    functions.setdefault((function, company_id), []).append(first)
            elif kind == "employee":
                users[first] = user_id
        home = {row[1]: row[2] for row in rows if row[0] == "employee"}
        result = data[key] = _AbsenceMap(
            deputies, absent, departments, home, users, functions, first_delegations
        )
        return result

    @api.model
    def _absences(self, date):
        """Return ({absent employee id: {department id: deputy id}}, set of
        absent employee ids) for ``date``."""
        absences = self._absence_map(date)
        return absences.deputies, absences.absent

    @api.model
    def _resolve(self, employee_id, deputies, absent, department_id=None):
        """Follow the deputies from ``employee_id``; return the first present
        one, or None when the chain ends on someone absent."""
        seen = set()
        current = employee_id
        while current in absent:
            seen.add(current)
            by_department = deputies.get(current, {})
            following = by_department.get(department_id) or next(
                iter(by_department.values()), None
            )
            if not following or following in seen:
                return None
            current = following
            department_id = None
        return current

    @api.model
    def _acting_id(self, employee_id, absences):
        """The id of the employee acting for ``employee_id`` (his own when
        present), from the map of the day: no query."""
        if employee_id not in absences.absent:
            return employee_id
        managed = absences.managed(employee_id)
        acting = self._resolve(employee_id, absences.deputies, absences.absent, managed)
        if acting is not None:
            return acting
        department = managed or absences.home.get(employee_id)
        department = absences.departments.get(department, (None,))[0]
        seen = set()
        while department and department not in seen:
            seen.add(department)
            parent, manager, _active = absences.departments.get(
                department, (None, None, True)
            )
            if manager and manager != employee_id:
                acting = self._resolve(
                    manager, absences.deputies, absences.absent, department
                )
                if acting is not None:
                    return acting
            department = parent
        return employee_id

    @api.model
    def _acting_for(self, employees, date=None):
        """Map each employee to the employee acting for him on ``date``."""
        date = date or fields.Date.context_today(self)
        absences = self._absence_map(date)
        Employee = self.env["hr.employee"]
        return {
            employee: Employee.browse(self._acting_id(employee.id, absences))
            for employee in employees
        }

    @api.model
    def _acting_employee(self, employee, date=None):
        """The employee acting for ``employee`` on ``date`` (himself if present)."""
        if not employee:
            return self.env["hr.employee"]
        return self._acting_for(employee, date)[employee]

    @api.model
    def _acting_managers(self, departments, date=None):
        """Map each department to whoever acts for its manager on ``date``.
        A department without a manager answers with its parent's."""
        holders = {}
        for department in departments:
            holder = department.sudo()
            while holder and not holder.manager_id:
                holder = holder.parent_id
            holders[department] = holder.manager_id
        employees = self.env["hr.employee"].union(*holders.values())
        acting = self._acting_for(employees, date) if employees else {}
        return {
            department: acting.get(manager, self.env["hr.employee"])
            for department, manager in holders.items()
        }

    @api.model
    def _function_department(self, function, company=None):
        company = company or self.env.company
        return (
            self.env["hr.department"]
            .sudo()
            .search(
                [
                    ("techdept_function", "=", function),
                    ("company_id", "in", company.ids),
                ],
                limit=1,
            )
        )

    @api.model
    def _function_manager(self, function, date=None, company=None):
        """Whoever acts on ``date`` for the manager of the department that
        holds the policy ``function`` (see hr.department.techdept_function)."""
        acting = self._function_acting_id(function, date, company)
        if acting is not False:
            return self.env["hr.employee"].browse(acting or ())
        department = self._function_department(function, company)
        if not department:
            return self.env["hr.employee"]
        return self._acting_managers(department, date)[department]

    @api.model
    def _function_manager_user(self, function, date=None, company=None):
        """The user of ``_function_manager``; no query once the day's map
        is read, when one department holds ``function``."""
        acting = self._function_acting_id(function, date, company)
        if acting is False:
            return self._function_manager(function, date, company).user_id
        date = date or fields.Date.context_today(self)
        user_id = self._absence_map(date).users.get(acting)
        return self.env["res.users"].browse(user_id or ())

    @api.model
    def _function_acting_id(self, function, date=None, company=None):
        """The id of the employee acting for the manager of the one
        department holding ``function`` (None without a manager), from the
        map of the day; False when no department or several hold it."""
        company = company or self.env.company
        date = date or fields.Date.context_today(self)
        absences = self._absence_map(date)
        departments = absences.functions.get((function, company.id), [])
        if len(departments) != 1:
            return False
        # A department without a manager answers with its parent's.
        department, seen = departments[0], set()
        parent, manager, _active = absences.departments[department]
        while not manager and parent and parent not in seen:
            seen.add(parent)
            parent, manager, _active = absences.departments.get(
                parent, (None, None, True)
            )
        if not manager:
            return None
        return self._acting_id(manager, absences)

    @api.model
    def _function_holder(self, function, company=None):
        """The holder of the manager position of the department that holds
        the policy ``function``, absent or not: the owner of what the
        function keeps (a project, a line of engineers). Whoever acts for him
        is found through delegation, when there is something to decide."""
        department = self._function_department(function, company)
        while department and not department.manager_id:
            department = department.parent_id
        return department.manager_id.with_env(self.env)

    @api.model
    def _role_holders(self, role, date=None, company=None):
        """The employees acting on ``date`` for the holders of the policy
        ``role`` (see hr.job.techdept_role)."""
        company = company or self.env.company
        holders = (
            self.env["hr.employee"]
            .sudo()
            .search([("techdept_role", "=", role), ("company_id", "in", company.ids)])
        )
        if not holders:
            return self.env["hr.employee"]
        acting = self._acting_for(holders, date)
        return self.env["hr.employee"].union(*acting.values())

    @api.model
    def _represented(self, employee, date=None):
        """The absent employees for whom ``employee`` acts on ``date``."""
        date = date or fields.Date.context_today(self)
        absences = self._absence_map(date)
        return self.env["hr.employee"].browse(
            sorted(
                absent
                for absent in absences.absent
                if absent != employee.id
                and self._acting_id(absent, absences) == employee.id
            )
        )

    @api.model
    def _represented_user_ids(self, user_id, date=None):
        """The ids of the users of the absent employees for whom the user
        ``user_id`` acts on ``date``; no query once the day's map is read."""
        date = date or fields.Date.context_today(self)
        absences = self._absence_map(date)
        result = set()
        for absent in absences.absent:
            acting = self._acting_id(absent, absences)
            if acting != absent and absences.users.get(acting) == user_id:
                represented = absences.users.get(absent)
                if represented and represented != user_id:
                    result.add(represented)
        return sorted(result)

    @api.model
    def _acting_user_ids(self, user_ids, date=None):
        """The ids of the users acting on ``date`` for the absent among the
        users ``user_ids`` (the present act for themselves: not listed); no
        query once the day's map is read."""
        date = date or fields.Date.context_today(self)
        absences = self._absence_map(date)
        wanted = set(user_ids)
        result = set()
        for employee_id in absences.absent:
            if absences.users.get(employee_id) not in wanted:
                continue
            acting = absences.users.get(self._acting_id(employee_id, absences))
            if acting:
                result.add(acting)
        return sorted(result)

    @api.model
    def _is_absent(self, employee, date=None):
        date = date or fields.Date.context_today(self)
        return employee.id in self._absences(date)[1]


class _ForgetsAbsences(models.AbstractModel):
    """The models the absence map reads drop it when they change."""

    _name = "techdept.resolver.source"
    _description = "Source of the Who Acts Resolver"

    @api.model_create_multi
    def create(self, vals_list):
        forget_absences(self.env)
        return super().create(vals_list)

    def write(self, vals):
        forget_absences(self.env)
        return super().write(vals)

    def unlink(self):
        forget_absences(self.env)
        return super().unlink()


class HrLeave(models.Model):
    _name = "hr.leave"
    _inherit = ["hr.leave", "techdept.resolver.source"]


class HrDepartment(models.Model):
    _name = "hr.department"
    _inherit = ["hr.department", "techdept.resolver.source"]


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "techdept.resolver.source"]


class TechdeptDelegation(models.Model):
    _name = "techdept.delegation"
    _inherit = ["techdept.delegation", "techdept.resolver.source"]
