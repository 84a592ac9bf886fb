"""Demo data of the department's routines: a month of weekly progress
reports, a training plan and its sessions, the on-site reports of an O&M
service. Made by the demo staff themselves; what happened on earlier days
is dated after the fact."""

import base64
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.techdept_org.models.techdept_guard import as_server
from odoo.addons.techdept_org.models.techdept_lang import in_company_lang

# What each role writes in his weekly report: (done, next, problems).
WEEKLY_TEXT = {
    "presales_engineer": (
        "完成高新区政务云平台技术方案第{week}版修改，参加客户需求交流会一次；"
        "整理机房勘察记录并上传知识库。",
        "配合销售准备投标技术文件，完成设备选型清单。",
        "需要实施组协助评估机房改造工期。",
    ),
    "project_manager": (
        "组织政务云平台项目周例会，跟踪施工队布线进度（完成{percent}%）。",
        "完成机柜安装验收，提交阶段实施报告。",
        "部分设备到货延迟，需商务协调供应商。",
    ),
    "implementation_engineer": (
        "完成核心交换机配置与联调，编写配置说明文档。",
        "配合项目经理完成系统割接演练。",
        "",
    ),
    "aftersales_engineer": (
        "处理政务服务中心故障工单{count}个，完成大厅球机返修跟踪。",
        "完成季度巡检计划，准备备件清单。",
        "返修设备回厂周期较长，建议增加备件。",
    ),
    "onsite_engineer": (
        "驻场完成机房日常巡检{count}次，处理UPS告警一次，更新设备台账。",
        "配合客户完成网络安全检查整改。",
        "",
    ),
    "supervision_engineer": (
        "完成3号线弱电系统监理日志，参加工地例会两次，下发整改通知一份。",
        "跟踪整改落实情况，编写月度监理报告。",
        "施工单位人员变动频繁，需加强进场审查。",
    ),
    "manager": (
        "本组完成既定工作计划，重点项目进展正常。",
        "组员{names}按时提交周报，已审核；本周组织内部培训一次。",
        "下周重点推进项目验收和知识库整理。",
        "",
    ),
}
REVIEW_COMMENTS = [
    "本周工作扎实，继续保持。",
    "注意跟踪遗留问题，下周汇报处理结果。",
    "进展符合计划，文档请及时归档。",
    "请补充具体数据，便于评估工作量。",
]
ONSITE_TEXT = [
    (
        "完成机房及弱电间巡检，清理网络设备告警日志，备份核心交换机配置。",
        "周二UPS市电中断告警，切换电池供电约10分钟后恢复，已通知物业排查。",
        "客户计划明年新建第二数据机房，信息中心主任询问方案和预算。",
    ),
    (
        "完成视频监控平台存储容量检查，更换两块故障硬盘。",
        "大厅球机云台无法转动，已拆下返修。",
        "客户新任信息科科长到岗，关注网络安全等级保护测评。",
    ),
    (
        "配合客户完成等保整改：关闭多余端口，更新防火墙策略。",
        "无重大故障。",
        "客户拟采购一批视频会议终端，可转售前跟进。",
    ),
]


class TechdeptProjectDemo(models.AbstractModel):
    _inherit = "techdept.project.demo"

    @api.model
    def _techdept_demo_routines(self):
        """Last month and this one: weekly reports (one late, one missing,
        one reviewed for an absent manager), training held and planned,
        on-site reports of the O&M service."""
        today = fields.Date.context_today(self)
        month_start = today.replace(day=1) - relativedelta(months=1)
        # What the staff write, they write in their (the company's) language.
        story = in_company_lang(self)
        story._techdept_demo_training(today, month_start)
        story._techdept_demo_progress_reports(today, month_start)
        story._techdept_demo_onsite_reports(today, month_start)

    # Training

    @api.model
    def _techdept_demo_training(self, today, month_start):
        ref = self.env.ref
        director = ref("techdept_org.user_director_demo")
        presales_manager = ref("techdept_org.user_presales_manager_demo")
        om_manager = ref("techdept_org.user_om_manager_demo")
        half = 1 if today.month <= 6 else 7
        plan = (
            self.env["techdept.training.plan"]
            .with_user(presales_manager)
            .create(
                {
                    "name": "技术部培训计划（%s年%s）"
                    % (today.year, "上半年" if half == 1 else "下半年"),
                    "date_from": today.replace(month=half, day=1),
                    "date_to": today.replace(month=half + 5, day=1)
                    + relativedelta(day=31),
                    "description": "<p>提升技术工程师的产品、方案和运维能力。</p>",
                    "line_ids": [
                        (0, 0, values)
                        for values in (
                            {
                                "name": "视频监控平台运维",
                                "kind": "internal",
                                "stream": "om",
                                "date": month_start + timedelta(days=14),
                                "hours": 3,
                                "audience": "全体技术工程师",
                            },
                            {
                                "name": "数据中心交换机新品",
                                "kind": "vendor",
                                "stream": "implementation",
                                "trainer_name": "华为技术支持工程师",
                                "date": month_start + timedelta(days=20),
                                "hours": 4,
                                "audience": "实施工程师、项目经理、售前工程师",
                            },
                            {
                                "name": "售前方案编写规范",
                                "kind": "internal",
                                "stream": "presales",
                                "date": today + timedelta(days=7),
                                "hours": 2,
                                "audience": "售前工程师",
                            },
                            {
                                "name": "信息安全等级保护政策解读",
                                "kind": "company",
                                "stream": "om",
                                "date": today + relativedelta(months=2),
                                "hours": 2,
                                "audience": "全体技术部员工",
                            },
                        )
                    ],
                }
            )
        )
        plan.line_ids.filtered(lambda line: line.stream == "om")[:1].with_user(
            om_manager
        ).trainer_id = ref("techdept_org.employee_om_manager_demo")
        plan.with_user(presales_manager).action_approval_submit()
        plan.with_user(director).action_approval_approve()

        def employees(*names):
            return [ref(f"techdept_org.employee_{name}_demo") for name in names]

        held_on = self._techdept_demo_working_day(month_start, 10)
        cameras = self._techdept_demo_session(
            om_manager,
            plan,
            {
                "name": "视频监控平台运维培训",
                "kind": "internal",
                "stream": "om",
                "trainer_id": ref("techdept_org.employee_om_manager_demo").id,
                "date": datetime.combine(held_on, time(6, 0)),
                "hours": 3.0,
                "location": "公司三楼培训室",
            },
            attended=employees(
                "aftersales_engineer", "onsite_engineer", "project_manager"
            ),
            partly={ref("techdept_org.employee_supervision_engineer_demo"): 1.5},
            absent={ref("techdept_org.employee_implementation_engineer_demo"): "出差"},
        )
        material = (
            self.env["techdept.document"]
            .with_user(om_manager)
            .create(
                {
                    "name": "视频监控平台运维培训课件",
                    "type_id": ref(
                        "techdept_org.document_type_training_material_om"
                    ).id,
                    "res_model": cameras._name,
                    "res_id": cameras.id,
                }
            )
        )
        material.attachment_ids = (
            self.env["ir.attachment"]
            .with_user(om_manager)
            .create(
                {
                    "name": "视频监控平台运维培训课件.txt",
                    "datas": base64.b64encode(
                        "一、平台架构\n二、日常巡检\n三、常见故障处理\n".encode()
                    ),
                    "res_model": material._name,
                    "res_id": material.id,
                }
            )
        )
        cameras.with_user(om_manager).action_archive_materials()
        self._techdept_demo_session(
            presales_manager,
            plan,
            {
                "name": "数据中心交换机新品培训",
                "kind": "vendor",
                "stream": "implementation",
                "trainer_name": "华为技术支持工程师",
                "date": datetime.combine(
                    self._techdept_demo_working_day(month_start, 15), time(2, 0)
                ),
                "hours": 4.0,
                "location": "华为上海研究所",
            },
            attended=employees(
                "presales_engineer", "project_manager", "implementation_engineer"
            ),
        )
        self.env["techdept.training.session"].with_user(presales_manager).create(
            {
                "name": "售前方案编写规范",
                "kind": "internal",
                "stream": "presales",
                "plan_id": plan.id,
                "trainer_id": ref("techdept_org.employee_presales_manager_demo").id,
                "date": datetime.combine(today + timedelta(days=7), time(7, 0)),
                "hours": 2.0,
                "attendance_ids": [
                    (0, 0, {"employee_id": employee.id})
                    for employee in employees("presales_engineer")
                ],
            }
        )

    @api.model
    def _techdept_demo_session(
        self, organiser, plan, values, attended, partly=None, absent=None
    ):
        session = (
            self.env["techdept.training.session"]
            .with_user(organiser)
            .create(dict(values, plan_id=plan.id))
        )
        lines = [(0, 0, {"employee_id": e.id, "attended": True}) for e in attended]
        lines += [
            (0, 0, {"employee_id": e.id, "attended": True, "hours": hours})
            for e, hours in (partly or {}).items()
        ]
        lines += [
            (0, 0, {"employee_id": e.id, "attended": False, "note": note})
            for e, note in (absent or {}).items()
        ]
        session.with_user(organiser).attendance_ids = lines
        session.with_user(organiser).action_done()
        return session

    @api.model
    def _techdept_demo_working_day(self, month_start, count):
        calendar = self.env["techdept.calendar"]._for_company()
        return calendar._nth_working_day(month_start, count)[0]

    # Progress reports

    @api.model
    def _techdept_demo_weeks(self, today, month_start):
        """The Mondays of the weeks whose reports were due last month, and
        of last week: the reports already written."""
        month_end = today.replace(day=1) - timedelta(days=1)
        this_monday = today - timedelta(days=today.weekday())
        template = self.env.ref("techdept_org.report_template_engineer")
        Report = self.env["techdept.progress.report"]
        monday = month_start - timedelta(days=month_start.weekday())
        mondays = []
        while monday < this_monday:
            period = Report._techdept_period("weekly", monday, template.due_days)
            last_week = monday == this_monday - timedelta(days=7)
            if period and (month_start <= period[2] <= month_end or last_week):
                mondays.append(monday)
            monday += timedelta(days=7)
        return mondays

    @api.model
    def _techdept_demo_progress_reports(self, today, month_start):
        ref = self.env.ref
        mondays = self._techdept_demo_weeks(today, month_start)
        if not mondays:
            return
        last_monday = mondays[-1]
        # The O&M manager was away last week: the implementation manager,
        # his deputy, reviews what his engineers reported then.
        self.env["techdept.delegation"].with_user(
            ref("techdept_org.user_director_demo")
        ).create(
            {
                "employee_id": ref("techdept_org.employee_om_manager_demo").id,
                "deputy_id": ref(
                    "techdept_org.employee_implementation_manager_demo"
                ).id,
                "department_id": ref("techdept_org.dept_om").id,
                "date_from": last_monday,
                "date_to": last_monday + timedelta(days=6),
                "reason": "参加厂商技术交流会",
            }
        )
        presales = ref("techdept_org.employee_presales_engineer_demo")
        self._techdept_demo_worklog(
            presales, mondays + [today - timedelta(days=today.weekday())]
        )
        Report = self.env["techdept.progress.report"]
        # Last month: one report late, one never written.
        late_week = mondays[1] if len(mondays) > 2 else mondays[0]
        late_author = ref("techdept_org.employee_supervision_engineer_demo")
        missing_author = ref("techdept_org.employee_implementation_engineer_demo")
        unread = ref("techdept_org.employee_presales_engineer_demo")
        for index, monday in enumerate(mondays):
            reports = Report._techdept_ensure_reports(monday).sorted(
                lambda r: (
                    r.employee_id.techdept_role in self._techdept_demo_manager_roles()
                )
            )
            for number, report in enumerate(reports):
                author = report.employee_id
                if monday == late_week and author == missing_author:
                    continue
                late = monday == late_week and author == late_author
                submitted_on = report.deadline + timedelta(days=2 if late else 0)
                self._techdept_demo_write(report, index, number)
                report.with_user(author.user_id).action_submit()
                self._techdept_demo_backdate_submission(report, submitted_on)
                if monday == last_monday and author == unread:
                    continue  # waits for the presales manager
                self._techdept_demo_review(report, submitted_on, index + number)
        # Last month's missing report is flagged; this week's are to write,
        # the figures of two already in.
        Report._cron_progress_reports()
        current = Report._techdept_ensure_reports(today)
        for name in ("onsite_engineer", "aftersales_engineer"):
            employee = ref(f"techdept_org.employee_{name}_demo")
            current.filtered(lambda r, e=employee: r.employee_id == e).with_user(
                employee.user_id
            ).action_fill_figures()

    @api.model
    def _techdept_demo_manager_roles(self):
        return (
            "presales_manager",
            "implementation_manager",
            "om_manager",
            "supervision_manager",
        )

    @api.model
    def _techdept_demo_worklog(self, presales, mondays):
        lead = self.env["crm.lead"].search([("name", "=", "高新区政务云平台")], limit=1)
        Worklog = self.env["techdept.worklog"].with_user(presales.user_id)
        for monday in mondays:
            for offset, kind, hours, name in (
                (0, "project_support", 4.0, "政务云平台方案修改"),
                (1, "customer_support", 2.0, "客户机房技术咨询"),
                (2, "knowledge_base", 2.0, "整理方案模板入知识库"),
                (3, "supplier_exchange", 3.0, "厂商新品技术交流"),
            ):
                if kind == "project_support" and not lead:
                    continue
                Worklog.create(
                    {
                        "date": monday + timedelta(days=offset),
                        "kind": kind,
                        "hours": hours,
                        "lead_id": lead.id if kind == "project_support" else False,
                        "name": name,
                    }
                )

    @api.model
    def _techdept_demo_write(self, report, week, number):
        author = report.employee_id
        role = author.techdept_role
        if role in self._techdept_demo_manager_roles():
            team = self.env["hr.employee"].search(
                [
                    ("department_id", "=", author.department_id.id),
                    ("id", "!=", author.id),
                ]
            )
            texts = WEEKLY_TEXT["manager"]
            values = {"names": "、".join(team.mapped("name")) or "全体"}
        else:
            texts = WEEKLY_TEXT.get(role, WEEKLY_TEXT["implementation_engineer"])
            values = {
                "week": week + 2,
                "percent": 40 + 10 * week,
                "count": 3 + number % 4,
            }
        texts = [text.format(**values) for text in texts]
        sections = report.with_user(author.user_id).section_ids
        for section, text in zip(sections, texts, strict=False):
            if text:
                section.body = text

    @api.model
    def _techdept_demo_backdate_submission(self, report, submitted_on):
        """The report was submitted on ``submitted_on``: so it is recorded."""
        calendar = self.env["techdept.calendar"]._for_company()
        server = as_server(report.sudo())
        server.write(
            {
                "date_submitted": datetime.combine(submitted_on, time(9, 30)),
                "is_late": submitted_on > report.deadline,
            }
        )
        deadline, _provisional = calendar._add_working_days(
            submitted_on, report.template_id.review_days
        )
        server.review_ids.write({"deadline": deadline})
        server.review_ids.activity_id.write({"date_deadline": deadline})

    @api.model
    def _techdept_demo_review(self, report, submitted_on, index):
        calendar = self.env["techdept.calendar"]._for_company()
        reviewed_on, _provisional = calendar._add_working_days(submitted_on, 1)
        for review in report.sudo().review_ids:
            reviewer = review.reviewer_id.user_id
            report.with_user(reviewer).action_review(
                REVIEW_COMMENTS[index % len(REVIEW_COMMENTS)]
            )
            review.write(
                {
                    "date_done": datetime.combine(reviewed_on, time(10, 0)),
                    "is_late": reviewed_on > review.deadline,
                }
            )

    # On-site reports

    @api.model
    def _techdept_demo_onsite_reports(self, today, month_start):
        ref = self.env.ref
        om_manager = ref("techdept_org.user_om_manager_demo")
        service = self.env["project.project"].search(
            [
                ("techdept_kind", "=", "om"),
                ("techdept_origin_project_id.name", "=", "市政务服务中心网络工程"),
            ],
            limit=1,
        )
        if not service or not service.techdept_onsite_engineer_ids:
            return
        service.with_user(om_manager).write(
            {
                "techdept_onsite_report_frequency": "weekly",
                "techdept_onsite_report_due_days": 2,
                "techdept_service_date_from": month_start,
            }
        )
        engineer = service.techdept_onsite_engineer_ids[:1].user_id
        Onsite = self.env["techdept.onsite.report"]
        this_monday = today - timedelta(days=today.weekday())
        monday = month_start - timedelta(days=month_start.weekday()) + timedelta(days=7)
        week = 0
        while monday < this_monday:
            report = Onsite._techdept_ensure_reports(monday, service)
            work, incidents, changes = ONSITE_TEXT[week % len(ONSITE_TEXT)]
            values = {
                "work_done": work,
                "incidents": incidents,
                "site_changes": changes,
            }
            if week == 1:
                values["repair_ids"] = [(6, 0, service.techdept_repair_ids.ids)]
            report.with_user(engineer).write(values)
            report.with_user(engineer).action_approval_submit()
            # The second week's was sent three days late.
            as_server(report.sudo()).is_late = week == 1
            if monday + timedelta(days=7) < this_monday:
                report.with_user(om_manager).action_approval_approve()
            week += 1
            monday += timedelta(days=7)
        Onsite._cron_onsite_reports()
