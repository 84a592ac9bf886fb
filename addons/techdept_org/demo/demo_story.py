"""Demo data of the organisation: the demo company works in Chinese."""

from odoo import Command, api, fields, models

DEMO_LANG = "zh_CN"
DEMO_TZ = "Asia/Shanghai"


def acting(records, user):
    """``records`` as ``user`` works in the web client: with his rights, in
    his language and time zone. The demo stories act through it."""
    return records.with_user(user).with_context(lang=user.lang, tz=user.tz)


def demo_xmlid(env, xmlid, record):
    """Name a record a demo story made, as editable (noupdate) data: the
    stories find one another's records by it, and know they ran."""
    env["ir.model.data"]._update_xmlids(
        [{"xml_id": xmlid, "record": record, "noupdate": True}]
    )


def load_own_terms(env, module):
    """Odoo loads a module's translations only once its demo data is in. A
    story writes texts from what the module's data names (stages, items,
    review steps, models) in the staff's language: it loads them first."""
    langs = [code for code, _name in env["res.lang"].get_installed()]
    langs = [code for code in langs if code != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms([module], langs)


def demo_done(env, xmlid):
    """Whether the story that names ``xmlid`` ran already."""
    return bool(env.ref(xmlid, raise_if_not_found=False))


class TechdeptOrgDemo(models.AbstractModel):
    _name = "techdept.org.demo"
    _description = "Demo Data: Organisation"

    @api.model
    def _techdept_demo_chinese(self):
        """The demo department works in Chinese whichever command built the
        database (with or without ``--load-language``): Chinese active, with
        the translations of the modules installed so far (the suite's own
        load as each is installed, this one's now for the demo records that
        follow), a Chinese company in yuan, its administrator in Chinese in
        Shanghai."""
        Lang = self.env["res.lang"]
        if not Lang._lang_get(DEMO_LANG):
            Lang._activate_lang(DEMO_LANG)
            self.env["ir.module.module"].search(
                [("state", "=", "installed")]
            )._update_translations(DEMO_LANG)
        load_own_terms(self.env, "techdept_org")
        cny = self.env.ref("base.CNY")
        cny.active = True
        company = self.env.ref("base.main_company")
        company.write(
            {
                "name": "杭州智衡信息技术有限公司",
                "currency_id": cny.id,
                "street": "文三路478号华星时代广场A座12楼",
                "city": "杭州市",
                "zip": "310012",
                "state_id": self.env.ref("base.state_cn_ZJ").id,
                "country_id": self.env.ref("base.cn").id,
                "phone": "+86 571 8765 4300",
                "email": "info@zhiheng-it.example.com",
                "website": "https://www.zhiheng-it.example.com",
            }
        )
        company.partner_id.write({"lang": DEMO_LANG, "tz": DEMO_TZ})
        admin = self.env.ref("base.user_admin")
        admin.write({"lang": DEMO_LANG, "tz": DEMO_TZ})
        admin.partner_id.write(
            {
                "company_name": company.name,
                "street": company.street,
                "city": company.city,
                "zip": company.zip,
                "state_id": company.state_id.id,
                "country_id": company.country_id.id,
                "phone": "+86 571 8765 4301",
            }
        )

    @api.model
    def _techdept_demo_collab(self):
        """Implementation documents may be forwarded within the department
        and are copied to the O&M manager; two plans wait for the technical
        director, one through an approver added after the implementation
        manager (加签), and its author reminded him (催办). Runs once."""
        if demo_done(self.env, "techdept_org.approval_line_training_added_demo"):
            return
        ref = self.env.ref
        author = ref("techdept_org.user_project_manager_demo")
        manager = ref("techdept_org.user_implementation_manager_demo")
        director = ref("techdept_org.user_director_demo")
        (
            ref("techdept_org.chain_implementation_document")
            | ref("techdept_org.chain_implementation_document_countersign")
        ).write(
            {
                "allow_add_approver": True,
                "forward_policy": "department",
                "cc_user_ids": [
                    Command.set(ref("techdept_org.user_om_manager_demo").ids)
                ],
            }
        )
        plan = ref("techdept_org.document_relocation_plan_demo")
        acting(plan, author).action_approval_submit()
        acting(plan, manager).action_approval_approve("方案可行，请技术总监会签。")
        training = ref("techdept_org.document_training_plan_demo")
        acting(training, author).action_approval_submit()
        acting(training, manager)._approval_add_approver(
            director,
            "after",
            "全员培训涉及运维组和实施组，请技术总监会签。",
            "培训内容和课时安排合理。",
        )
        added = training.approval_line_ids.filtered("added_from_line_id")
        demo_xmlid(self.env, "techdept_org.approval_line_training_added_demo", added)
        acting(training, author)._approval_remind()

    @api.model
    def _techdept_demo_escalation(self):
        """An O&M service report submitted three weeks ago that the O&M
        manager did not review: the escalation reminds his deputy, then
        escalates it to the technical director. The notices wait for the
        disabled demo robot. Runs once."""
        if demo_done(self.env, "techdept_org.approval_escalation_service_report_demo"):
            return
        ref = self.env.ref
        robot = ref("techdept_org.notice_robot_demo")
        robot.lang = DEMO_LANG
        document = ref("techdept_org.document_service_report_demo")
        author = document.author_id
        document = acting(document, author)
        document.attachment_ids = acting(self.env["ir.attachment"], author).create(
            {"name": "service-report.txt", "raw": "巡检结果：正常\n".encode()}
        )
        document.action_approval_submit()
        line = document.sudo().approval_line_ids.filtered(
            lambda ln: ln.state == "pending"
        )
        opened = fields.Date.subtract(fields.Date.context_today(self), days=21)
        deadline = line._approval_deadline(opened)
        line.write(
            {
                "date_open": fields.Datetime.subtract(fields.Datetime.now(), days=21),
                "deadline": deadline,
            }
        )
        # Its "step opened" notice was queued today, with today's deadline.
        self.env["techdept.notice"].sudo().search([("line_id", "=", line.id)]).unlink()
        self.env["techdept.approval.line"]._cron_escalate()
        demo_xmlid(
            self.env,
            "techdept_org.approval_escalation_service_report_demo",
            line.escalation_ids[:1],
        )
