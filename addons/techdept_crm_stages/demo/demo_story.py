"""Demo data of the CRM stages: leads at every stage of the policy, and the
presales engineers' work log, made by the demo staff themselves."""

import base64
import random

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.techdept_org.demo.demo_story import (
    acting,
    demo_done,
    demo_xmlid,
    load_own_terms,
)

# What the presales staff log, by kind of work (policy 1.1); "{lead}" is a
# lead they support.
WORKLOG_TEXTS = {
    "project_support": [
        "编写{lead}技术方案",
        "{lead}现场勘察",
        "准备{lead}方案讲解",
        "核对{lead}设备配单",
    ],
    "customer_support": ["答复客户技术咨询", "协助客户排查机房网络故障"],
    "market_support": ["配合市场部准备行业解决方案材料"],
    "supplier_exchange": [
        "参加海康威视新品技术交流会",
        "与华为企业业务部交流数据中心方案",
    ],
    "market_intelligence": ["收集本地智慧校园项目招标信息", "整理政务云项目采购意向"],
    "training": ["参加网络安全等级保护培训"],
    "knowledge_base": ["整理机房勘察表模板，归入售前知识库"],
}


class TechdeptCrmStagesDemo(models.AbstractModel):
    _name = "techdept.crm_stages.demo"
    _description = "Demo Data: CRM Stages"

    @api.model
    def _techdept_demo_story(self):
        """Leads at every stage, delivered, reviewed and approved by the
        demo staff themselves, so that every checklist, approval history and
        chatter reads as it would in real use. Runs once."""
        if demo_done(self.env, "techdept_crm_stages.lead_cloud_demo"):
            return
        load_own_terms(self.env, "techdept_crm_stages")
        ref = self.env.ref
        sales = ref("techdept_org.user_sales_demo")
        presales = ref("techdept_org.user_presales_engineer_demo")
        director = ref("techdept_org.user_director_demo")
        gm = ref("techdept_org.user_gm_office_demo")
        commerce = ref("techdept_org.user_commerce_demo")
        stage = {
            code: ref(f"techdept_crm_stages.{xmlid}")
            for code, xmlid in (
                (2, "stage_deep_contact"),
                (3, "stage_solution_confirmation"),
                (4, "stage_tender"),
            )
        }

        def lead(key, name, customer, revenue):
            partner = acting(self.env["res.partner"], sales).create(
                {"name": customer, "is_company": True}
            )
            record = acting(self.env["crm.lead"], sales).create(
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "user_id": sales.id,
                    "expected_revenue": revenue,
                    "techdept_presales_user_id": presales.id,
                }
            )
            demo_xmlid(self.env, f"techdept_crm_stages.partner_{key}_demo", partner)
            demo_xmlid(self.env, f"techdept_crm_stages.lead_{key}_demo", record)
            return record

        def move(record, code, user=sales):
            acting(record, user).stage_id = stage[code]

        def deliver(record, code, user=presales):
            line = acting(record, user).techdept_item_ids.filtered(
                lambda li: li.code == code
            )
            for doc_type in line.missing_type_ids:
                document = acting(self.env["techdept.document"], user).create(
                    {
                        "name": f"{record.partner_id.name}{doc_type.name}",
                        "type_id": doc_type.id,
                        "lead_item_id": line.id,
                    }
                )
                document.attachment_ids = acting(
                    self.env["ir.attachment"], user
                ).create(
                    {
                        "name": f"{document.name}.txt",
                        "datas": base64.b64encode(document.name.encode()),
                        "res_model": document._name,
                        "res_id": document.id,
                    }
                )
            return line

        def review(line, submitter, *approvers):
            acting(line, submitter).action_approval_submit()
            for approver in approvers:
                acting(line, approver).action_approval_approve()

        def through_stage_3(record):
            move(record, 2)
            deliver(record, "2.2")
            deliver(record, "2.5")
            move(record, 3)
            review(deliver(record, "3.2"), presales, director, sales, gm)
            acting(record, presales).techdept_item_ids.filtered(
                lambda li: li.code == "3.3"
            ).action_mark_done()
            review(deliver(record, "3.7", commerce), commerce, director, gm)
            review(deliver(record, "3.8", commerce), commerce, director, sales, gm)

        lead("school", "市一中智慧校园建设", "市第一中学", 1200000)

        hospital = lead("hospital", "区人民医院网络改造", "区人民医院", 860000)
        move(hospital, 2)
        deliver(hospital, "2.2")

        tax = lead("tax", "税务局数据中心扩容", "市税务局", 3500000)
        move(tax, 2)
        deliver(tax, "2.2")
        deliver(tax, "2.5")
        move(tax, 3)
        review(deliver(tax, "3.2"), presales, director, sales, gm)
        acting(deliver(tax, "3.7", commerce), commerce).action_approval_submit()

        video = lead("video", "开发区视频监控二期", "经济开发区管委会", 2800000)
        through_stage_3(video)
        move(video, 4)
        deliver(video, "4.2")

        cloud = lead("cloud", "高新区政务云平台", "高新区管委会", 5600000)
        through_stage_3(cloud)
        move(cloud, 4)
        deliver(cloud, "4.2")
        review(deliver(cloud, "4.5"), presales, director, gm)
        acting(cloud, sales).action_set_won()

        port = lead("port", "港务集团安防升级", "港务集团", 1900000)
        move(port, 2)
        deliver(port, "2.2")
        acting(self.env["techdept.stage.force.wizard"], director).create(
            {
                "lead_ids": [(6, 0, port.ids)],
                "stage_id": stage[3].id,
                "reason": "客户招标时间提前，讲解表和配单随后补交。",
            }
        ).action_confirm()

        self._techdept_demo_worklogs()

    @api.model
    def _techdept_demo_worklogs(self):
        """Each working day since the start of the month before last, the
        presales engineer and his manager log their day: mostly support of
        the leads above, the rest of the policy's kinds of presales work.
        The same every time the demo is built."""
        ref = self.env.ref
        leads = [
            ref(f"techdept_crm_stages.lead_{key}_demo")
            for key in ("cloud", "video", "tax", "hospital", "port")
        ]
        people = [
            (ref("techdept_org.user_presales_engineer_demo"), 0.7),
            (ref("techdept_org.user_presales_manager_demo"), 0.4),
        ]
        today = fields.Date.context_today(self)
        start = today + relativedelta(months=-2, day=1)
        other_kinds = [kind for kind in WORKLOG_TEXTS if kind != "project_support"]
        chance = random.Random(20251)
        for user, support_share in people:
            values = []
            day = start
            while day < today:
                if day.weekday() < 5:
                    left = chance.choice((7.5, 8.0, 8.0, 8.5, 9.0))
                    while left > 0:
                        hours = min(left, chance.choice((1.5, 2.0, 3.0, 4.0)))
                        left -= hours
                        if chance.random() < support_share:
                            lead = chance.choice(leads)
                            kind = "project_support"
                            text = chance.choice(WORKLOG_TEXTS[kind]).format(
                                lead=lead.name
                            )
                        else:
                            lead = None
                            kind = chance.choice(other_kinds)
                            text = chance.choice(WORKLOG_TEXTS[kind])
                        values.append(
                            {
                                "employee_id": user.employee_id.id,
                                "date": day,
                                "kind": kind,
                                "hours": hours,
                                "lead_id": lead.id if lead else False,
                                "name": text,
                            }
                        )
                day += relativedelta(days=1)
            acting(self.env["techdept.worklog"], user).create(values)
