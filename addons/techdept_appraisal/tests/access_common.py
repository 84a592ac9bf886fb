"""The department of the access matrix and forgery tests: one person per
role of the policy with the fewest groups, a colleague for each engineer,
leads, projects of each kind, and records of every model of the suite,
each belonging to someone (see ``TechdeptWorldCase.fixtures``)."""

import base64

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests.common import TransactionCase

from odoo.addons.techdept_crm_stages.models.crm_lead import FORCE_FLAG
from odoo.addons.techdept_org.models.techdept_guard import with_server_flag
from odoo.addons.techdept_org.tests.common import techdept_person

ENGINEER = "techdept_org.group_engineer"
MANAGER = "techdept_org.group_manager"
SALESMAN = "sales_team.group_sale_salesman"

# key: (groups, policy role, department, department he manages)
PEOPLE = {
    "director": (
        "techdept_org.group_director",
        "director",
        "dept_technical",
        "dept_technical",
    ),
    "presales_manager": (MANAGER, "presales_manager", "dept_presales", "dept_presales"),
    "implementation_manager": (
        MANAGER,
        "implementation_manager",
        "dept_implementation",
        "dept_implementation",
    ),
    "om_manager": (MANAGER, "om_manager", "dept_om", "dept_om"),
    "supervision_manager": (
        MANAGER,
        "supervision_manager",
        "dept_supervision",
        "dept_supervision",
    ),
    "engineer": (ENGINEER, "aftersales_engineer", "dept_om", None),
    "engineer2": (ENGINEER, "onsite_engineer", "dept_om", None),
    "presales_engineer": (
        f"{ENGINEER},{SALESMAN}",
        "presales_engineer",
        "dept_presales",
        None,
    ),
    "presales_engineer2": (
        f"{ENGINEER},{SALESMAN}",
        "presales_engineer",
        "dept_presales",
        None,
    ),
    "supervision_engineer": (
        ENGINEER,
        "supervision_engineer",
        "dept_supervision",
        None,
    ),
    "sales": (SALESMAN, None, "dept_sales", None),
    "sales2": (SALESMAN, None, "dept_sales", None),
    "commerce": ("techdept_org.group_commerce", None, "dept_commerce", "dept_commerce"),
    "gm_office": (
        "techdept_org.group_gm_office",
        None,
        "dept_gm_office",
        "dept_gm_office",
    ),
}

# The type of the documents each person writes on his own, by function.
OWN_DOCUMENT_TYPE = {
    "director": "training_plan",
    "presales_manager": "technical_solution",
    "implementation_manager": "construction_plan",
    "om_manager": "service_report",
    "supervision_manager": "supervision_plan",
    "engineer": "service_report",
    "engineer2": "repair_record",
    "presales_engineer": "customer_requirements",
    "presales_engineer2": "site_survey",
    "supervision_engineer": "supervision_report",
    "sales": "techdept_crm_stages.document_type_contract",
    "sales2": "techdept_crm_stages.document_type_contract",
    "commerce": "final_solution",
    "gm_office": "techdept_crm_stages.document_type_contract",
}


class TechdeptWorldCase(TransactionCase):
    """Builds the department once per test class.

    ``cls.users`` / ``cls.employees``: by person key (see ``PEOPLE``).
    ``cls.projects``: ``impl`` (the won lead's, the implementation manager's,
    ``engineer`` assigned, ``presales_engineer2`` its presales engineer),
    ``impl2`` (the implementation manager's, ``engineer2`` assigned), ``om``
    (the O&M manager's, ``engineer2`` its after-sales engineer), ``sup`` (the
    supervision manager's and engineer's).
    ``cls.leads``: ``pre`` (``sales`` and ``presales_engineer``, stage 2),
    ``won`` (``sales2`` and ``presales_engineer2``, won).
    ``cls.fixtures[key][person]``: the record of model ``key`` (or of a
    variant, "model@variant") that belongs to ``person``; several persons
    may share one (a record of a project belongs to everybody who works on
    it); configuration records belong to ``"department"``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_world()

    @classmethod
    def _build_world(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        ref = env.ref
        env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        env["techdept.delegation"].search([]).unlink()
        cls.today = fields.Date.context_today(env["res.users"])

        cls.users, cls.employees = {}, {}
        for key, (groups, job, department, manages) in PEOPLE.items():
            user, employee = techdept_person(
                env, f"mx_{key}", groups, job, department, manages
            )
            cls.users[key], cls.employees[key] = user, employee
        emp = cls.employees
        ref("techdept_org.dept_om").techdept_deputy_department_id = ref(
            "techdept_org.dept_implementation"
        )
        ref("techdept_org.dept_implementation").techdept_deputy_department_id = ref(
            "techdept_org.dept_om"
        )
        ref("techdept_org.dept_presales").techdept_deputy_id = emp["presales_engineer"]
        ref("techdept_org.dept_supervision").techdept_deputy_id = emp[
            "supervision_engineer"
        ]
        ref("techdept_org.dept_technical").techdept_deputy_id = emp["om_manager"]
        cls.fixtures = {}
        cls._build_leads()
        cls._build_projects()
        cls._build_org_records()
        cls._build_project_records()
        cls._build_appraisals()
        cls._build_bonus()
        cls._build_configuration()
        cls._build_routines()
        env.flush_all()
        cls._build_server_views()

    # Helpers

    @classmethod
    def _as(cls, person):
        """The environment of ``person`` in superuser mode: records he
        creates this way are his (creator, author) and no check stops them."""
        return cls.env(user=cls.users[person], su=True)

    @classmethod
    def _file(cls, name, record, person="director"):
        return (
            cls._as(person)["ir.attachment"]
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(name.encode()),
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
            .with_env(cls.env)
        )

    @classmethod
    def _document(cls, person, doc_type=None, **values):
        code = doc_type or OWN_DOCUMENT_TYPE[person]
        doc_type = cls.env.ref(
            code if "." in code else f"techdept_org.document_type_{code}"
        )
        document = cls._as(person)["techdept.document"].create(
            {"name": f"{doc_type.code} of {person}", "type_id": doc_type.id, **values}
        )
        document.attachment_ids = cls._file(f"{person}.txt", document, person)
        return document.with_env(cls.env)

    @classmethod
    def _approve(cls, record, submitter, *approvers):
        record.with_user(cls.users[submitter]).action_approval_submit()
        for approver in approvers:
            record.with_user(cls.users[approver]).action_approval_approve()
        return record

    @classmethod
    def _set(cls, key, record, *persons):
        mapping = cls.fixtures.setdefault(key, {})
        for person in persons:
            mapping[person] = record

    # The world

    @classmethod
    def _build_leads(cls):
        env, ref = cls.env, cls.env.ref
        Lead = env["crm.lead"]
        cls.leads = {
            "pre": Lead.create(
                {
                    "name": "Campus network",
                    "type": "opportunity",
                    "user_id": cls.users["sales"].id,
                    "techdept_presales_user_id": cls.users["presales_engineer"].id,
                }
            ),
            "won": Lead.create(
                {
                    "name": "Data centre",
                    "type": "opportunity",
                    "user_id": cls.users["sales2"].id,
                    "techdept_presales_user_id": cls.users["presales_engineer2"].id,
                }
            ),
        }
        cls.leads["pre"].stage_id = ref("techdept_crm_stages.stage_deep_contact")
        with_server_flag(cls.leads["won"], FORCE_FLAG).stage_id = ref(
            "techdept_crm_stages.stage_contract"
        )
        cls._set("crm.lead", cls.leads["pre"], "sales", "presales_engineer")
        cls._set(
            "crm.lead", cls.leads["won"], "sales2", "presales_engineer2", "commerce"
        )

        def item(lead, code):
            return cls.leads[lead].techdept_item_ids.filtered(
                lambda line: line.code == code
            )

        cls.lead_items = {"pre": item("pre", "2.2"), "won": item("won", "2.2")}
        cls._set("techdept.lead.item", item("pre", "2.2"), "sales", "presales_engineer")
        cls._set(
            "techdept.lead.item", item("won", "2.2"), "sales2", "presales_engineer2"
        )
        cls._set("techdept.lead.item", item("won", "3.7"), "commerce")
        # Documents delivered for the leads' items.
        pre_doc = cls._document(
            "presales_engineer", lead_item_id=cls.lead_items["pre"].id
        )
        won_doc = cls._document(
            "presales_engineer2", lead_item_id=cls.lead_items["won"].id
        )
        commerce_doc = cls._document(
            "commerce", "final_solution", lead_item_id=item("won", "3.7").id
        )
        cls._set("techdept.document@crm.lead", pre_doc, "sales", "presales_engineer")
        cls._set("techdept.document@crm.lead", won_doc, "sales2", "presales_engineer2")
        cls._set("techdept.document@crm.lead", commerce_doc, "commerce")

    @classmethod
    def _build_projects(cls):
        env, emp = cls.env, cls.employees
        action = (
            cls.leads["won"]
            .with_user(cls.users["implementation_manager"])
            .action_techdept_create_project()
        )
        Project = env["project.project"]
        impl = Project.browse(action["res_id"])
        impl2 = Project.create(
            {
                "name": "Video surveillance",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": emp["implementation_manager"].id,
                "user_id": cls.users["implementation_manager"].id,
            }
        )
        om = Project.create(
            {
                "name": "O&M: City hall",
                "techdept_kind": "om",
                "techdept_om_manager_id": emp["om_manager"].id,
                "techdept_aftersales_engineer_ids": [Command.set(emp["engineer2"].ids)],
                "user_id": cls.users["om_manager"].id,
            }
        )
        sup = Project.create(
            {
                "name": "Metro line 3 supervision",
                "techdept_kind": "supervision",
                "techdept_supervision_manager_id": emp["supervision_manager"].id,
                "techdept_supervision_engineer_ids": [
                    Command.set(emp["supervision_engineer"].ids)
                ],
                "user_id": cls.users["supervision_manager"].id,
            }
        )
        cls.projects = {"impl": impl, "impl2": impl2, "om": om, "sup": sup}
        # The engineers are on their projects since the months appraised
        # (see _build_appraisals): the implementation manager co-appraises them.
        start = cls.today + relativedelta(months=-13, day=1)
        Assignment = env["techdept.assignment"]
        cls.assignments = {
            "engineer": Assignment.create(
                {
                    "project_id": impl.id,
                    "employee_id": emp["engineer"].id,
                    "date_from": start,
                }
            ),
            "engineer2": Assignment.create(
                {
                    "project_id": impl2.id,
                    "employee_id": emp["engineer2"].id,
                    "date_from": start,
                }
            ),
        }
        cls._set("techdept.assignment", cls.assignments["engineer"], "engineer")
        cls._set("techdept.assignment", cls.assignments["engineer2"], "engineer2")
        # Projects of each kind with nothing on them yet, free to delete.
        for kind, manager_field, engineer_field, persons in (
            (
                "implementation",
                "techdept_implementation_manager_id",
                "techdept_project_manager_id",
                ("implementation_manager", "engineer"),
            ),
            (
                "om",
                "techdept_om_manager_id",
                "techdept_aftersales_engineer_ids",
                ("om_manager", "engineer2"),
            ),
            (
                "supervision",
                "techdept_supervision_manager_id",
                "techdept_supervision_engineer_ids",
                ("supervision_manager", "supervision_engineer"),
            ),
        ):
            manager, engineer = (emp[person] for person in persons)
            engineer_value = (
                engineer.id
                if engineer_field.endswith("_id")
                else [Command.set(engineer.ids)]
            )
            project = Project.create(
                {
                    "name": f"New {kind} project",
                    "techdept_kind": kind,
                    manager_field: manager.id,
                    engineer_field: engineer_value,
                }
            )
            cls._set("project.project", project, *persons)

    @classmethod
    def _build_org_records(cls):
        env = cls.env
        # Each one's own document, not attached to any record.
        for person in PEOPLE:
            cls._set("techdept.document", cls._document(person), person)
        # Delegations next month, one for each manager's absence; an
        # engineer's are those he stands in for.
        start = cls.today + relativedelta(months=1, day=1)
        deputies = {
            "director": ("dept_technical", "om_manager"),
            "presales_manager": ("dept_presales", "presales_engineer"),
            "implementation_manager": ("dept_implementation", "om_manager"),
            "om_manager": ("dept_om", "implementation_manager"),
            "supervision_manager": ("dept_supervision", "supervision_engineer"),
        }
        for index, (person, (department, deputy)) in enumerate(deputies.items()):
            date_from = start + relativedelta(days=7 * index)
            delegation = env["techdept.delegation"].create(
                {
                    "employee_id": cls.employees[person].id,
                    "deputy_id": cls.employees[deputy].id,
                    "department_id": env.ref(f"techdept_org.{department}").id,
                    "date_from": date_from,
                    "date_to": date_from + relativedelta(days=4),
                    "reason": "Training",
                }
            )
            cls._set("techdept.delegation", delegation, person)
            if deputy.endswith("engineer"):
                cls._set("techdept.delegation", delegation, deputy)
        # Work logs.
        for person in (
            "director",
            "presales_manager",
            "implementation_manager",
            "om_manager",
            "supervision_manager",
            "engineer",
            "engineer2",
            "presales_engineer",
            "presales_engineer2",
            "supervision_engineer",
        ):
            worklog = env["techdept.worklog"].create(
                {
                    "employee_id": cls.employees[person].id,
                    "kind": "training",
                    "hours": 2.0,
                    "name": f"Training of {person}",
                }
            )
            cls._set("techdept.worklog", worklog, person)
        # Approved documents: their review steps and decisions.
        approvers = {
            "engineer": "om_manager",
            "engineer2": "om_manager",
            "presales_engineer": "presales_manager",
            "presales_engineer2": "presales_manager",
            "supervision_engineer": "supervision_manager",
        }
        for person, approver in approvers.items():
            document = cls._approve(cls._document(person), person, approver)
            lines = env["techdept.approval.line"].search(
                [("res_model", "=", document._name), ("res_id", "=", document.id)]
            )
            cls._set("techdept.approval.line", lines, person)
            cls._set("techdept.approval.decision", lines.decision_ids, person)
            # As if the review had been late: its approver was reminded.
            escalation = env["techdept.approval.escalation"].create(
                {
                    "line_id": lines[:1].id,
                    "user_id": cls.users[approver].id,
                    "level": "reminder",
                }
            )
            cls._set("techdept.approval.escalation", escalation, person)

    @classmethod
    def _build_project_records(cls):
        env = cls.env
        projects = cls.projects
        # Whose project is which, by kind of record.
        implementation = {
            "engineer": "impl",
            "implementation_manager": "impl",
            "presales_engineer2": "impl",
            "engineer2": "impl2",
        }
        any_kind = dict(
            implementation,
            engineer2="om",
            om_manager="om",
            supervision_engineer="sup",
            supervision_manager="sup",
        )
        om_kind = {"engineer2": "om", "om_manager": "om"}
        partner = env["res.partner"].create({"name": "Tower Builders"})
        cls.partner = partner
        for person, project in implementation.items():
            project = projects[project]
            cls._set(
                "techdept.handover",
                cls._as(person)["techdept.handover"].create({"project_id": project.id}),
                person,
            )
            cls._set(
                "techdept.acceptance",
                cls._as(person)["techdept.acceptance"].create(
                    {"project_id": project.id}
                ),
                person,
            )
            cls._set(
                "techdept.subcontract",
                cls._as(person)["techdept.subcontract"].create(
                    {
                        "name": f"Cabling by {person}",
                        "project_id": project.id,
                        "partner_id": partner.id,
                        "scope": "Cabling",
                        "amount": 1000.0,
                    }
                ),
                person,
            )
        for person, project in any_kind.items():
            project = projects[project]
            cls._set(
                "techdept.document@project.project",
                cls._document(
                    person,
                    res_model="project.project",
                    res_id=project.id,
                ),
                person,
            )
            equipment = project.techdept_equipment_line_ids[:1] or env[
                "techdept.equipment.line"
            ].create({"project_id": project.id, "name": f"Switch of {project.name}"})
            cls._set("techdept.equipment.line", equipment, person)
            change = cls._as(person)["techdept.equipment.change"].create(
                {
                    "name": f"Change by {person}",
                    "project_id": project.id,
                    "reason": "Upgrade",
                    "line_ids": [
                        Command.create({"name": "Router", "quantity": 1.0}),
                    ],
                }
            )
            cls._set("techdept.equipment.change", change, person)
            cls._set("techdept.equipment.change.line", change.line_ids, person)
        for person, project in om_kind.items():
            cls._set(
                "techdept.repair",
                cls._as(person)["techdept.repair"].create(
                    {
                        "name": f"Camera of {person}",
                        "project_id": projects[project].id,
                        "equipment": "Dome camera",
                        "fault": "No image",
                        "price_amount": 100.0,
                    }
                ),
                person,
            )
        # What commerce reviews: a construction team, an equipment change and
        # a repair in review.
        subcontract = cls.fixtures["techdept.subcontract"]["engineer"].copy(
            {"name": "Cabling in review"}
        )
        subcontract.attachment_ids = cls._file("contract.txt", subcontract)
        cls._approve(subcontract, "engineer", "implementation_manager")
        cls._set("techdept.subcontract", subcontract, "commerce")
        change = cls.fixtures["techdept.equipment.change"]["engineer"].copy(
            {"name": "Change in review"}
        )
        cls._approve(change, "engineer")
        cls._set("techdept.equipment.change", change, "commerce")
        cls._set("techdept.equipment.change.line", change.line_ids, "commerce")
        repair = cls.fixtures["techdept.repair"]["engineer2"].copy(
            {"name": "Repair in review"}
        )
        cls._approve(repair, "engineer2")
        cls._set("techdept.repair", repair, "commerce")

    @classmethod
    def _build_appraisals(cls):
        env = cls.env
        Period = env["techdept.appraisal.period"]
        # The demo asks a self-assessment; here the appraisers score at once.
        env["techdept.kpi.template"].search([]).self_assessment = False
        # A year back: clear of the months the demo data appraises.
        last = Period.create(
            Period._month_defaults(cls.today + relativedelta(months=-12))
        )
        before = Period.create(
            Period._month_defaults(cls.today + relativedelta(months=-13))
        )
        (last | before).action_generate()
        cls.periods = {"last": last, "before": before}
        # The month before last is scored and in review with the director.
        for appraisal in before.appraisal_ids.filtered(
            lambda a: a.employee_id in cls.employees.values()
        ):
            for line in appraisal.line_ids.filtered(lambda li: not li.is_scored):
                line.score = line.max_score * 0.8
            appraisal.action_mark_scored()
            appraisal.with_user(appraisal.appraiser_user_id).action_approval_submit()
        for key, period in (("draft", last), ("submitted", before)):
            for person, employee in cls.employees.items():
                appraisal = period.appraisal_ids.filtered(
                    lambda a, e=employee: a.employee_id == e
                )
                if not appraisal:
                    continue
                cls._set(f"techdept.appraisal@{key}", appraisal, person)
                line = appraisal.line_ids.filtered(
                    lambda li: li.scorer == "appraiser" and li.source == "manual"
                )[:1]
                cls._set(f"techdept.appraisal.line@{key}", line, person)
        cls._build_cycle()

    @classmethod
    def _build_cycle(cls):
        """A month to come, its forms on their goals: each one's sheet and
        its first item. Eleven months back, the forms approved and appealed
        by their employees: the appeals in review, the managers' with the
        general manager's office."""
        env = cls.env
        Period = env["techdept.appraisal.period"]
        coming = Period.create(
            Period._month_defaults(cls.today + relativedelta(months=14))
        )
        appealed = Period.create(
            Period._month_defaults(cls.today + relativedelta(months=-11))
        )
        (coming | appealed).action_generate()
        cls.periods.update({"coming": coming, "appealed": appealed})
        people = cls.employees.values()
        for appraisal in appealed.appraisal_ids.filtered(
            lambda a: a.employee_id in people
        ):
            for line in appraisal.line_ids.filtered(lambda li: not li.is_scored):
                line.score = line.max_score * 0.8
            appraisal.action_mark_scored()
            appraisal.with_user(appraisal.appraiser_user_id).action_approval_submit()
            appraisal.with_user(cls.users["director"]).action_approval_approve()
            employee = appraisal.employee_user_id
            action = appraisal.with_user(employee).action_appeal()
            wizard = (
                env[action["res_model"]]
                .with_user(employee)
                .with_context(**action["context"])
                .create({"reason": "Counted twice"})
            )
            wizard.action_confirm()
        for person, employee in cls.employees.items():
            sheet = coming.appraisal_ids.filtered(
                lambda a, e=employee: a.employee_id == e
            ).sheet_id
            if sheet:
                cls._set("techdept.appraisal.sheet", sheet, person)
                cls._set("techdept.appraisal.sheet.line", sheet.line_ids[:1], person)
            appeal = env["techdept.appraisal.appeal"].search(
                [("employee_id", "=", employee.id)]
            )
            if appeal:
                cls._set("techdept.appraisal.appeal", appeal, person)
                if appeal.for_gm_office:
                    cls._set("techdept.appraisal.appeal@gm_office", appeal, person)

    @classmethod
    def _build_bonus(cls):
        impl = cls.projects["impl"]
        for person in (
            "director",
            "presales_manager",
            "implementation_manager",
            "om_manager",
            "supervision_manager",
        ):
            env = cls._as(person)
            pool = env["techdept.bonus.pool"].create(
                {"name": f"Bonus of {person}", "project_id": impl.id, "amount": 1000.0}
            )
            pool.line_ids = [
                Command.create(
                    {
                        "stream": "implementation",
                        "employee_id": cls.employees["engineer"].id,
                    }
                )
            ]
            budget = env["techdept.budget"].create(
                {
                    "name": f"Budget of {person}",
                    "stream": "implementation",
                    "project_id": impl.id,
                    "planned": 500.0,
                }
            )
            cls._set("techdept.bonus.pool", pool.with_env(cls.env), person)
            cls._set("techdept.bonus.line", pool.line_ids.with_env(cls.env), person)
            cls._set("techdept.budget", budget.with_env(cls.env), person)

    @classmethod
    def _build_server_views(cls):
        """What the server keeps of the records above (a lead's stays in its
        stages, the durations report, a project's checklist, the engineer
        pool): each belongs to whoever the record it describes belongs to."""
        env = cls.env
        for key, persons in (
            ("pre", ("sales", "presales_engineer")),
            ("won", ("sales2", "presales_engineer2", "commerce")),
        ):
            lead = cls.leads[key]
            cls._set(
                "techdept.lead.stage.entry", lead.techdept_stage_entry_ids, *persons
            )
            report = env["techdept.lead.stage.report"].search(
                [("lead_id", "=", lead.id)]
            )
            cls._set("techdept.lead.stage.report", report, *persons)
        for key, persons in (
            ("impl", ("implementation_manager", "engineer", "presales_engineer2")),
            ("om", ("om_manager", "engineer2")),
            ("sup", ("supervision_manager", "supervision_engineer")),
        ):
            cls._set(
                "techdept.project.deliverable",
                cls.projects[key].techdept_deliverable_ids,
                *persons,
            )
        Pool = env["techdept.pool.engineer"]
        for person, employee in cls.employees.items():
            row = Pool.search([("employee_id", "=", employee.id)])
            if row:
                cls._set("techdept.pool.engineer", row, person)

    @classmethod
    def _build_configuration(cls):
        """Configuration records of the tests' own, free to change or delete."""
        env, ref = cls.env, cls.env.ref
        chain = env["techdept.approval.chain"].create(
            {"name": "Probe chain", "code": "mx_probe"}
        )
        # No position writes it: no report is made of it.
        report_template = env["techdept.report.template"].create(
            {
                "name": "Probe report",
                "section_ids": [Command.create({"name": "Done"})],
            }
        )
        template = env["techdept.kpi.template"].create(
            {
                "name": "Probe template",
                "line_ids": [Command.create({"name": "All", "weight": 100.0})],
            }
        )
        records = {
            "techdept.duty": env["techdept.duty"].create(
                {
                    "name": "Probe duty",
                    "department_id": ref("techdept_org.dept_technical").id,
                }
            ),
            "techdept.approval.chain": chain,
            "techdept.approval.step": env["techdept.approval.step"].create(
                {
                    "chain_id": chain.id,
                    "name": "Probe step",
                    "approver_type": "role",
                    "role": "director",
                }
            ),
            "techdept.document.type": env["techdept.document.type"].create(
                {"name": "Probe type", "code": "mx_probe"}
            ),
            "techdept.document.tag": env["techdept.document.tag"].create(
                {"name": "Probe tag"}
            ),
            "techdept.presales.phase": env["techdept.presales.phase"].create(
                {"name": "Probe phase"}
            ),
            "techdept.stage.item": env["techdept.stage.item"].create(
                {
                    "code": "9.9",
                    "name": "Probe item",
                    "kind": "task",
                    "blocking": False,
                    "active": False,
                    "stage_id": ref("techdept_crm_stages.stage_contract").id,
                }
            ),
            "techdept.project.phase": env["techdept.project.phase"].create(
                {"name": "Probe phase", "kind": "supervision", "sequence": 99}
            ),
            "techdept.grade.band": env["techdept.grade.band"].create(
                {"name": "Probe grade", "min_score": 1.0, "coefficient": 0.1}
            ),
            "techdept.kpi.template": template,
            "techdept.kpi.template.line": template.line_ids,
            "techdept.report.template": report_template,
            "techdept.report.template.section": report_template.section_ids,
            "techdept.appraisal.period": env["techdept.appraisal.period"].create(
                env["techdept.appraisal.period"]._month_defaults(
                    cls.today + relativedelta(months=-20)
                )
            ),
        }
        calendar = env["techdept.calendar"].create({"name": "Probe calendar"})
        # A disabled robot: nothing is posted anywhere.
        robot = env["techdept.notice.robot"].create(
            {
                "name": "Probe robot",
                "webhook_url": "https://example.com/robot",
                "enabled": False,
            }
        )
        records.update(
            {
                "techdept.calendar": calendar,
                "techdept.calendar.year": env["techdept.calendar.year"].create(
                    {"calendar_id": calendar.id, "year": 2001}
                ),
                "techdept.calendar.day": env["techdept.calendar.day"].create(
                    {
                        "calendar_id": calendar.id,
                        "date": "2001-01-01",
                        "kind": "holiday",
                    }
                ),
                "techdept.notice.robot": robot,
                "techdept.cockpit.figure": env.ref(
                    "techdept_appraisal.cockpit_appraisals_to_score"
                ),
                "techdept.notice": env["techdept.notice"].create(
                    {"robot_id": robot.id, "event": "test", "state": "cancelled"}
                ),
            }
        )
        for key, record in records.items():
            cls._set(key, record, "department")
        cls.empty_template = env["techdept.kpi.template"].create(
            {"name": "Empty probe template"}
        )

    @classmethod
    def _build_routines(cls):
        """The department's routines: this week's progress reports (the
        engineers' submitted, so reviewed by their managers), a training
        plan, a session with its attendance, an on-site report."""
        env, emp = cls.env, cls.employees
        Report = env["techdept.progress.report"]
        reports = Report._techdept_ensure_reports(
            cls.today, env["hr.employee"].union(*emp.values())
        ).with_env(env)
        for person, employee in emp.items():
            report = reports.filtered(lambda r, e=employee: r.employee_id == e)
            if not report:
                continue
            if person in ("engineer", "engineer2", "supervision_engineer"):
                for section in report.with_user(cls.users[person]).section_ids:
                    section.body = f"{section.name} of {person}"
                report.with_user(cls.users[person]).action_submit()
            cls._set("techdept.progress.report", report, person)
            cls._set("techdept.progress.report.section", report.section_ids, person)
            if report.figure_ids:
                cls._set("techdept.progress.report.figure", report.figure_ids, person)
            if report.review_ids:
                cls._set("techdept.progress.report.review", report.review_ids, person)
        # The training plan the presales manager draws up with the O&M
        # manager's help.
        plan = cls._as("presales_manager")["techdept.training.plan"].create(
            {
                "name": "Probe plan",
                "date_from": cls.today + relativedelta(months=1, day=1),
                "date_to": cls.today + relativedelta(months=4, day=1),
                "responsible_id": emp["presales_manager"].id,
                "assistant_id": emp["om_manager"].id,
                "line_ids": [Command.create({"name": "Firewalls", "hours": 2.0})],
            }
        )
        plan = plan.with_env(env)
        cls._set("techdept.training.plan", plan, "presales_manager", "om_manager")
        cls._set(
            "techdept.training.plan.line",
            plan.line_ids,
            "presales_manager",
            "om_manager",
        )
        # A session the implementation manager organises; the engineers are
        # invited.
        session = (
            cls._as("implementation_manager")["techdept.training.session"]
            .create(
                {
                    "name": "Probe session",
                    "date": cls.today + relativedelta(months=1, day=5, hour=9),
                    "hours": 2.0,
                    "stream": "implementation",
                    "trainer_id": emp["implementation_manager"].id,
                    "attendance_ids": [
                        Command.create({"employee_id": emp[person].id})
                        for person in ("engineer", "engineer2")
                    ],
                }
            )
            .with_env(env)
        )
        cls._set("techdept.training.session", session, "implementation_manager")
        for person in ("engineer", "engineer2"):
            attendance = session.attendance_ids.filtered(
                lambda a, e=emp[person]: a.employee_id == e
            )
            cls._set("techdept.training.attendance", attendance, person)
        # The on-site report of an O&M service of its own, written by its
        # on-site engineers.
        service = env["project.project"].create(
            {
                "name": "O&M: Hospital",
                "techdept_kind": "om",
                "techdept_om_manager_id": emp["om_manager"].id,
                "techdept_onsite_engineer_ids": [
                    Command.set((emp["engineer"] | emp["engineer2"]).ids)
                ],
                "techdept_onsite_report_frequency": "weekly",
                "user_id": cls.users["om_manager"].id,
            }
        )
        onsite = env["techdept.onsite.report"]._techdept_ensure_reports(
            cls.today, service
        )
        cls._set(
            "techdept.onsite.report",
            onsite.with_env(env),
            "engineer",
            "engineer2",
            "om_manager",
        )
