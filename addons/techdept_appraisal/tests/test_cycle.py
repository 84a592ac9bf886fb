import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.techdept_org.tests.common import english_chatter, techdept_person
from odoo.addons.techdept_org.tests.integrity import RefusalMixin

from .test_appraisal import AppraisalCase

SERVER = "cannot be written directly: the system sets them"
HOSTILE_CONTEXT = {
    "techdept_server": True,
    "techdept_appeal_return": True,
    "techdept_appeal_decide": True,
    "techdept_approval_unlock": True,
}


class CycleCase(RefusalMixin, AppraisalCase):
    """The month as a conversation: September 2026, generated on its first
    day with self-assessment asked by every template; the general manager's
    office decides the managers' appeals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_chatter(cls.env)
        # Demo data may hold this month; the tests bring their own.
        cls.env["techdept.appraisal.period"].search(
            [("date_from", "=", date(2026, 9, 1))]
        ).date_from = date(1996, 9, 1)
        cls.env["techdept.kpi.template"].search([]).self_assessment = True
        cls.user_gm, cls.emp_gm = techdept_person(
            cls.env,
            "ap_gm",
            "techdept_org.group_gm_office",
            None,
            "dept_gm_office",
            "dept_gm_office",
        )
        with freeze_time("2026-09-01"):
            cls.month = cls.env["techdept.appraisal.period"].create(
                {"date_from": date(2026, 9, 1)}
            )
            cls.month.with_user(cls.user_director).action_generate()
        cls.forms = cls.month.appraisal_ids

    def _form(self, employee):
        return self.forms.filtered(lambda a: a.employee_id == employee)

    def _sheet_line(self, form, source=None):
        lines = form.sudo().sheet_id.line_ids
        if source:
            lines = lines.filtered(lambda li: li.source == source)
        return lines[:1]

    def _agree_goals(self, form):
        """The appraiser writes and proposes the goals, the employee
        confirms them."""
        sheet = form.sudo().sheet_id
        appraiser = form.appraiser_user_id
        for line in sheet.line_ids:
            line.with_user(appraiser).goal = f"Goal for {line.name}"
        sheet.with_user(appraiser).action_propose_goals()
        sheet.with_user(form.employee_user_id).action_confirm_goals()
        return sheet

    def _open_scoring(self, day="2026-10-08"):
        with freeze_time(day):
            self.month.with_user(self.user_director).action_generate()

    def _self_assess(self, form, score=80.0):
        sheet = form.sudo().sheet_id
        employee = form.employee_user_id
        for line in sheet.line_ids:
            line.with_user(employee).write(
                {"self_score": min(score, line.max_score), "self_comment": "Done"}
            )
        sheet.with_user(employee).action_submit_self_assessment()

    def _approved(self, form, score=85.0, day="2026-10-09"):
        """Self-assessed, scored, submitted and approved on ``day``."""
        if form.state == "goals":
            self._open_scoring()
        if form.state == "self_assessment":
            self._self_assess(form)
        self._score_all(form, form.appraiser_user_id, score)
        appraiser = form.with_user(form.appraiser_user_id)
        appraiser.action_mark_scored()
        appraiser.action_approval_submit()
        with freeze_time(day):
            approver = (
                self.user_director
                if form.employee_user_id != self.user_director
                else self.user_gm
            )
            form.with_user(approver).action_approval_approve()
        self.assertEqual(form.state, "approved")
        return form

    def _appeal(self, form, reason="The teamwork score ignores the cut-over."):
        action = form.with_user(form.employee_user_id).action_appeal()
        wizard = (
            self.env[action["res_model"]]
            .with_user(form.employee_user_id)
            .with_context(**action["context"])
            .create({"reason": reason})
        )
        result = wizard.action_confirm()
        return self.env["techdept.appraisal.appeal"].browse(result["res_id"])

    def _decide(self, appeal, user, outcome, comment="Heard both sides."):
        action = appeal.with_user(user)._decision_wizard(outcome)
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"comment": comment})
        )
        wizard.action_confirm()


@tagged("post_install", "-at_install")
class TestCycle(CycleCase):
    def test_month_end_to_end_for_one_engineer(self):
        """Goals → self-assessment → scoring → approval → appeal → upheld,
        for the presales engineer and his manager."""
        form = self._form(self.emp_presales)
        employee, appraiser = self.user_presales, self.user_presales_mgr
        sheet = form.sudo().sheet_id
        self.assertEqual(form.state, "goals")
        self.assertEqual(sheet.stage, "goals")
        self.assertEqual(sheet.goals_state, "draft")
        # The month's deadlines on the working calendar: goals by its third
        # working day; after the National Day week, the self-assessment by
        # the third working day of October (the make-up Saturday counts), the
        # form by the fifth.
        self.assertEqual(self.month.goals_deadline, date(2026, 9, 3))
        self.assertEqual(self.month.self_assessment_deadline, date(2026, 10, 10))
        self.assertEqual(self.month.deadline, date(2026, 10, 13))
        # The employee reads his sheet, never his form before submission.
        Appraisal = self.env["techdept.appraisal"].with_user(employee)
        self.assertFalse(Appraisal.search([("id", "=", form.id)]))
        self.assertFalse(sheet.with_user(employee).can_set_goals)
        self.assertEqual(
            sheet.with_user(employee).line_ids.mapped("name"),
            form.line_ids.mapped("name"),
        )
        # The to-do of the goals: first the appraiser's.
        with freeze_time("2026-09-01"):
            self.env["techdept.appraisal"]._remind_cycle()
            self.env["techdept.appraisal"]._remind_cycle()
        todo = sheet.activity_ids
        self.assertEqual(todo.user_id, appraiser)
        self.assertEqual(todo.date_deadline, date(2026, 9, 3))

        # Goals: free text on each item, a measurable target on the
        # computed ones, proposed by the appraiser, confirmed by the employee.
        hours = self._sheet_line(form, "worklog_hours")
        deliverables = self._sheet_line(form, "deliverables_approved")
        hours.with_user(appraiser).write({"goal": "Log every visit", "goal_target": 10})
        deliverables.with_user(appraiser).write({"goal": "Two solutions"})
        sheet.with_user(employee).line_ids.filtered(lambda li: li.source == "manual")[
            :1
        ].goal = "Answer within a day"
        sheet.with_user(appraiser).action_propose_goals()
        self.assertEqual(sheet.goals_state, "proposed")
        self.assertEqual(sheet.activity_ids.user_id, employee)
        sheet.with_user(employee).action_confirm_goals()
        self.assertEqual(sheet.goals_state, "confirmed")
        self.assertFalse(sheet.activity_ids)
        # A later change is told in the sheet's history and goes back to
        # the employee for confirmation.
        hours.with_user(appraiser).goal_target = 12
        self.assertEqual(sheet.goals_state, "proposed")
        self.assertTrue(
            sheet.message_ids.filtered(
                lambda m: "10.0 → 12.0" in m.body and appraiser.name in m.body
            )
        )
        sheet.with_user(employee).action_confirm_goals()

        # Work during the month: 9 hours logged of the 12 agreed.
        self.env["techdept.worklog"].create(
            {
                "employee_id": self.emp_presales.id,
                "date": date(2026, 9, 20),
                "hours": 9,
                "kind": "training",
                "name": "Site visit",
            }
        )

        # After the month scoring opens: the employee assesses himself.
        self._open_scoring()
        self.assertEqual(form.state, "self_assessment")
        self.assertEqual(sheet.stage, "self_assessment")
        line = form.line_ids.filtered(lambda li: li.source == "worklog_hours")
        self.assertEqual(line.value, 9)
        self.assertEqual(line.goal_target, 12)
        self.assertAlmostEqual(line.score, 9 / 12 * line.max_score, places=2)
        with freeze_time("2026-10-08"):
            self.env["techdept.appraisal"]._remind_cycle()
        todo = sheet.activity_ids
        self.assertEqual(todo.user_id, employee)
        self.assertEqual(todo.date_deadline, date(2026, 10, 10))
        for sheet_line in sheet.with_user(employee).line_ids:
            sheet_line.write(
                {"self_score": sheet_line.max_score * 0.9, "self_comment": "Fine"}
            )
        # The appraiser does not see the self-assessment before it is in.
        manual = form.with_user(appraiser).line_ids.filtered(
            lambda li: li.source == "manual"
        )[:1]
        self.assertFalse(manual.self_score)
        self.assertEqual(manual.goal, "Answer within a day")
        sheet.with_user(employee).action_submit_self_assessment()
        self.assertEqual(form.state, "draft")
        self.assertEqual(sheet.stage, "scoring")
        self.assertFalse(sheet.activity_ids)
        self.assertEqual(form.activity_ids.user_id, appraiser)
        self.assertEqual(form.activity_ids.date_deadline, date(2026, 10, 13))

        # The appraiser scores beside it; the employee still sees nothing.
        mine = form.with_user(appraiser)
        self.assertAlmostEqual(mine.self_total, 90.0, places=2)
        self.assertAlmostEqual(
            mine.line_ids.filtered(lambda li: li.id == manual.id).self_score,
            manual.max_score * 0.9,
        )
        self._score_all(form, appraiser, 82.0)
        self.assertFalse(Appraisal.search([("id", "=", form.id)]))
        with self.assertRaises(AccessError):
            form.line_ids.with_user(employee).read(["score"])
        mine.action_mark_scored()
        mine.action_approval_submit()
        self.assertEqual(Appraisal.search([("id", "=", form.id)]), form)
        self.assertAlmostEqual(form.with_user(employee).self_total, 90.0, places=2)

        # Approved on Friday 9 October: the window to appeal is three
        # working days, the make-up Saturday first.
        with freeze_time("2026-10-09"):
            form.with_user(self.user_director).action_approval_approve()
        self.assertEqual(form.state, "approved")
        self.assertEqual(form.appeal_deadline, date(2026, 10, 13))
        self.assertEqual(
            form.activity_ids.filtered(lambda a: a.user_id == employee).date_deadline,
            date(2026, 10, 13),
        )
        grade, total = form.grade_band_id, form.total_score

        # The employee appeals; the director decides and upholds.
        with freeze_time("2026-10-12"):
            self.assertTrue(form.with_user(employee).can_appeal)
            appeal = self._appeal(form)
        self.assertEqual(form.state, "appealed")
        self.assertEqual(appeal.approval_state, "pending")
        self.assertFalse(appeal.for_gm_office)
        self.assertEqual(appeal.approval_current_user_ids, self.user_director)
        self.assertIn(self.user_director, appeal.activity_ids.user_id)
        self.assertFalse(form.activity_ids.filtered(lambda a: a.user_id == employee))
        self.assertIn("teamwork", appeal.with_user(appraiser).reason)
        self._decide(appeal, self.user_director, "upheld", "The score is fair.")
        self.assertEqual(appeal.outcome, "upheld")
        self.assertEqual(appeal.approval_state, "approved")
        self.assertEqual(form.state, "acknowledged")
        self.assertEqual(form.acknowledgement, "appeal")
        self.assertEqual((form.grade_band_id, form.total_score), (grade, total))
        self.assertEqual(appeal.approval_line_ids.acted_by_id, self.user_director)
        self.assertIn("The score is fair.", appeal.approval_line_ids.comment)
        # The month can be locked.
        self.month.appraisal_ids.filtered(lambda a: a != form).sudo().write(
            {"state": "acknowledged"}
        )
        self.month.with_user(self.user_director).action_lock()
        self.assertEqual(form.state, "locked")

    def test_returned_appeal_reopens_the_form_and_flags_the_bonus(self):
        form = self._form(self.emp_eng2)
        self._approved(form, score=85.0)
        self.assertEqual(form.grade_band_id.name, "B")
        project = self.env["project.project"].search(
            [("name", "=", "Data centre")], limit=1
        )
        pool = (
            self.env["techdept.bonus.pool"]
            .with_user(self.user_om)
            .create(
                {
                    "name": "January bonus",
                    "project_id": project.id,
                    "amount": 1000.0,
                    "presales_percent": 0.0,
                    "implementation_percent": 0.0,
                    "om_percent": 100.0,
                    "period_ids": [Command.set(self.month.ids)],
                    "line_ids": [
                        Command.create(
                            {"stream": "om", "employee_id": self.emp_eng2.id}
                        )
                    ],
                }
            )
        )
        line = pool.line_ids
        self.assertEqual(line.coefficient, 1.0)
        pool.with_user(self.user_om).action_approval_submit()
        pool.with_user(self.user_director).action_approval_approve()

        with freeze_time("2026-10-12"):
            appeal = self._appeal(form)
        # Under appeal, the form feeds no new proposal.
        draft = (
            self.env["techdept.bonus.pool"]
            .with_user(self.user_om)
            .create(
                {
                    "name": "Proposal during the appeal",
                    "project_id": project.id,
                    "amount": 500.0,
                    "presales_percent": 0.0,
                    "implementation_percent": 0.0,
                    "om_percent": 100.0,
                    "period_ids": [Command.set(self.month.ids)],
                    "line_ids": [
                        Command.create(
                            {"stream": "om", "employee_id": self.emp_eng2.id}
                        )
                    ],
                }
            )
        )
        self.assertEqual(draft.appeal_employee_ids, self.emp_eng2)
        self.assertEqual(draft.line_ids.coefficient, 1.0)
        # Returned: the engine reopens the form for its appraiser.
        first_round = form.approval_line_ids
        self._decide(appeal, self.user_director, "returned", "Rescore teamwork.")
        self.assertEqual(appeal.outcome, "returned")
        self.assertEqual(form.state, "draft")
        self.assertEqual(form.approval_state, "draft")
        reopened = first_round.decision_ids.filtered(lambda d: d.decision == "reopened")
        self.assertEqual(reopened.user_id, self.user_director)
        self.assertIn("Rescore teamwork.", reopened.comment)
        self.assertEqual(form.activity_ids.user_id, self.user_om)
        # Rescored and approved again with another grade: the approved pool
        # is flagged for the director, its line unchanged.
        self._score_all(form, self.user_om, 95.0)
        form.with_user(self.user_om).action_mark_scored()
        form.with_user(self.user_om).action_approval_submit()
        form.with_user(self.user_director).action_approval_approve()
        self.assertEqual(form.grade_band_id.name, "A")
        self.assertEqual(form.approval_round, 2)
        self.assertTrue(pool.grade_changed)
        self.assertIn("B → A", pool.grade_change_note)
        self.assertEqual(line.coefficient, 1.0)
        self.assertEqual(pool.approval_state, "approved")
        self.assertIn(
            self.user_director,
            pool.activity_ids.filtered(lambda a: "Grades changed" in a.summary).user_id,
        )
        self.assertRefused(
            AccessError,
            "Only the technical director clears",
            pool.with_user(self.user_om).action_clear_grade_change,
            records=pool,
            fields=["grade_changed"],
        )
        pool.with_user(self.user_director).action_clear_grade_change()
        self.assertFalse(pool.grade_changed)

    def test_a_managers_appeal_is_decided_by_the_gm_office(self):
        form = self._form(self.emp_om)
        self.assertEqual(form.appraiser_id, self.emp_director)
        self._approved(form, score=75.0)
        with freeze_time("2026-10-12"):
            appeal = self._appeal(form, "My O&M figures were counted twice.")
        self.assertTrue(appeal.for_gm_office)
        self.assertEqual(appeal.approval_current_user_ids, self.user_gm)
        # The director appraised him: he does not decide.
        self.assertRefused(
            UserError,
            "may review step",
            lambda: self._decide(appeal, self.user_director, "upheld"),
            records=appeal,
            fields=["approval_state", "outcome"],
        )
        # The general manager's office reads the appeal and the form's items
        # there, not the form itself.
        self.assertIn("75.00", appeal.with_user(self.user_gm).summary)
        with self.assertRaises(AccessError):
            form.with_user(self.user_gm).read(["total_score"])
        self._decide(appeal, self.user_gm, "returned", "Count them once.")
        self.assertEqual(form.state, "draft")
        reopened = form.approval_line_ids.decision_ids.filtered(
            lambda d: d.decision == "reopened"
        )
        self.assertEqual(reopened.user_id, self.user_gm)

    def test_sheet_and_pdf_show_self_score_and_final_score(self):
        form = self._approved(self._form(self.emp_eng2), score=85.0)
        self.assertAlmostEqual(form.self_total, 80.0, places=2)
        # The month's sheet: a self score column beside the total.
        workbook = openpyxl.load_workbook(
            io.BytesIO(self.month.with_user(self.user_director)._techdept_xlsx_sheet())
        )
        sheet = workbook.active
        header = [cell.value for cell in sheet[2]]
        self.assertEqual(header[header.index("Self Score") + 1], "Total Score", header)
        rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row)}
        row = rows[self.emp_eng2.name]
        self_col = header.index("Self Score") + 1
        self.assertEqual(sheet.cell(row=row, column=self_col).value, 80.0)
        self.assertEqual(
            sheet.cell(row=row, column=self_col + 1).value, form.total_score
        )
        # The printed form: each item's self score and the self total.
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_eng2)
            ._render_qweb_html("techdept_appraisal.report_appraisal", form.ids)
        )
        html = html.decode()
        self.assertIn("Self Score", html)
        self.assertIn("80.00", html)
        self.assertIn(f"{form.total_score:.2f}", html)

    def test_whoever_acts_for_the_director_decides(self):
        form = self._approved(self._form(self.emp_presales))
        self.env["techdept.delegation"].create(
            {
                "employee_id": self.emp_director.id,
                "deputy_id": self.emp_impl.id,
                "department_id": self.env.ref("techdept_org.dept_technical").id,
                "date_from": date(2026, 10, 12),
                "date_to": date(2026, 10, 20),
            }
        )
        with freeze_time("2026-10-12"):
            appeal = self._appeal(form)
            deputy = appeal.with_user(self.user_impl)
            self.assertTrue(deputy.can_approve)
            self.assertIn("teamwork", deputy.reason)
            self._decide(appeal, self.user_impl, "upheld", "Fair.")
        line = appeal.approval_line_ids
        self.assertEqual(line.acted_by_id, self.user_impl)
        self.assertEqual(line.on_behalf_of_id, self.user_director)
        self.assertEqual(form.state, "acknowledged")

    def test_appeal_window_counts_working_days_then_lapses(self):
        form = self._form(self.emp_eng)
        # Approved on Thursday 8 October: Friday, the make-up Saturday and
        # Monday make the three working days.
        self._approved(form, day="2026-10-08")
        self.assertEqual(form.appeal_deadline, date(2026, 10, 12))
        employee = form.with_user(self.user_eng)
        with freeze_time("2026-10-12"):
            self.assertTrue(employee.can_appeal)
        with freeze_time("2026-10-13"):
            form.invalidate_recordset(["can_appeal"])
            self.assertFalse(employee.can_appeal)
            self.assertRefused(
                UserError,
                "appeal window of .* closed on 2026-10-12",
                employee.action_appeal,
                records=form,
                fields=["state"],
                model="techdept.appraisal.appeal",
            )
            lapsed = self.env["techdept.appraisal"]._lapse_appeal_windows()
        self.assertIn(form, lapsed)
        self.assertEqual(form.state, "acknowledged")
        self.assertEqual(form.acknowledgement, "lapsed")
        self.assertFalse(
            form.activity_ids.filtered(lambda a: a.user_id == self.user_eng)
        )
        self.assertTrue(
            form.message_ids.filtered(lambda m: "appeal window closed" in m.body)
        )

    def test_who_appraises_is_settled_again_when_scoring_opens(self):
        """A new assignment, a delegation and a changed template during the
        month are honoured when scoring opens."""
        form = self._form(self.emp_eng2)
        self._agree_goals(form)
        self.assertEqual(form.appraiser_id, self.emp_om)
        self.assertFalse(form.co_appraiser_id)
        # Drawn into the data centre project in the middle of the month.
        project = self.env["project.project"].search(
            [("name", "=", "Data centre")], limit=1
        )
        with freeze_time("2026-09-10"):
            self.env["techdept.assignment"].create(
                {
                    "project_id": project.id,
                    "employee_id": self.emp_eng2.id,
                    "date_from": date(2026, 9, 10),
                    "date_to": date(2026, 9, 25),
                }
            )
        # The O&M manager is away when scoring opens: his deputy appraises.
        self.env.ref(
            "techdept_org.dept_om"
        ).techdept_deputy_department_id = self.env.ref(
            "techdept_org.dept_implementation"
        )
        self.env["techdept.delegation"].create(
            {
                "employee_id": self.emp_om.id,
                "deputy_id": self.emp_impl.id,
                "department_id": self.env.ref("techdept_org.dept_om").id,
                "date_from": date(2026, 10, 5),
                "date_to": date(2026, 10, 20),
            }
        )
        # The template gains an item (another one gives up weight for it).
        template = form.template_id
        first = template.line_ids[0]
        template.write(
            {
                "line_ids": [
                    Command.update(first.id, {"weight": first.weight - 10}),
                    Command.create(
                        {
                            "name": "Safety on site",
                            "group": "quality",
                            "weight": 10,
                            "sequence": 99,
                        }
                    ),
                ]
            }
        )
        goal_before = self._sheet_line(form).goal
        self._open_scoring()
        self.assertEqual(form.appraiser_id, self.emp_impl)
        self.assertEqual(form.co_appraiser_id, self.emp_impl)
        self.assertIn("co_appraiser", form.line_ids.mapped("scorer"))
        self.assertEqual(len(form.line_ids), len(template.line_ids))
        self.assertIn("Safety on site", form.line_ids.mapped("name"))
        self.assertEqual(
            form.line_ids.filtered(lambda li: li.template_line_id == first).weight,
            first.weight,
        )
        self.assertEqual(len(form.sudo().sheet_id.line_ids), len(template.line_ids))
        # The goals agreed are kept on the items that remain.
        self.assertEqual(self._sheet_line(form).goal, goal_before)
        self.assertTrue(
            form.message_ids.filtered(lambda m: "Scoring opens with" in m.body)
        )
        self.assertEqual(form.state, "self_assessment")

    def test_self_assessment_skipped_after_its_deadline(self):
        form = self._form(self.emp_eng)
        self._open_scoring()
        appraiser = form.with_user(self.user_om)
        with freeze_time("2026-10-10"):
            self.assertFalse(appraiser.can_skip_self_assessment)
            self.assertRefused(
                UserError,
                "has until 2026-10-10 to assess himself",
                appraiser.action_skip_self_assessment,
                records=form,
                fields=["state"],
            )
        with freeze_time("2026-10-12"):
            self.assertTrue(appraiser.can_skip_self_assessment)
            appraiser.action_skip_self_assessment()
        self.assertEqual(form.state, "draft")
        self.assertFalse(form.self_total)
        # Too late for the employee now.
        self.assertRefused(
            UserError,
            "does not wait for a self-assessment",
            lambda: (
                self._sheet_line(form)
                .with_user(self.user_eng)
                .write({"self_score": 50})
            ),
            records=self._sheet_line(form),
            fields=["self_score"],
        )


@tagged("post_install", "-at_install")
class TestCycleRefusals(CycleCase):
    """Every wrong actor at every stage: refused with a clear message,
    nothing changed."""

    def test_goals_refusals(self):
        form = self._form(self.emp_presales)
        sheet = form.sudo().sheet_id
        hours = self._sheet_line(form, "worklog_hours")
        manual = self._sheet_line(form, "manual")
        fields_ = ["goal", "goal_target"]
        # A colleague cannot even read it.
        self.assertRefused(
            AccessError,
            "Goal and Self-assessment Item",
            lambda: hours.with_user(self.user_eng).write({"goal": "Less"}),
            records=hours,
            fields=fields_,
        )
        # The employee writes goals, not targets; the appraiser no target
        # on an item scored by hand.
        self.assertRefused(
            UserError,
            "is set by",
            lambda: hours.with_user(self.user_presales).write({"goal_target": 1}),
            records=hours,
            fields=fields_,
        )
        self.assertRefused(
            UserError,
            "scored by hand",
            lambda: manual.with_user(self.user_presales_mgr).write({"goal_target": 3}),
            records=manual,
            fields=fields_,
        )
        # A manager of another group is nobody here.
        self.assertRefused(
            AccessError,
            "Goal and Self-assessment Item",
            lambda: hours.with_user(self.user_om).write({"goal": "Other"}),
            records=hours,
            fields=fields_,
        )
        # Proposing is the appraiser's, confirming the employee's.
        hours.with_user(self.user_presales_mgr).goal = "Log every visit"
        self.assertRefused(
            UserError,
            "proposes the goals",
            sheet.with_user(self.user_presales).action_propose_goals,
            records=sheet,
            fields=["goals_state"],
        )
        self.assertRefused(
            UserError,
            "not proposed for confirmation",
            sheet.with_user(self.user_presales).action_confirm_goals,
            records=sheet,
            fields=["goals_state"],
        )
        sheet.with_user(self.user_presales_mgr).action_propose_goals()
        self.assertRefused(
            UserError,
            "confirms his goals",
            sheet.with_user(self.user_presales_mgr).action_confirm_goals,
            records=sheet,
            fields=["goals_state"],
        )
        self.assertRefused(
            UserError,
            "confirms his goals",
            sheet.with_user(self.user_director).action_confirm_goals,
            records=sheet,
            fields=["goals_state"],
        )
        # The engine's and the sheet's own fields are the server's.
        for context in ({}, HOSTILE_CONTEXT):
            self.assertRefused(
                AccessError,
                SERVER,
                lambda context=context: (
                    sheet.with_user(self.user_presales)
                    .with_context(**context)
                    .write({"goals_state": "confirmed"})
                ),
                records=sheet,
                fields=["goals_state"],
            )
            self.assertRefused(
                AccessError,
                "created by the system only",
                lambda context=context: (
                    self.env["techdept.appraisal.sheet"]
                    .with_user(self.user_director)
                    .with_context(**context)
                    .create({"appraisal_id": form.id})
                ),
                model="techdept.appraisal.sheet",
            )
        # Once scoring opens, goals are history.
        self._open_scoring()
        self.assertRefused(
            UserError,
            "no longer change",
            lambda: hours.with_user(self.user_presales_mgr).write({"goal": "More"}),
            records=hours,
            fields=fields_,
        )

    def test_self_assessment_refusals(self):
        form = self._form(self.emp_presales)
        line = self._sheet_line(form)
        fields_ = ["self_score", "self_comment", "is_self_scored"]
        self.assertRefused(
            UserError,
            "does not wait for a self-assessment",
            lambda: line.with_user(self.user_presales).write({"self_score": 90}),
            records=line,
            fields=fields_,
        )
        self._open_scoring()
        # Nobody writes another's self-assessment, the director neither.
        for user in (self.user_presales_mgr, self.user_director):
            self.assertRefused(
                UserError,
                "Only .* assesses himself",
                lambda user=user: line.with_user(user).write({"self_score": 90}),
                records=line,
                fields=fields_,
            )
        self.assertRefused(
            AccessError,
            "Goal and Self-assessment Item",
            lambda: line.with_user(self.user_eng).write({"self_score": 90}),
            records=line,
            fields=fields_,
        )
        self.assertRefused(
            AccessError,
            SERVER,
            lambda: (
                line.with_user(self.user_presales)
                .with_context(**HOSTILE_CONTEXT)
                .write({"is_self_scored": True})
            ),
            records=line,
            fields=fields_,
        )
        # The appraiser cannot score before the self-assessment is in.
        item = form.line_ids[:1]
        self.assertRefused(
            UserError,
            "its scores cannot change",
            lambda: item.with_user(self.user_presales_mgr).write({"score": 50}),
            records=item,
            fields=["score"],
        )
        sheet = form.sudo().sheet_id
        self.assertRefused(
            UserError,
            "Score yourself on every item",
            sheet.with_user(self.user_presales).action_submit_self_assessment,
            records=form,
            fields=["state"],
        )
        self.assertRefused(
            UserError,
            "submits his self-assessment",
            sheet.with_user(self.user_presales_mgr).action_submit_self_assessment,
            records=form,
            fields=["state"],
        )
        self._self_assess(form)
        self.assertRefused(
            UserError,
            "does not wait for a self-assessment",
            sheet.with_user(self.user_presales).action_submit_self_assessment,
            records=form,
            fields=["state"],
        )

    def test_nobody_scores_or_approves_his_own_form(self):
        """The O&M manager acts for the absent director: he may score and
        approve the others' forms, never his own."""
        self.env["techdept.delegation"].create(
            {
                "employee_id": self.emp_director.id,
                "deputy_id": self.emp_om.id,
                "department_id": self.env.ref("techdept_org.dept_technical").id,
                "date_from": date(2026, 9, 1),
                "date_to": date(2026, 11, 1),
            }
        )
        form = self._form(self.emp_om)
        self._open_scoring()
        self._self_assess(form)
        item = form.sudo().line_ids[:1]
        self.assertRefused(
            AccessError,
            "top-secret records",
            lambda: item.with_user(self.user_om).write({"score": 100}),
            records=item,
            fields=["score"],
        )
        self.assertFalse(form.with_user(self.user_om).sudo()._is_appraiser())
        self._score_all(form, self.user_director, 70.0)
        form.with_user(self.user_director).action_mark_scored()
        form.with_user(self.user_director).action_approval_submit()
        self.assertRefused(
            UserError,
            "your own appraisal",
            form.with_user(self.user_om).action_approval_approve,
            records=form,
            fields=["state", "approval_state"],
        )

    def test_appeal_refusals(self):
        form = self._form(self.emp_eng2)
        # Not approved yet: nothing to appeal (he cannot even read it).
        self._open_scoring()
        self.assertRefused(
            AccessError,
            "Monthly Appraisal",
            form.with_user(self.user_eng2).action_appeal,
            records=form,
            fields=["state"],
        )
        self._approved(form)
        # Not his form, not his appeal.
        for user in (self.user_om, self.user_director):
            self.assertRefused(
                UserError,
                "may appeal his appraisal",
                form.with_user(user).action_appeal,
                records=form,
                fields=["state"],
                model="techdept.appraisal.appeal",
            )
        self.assertRefused(
            AccessError,
            "Monthly Appraisal",
            form.with_user(self.user_eng).action_appeal,
            records=form,
            fields=["state"],
        )
        self.assertRefused(
            AccessError,
            "created by the system only",
            lambda: (
                self.env["techdept.appraisal.appeal"]
                .with_user(self.user_eng2)
                .with_context(**HOSTILE_CONTEXT)
                .create({"appraisal_id": form.id, "reason": "Please"})
            ),
            model="techdept.appraisal.appeal",
        )
        # A wizard opened on someone else's form appeals nothing.
        wizard = (
            self.env["techdept.appraisal.appeal.wizard"]
            .with_user(self.user_eng)
            .create({"appraisal_id": form.id, "reason": "Not mine"})
        )
        self.assertRefused(
            AccessError,
            "Monthly Appraisal",
            wizard.action_confirm,
            records=form,
            fields=["state"],
            model="techdept.appraisal.appeal",
        )
        with freeze_time("2026-10-12"):
            appeal = self._appeal(form)
            # Appealed once is enough.
            self.assertRefused(
                UserError,
                "only an approved form can be appealed",
                form.with_user(self.user_eng2).action_appeal,
                records=form,
                fields=["state"],
            )
        fields_ = ["approval_state", "outcome"]
        # Nobody but the approver decides, and never by a bare approval, a
        # rejection or a forged outcome.
        self.assertRefused(
            AccessError,
            "Appraisal Appeal",
            lambda: self._decide(appeal, self.user_gm, "returned"),
            records=appeal,
            fields=fields_,
        )
        for user in (self.user_eng2, self.user_om):
            self.assertRefused(
                UserError,
                "may review step",
                lambda user=user: self._decide(appeal, user, "returned"),
                records=appeal,
                fields=fields_,
            )
        for context in ({}, HOSTILE_CONTEXT):
            self.assertRefused(
                UserError,
                "uphold the appraisal or return the form",
                appeal.with_user(self.user_director)
                .with_context(**context)
                .action_approval_approve,
                records=appeal,
                fields=fields_,
            )
        self.assertRefused(
            UserError,
            "not rejected",
            appeal.with_user(self.user_director).action_approval_reject,
            records=appeal,
            fields=fields_,
        )
        self.assertRefused(
            UserError,
            "uphold the appraisal or return the form",
            appeal.approval_line_ids.with_user(self.user_director).action_approve,
            records=appeal,
            fields=fields_,
        )
        self.assertRefused(
            AccessError,
            SERVER,
            lambda: appeal.with_user(self.user_director).write({"outcome": "upheld"}),
            records=appeal,
            fields=fields_,
        )
        self.assertRefused(
            UserError,
            "reasons of your decision",
            lambda: self._decide(appeal, self.user_director, "returned", " "),
            records=appeal,
            fields=fields_,
        )
        # The reason is frozen while the appeal is decided.
        self.assertRefused(
            UserError,
            "cannot be changed",
            lambda: appeal.with_user(self.user_eng2).write({"reason": "Other"}),
            records=appeal,
            fields=["reason"],
        )
        # The director cannot reopen a form under appeal behind the appeal.
        self.assertRefused(
            UserError,
            "under appeal",
            form.with_user(self.user_director).action_approval_reopen,
            records=form,
            fields=["state", "approval_state"],
        )
        self._decide(appeal, self.user_director, "upheld")
        # A decided appeal is final.
        self.assertRefused(
            UserError,
            "decided appeal is final",
            appeal.with_user(self.user_director).action_approval_reopen,
            records=appeal,
            fields=fields_,
        )

    def test_withdrawn_appeal_gives_the_form_back_to_acknowledge(self):
        form = self._form(self.emp_eng2)
        self._approved(form)
        with freeze_time("2026-10-12"):
            appeal = self._appeal(form)
            appeal.with_user(self.user_eng2).action_approval_cancel()
        self.assertEqual(appeal.approval_state, "cancelled")
        self.assertEqual(form.state, "approved")
        self.assertTrue(
            form.activity_ids.filtered(lambda a: a.user_id == self.user_eng2)
        )
        form.with_user(self.user_eng2).action_acknowledge()
        self.assertEqual(form.acknowledgement, "employee")
