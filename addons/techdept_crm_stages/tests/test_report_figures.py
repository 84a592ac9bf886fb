from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TechdeptCrmCase


@tagged("post_install", "-at_install")
class TestReportFigures(TechdeptCrmCase):
    """The presales engineer's weekly report: his work log by category and
    the leads he worked on, filled in by the suite; reviewed by the presales
    manager."""

    def test_worklog_and_leads_in_the_weekly_report(self):
        lead = self._lead("Campus network")
        other = self._lead("Data centre upgrade")
        Worklog = self.env["techdept.worklog"].with_user(self.user_presales)
        for day, kind, hours, lead_id in (
            (date(2026, 6, 8), "project_support", 3.0, lead),
            (date(2026, 6, 9), "project_support", 2.5, lead),
            (date(2026, 6, 10), "training", 4.0, False),
            (date(2026, 6, 1), "project_support", 8.0, other),  # the week before
        ):
            Worklog.create(
                {
                    "date": day,
                    "kind": kind,
                    "hours": hours,
                    "lead_id": lead_id and lead_id.id,
                    "name": f"{kind} {day}",
                }
            )
        Report = self.env["techdept.progress.report"]
        with freeze_time("2026-06-10"):
            Report._cron_progress_reports()
        report = Report.search(
            [
                ("employee_id", "=", self.emp_presales.id),
                ("period_start", "=", date(2026, 6, 8)),
            ]
        )
        for section in report.with_user(self.user_presales).section_ids:
            section.body = "Solution for the campus network."
        with freeze_time("2026-06-12"):
            report.with_user(self.user_presales).action_submit()
        figures = {
            (figure.kind, figure.key): figure
            for figure in report.with_context(lang="en_US").figure_ids
        }
        support = figures["worklog_hours", "project_support"]
        self.assertEqual(support.value, 5.5)
        self.assertEqual(support.name, "Work log hours: Presales Project Support")
        self.assertEqual(figures["worklog_hours", "training"].value, 4.0)
        leads = figures["leads_touched", False]
        self.assertEqual((leads.value, leads.detail), (1.0, "Campus network"))
        self.assertEqual(report.review_ids.reviewer_id, self.emp_presales_mgr)
        with freeze_time("2026-06-12"):
            report.with_user(self.user_presales_mgr).action_review()
        self.assertEqual(report.state, "reviewed")
