from odoo import fields, models


class TechdeptProgressReport(models.Model):
    _inherit = "techdept.progress.report"

    def _techdept_report_reviewers(self, date):
        """An engineer on projects reports to the project manager of each
        (policy 4.4.3 item 3); a project manager to the project's
        implementation manager (4.4.2 item 3). Off projects, the
        organisation's rule applies (the O&M manager for the pool)."""
        self.ensure_one()
        employee = self.employee_id.sudo()
        assignments = (
            self.env["techdept.assignment"]
            .sudo()
            .search(
                [
                    ("employee_id", "=", employee.id),
                    ("date_from", "<=", date),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", date),
                ],
                order="date_from, id",
            )
        )
        managed = (
            self.env["project.project"]
            .sudo()
            .search(
                [
                    ("techdept_project_manager_id", "=", employee.id),
                    ("techdept_kind", "=", "implementation"),
                    ("techdept_phase_id.is_closed", "=", False),
                ]
            )
        )
        reviewers = []
        for project in assignments.project_id | managed:
            leads = (
                project.techdept_project_manager_id == employee
                or assignments.filtered(
                    lambda a, p=project: (
                        a.project_id == p and a.role == "project_manager"
                    )
                )
            )
            reviewer = (
                project.techdept_implementation_manager_id
                if leads
                else project.techdept_project_manager_id
                or project.techdept_implementation_manager_id
            )
            if reviewer and reviewer != employee:
                reviewers.append((reviewer, project))
        return reviewers or super()._techdept_report_reviewers(date)

    def _techdept_report_figures(self):
        """Add the projects worked on (assignments, documents, O&M services
        served) and the repairs and on-site reports handled."""
        figures = super()._techdept_report_figures()
        employee = self.employee_id
        user = self.user_id
        start, end = self._techdept_window()
        Project = self.env["project.project"].sudo()
        projects = (
            self.env["techdept.assignment"]
            .sudo()
            .search(
                [
                    ("employee_id", "=", employee.id),
                    ("date_from", "<=", self.period_end),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", self.period_start),
                ]
            )
            .project_id
        )
        repairs = self.env["techdept.repair"]
        onsite = self.env["techdept.onsite.report"]
        if user:
            documents = (
                self.env["techdept.document"]
                .sudo()
                .search(
                    [
                        ("author_id", "=", user.id),
                        ("res_model", "=", "project.project"),
                        ("write_date", ">=", start),
                        ("write_date", "<", end),
                    ]
                )
            )
            projects |= Project.browse(documents.mapped("res_id")).exists()
            repairs = (
                self.env["techdept.repair"]
                .sudo()
                .search(
                    [
                        ("create_uid", "=", user.id),
                        ("create_date", ">=", start),
                        ("create_date", "<", end),
                    ]
                )
            )
        onsite = (
            self.env["techdept.onsite.report"]
            .sudo()
            .search(
                [
                    ("employee_id", "=", employee.id),
                    ("approval_submitted_date", ">=", start),
                    ("approval_submitted_date", "<", end),
                ]
            )
        )
        projects |= repairs.project_id | onsite.project_id
        if projects or employee.techdept_is_pool:
            figures.append(
                {
                    "kind": "projects_touched",
                    "sequence": 200,
                    "value": len(projects),
                    "detail": self._techdept_names(projects.mapped("name")),
                }
            )
        if repairs or employee.techdept_is_pool:
            figures.append(
                {
                    "kind": "repairs_handled",
                    "sequence": 210,
                    "value": len(repairs),
                    "detail": self._techdept_names(repairs.mapped("name")),
                }
            )
        if onsite:
            figures.append(
                {
                    "kind": "onsite_reports",
                    "sequence": 220,
                    "value": len(onsite),
                    "detail": self._techdept_names(onsite.project_id.mapped("name")),
                }
            )
        return figures


class TechdeptProgressReportFigure(models.Model):
    _inherit = "techdept.progress.report.figure"

    kind = fields.Selection(
        selection_add=[
            ("projects_touched", "Projects worked on"),
            ("repairs_handled", "Repairs and replacements handled"),
            ("onsite_reports", "On-site reports submitted"),
        ],
        ondelete={
            "projects_touched": "cascade",
            "repairs_handled": "cascade",
            "onsite_reports": "cascade",
        },
    )
