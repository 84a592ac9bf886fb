from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TechdeptProjectCase


@tagged("post_install", "-at_install")
class TestPlannedAcceptance(TechdeptProjectCase):
    """An implementation project past its planned acceptance and not
    accepted yet is late; accepted, or not due yet, it is not."""

    @freeze_time("2026-12-10")
    def test_late_until_its_acceptance_is_approved(self):
        Project = self.env["project.project"]
        due, future, undated = Project.create(
            [
                {
                    "name": name,
                    "techdept_kind": "implementation",
                    "techdept_implementation_manager_id": self.emp_b.id,
                    "techdept_planned_acceptance_date": planned,
                }
                for name, planned in (
                    ("Due", date(2026, 12, 1)),
                    ("Future", date(2027, 1, 15)),
                    ("Undated", False),
                )
            ]
        )
        service = Project.create(
            {
                "name": "Service",
                "techdept_kind": "om",
                "techdept_planned_acceptance_date": date(2026, 11, 1),
            }
        )
        projects = due | future | undated | service
        late = Project.search(
            [("id", "in", projects.ids), ("techdept_acceptance_late", "=", True)]
        )
        self.assertEqual(late, due)
        self.assertEqual(
            Project.search(
                [("id", "in", projects.ids), ("techdept_acceptance_late", "!=", True)]
            ),
            future | undated | service,
        )
        self.assertEqual(projects.filtered("techdept_acceptance_late"), due)
        # An acceptance in review is not enough; approved, the project is on
        # time whatever its planned date.
        acceptance = self.env["techdept.acceptance"].create({"project_id": due.id})
        self.assertTrue(
            Project.search_count(
                [("id", "=", due.id), ("techdept_acceptance_late", "=", True)]
            )
        )
        acceptance._approval_write({"approval_state": "approved"})
        due.invalidate_recordset(["techdept_acceptance_late"])
        self.assertFalse(due.techdept_acceptance_late)
        self.assertFalse(
            Project.search_count(
                [("id", "=", due.id), ("techdept_acceptance_late", "=", True)]
            )
        )
