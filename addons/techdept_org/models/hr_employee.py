from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    techdept_role = fields.Selection(
        related="job_id.techdept_role", string="Policy Role", store=True
    )
    techdept_is_pool = fields.Boolean(
        related="job_id.techdept_is_pool",
        string="Technical Engineer",
        store=True,
        help="After-sales and on-site O&M engineers form the pool from which "
        "project managers and implementation engineers are drawn.",
    )
    techdept_duty_ids = fields.One2many(
        related="job_id.techdept_duty_ids", string="Duties"
    )

    # Line manager extension points (F5). A project borrows an engineer from
    # the pool by calling _techdept_set_line_manager() and gives him back with
    # _techdept_restore_line_manager(); nothing else writes parent_id for it.

    def _techdept_home_manager(self):
        """Map each employee to the manager he reports to outside any project:
        the holder of his department's manager position (A), or the manager
        above when he holds it himself. An absence is covered by delegation
        (B acts for A), never by changing line managers."""
        result = {}
        for employee in self.sudo():
            department = employee.department_id
            manager = department.manager_id
            while department and (not manager or manager == employee):
                department = department.parent_id
                manager = department.manager_id
            result[employee] = (
                manager.with_env(self.env) if manager != employee else self.browse()
            )
        return result

    def _techdept_set_line_manager(self, manager, reason):
        """Put the employees under ``manager`` (hr.employee) and say why on
        their chatter; Odoo's own approvals then follow the new manager."""
        for employee in self.filtered(lambda e: e.parent_id != manager):
            previous = employee.parent_id
            employee.sudo().parent_id = manager
            employee.sudo()._techdept_post(
                lambda env, previous=previous: env._(
                    "Line manager changed from %(old)s to %(new)s: %(reason)s",
                    old=previous.name or env._("nobody"),
                    new=manager.name or env._("nobody"),
                    reason=reason,
                ),
            )

    def _techdept_restore_line_manager(self, reason):
        """Give the employees back to their home manager (see
        _techdept_home_manager)."""
        homes = self._techdept_home_manager()
        for employee in self:
            employee._techdept_set_line_manager(homes[employee], reason)
