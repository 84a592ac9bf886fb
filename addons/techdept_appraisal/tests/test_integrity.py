from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.techdept_org.tests.integrity import RefusalMixin

from .test_appraisal import AppraisalCase

SERVER = "cannot be written directly: the system sets them"
HOSTILE_CONTEXT = {
    "techdept_approval_unlock": True,
    "techdept_server": True,
    "techdept_force_stage": True,
    "techdept_force_phase": True,
}


@tagged("post_install", "-at_install")
class TestAppraisalIntegrity(RefusalMixin, AppraisalCase):
    """Forgeries of scores, grades, months, templates, bonus pools and
    budgets, by the engineer, the appraiser and the managers: refused with a
    clear message, nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["project.project"].search(
            [("name", "=", "Data centre"), ("techdept_kind", "=", "implementation")],
            limit=1,
        )
        cls.grade_a = cls.env.ref("techdept_appraisal.grade_band_a")

    def _complete(self, appraisal, score=75.0):
        """Scored, submitted, approved by the director, acknowledged."""
        self._score_all(appraisal, appraisal.appraiser_user_id, score)
        appraiser = appraisal.with_user(appraisal.appraiser_user_id)
        appraiser.action_mark_scored()
        appraiser.action_approval_submit()
        appraisal.with_user(self.user_director).action_approval_approve()
        appraisal.with_user(appraisal.employee_user_id).action_acknowledge()
        self.assertEqual(appraisal.state, "acknowledged")
        return appraisal

    def _reopen(self, records, user, reason):
        action = records.with_user(user).action_approval_reopen()
        return (
            self.env["techdept.approval.reject.wizard"]
            .with_user(user)
            .create(
                {
                    "res_model": records._name,
                    "res_ids": action["context"]["default_res_ids"],
                    "action": "reopen",
                    "comment": reason,
                }
            )
            .action_confirm()
        )

    def _pool(self, user=None, **values):
        return (
            self.env["techdept.bonus.pool"]
            .with_user(user or self.user_impl)
            .create(
                {
                    "name": "Data centre bonus",
                    "project_id": self.project.id,
                    "amount": 10000.0,
                    "presales_percent": 0.0,
                    "implementation_percent": 100.0,
                    "om_percent": 0.0,
                    "period_ids": [Command.set(self.period.ids)],
                    **values,
                }
            )
        )

    # Stored computed and state fields written directly

    def test_engineer_cannot_regrade_his_approved_appraisal(self):
        appraisal = self._complete(self._of(self.emp_eng), score=62.0)
        grade = appraisal.grade_band_id
        self.assertNotEqual(grade, self.grade_a)
        mine = appraisal.with_user(self.user_eng)
        for context in ({}, HOSTILE_CONTEXT):
            self.assertRefused(
                AccessError,
                f"Grade, Total Score \\(Monthly Appraisal\\) {SERVER}",
                lambda context=context: mine.with_context(**context).write(
                    {"total_score": 99.0, "grade_band_id": self.grade_a.id}
                ),
                records=appraisal,
                fields=["total_score", "grade_band_id", "state"],
            )
            self.assertRefused(
                AccessError,
                f"State \\(Monthly Appraisal\\) {SERVER}",
                lambda context=context: mine.with_context(**context).write(
                    {"state": "draft"}
                ),
                records=appraisal,
                fields=["state"],
            )
        # The bonus proposal pays the grade he got.
        pool = self._pool()
        pool.action_propose_lines()
        line = pool.line_ids.filtered(lambda li: li.employee_id == self.emp_eng)
        self.assertEqual(line.coefficient, grade.coefficient)
        self.assertRefused(
            AccessError,
            "Project Bonus Line",
            lambda: line.with_user(self.user_eng).read(["coefficient"]),
        )
        self.assertRefused(
            AccessError,
            f"\\(Project Bonus Line\\) {SERVER}",
            lambda: line.with_user(self.user_impl).write({"coefficient": 1.2}),
            records=line,
            fields=["coefficient", "amount"],
        )

    def test_items_keep_the_templates_weight_and_maximum(self):
        draft = self._of(self.emp_eng2)
        line = draft.line_ids[:1]
        # The appraiser of a form to score: the score, not the scale.
        for values, label in (
            ({"max_score": 1.0}, "Maximum Score"),
            ({"weight": 100.0}, "Weight"),
            ({"value": 1000.0, "is_scored": True}, "Scored, Measured"),
        ):
            self.assertRefused(
                AccessError,
                f"{label} \\(Appraisal Item\\) {SERVER}",
                lambda values=values: line.with_user(self.user_om).write(values),
                records=draft.line_ids,
                fields=["max_score", "weight", "value", "is_scored"],
            )
        self.assertRefused(
            AccessError,
            "Appraisal Item records are created by the system only",
            lambda: draft.with_user(self.user_om).write(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "template_line_id": line.template_line_id.id,
                                "group": "performance",
                                "weight": 100,
                                "max_score": 1,
                                "score": 1,
                            }
                        )
                    ]
                }
            ),
            model="techdept.appraisal.line",
        )
        self.assertRefused(
            AccessError,
            "Appraisal Item",
            lambda: draft.with_user(self.user_om).write(
                {"line_ids": [Command.delete(line.id)]}
            ),
            model="techdept.appraisal.line",
        )
        # The engineer on his own approved form: frozen.
        approved = self._complete(self._of(self.emp_eng))
        own = approved.line_ids[:1].with_user(self.user_eng)
        for values in ({"weight": 1.0}, {"max_score": 1.0}, {"score": 0.0}):
            self.assertRefused(
                UserError,
                "is Approved|is Acknowledged|is under review or approved",
                lambda values=values: own.write(values),
                records=approved.line_ids,
                fields=["weight", "max_score", "score"],
            )

    def test_locked_month_cannot_be_set_back_rescored_or_reopened(self):
        for appraisal in self.appraisals:
            self._complete(appraisal)
        self.period.with_user(self.user_director).action_lock()
        self.assertEqual(set(self.appraisals.mapped("state")), {"locked"})
        form = self._of(self.emp_eng)
        fields = ["state", "approval_state", "total_score"]
        # The appraiser, a manager: the state is the flow's.
        for values in ({"state": "draft"}, {"approval_state": "draft"}):
            self.assertRefused(
                AccessError,
                SERVER,
                lambda values=values: (
                    form.with_user(self.user_om)
                    .with_context(**HOSTILE_CONTEXT)
                    .write(values)
                ),
                records=form,
                fields=fields,
            )
        self.assertRefused(
            UserError,
            "cannot change",
            lambda: form.line_ids[:1].with_user(self.user_om).write({"score": 0.0}),
            records=form.line_ids,
            fields=["score"],
        )
        # Not even the director reopens a locked month's form.
        self.assertRefused(
            UserError,
            f"{self.period.name} is locked: .* can no longer be reopened",
            lambda: self._reopen(form, self.user_director, "Rescore"),
            records=form,
            fields=fields,
        )
        self.assertRefused(
            AccessError,
            f"State \\(Appraisal Month\\) {SERVER}",
            lambda: self.period.with_user(self.user_director).write({"state": "open"}),
            records=self.period,
            fields=["state"],
        )

    def test_template_items_one_by_one_keep_the_total_at_100(self):
        template = self.env.ref("techdept_appraisal.kpi_template_presales")
        Line = self.env["techdept.kpi.template.line"].with_user(self.user_director)
        first = template.line_ids[:1].with_user(self.user_director)
        self.assertRefused(
            ValidationError,
            "The weights of .* total .*: they must total exactly 100",
            lambda: first.write({"weight": first.weight + 10}),
            records=template.line_ids,
            fields=["weight"],
        )
        self.assertRefused(
            ValidationError,
            "they must total exactly 100",
            lambda: Line.create(
                {"template_id": template.id, "name": "Extra", "weight": 5}
            ),
            model="techdept.kpi.template.line",
        )
        own = (
            self.env["techdept.kpi.template"]
            .with_user(self.user_director)
            .create(
                {
                    "name": "Two halves",
                    "line_ids": [
                        Command.create({"name": "First half", "weight": 50}),
                        Command.create({"name": "Second half", "weight": 50}),
                    ],
                }
            )
        )
        self.assertRefused(
            ValidationError,
            "The weights of Two halves total 50.0: they must total exactly 100",
            own.line_ids[:1].unlink,
            model="techdept.kpi.template.line",
        )
        self.assertRefused(
            ValidationError,
            "they must total exactly 100",
            lambda: first.write(
                {"template_id": self.env.ref("techdept_appraisal.kpi_template_om").id}
            ),
            records=template.line_ids,
            fields=["template_id"],
        )
        # Only the director touches templates at all.
        self.assertRefused(
            AccessError,
            "KPI Template Item",
            lambda: first.with_user(self.user_om).write({"weight": 1}),
            records=template.line_ids,
            fields=["weight"],
        )

    # Rights wider than the role

    def test_only_the_director_generates_and_locks_a_month(self):
        with freeze_time("2027-01-02"):
            period = self.env["techdept.appraisal.period"].create(
                {"date_from": date(2026, 12, 1)}
            )
        for user in (self.user_eng, self.user_om, self.user_presales_mgr):
            for action in ("action_generate", "action_lock"):
                self.assertRefused(
                    AccessError,
                    "Only the technical director generates and locks the months "
                    "of appraisals",
                    getattr(period.with_user(user), action),
                    records=period,
                    fields=["state"],
                    model="techdept.appraisal",
                )
        self.assertRefused(
            AccessError,
            "Appraisal Month",
            lambda: (
                self.env["techdept.appraisal.period"]
                .with_user(self.user_om)
                .create({"date_from": date(2027, 1, 1)})
            ),
            model="techdept.appraisal.period",
        )
        self.assertRefused(
            AccessError,
            "Monthly Appraisal records are created by the system only",
            lambda: (
                self.env["techdept.appraisal"]
                .with_user(self.user_director)
                .create(
                    {
                        "period_id": period.id,
                        "employee_id": self.emp_eng.id,
                        "template_id": self._of(self.emp_eng).template_id.id,
                        "appraiser_id": self.emp_om.id,
                    }
                )
            ),
            model="techdept.appraisal",
        )
        # The co-appraiser reads the form; the appraiser refreshes it.
        self.assertRefused(
            UserError,
            "Only Ap Om refreshes Ap Engineer 2026-11",
            self._of(self.emp_eng).with_user(self.user_impl).action_refresh,
        )
        self.assertRefused(
            AccessError,
            "Only the technical director may change who appraises",
            lambda: (
                self._of(self.emp_eng2)
                .with_user(self.user_om)
                .write({"appraiser_id": self.emp_impl.id})
            ),
            records=self._of(self.emp_eng2),
            fields=["appraiser_id"],
        )

    def test_bonus_pools_and_budgets_cannot_be_created_approved(self):
        Budget = self.env["techdept.budget"].with_user(self.user_impl)
        budget = {
            "name": "Tools",
            "stream": "implementation",
            "project_id": self.project.id,
            "planned": 5000.0,
        }
        for forged, context in (
            ({"approval_state": "approved"}, {}),
            ({}, {"default_approval_state": "approved"}),
            ({"approval_state": "approved"}, HOSTILE_CONTEXT),
        ):
            self.assertRefused(
                AccessError,
                f"Approval \\(Project Bonus Pool\\) {SERVER}",
                lambda forged=forged, context=context: (
                    self.env["techdept.bonus.pool"]
                    .with_user(self.user_impl)
                    .with_context(**context)
                    .create(
                        {
                            "name": "Forged",
                            "project_id": self.project.id,
                            "amount": 1.0,
                            **forged,
                        }
                    )
                ),
                model="techdept.bonus.pool",
            )
            self.assertRefused(
                AccessError,
                f"Approval \\(Expense Budget\\) {SERVER}",
                lambda forged=forged, context=context: Budget.with_context(
                    **context
                ).create({**budget, **forged}),
                model="techdept.budget",
            )
        self.assertRefused(
            AccessError,
            f"Variance \\(Expense Budget\\) {SERVER}",
            lambda: Budget.create({**budget, "variance": 5000.0}),
            model="techdept.budget",
        )

    def test_approved_bonus_pool_is_frozen_whatever_the_context(self):
        pool = self._pool()
        pool.action_propose_lines()
        pool.action_approval_submit()
        pool.with_user(self.user_director).action_approval_approve()
        self.assertEqual(pool.approval_state, "approved")
        for user in (self.user_impl, self.user_director):
            mine = pool.with_user(user).with_context(**HOSTILE_CONTEXT)
            self.assertRefused(
                UserError,
                "Data centre bonus is Approved: Amount cannot be changed",
                lambda mine=mine: mine.write({"amount": 99999.0}),
                records=pool,
                fields=["amount"],
            )
            self.assertRefused(
                UserError,
                "Data centre bonus is under review or approved: its Project Bonus "
                "Line cannot change \\(Contribution\\)",
                lambda mine=mine: mine.line_ids.write({"contribution": 9.0}),
                records=pool.line_ids,
                fields=["contribution", "amount"],
            )
            self.assertRefused(
                UserError,
                "cannot change|cannot be changed",
                mine.action_propose_lines,
                records=pool.line_ids,
                fields=["contribution", "amount"],
                model="techdept.bonus.line",
            )
            self.assertRefused(
                UserError,
                "under review or approved",
                mine.line_ids.unlink,
                model="techdept.bonus.line",
            )

    # The way back: reopening, by the director, with a reason

    def test_director_reopens_an_appraisal_back_to_its_appraiser(self):
        appraisal = self._complete(self._of(self.emp_eng2))
        first_round = appraisal.approval_line_ids
        self.assertRefused(
            UserError,
            "Only the Technical Director may reopen",
            appraisal.with_user(self.user_om).action_approval_reopen,
            records=appraisal,
            fields=["state", "approval_state"],
        )
        self._reopen(appraisal, self.user_director, "Teamwork was underrated")
        self.assertEqual(appraisal.state, "draft")
        self.assertEqual(appraisal.approval_state, "draft")
        decision = first_round.decision_ids.filtered(lambda d: d.decision == "reopened")
        self.assertRecordValues(
            decision,
            [{"user_id": self.user_director.id, "comment": "Teamwork was underrated"}],
        )
        self.assertTrue(
            appraisal.message_ids.filtered(
                lambda m: "Teamwork was underrated" in m.body
            )
        )
        # Back with the appraiser: a to-do for him, none left to acknowledge.
        todo = appraisal.activity_ids
        self.assertEqual(todo.user_id, self.user_om)
        self.assertIn("Score again", todo.summary)
        # He rescores and resubmits: a new round, the first one kept.
        self._score_all(appraisal, self.user_om, 95.0)
        appraisal.with_user(self.user_om).action_mark_scored()
        appraisal.with_user(self.user_om).action_approval_submit()
        self.assertEqual(appraisal.approval_round, 2)
        self.assertIn(first_round, appraisal.approval_line_ids)
        self.assertEqual(set(first_round.mapped("state")), {"approved"})
        appraisal.with_user(self.user_director).action_approval_approve()
        self.assertEqual(appraisal.grade_band_id, self.grade_a)

    def test_withdrawn_appraisal_goes_back_to_its_appraiser(self):
        appraisal = self._of(self.emp_eng2)
        self._score_all(appraisal, self.user_om, 80.0)
        appraisal.with_user(self.user_om).action_mark_scored()
        appraisal.with_user(self.user_om).action_approval_submit()
        self.assertEqual(appraisal.state, "submitted")
        appraisal.with_user(self.user_om).action_approval_cancel()
        self.assertEqual(appraisal.state, "scored")
        self._score_all(appraisal, self.user_om, 85.0)
        appraisal.with_user(self.user_om).action_approval_submit()
        self.assertEqual(appraisal.state, "submitted")

    def test_director_reopens_a_bonus_pool_for_its_creator(self):
        pool = self._pool()
        pool.action_propose_lines()
        pool.action_approval_submit()
        pool.with_user(self.user_director).action_approval_approve()
        self.assertRefused(
            UserError,
            "Only the Technical Director may reopen Data centre bonus",
            pool.with_user(self.user_impl).action_approval_reopen,
            records=pool,
            fields=["approval_state"],
        )
        self._reopen(pool, self.user_director, "Split by the real effort")
        self.assertEqual(pool.approval_state, "draft")
        self.assertEqual(pool.activity_ids.user_id, self.user_impl)
        pool.line_ids.with_user(self.user_impl).write({"contribution": 2.0})
        pool.with_user(self.user_impl).action_approval_submit()
        self.assertEqual(pool.approval_round, 2)
        self.assertEqual(
            pool.approval_line_ids.decision_ids.mapped("decision"),
            ["approved", "reopened"],
        )

    # Reading what one should not

    def test_return_comment_is_for_the_forms_readers_only(self):
        appraisal = self._of(self.emp_eng)
        self._score_all(appraisal, self.user_om, 70.0)
        appraisal.with_user(self.user_om).action_mark_scored()
        appraisal.with_user(self.user_om).action_approval_submit()
        appraisal.with_user(self.user_director)._approval_reject(
            "Explain the low teamwork score"
        )
        lines = appraisal.approval_line_ids
        Line = self.env["techdept.approval.line"]
        Decision = self.env["techdept.approval.decision"]
        for user in (self.user_eng2, self.user_presales, self.user_presales_mgr):
            self.assertFalse(Line.with_user(user).search([("id", "in", lines.ids)]))
            self.assertFalse(
                Decision.with_user(user).search([("comment", "ilike", "teamwork")])
            )
            self.assertFalse(
                Line.with_user(user).search([("comment", "ilike", "teamwork")])
            )
            # Which of the two refusals depends on what the ORM has cached.
            self.assertRefused(
                AccessError,
                "You may not read the approval steps of records you cannot read|"
                "techdept.approval.line",
                lambda user=user: lines.with_user(user).read(["comment"]),
            )
        # The appraiser, the co-appraiser (readers of the form) and the
        # director read it.
        for user in (self.user_om, self.user_impl, self.user_director):
            self.assertEqual(
                Line.with_user(user).search([("comment", "ilike", "teamwork")]), lines
            )
        # Nor does anyone but the director learn the bonus pools' names.
        pool = self._pool(name="Confidential bonus")
        pool.action_propose_lines()
        pool.action_approval_submit()
        for user in (self.user_eng, self.user_om, self.user_presales_mgr):
            self.assertFalse(
                Line.with_user(user).search([("res_model", "=", "techdept.bonus.pool")])
            )
        self.assertEqual(
            set(
                Line.with_user(self.user_director)
                .search(
                    [
                        ("res_model", "=", "techdept.bonus.pool"),
                        ("res_id", "=", pool.id),
                    ]
                )
                .mapped("res_name")
            ),
            {"Confidential bonus"},
        )

    def test_deliverables_count_by_the_day_they_were_approved(self):
        """The item "deliverables approved" counts the approvals of the
        month, not the documents last touched in it."""
        survey = self.env.ref("techdept_org.document_type_site_survey")
        Document = self.env["techdept.document"].with_user(self.user_presales)

        def approved(name):
            document = Document.create({"name": name, "type_id": survey.id})
            document.attachment_ids = self.env["ir.attachment"].create(
                {"name": "f.txt", "raw": b"x", "res_model": document._name}
            )
            document.action_approval_submit()
            document.with_user(self.user_presales_mgr).action_approval_approve()
            return document

        with freeze_time("2026-10-15"):
            older = approved("October survey")
        with freeze_time("2026-11-10"):
            approved("November survey")
            # Touching the October one in November does not make it count.
            tag = self.env["techdept.document.tag"].create({"name": "Reviewed"})
            older.with_user(self.user_presales).tag_ids = tag
        with freeze_time("2026-12-02"):
            approved("December survey")
        appraisal = self._of(self.emp_presales)
        self.assertEqual(
            appraisal._kpi_deliverables_approved(), {self.emp_presales.id: 1.0}
        )
