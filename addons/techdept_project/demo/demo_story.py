"""Demo data of the projects, continuing the CRM's: made by the demo staff
themselves."""

import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.techdept_org.demo.demo_story import (
    acting,
    demo_done,
    demo_xmlid,
    load_own_terms,
)


class TechdeptProjectDemo(models.AbstractModel):
    _name = "techdept.project.demo"
    _description = "Demo Data: Projects"

    @api.model
    def _techdept_demo_story(self):
        """The won e-government cloud becomes a project under way; an
        earlier project, accepted, is in O&M with a repair; a supervision
        project starts. Runs once."""
        if demo_done(self.env, "techdept_project.acceptance_centre_demo"):
            return
        load_own_terms(self.env, "techdept_project")
        ref = self.env.ref
        presales = ref("techdept_org.user_presales_engineer_demo")
        impl_manager = ref("techdept_org.user_implementation_manager_demo")
        director = ref("techdept_org.user_director_demo")
        pm_user = ref("techdept_org.user_aftersales_engineer_demo")
        pm = ref("techdept_org.employee_aftersales_engineer_demo")
        onsite = ref("techdept_org.employee_onsite_engineer_demo")
        commerce = ref("techdept_org.user_commerce_demo")
        supervision_manager = ref("techdept_org.user_supervision_manager_demo")
        supervision_engineer = ref("techdept_org.user_supervision_engineer_demo")
        Project = self.env["project.project"]

        def document(project, code, user, name):
            doc_type = ref(f"techdept_org.document_type_{code}")
            record = acting(self.env["techdept.document"], user).create(
                {
                    "name": name,
                    "type_id": doc_type.id,
                    "res_model": "project.project",
                    "res_id": project.id,
                }
            )
            record.attachment_ids = acting(self.env["ir.attachment"], user).create(
                {
                    "name": f"{name}.txt",
                    "datas": base64.b64encode(name.encode()),
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
            return record

        def approve(record, submitter, *approvers):
            acting(record, submitter).action_approval_submit()
            for approver in approvers:
                acting(record, approver).action_approval_approve()

        # The won opportunity of the CRM demo becomes a project under way.
        cloud_lead = ref(
            "techdept_crm_stages.lead_cloud_demo", raise_if_not_found=False
        )
        if cloud_lead and cloud_lead.stage_id.is_won:
            acting(self.env["techdept.document"], presales).create(
                {
                    "name": "政务云平台深化实施方案",
                    "type_id": ref("techdept_org.document_type_deepened_plan").id,
                    "res_model": "crm.lead",
                    "res_id": cloud_lead.id,
                }
            )
            action = acting(cloud_lead, impl_manager).action_techdept_create_project()
            cloud = Project.browse(action["res_id"])
            handover = cloud.techdept_handover_ids
            demo_xmlid(self.env, "techdept_project.handover_cloud_demo", handover)
            approve(handover, presales, impl_manager)
            acting(self.env["techdept.assignment"], impl_manager).create(
                {
                    "project_id": cloud.id,
                    "employee_id": pm.id,
                    "role": "project_manager",
                }
            )
            acting(cloud, impl_manager).techdept_project_manager_id = pm
            approve(
                document(cloud, "implementation_plan", pm_user, "政务云平台实施方案"),
                pm_user,
                impl_manager,
                director,
            )
            document(cloud, "construction_plan", pm_user, "政务云平台施工组织计划")

        # An earlier project, accepted and handed over to O&M.
        centre = acting(Project, impl_manager).create(
            {
                "name": "市政务服务中心网络工程",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": impl_manager.employee_id.id,
            }
        )
        acting(self.env["techdept.phase.force.wizard"], director).create(
            {
                "project_ids": [(6, 0, centre.ids)],
                "phase_id": ref("techdept_project.phase_implementation_acceptance").id,
                "reason": "2025年项目补录，实施阶段资料已线下归档。",
            }
        ).action_confirm()
        acting(self.env["techdept.assignment"], impl_manager).create(
            {
                "project_id": centre.id,
                "employee_id": pm.id,
                "role": "project_manager",
                "date_from": fields.Date.add(fields.Date.today(), days=-90),
                "confirm_double_booking": True,
            }
        )
        approve(
            document(centre, "acceptance_documents", pm_user, "政务服务中心验收报告"),
            pm_user,
            impl_manager,
            director,
        )
        acceptance = acting(self.env["techdept.acceptance"], impl_manager).create(
            {
                "project_id": centre.id,
                "service_date_from": fields.Date.today(),
                "service_date_to": fields.Date.add(fields.Date.today(), years=3),
                "aftersales_engineer_ids": [(6, 0, pm.ids)],
                "onsite_engineer_ids": [(6, 0, onsite.ids)],
            }
        )
        demo_xmlid(self.env, "techdept_project.acceptance_centre_demo", acceptance)
        approve(acceptance, pm_user, impl_manager, director)
        service = acceptance.om_project_id

        # A camera of the O&M service fails: repair, with commerce's price check.
        vendor = self.env["res.partner"].create(
            {"name": "海康威视华东维修中心", "is_company": True}
        )
        demo_xmlid(self.env, "techdept_project.partner_repair_vendor_demo", vendor)
        repair = acting(self.env["techdept.repair"], pm_user).create(
            {
                "name": "大厅球机返修",
                "project_id": service.id,
                "equipment": "大厅高清球机 DS-2DE7",
                "fault": "云台无法转动，图像偶发黑屏。",
                "kind": "repair",
                "vendor_id": vendor.id,
                "price_amount": 1800.0,
            }
        )
        demo_xmlid(self.env, "techdept_project.repair_hall_camera_demo", repair)
        approve(repair, pm_user, commerce)

        # A supervision project starts with its plan.
        rail = acting(Project, director).create(
            {
                "name": "轨道交通3号线弱电系统监理",
                "techdept_kind": "supervision",
                "techdept_supervision_manager_id": supervision_manager.employee_id.id,
                "techdept_supervision_engineer_ids": [
                    (6, 0, supervision_engineer.employee_id.ids)
                ],
            }
        )
        document(
            rail, "supervision_plan", supervision_engineer, "3号线弱电系统监理规划"
        )
        self._techdept_demo_planned_acceptance()

    @api.model
    def _techdept_demo_planned_acceptance(self):
        """The planned acceptance of the implementation projects, set by
        their implementation managers: the date of their acceptance for those
        accepted; of the others, the first is late, ten days past it."""
        today = fields.Date.context_today(self)
        director = self.env.ref("techdept_org.user_director_demo")
        projects = self.env["project.project"].search(
            [("techdept_kind", "=", "implementation")], order="id"
        )
        pending = 0
        for project in projects:
            manager = project.techdept_implementation_manager_id.user_id or director
            accepted = project.techdept_acceptance_ids.filtered(
                lambda a: a.approval_state == "approved"
            )
            if accepted:
                planned = accepted[:1].date_acceptance
            else:
                planned = today + relativedelta(days=-10 if not pending else 45)
                pending += 1
            acting(project, manager).techdept_planned_acceptance_date = planned
