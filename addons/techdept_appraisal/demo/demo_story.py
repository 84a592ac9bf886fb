"""Demo data of the appraisals: made by the demo managers themselves."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.techdept_org.demo.demo_story import (
    acting,
    demo_done,
    demo_xmlid,
    load_own_terms,
)


class TechdeptAppraisalDemo(models.AbstractModel):
    _name = "techdept.appraisal.demo"
    _description = "Demo Data: Appraisals"

    @api.model
    def _techdept_demo_story(self):
        """The month before last, appraised, approved, acknowledged and
        locked; last month in progress, one appraiser late once its deadline has
        passed (the fifth working day of this month); the bonus of the
        project handed over to O&M. Runs once."""
        if demo_done(self.env, "techdept_appraisal.period_finished_demo"):
            return
        load_own_terms(self.env, "techdept_appraisal")
        ref = self.env.ref
        director = ref("techdept_org.user_director_demo")
        Period = acting(self.env["techdept.appraisal.period"], director)
        today = fields.Date.context_today(self)

        finished = Period.create(
            Period._month_defaults(today + relativedelta(months=-2))
        )
        demo_xmlid(self.env, "techdept_appraisal.period_finished_demo", finished)
        finished.action_generate()
        for index, appraisal in enumerate(finished.appraisal_ids.sorted("id")):
            appraiser = appraisal.appraiser_user_id
            for line in appraisal.line_ids.filtered(lambda li: not li.is_scored):
                scorer = (
                    appraisal.co_appraiser_user_id
                    if line.scorer == "co_appraiser"
                    else appraiser
                )
                acting(line, scorer).score = line.max_score * (
                    0.95 - 0.05 * (index % 5)
                )
            acting(appraisal, appraiser).action_mark_scored()
            acting(appraisal, appraiser).action_approval_submit()
            acting(appraisal, director).action_approval_approve()
            acting(appraisal, appraisal.employee_user_id).action_acknowledge()
        # Recorded after the fact: the month was submitted on time.
        finished.appraisal_ids.sudo().write({"is_late": False})
        finished.action_lock()

        current = Period.create(
            Period._month_defaults(today + relativedelta(months=-1))
        )
        demo_xmlid(self.env, "techdept_appraisal.period_current_demo", current)
        self._techdept_demo_cycle_goals(current)
        current.action_generate()
        self._techdept_demo_cycle_self_assessment(current)
        presales_manager = ref("techdept_org.user_presales_manager_demo")
        for appraisal in current.appraisal_ids.filtered(
            lambda a: a.appraiser_user_id == presales_manager
        ):
            for line in appraisal.line_ids.filtered(lambda li: not li.is_scored):
                acting(line, presales_manager).score = line.max_score * 0.85
            acting(appraisal, presales_manager).action_mark_scored()
        # The others, once past the deadline: flagged late.
        self.env["techdept.appraisal"]._remind_appraisers()
        self._techdept_demo_cycle_appeal(current)

        # The bonus of the project accepted and handed over to O&M.
        acceptance = ref(
            "techdept_project.acceptance_centre_demo", raise_if_not_found=False
        )
        project = acceptance.project_id if acceptance else None
        if project:
            impl_manager = ref("techdept_org.user_implementation_manager_demo")
            pool = acting(self.env["techdept.bonus.pool"], impl_manager).create(
                {
                    "name": "政务服务中心项目奖金",
                    "project_id": project.id,
                    "amount": 30000.0,
                    "presales_percent": 0.0,
                    "implementation_percent": 70.0,
                    "om_percent": 30.0,
                    "period_ids": [(6, 0, finished.ids)],
                }
            )
            demo_xmlid(self.env, "techdept_appraisal.bonus_pool_centre_demo", pool)
            pool.action_propose_lines()
            pool.action_approval_submit()
            acting(pool, director).action_approval_approve()
        self._techdept_demo_budgets()

    # Steps of the story: last month as a conversation, from its goals to an
    # appeal.

    @api.model
    def _techdept_demo_cycle_goals(self, month):
        """The month's forms as they were on its first day: the presales
        engineer's goals agreed with her manager, an O&M engineer's proposed
        and not confirmed yet. Self-assessment is asked from then on."""
        ref = self.env.ref
        director = ref("techdept_org.user_director_demo")
        acting(self.env["techdept.kpi.template"], director).search([]).write(
            {"self_assessment": True}
        )
        # The month's forms, as the daily job made them on its first day.
        self.env["techdept.appraisal"]._generate(month, opening=False)
        forms = month.appraisal_ids
        goals = {
            "manual": "每个售前需求一个工作日内响应，重点支持政务云项目",
            "deliverables_approved": "完成两份技术方案并通过评审",
            "worklog_hours": "拜访和技术交流都记入售前工作日志",
        }
        presales_engineer = ref("techdept_org.user_presales_engineer_demo")
        for form in forms.filtered(lambda a: a.employee_user_id == presales_engineer):
            sheet = form.sheet_id.sudo()
            manager = form.appraiser_user_id
            for line in sheet.line_ids:
                values = {"goal": goals.get(line.source, "按岗位职责完成本月工作")}
                if line.source == "worklog_hours":
                    values["goal_target"] = 100.0
                acting(line, manager).write(values)
            acting(sheet, manager).action_propose_goals()
            acting(sheet, form.employee_user_id).action_confirm_goals()
        aftersales_engineer = ref("techdept_org.user_aftersales_engineer_demo")
        for form in forms.filtered(lambda a: a.employee_user_id == aftersales_engineer):
            sheet = form.sheet_id.sudo()
            manager = form.appraiser_user_id
            for line in sheet.line_ids:
                acting(line, manager).goal = "巡检按计划完成，故障四小时内响应"
            acting(sheet, manager).action_propose_goals()

    @api.model
    def _techdept_demo_cycle_self_assessment(self, month):
        """Scoring open: the presales engineer assesses herself."""
        employee = self.env.ref("techdept_org.user_presales_engineer_demo")
        for form in month.appraisal_ids.filtered(
            lambda a: a.employee_user_id == employee and a.state == "self_assessment"
        ):
            sheet = acting(form.sheet_id.sudo(), employee)
            for line in sheet.line_ids:
                line.write(
                    {"self_score": line.max_score * 0.9, "self_comment": "按目标完成"}
                )
            sheet.action_submit_self_assessment()

    @api.model
    def _techdept_demo_cycle_appeal(self, month):
        """Her manager submits the scored form, the director approves it,
        she appeals it and the director upholds it; to-dos for the rest."""
        ref = self.env.ref
        director = ref("techdept_org.user_director_demo")
        employee = ref("techdept_org.user_presales_engineer_demo")
        for form in month.appraisal_ids.filtered(
            lambda a: a.employee_user_id == employee and a.state == "scored"
        ):
            acting(form, form.appraiser_user_id).action_approval_submit()
            acting(form, director).action_approval_approve()
            wizard = acting(
                self.env["techdept.appraisal.appeal.wizard"], employee
            ).create(
                {
                    "appraisal_id": form.id,
                    "reason": "本月政务云项目的方案支持工作量未计入团队协作评分。",
                }
            )
            appeal = self.env["techdept.appraisal.appeal"].browse(
                wizard.action_confirm()["res_id"]
            )
            decision = acting(
                self.env["techdept.appraisal.appeal.decision"], director
            ).create(
                {
                    "appeal_id": appeal.id,
                    "outcome": "upheld",
                    "comment": "已核对工作日志与项目记录，团队协作评分合理，维持原评。",
                }
            )
            decision.action_confirm()
        self.env["techdept.appraisal"]._remind_cycle()

    @api.model
    def _techdept_demo_budgets(self):
        """This year's expense budget of each stream, drawn up by its manager
        and approved by the technical director, part of it spent."""
        ref = self.env.ref
        director = ref("techdept_org.user_director_demo")
        today = fields.Date.context_today(self)
        for name, stream, manager, planned, actual in (
            (
                "售前技术交流与方案费用",
                "presales",
                "presales_manager",
                80000.0,
                52000.0,
            ),
            (
                "实施差旅与外包费用",
                "implementation",
                "implementation_manager",
                200000.0,
                146000.0,
            ),
            (
                "运维备件与巡检费用",
                "om",
                "om_manager",
                120000.0,
                61500.0,
            ),
        ):
            user = ref(f"techdept_org.user_{manager}_demo")
            budget = acting(self.env["techdept.budget"], user).create(
                {
                    "name": name,
                    "stream": stream,
                    "date_from": today + relativedelta(month=1, day=1),
                    "date_to": today + relativedelta(month=12, day=31),
                    "planned": planned,
                    "actual": actual,
                }
            )
            budget.action_approval_submit()
            acting(budget, director).action_approval_approve()
