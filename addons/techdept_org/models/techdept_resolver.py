from odoo import api, fields, models


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
    def _absences(self, date):
        """Return ({absent employee id: {department id: deputy id}}, set of
        absent employee ids) for ``date``; two queries whatever the size."""
        delegations = (
            self.env["techdept.delegation"]
            .sudo()
            .search_read(
                [("date_from", "<=", date), ("date_to", ">=", date)],
                ["employee_id", "deputy_id", "department_id"],
                order="date_from, id",
            )
        )
        deputies = {}
        for row in delegations:
            deputies.setdefault(row["employee_id"][0], {}).setdefault(
                row["department_id"][0], row["deputy_id"][0]
            )
        leaves = (
            self.env["hr.leave"]
            .sudo()
            .search_read(
                [
                    ("state", "=", "validate"),
                    ("request_date_from", "<=", date),
                    ("request_date_to", ">=", date),
                ],
                ["employee_id"],
            )
        )
        absent = set(deputies) | {row["employee_id"][0] for row in leaves}
        return deputies, absent

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
    def _acting_for(self, employees, date=None):
        """Map each employee to the employee acting for him on ``date``."""
        date = date or fields.Date.context_today(self)
        deputies, absent = self._absences(date)
        Employee = self.env["hr.employee"]
        away = [emp_id for emp_id in employees.ids if emp_id in absent]
        managed = (
            self.env["hr.department"].sudo().search([("manager_id", "in", away)])
            if away
            else self.env["hr.department"]
        )
        result = {}
        for employee in employees.sudo():
            if employee.id not in absent:
                result[employee] = Employee.browse(employee.id)
                continue
            department = managed.filtered(lambda d, e=employee: d.manager_id == e)[:1]
            acting = self._resolve(employee.id, deputies, absent, department.id)
            if acting is None:
                acting = self._escalate(
                    department or employee.department_id,
                    employee.id,
                    deputies,
                    absent,
                )
            result[employee] = Employee.browse(acting)
        return result

    @api.model
    def _escalate(self, department, employee_id, deputies, absent):
        department = department.parent_id
        while department:
            manager = department.manager_id
            if manager and manager.id != employee_id:
                acting = self._resolve(manager.id, deputies, absent, department.id)
                if acting is not None:
                    return acting
            department = department.parent_id
        return employee_id

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
        department = self._function_department(function, company)
        if not department:
            return self.env["hr.employee"]
        return self._acting_managers(department, date)[department]

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
        deputies, absent = self._absences(date)
        if not absent:
            return self.env["hr.employee"]
        candidates = self.env["hr.employee"].sudo().browse(sorted(absent))
        acting = self._acting_for(candidates, date)
        return self.env["hr.employee"].browse(
            [emp.id for emp, who in acting.items() if who == employee and emp != who]
        )

    @api.model
    def _is_absent(self, employee, date=None):
        date = date or fields.Date.context_today(self)
        return employee.id in self._absences(date)[1]
