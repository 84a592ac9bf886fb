import base64
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TechdeptOrgCase
from .integrity import RefusalMixin


@tagged("post_install", "-at_install")
class TestTraining(RefusalMixin, TechdeptOrgCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["techdept.training.plan"]
        cls.Session = cls.env["techdept.training.session"]

    def _plan(self, user=None):
        return self.Plan.with_user(user or self.user_presales_mgr).create(
            {
                "name": "2026 H2 training plan",
                "date_from": date(2026, 7, 1),
                "date_to": date(2026, 12, 31),
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Video surveillance platform",
                            "kind": "vendor",
                            "stream": "om",
                            "date": date(2026, 7, 15),
                            "hours": 4,
                        },
                    )
                ],
            }
        )

    def _session(self, plan=None, hours=3.0):
        return self.Session.with_user(self.user_a).create(
            {
                "name": "Camera maintenance",
                "kind": "internal",
                "stream": "om",
                "trainer_id": self.emp_a.id,
                "date": datetime(2026, 7, 15, 6, 0),
                "hours": hours,
                "plan_id": plan.id if plan else False,
                "attendance_ids": [
                    (0, 0, {"employee_id": self.emp_engineer.id}),
                    (0, 0, {"employee_id": self.emp_onsite.id}),
                ],
            }
        )

    def test_plan_drawn_up_then_approved_by_the_director(self):
        plan = self._plan()
        self.assertEqual(plan.responsible_id, self.emp_presales_mgr)
        self.assertEqual(plan.assistant_id, self.emp_a)
        # The O&M manager helps.
        plan.with_user(self.user_a).line_ids[0].hours = 6
        self.assertEqual(plan.planned_hours, 6)
        plan.with_user(self.user_presales_mgr).action_approval_submit()
        self.assertEqual(plan.approval_current_user_ids, self.user_director)
        plan.with_user(self.user_director).action_approval_approve()
        self.assertEqual(plan.approval_state, "approved")
        self.assertRefused(
            UserError,
            "under review or approved",
            lambda: plan.line_ids.with_user(self.user_presales_mgr).write({"hours": 2}),
            records=plan.line_ids,
            fields=["hours"],
        )
        self.assertRefused(
            UserError,
            "cannot be changed",
            lambda: plan.with_user(self.user_presales_mgr).write(
                {"date_to": date(2027, 1, 31)}
            ),
            records=plan,
            fields=["date_to"],
        )

    def test_who_draws_up_plans(self):
        self.assertRefused(
            AccessError,
            "draw up training plans",
            lambda: self._plan(self.user_engineer),
            model="techdept.training.plan",
        )
        self.assertRefused(
            AccessError,
            "draw up training plans",
            lambda: self._plan(self.user_b),
            model="techdept.training.plan",
        )
        plan = self._plan()
        self.assertRefused(
            AccessError,
            "draw up training plans",
            lambda: plan.with_user(self.user_b).write({"name": "Mine now"}),
            records=plan,
            fields=["name"],
        )

    def test_session_attendance_counts_once_held(self):
        session = self._session()
        with self.assertRaisesRegex(UserError, "Record who attended"):
            session.with_user(self.user_a).action_done()
        attendance = session.attendance_ids.filtered(
            lambda a: a.employee_id == self.emp_engineer
        )
        attendance.with_user(self.user_a).attended = True
        self.assertEqual(attendance.hours, 3.0, "attended: the session's hours")
        Attendance = self.env["techdept.training.attendance"]
        staff = self.emp_engineer | self.emp_onsite
        july = (date(2026, 7, 1), date(2026, 7, 31))
        self.assertEqual(Attendance._techdept_hours(staff, *july), {}, "not held yet")
        session.with_user(self.user_a).action_done()
        hours = Attendance._techdept_hours(staff, *july)
        self.assertEqual(
            hours[self.emp_engineer.id],
            {"hours": 3.0, "attended": 1, "invited": 1, "invited_attended": 1},
        )
        self.assertEqual(
            hours[self.emp_onsite.id],
            {"hours": 0.0, "attended": 0, "invited": 1, "invited_attended": 0},
        )
        with freeze_time("2026-07-20"):
            self.assertEqual(self.emp_engineer.techdept_training_hours_month, 3.0)
            self.assertEqual(self.emp_engineer.techdept_training_sessions_month, 1)
            self.assertEqual(self.emp_onsite.techdept_training_invited_month, 1)
            public = self.env["hr.employee.public"].browse(self.emp_engineer.id)
            self.assertEqual(
                public.with_user(self.user_onsite).techdept_training_hours_month, 3.0
            )
        # The engineer's progress report of the week shows it.
        with freeze_time("2026-07-15"):
            self.env["techdept.progress.report"]._cron_progress_reports()
        report = self.env["techdept.progress.report"].search(
            [
                ("employee_id", "=", self.emp_engineer.id),
                ("period_start", "=", date(2026, 7, 13)),
            ]
        )
        report.with_user(self.user_engineer).action_fill_figures()
        figure = report.figure_ids.filtered(lambda f: f.kind == "training_hours")
        self.assertEqual((figure.value, figure.detail), (3.0, "Camera maintenance"))

    def test_only_organisers_record_attendance(self):
        session = self._session()
        line = session.attendance_ids[:1]
        self.assertRefused(
            AccessError,
            "organise Camera maintenance",
            lambda: line.with_user(self.user_engineer).write({"attended": True}),
            records=line,
            fields=["attended", "hours"],
        )
        self.assertRefused(
            AccessError,
            "organise training sessions",
            lambda: self.Session.with_user(self.user_engineer).create(
                {"name": "Self-taught", "date": datetime(2026, 7, 1), "hours": 8}
            ),
            model="techdept.training.session",
        )
        self.assertRefused(
            AccessError,
            "cannot be written directly",
            lambda: session.with_user(self.user_a).write({"state": "done"}),
            records=session,
            fields=["state"],
        )
        self.assertRefused(
            ValidationError,
            "for at most 3.0 hours",
            lambda: line.with_user(self.user_a).write({"attended": True, "hours": 5}),
            records=line,
            fields=["hours"],
        )
        # The supervision manager is not in charge of training.
        supervision_user, _employee = self._manager_of_supervision()
        self.assertRefused(
            AccessError,
            "organise",
            lambda: session.with_user(supervision_user).write({"hours": 2}),
            records=session,
            fields=["hours"],
        )

    def test_held_session_changes_only_once_reopened(self):
        session = self._session()
        line = session.attendance_ids.filtered(
            lambda a: a.employee_id == self.emp_engineer
        )
        line.with_user(self.user_a).attended = True
        session.with_user(self.user_a).action_done()
        other = session.attendance_ids - line
        self.assertRefused(
            UserError,
            "no longer changes",
            lambda: other.with_user(self.user_a).write({"attended": True}),
            records=other,
            fields=["attended"],
        )
        self.assertRefused(
            UserError,
            "no longer changes",
            lambda: session.with_user(self.user_a).write({"hours": 8}),
            records=session,
            fields=["hours"],
        )
        with self.assertRaisesRegex(UserError, "no longer changes"):
            line.with_user(self.user_a).unlink()
        with self.assertRaisesRegex(AccessError, "reopens"):
            session.with_user(self.user_a).action_reset()
        session.with_user(self.user_director).action_reset()
        other.with_user(self.user_a).write({"attended": True})
        self.assertEqual(other.hours, 3.0)

    def test_the_engineer_a_session_is_handed_to_organises_it(self):
        session = self._session()
        self.assertRefused(
            AccessError,
            "organise Camera maintenance",
            lambda: session.with_user(self.user_engineer).write(
                {"organiser_id": self.user_engineer.id}
            ),
            records=session,
            fields=["organiser_id"],
        )
        session.with_user(self.user_a).organiser_id = self.user_engineer
        self.assertTrue(session.with_user(self.user_engineer).can_organise)
        # He records who came, corrects the session and closes it.
        line = session.attendance_ids.filtered(
            lambda a: a.employee_id == self.emp_onsite
        )
        line.with_user(self.user_engineer).attended = True
        session.with_user(self.user_engineer).location = "Meeting room 2"
        session.with_user(self.user_engineer).action_done()
        self.assertEqual(session.state, "done")
        self.assertEqual(line.hours, 3.0)
        self.assertEqual(session.location, "Meeting room 2")
        # A colleague who does not organise it records nothing.
        other = self._session()
        self.assertRefused(
            AccessError,
            "organise Camera maintenance",
            lambda: (
                other.attendance_ids[:1]
                .with_user(self.user_onsite)
                .write({"attended": True})
            ),
            records=other.attendance_ids[:1],
            fields=["attended"],
        )
        self.assertRefused(
            AccessError,
            "organise Camera maintenance",
            lambda: other.with_user(self.user_onsite).write({"hours": 2}),
            records=other,
            fields=["hours"],
        )

    def _manager_of_supervision(self):
        from .common import techdept_person

        return techdept_person(
            self.env,
            "td_supervision_manager",
            "techdept_org.group_manager",
            "supervision_manager",
            "dept_supervision",
            manages="dept_supervision",
        )

    def test_sessions_of_approved_plans_only(self):
        plan = self._plan()
        with self.assertRaisesRegex(ValidationError, "not approved yet"):
            self._session(plan)

    def test_materials_archived_into_the_streams_knowledge_base(self):
        session = self._session()
        action = session.with_user(self.user_a).action_open_materials()
        material_type = self.env.ref("techdept_org.document_type_training_material_om")
        self.assertEqual(action["context"]["default_type_id"], material_type.id)
        Document = self.env["techdept.document"]
        material = (
            Document.with_user(self.user_a)
            .with_context(action["context"])
            .create({"name": "Camera maintenance slides"})
        )
        material.attachment_ids = (
            self.env["ir.attachment"]
            .with_user(self.user_a)
            .create(
                {
                    "name": "slides.txt",
                    "datas": base64.b64encode(b"clean the dome"),
                    "res_model": material._name,
                    "res_id": material.id,
                }
            )
        )
        self.assertEqual(session.document_count, 1)
        # An engineer reads the materials, adds none.
        self.assertEqual(
            Document.with_user(self.user_engineer).search(
                [("res_model", "=", session._name), ("res_id", "=", session.id)]
            ),
            material,
        )
        self.assertRefused(
            UserError,
            "no access to the record",
            lambda: (
                Document.with_user(self.user_engineer)
                .with_context(action["context"])
                .create({"name": "My notes"})
            ),
            model="techdept.document",
        )
        session.with_user(self.user_a).action_archive_materials()
        self.assertTrue(material.archive_date)
        self.assertEqual(material.knowledge_base, "om")
