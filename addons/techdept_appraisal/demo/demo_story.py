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
        locked; last month in progress, one appraiser late; the bonus of the
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
        current.action_generate()
        presales_manager = ref("techdept_org.user_presales_manager_demo")
        for appraisal in current.appraisal_ids.filtered(
            lambda a: a.appraiser_user_id == presales_manager
        ):
            for line in appraisal.line_ids.filtered(lambda li: not li.is_scored):
                acting(line, presales_manager).score = line.max_score * 0.85
            acting(appraisal, presales_manager).action_mark_scored()
        # The others are past the deadline: flagged late.
        self.env["techdept.appraisal"]._remind_appraisers()

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
