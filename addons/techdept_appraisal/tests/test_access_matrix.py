from contextlib import closing

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .access_common import OWN_DOCUMENT_TYPE, TechdeptWorldCase
from .access_matrix import MATRIX, OPS, ROLES, SCOPE_PEOPLE, SCOPES

# Models the matrix leaves out, and why.
NOT_IN_MATRIX = {
    # Wizards: transient, each user's own, they act through the models above.
    "techdept.approval.reject.wizard",
    "techdept.stage.force.wizard",
    "techdept.phase.force.wizard",
}


class Probe:
    """How the matrix exercises one of its models: which field a write
    changes and to what (none: the write access a submission for review
    checks), and ``create(person, actor)``: the values of a record like
    ``person``'s that ``actor`` creates (None: no such record)."""

    def __init__(self, model, write=None, create=None):
        self.model = model
        self.write = write
        self.create = create or (lambda person, actor: None)


def _toggle(field, first, second):
    """A write of ``field``: ``first``, or ``second`` where it is ``first``."""

    def value(record):
        current = record[field]
        current = current.id if hasattr(current, "_name") else current
        return second if current == first else first

    return field, value


def _text(field):
    return field, lambda record: "Probe"


@tagged("post_install", "-at_install")
class TestAccessMatrix(TechdeptWorldCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.probes = cls._probes()

    @classmethod
    def _probes(cls):
        emp, users, projects = cls.employees, cls.users, cls.projects
        ref = cls.env.ref

        projects_model = cls.env["project.project"]

        def on_project(key, values):
            """A record like ``person``'s, on the same project."""

            def create(person, actor):
                record = cls.fixtures[key].get(person)
                if not record:
                    return None
                if record._name == "techdept.document":
                    return values(projects_model.browse(record.res_id), person)
                return values(record.project_id, person)

            return create

        def own_only(values):
            def create(person, actor):
                return values(person) if person == actor else None

            return create

        def config(values):
            return lambda person, actor: values() if person is None else None

        def document_type(code):
            return ref(code if "." in code else f"techdept_org.document_type_{code}")

        def lead_item(person):
            return cls.fixtures["techdept.lead.item"].get(person)

        pool_of = cls.fixtures["techdept.bonus.pool"]
        change_of = cls.fixtures["techdept.equipment.change"]
        report_of = cls.fixtures["techdept.progress.report"]
        figures_of = cls.fixtures["techdept.progress.report.figure"]
        reviews_of = cls.fixtures["techdept.progress.report.review"]
        plan_of = cls.fixtures["techdept.training.plan"]
        attendance_of = cls.fixtures["techdept.training.attendance"]
        next_year = cls.today + relativedelta(years=1)
        return {
            "techdept.duty": Probe(
                "techdept.duty",
                _text("name"),
                config(
                    lambda: {
                        "name": "New duty",
                        "department_id": ref("techdept_org.dept_technical").id,
                    }
                ),
            ),
            "techdept.approval.chain": Probe(
                "techdept.approval.chain",
                _text("name"),
                config(lambda: {"name": "New chain", "code": "mx_new"}),
            ),
            "techdept.approval.step": Probe(
                "techdept.approval.step",
                _text("name"),
                config(
                    lambda: {
                        "chain_id": cls.fixtures["techdept.approval.chain"][
                            "department"
                        ].id,
                        "name": "New step",
                        "approver_type": "role",
                        "role": "director",
                    }
                ),
            ),
            "techdept.approval.line": Probe(
                "techdept.approval.line",
                _text("comment"),
            ),
            "techdept.approval.decision": Probe(
                "techdept.approval.decision",
                _text("comment"),
            ),
            "techdept.approval.escalation": Probe(
                "techdept.approval.escalation",
                ("level", lambda record: "escalation"),
            ),
            "techdept.calendar": Probe(
                "techdept.calendar",
                _text("name"),
                config(lambda: {"name": "New calendar"}),
            ),
            "techdept.calendar.year": Probe(
                "techdept.calendar.year",
                _text("source"),
                config(
                    lambda: {
                        "calendar_id": cls.fixtures["techdept.calendar"][
                            "department"
                        ].id,
                        "year": 2002,
                    }
                ),
            ),
            "techdept.calendar.day": Probe(
                "techdept.calendar.day",
                _text("note"),
                config(
                    lambda: {
                        "calendar_id": cls.fixtures["techdept.calendar"][
                            "department"
                        ].id,
                        "date": "2001-05-01",
                        "kind": "holiday",
                    }
                ),
            ),
            "techdept.notice.robot": Probe(
                "techdept.notice.robot",
                _text("name"),
                config(
                    lambda: {
                        "name": "New robot",
                        "webhook_url": "https://example.com/new",
                        "enabled": False,
                    }
                ),
            ),
            "techdept.notice": Probe(
                "techdept.notice",
                _text("title"),
                config(
                    lambda: {
                        "robot_id": cls.fixtures["techdept.notice.robot"][
                            "department"
                        ].id,
                        "event": "test",
                    }
                ),
            ),
            "techdept.document.type": Probe(
                "techdept.document.type",
                _text("name"),
                config(lambda: {"name": "New type", "code": "mx_new"}),
            ),
            "techdept.document.tag": Probe(
                "techdept.document.tag",
                _text("name"),
                config(lambda: {"name": "New tag"}),
            ),
            "techdept.document": Probe(
                "techdept.document",
                _text("description"),
                own_only(
                    lambda person: {
                        "name": "New document",
                        "type_id": document_type(OWN_DOCUMENT_TYPE[person]).id,
                    }
                ),
            ),
            "techdept.document@crm.lead": Probe(
                "techdept.document",
                _text("description"),
                lambda person, actor: (
                    lead_item(person)
                    and {
                        "name": "New deliverable",
                        "type_id": document_type("site_survey").id,
                        "lead_item_id": lead_item(person).id,
                    }
                ),
            ),
            "techdept.document@project.project": Probe(
                "techdept.document",
                _text("description"),
                on_project(
                    "techdept.document@project.project",
                    lambda project, person: {
                        "name": "New deliverable",
                        "type_id": document_type("construction_plan").id,
                        "res_model": "project.project",
                        "res_id": project.id,
                    },
                ),
            ),
            "techdept.delegation": Probe(
                "techdept.delegation",
                _text("reason"),
                lambda person, actor: cls._delegation_values(person),
            ),
            "techdept.presales.phase": Probe(
                "techdept.presales.phase",
                _text("name"),
                config(lambda: {"name": "New phase"}),
            ),
            "techdept.stage.item": Probe(
                "techdept.stage.item",
                _text("name"),
                config(
                    lambda: {
                        "code": "9.8",
                        "name": "New item",
                        "kind": "task",
                        "blocking": False,
                        "active": False,
                        "stage_id": ref("techdept_crm_stages.stage_contract").id,
                    }
                ),
            ),
            "techdept.lead.item": Probe(
                "techdept.lead.item",
                None,
                lambda person, actor: (
                    lead_item(person)
                    and {
                        "lead_id": lead_item(person).lead_id.id,
                        "item_id": ref("techdept_crm_stages.item_3_2").id,
                    }
                ),
            ),
            "techdept.worklog": Probe(
                "techdept.worklog",
                _text("name"),
                lambda person, actor: (
                    person in emp
                    and person in cls.fixtures["techdept.worklog"]
                    and {
                        "employee_id": emp[person].id,
                        "kind": "training",
                        "hours": 1.0,
                        "name": "New training",
                    }
                ),
            ),
            "techdept.project.phase": Probe(
                "techdept.project.phase",
                _text("name"),
                config(lambda: {"name": "New phase", "kind": "supervision"}),
            ),
            "techdept.handover": Probe(
                "techdept.handover",
                _text("note"),
                on_project(
                    "techdept.handover",
                    lambda project, person: {"project_id": project.id},
                ),
            ),
            "techdept.assignment": Probe(
                "techdept.assignment",
                ("date_to", lambda record: next_year),
                lambda person, actor: (
                    person in ("engineer", "engineer2")
                    and {
                        "project_id": (
                            projects["impl2"]
                            if person == "engineer"
                            else projects["impl"]
                        ).id,
                        "employee_id": emp[person].id,
                        "date_from": next_year,
                        "confirm_double_booking": True,
                    }
                ),
            ),
            "techdept.acceptance": Probe(
                "techdept.acceptance",
                _text("review_note"),
                on_project(
                    "techdept.acceptance",
                    lambda project, person: {"project_id": project.id},
                ),
            ),
            "techdept.subcontract": Probe(
                "techdept.subcontract",
                _text("scope"),
                on_project(
                    "techdept.subcontract",
                    lambda project, person: {
                        "name": "New team",
                        "project_id": project.id,
                        "partner_id": cls.partner.id,
                        "scope": "Trenching",
                        "amount": 10.0,
                    },
                ),
            ),
            "techdept.equipment.line": Probe(
                "techdept.equipment.line",
                _text("note"),
                on_project(
                    "techdept.equipment.line",
                    lambda project, person: {
                        "project_id": project.id,
                        "name": "Firewall",
                    },
                ),
            ),
            "techdept.equipment.change": Probe(
                "techdept.equipment.change",
                _text("reason"),
                on_project(
                    "techdept.equipment.change",
                    lambda project, person: {
                        "name": "New change",
                        "project_id": project.id,
                        "reason": "More ports",
                    },
                ),
            ),
            "techdept.equipment.change.line": Probe(
                "techdept.equipment.change.line",
                _text("note"),
                lambda person, actor: (
                    person in change_of
                    and not change_of[person]._techdept_frozen()
                    and {
                        "change_id": change_of[person].id,
                        "name": "Access point",
                        "quantity": 2.0,
                    }
                ),
            ),
            "techdept.repair": Probe(
                "techdept.repair",
                _text("fault"),
                on_project(
                    "techdept.repair",
                    lambda project, person: {
                        "name": "New repair",
                        "project_id": project.id,
                        "equipment": "Switch",
                        "fault": "Port down",
                    },
                ),
            ),
            "techdept.grade.band": Probe(
                "techdept.grade.band",
                _text("name"),
                config(
                    lambda: {"name": "New grade", "min_score": 2.0, "coefficient": 0.2}
                ),
            ),
            "techdept.kpi.template": Probe(
                "techdept.kpi.template",
                _text("name"),
                config(lambda: {"name": "New template"}),
            ),
            "techdept.kpi.template.line": Probe(
                "techdept.kpi.template.line",
                _text("name"),
                config(
                    lambda: {
                        "template_id": cls.empty_template.id,
                        "name": "Everything",
                        "weight": 100.0,
                    }
                ),
            ),
            "techdept.appraisal.period": Probe(
                "techdept.appraisal.period",
                ("deadline", lambda record: next_year),
                config(lambda: {"date_from": next_year}),
            ),
            "techdept.appraisal@draft": Probe(
                "techdept.appraisal",
                _toggle("co_appraiser_id", emp["director"].id, False),
                lambda person, actor: cls._appraisal_values(person),
            ),
            "techdept.appraisal@submitted": Probe(
                "techdept.appraisal",
                _toggle("co_appraiser_id", emp["director"].id, False),
                lambda person, actor: None,
            ),
            "techdept.appraisal.line@draft": Probe(
                "techdept.appraisal.line",
                ("score", lambda record: record.max_score / 2),
                lambda person, actor: cls._appraisal_line_values(person),
            ),
            "techdept.appraisal.line@submitted": Probe(
                "techdept.appraisal.line",
                ("score", lambda record: record.max_score / 2),
                lambda person, actor: None,
            ),
            # The sheet itself holds nothing a user writes: the write access
            # its actions check.
            "techdept.appraisal.sheet": Probe("techdept.appraisal.sheet"),
            "techdept.appraisal.sheet.line": Probe(
                "techdept.appraisal.sheet.line",
                _text("goal"),
            ),
            "techdept.appraisal.appeal": Probe(
                "techdept.appraisal.appeal",
                _text("reason"),
            ),
            "techdept.appraisal.appeal@gm_office": Probe(
                "techdept.appraisal.appeal",
                _text("reason"),
            ),
            # What the server keeps: nobody writes it.
            "techdept.lead.stage.entry": Probe("techdept.lead.stage.entry"),
            "techdept.lead.stage.report": Probe("techdept.lead.stage.report"),
            "techdept.project.deliverable": Probe("techdept.project.deliverable"),
            "techdept.pool.engineer": Probe("techdept.pool.engineer"),
            "techdept.cockpit.figure": Probe(
                "techdept.cockpit.figure",
                _text("name"),
                config(
                    lambda: {
                        "name": "New figure",
                        "code": "mx_new",
                        "section": "projects",
                    }
                ),
            ),
            "techdept.bonus.pool": Probe(
                "techdept.bonus.pool",
                _text("name"),
                own_only(
                    lambda person: {
                        "name": "New pool",
                        "project_id": projects["impl"].id,
                        "amount": 10.0,
                    }
                ),
            ),
            "techdept.bonus.line": Probe(
                "techdept.bonus.line",
                ("contribution", lambda record: 2.5),
                lambda person, actor: (
                    person in pool_of
                    and {
                        "pool_id": pool_of[person].id,
                        "stream": "om",
                        "employee_id": emp["engineer2"].id,
                    }
                ),
            ),
            "techdept.budget": Probe(
                "techdept.budget",
                ("actual", lambda record: 42.0),
                own_only(
                    lambda person: {
                        "name": "New budget",
                        "stream": "om",
                        "project_id": projects["impl"].id,
                        "planned": 10.0,
                    }
                ),
            ),
            "techdept.report.template": Probe(
                "techdept.report.template",
                _text("name"),
                config(lambda: {"name": "New report"}),
            ),
            "techdept.report.template.section": Probe(
                "techdept.report.template.section",
                _text("guide"),
                config(
                    lambda: {
                        "template_id": cls.fixtures["techdept.report.template"][
                            "department"
                        ].id,
                        "name": "New section",
                    }
                ),
            ),
            # A report's own fields are the server's: a write is its sections'
            # text, which the write access of the report lets through.
            "techdept.progress.report": Probe(
                "techdept.progress.report",
                None,
                lambda person, actor: (
                    person in report_of
                    and {
                        "employee_id": emp[person].id,
                        "template_id": report_of[person].template_id.id,
                        "period_start": next_year,
                        "period_end": next_year,
                    }
                ),
            ),
            "techdept.progress.report.section": Probe(
                "techdept.progress.report.section",
                _text("body"),
                lambda person, actor: (
                    person in report_of
                    and {
                        "report_id": report_of[person].id,
                        "template_section_id": report_of[person]
                        .section_ids[:1]
                        .template_section_id.id,
                    }
                ),
            ),
            "techdept.progress.report.figure": Probe(
                "techdept.progress.report.figure",
                ("value", lambda record: 7.0),
                lambda person, actor: (
                    person in figures_of
                    and {
                        "report_id": figures_of[person].report_id[:1].id,
                        "kind": figures_of[person][:1].kind,
                        "value": 1.0,
                    }
                ),
            ),
            "techdept.progress.report.review": Probe(
                "techdept.progress.report.review",
                _text("comment"),
                lambda person, actor: (
                    person in reviews_of
                    and {
                        "report_id": reviews_of[person].report_id[:1].id,
                        "reviewer_id": emp["director"].id,
                    }
                ),
            ),
            "techdept.training.plan": Probe(
                "techdept.training.plan",
                _text("name"),
                own_only(
                    lambda person: {
                        "name": "New plan",
                        "date_from": next_year,
                        "date_to": next_year + relativedelta(months=3),
                        "responsible_id": emp[person].id,
                    }
                ),
            ),
            "techdept.training.plan.line": Probe(
                "techdept.training.plan.line",
                _text("audience"),
                lambda person, actor: (
                    person in plan_of
                    and {"plan_id": plan_of[person].id, "name": "Switches"}
                ),
            ),
            "techdept.training.session": Probe(
                "techdept.training.session",
                ("hours", lambda record: 3.0),
                own_only(
                    lambda person: {
                        "name": "New session",
                        "date": next_year,
                        "hours": 1.0,
                        "stream": "om",
                    }
                ),
            ),
            "techdept.training.attendance": Probe(
                "techdept.training.attendance",
                _text("note"),
                lambda person, actor: (
                    person in attendance_of
                    and {
                        "session_id": attendance_of[person].session_id.id,
                        "employee_id": emp["supervision_engineer"].id,
                    }
                ),
            ),
            "techdept.onsite.report": Probe(
                "techdept.onsite.report",
                _text("work_done"),
                on_project(
                    "techdept.onsite.report",
                    lambda project, person: {
                        "project_id": project.id,
                        "frequency": "weekly",
                        "period_start": next_year,
                        "period_end": next_year,
                    },
                ),
            ),
            "crm.lead": Probe(
                "crm.lead",
                _text("description"),
                lambda person, actor: (
                    person in ("sales", "sales2")
                    and {
                        "name": "New lead",
                        "type": "opportunity",
                        "user_id": users[person].id,
                    }
                ),
            ),
            "project.project": Probe(
                "project.project",
                _text("description"),
                lambda person, actor: (
                    person in cls.fixtures["project.project"]
                    and {
                        "name": "New project",
                        "techdept_kind": cls.fixtures["project.project"][
                            person
                        ].techdept_kind,
                    }
                ),
            ),
        }

    @classmethod
    def _delegation_values(cls, person):
        delegation = cls.fixtures["techdept.delegation"].get(person)
        if not delegation or delegation.employee_id != cls.employees[person]:
            return None
        date_from = cls.today + relativedelta(months=3)
        return {
            "employee_id": delegation.employee_id.id,
            "deputy_id": delegation.deputy_id.id,
            "department_id": delegation.department_id.id,
            "date_from": date_from,
            "date_to": date_from + relativedelta(days=1),
        }

    @classmethod
    def _appraisal_values(cls, person):
        appraisal = cls.fixtures["techdept.appraisal@draft"].get(person)
        return appraisal and {
            "period_id": cls.fixtures["techdept.appraisal.period"]["department"].id,
            "employee_id": appraisal.employee_id.id,
            "template_id": appraisal.template_id.id,
            "appraiser_id": appraisal.appraiser_id.id,
        }

    @classmethod
    def _appraisal_line_values(cls, person):
        line = cls.fixtures["techdept.appraisal.line@draft"].get(person)
        return line and {
            "appraisal_id": line.appraisal_id.id,
            "template_line_id": line.template_line_id.id,
            "group": line.group,
            "weight": 1.0,
            "max_score": 100.0,
        }

    # Walking one cell

    def _cell_records(self, key, role, op, scope):
        fixtures = self.fixtures[key]
        if scope == "dept":
            records = self.env[self.probes[key].model].union(*fixtures.values())
            if op != "read" and hasattr(records, "_techdept_frozen"):
                # Frozen records (in review) refuse changes to everybody.
                records -= records._techdept_frozen()
            return records or None
        person = SCOPE_PEOPLE[role][scope]
        return fixtures.get(person) if person else None

    def _db_values(self, records, field):
        records.invalidate_recordset()
        html = records._fields[field].type == "html"
        values = []
        for record in records.sudo().exists():
            value = record[field]
            if hasattr(value, "_name"):
                value = value.id
            elif html:
                value = html2plaintext(value or "")
            values.append(value)
        return values

    def _attempt(self, operation):
        """Run ``operation`` as a request would: rolled back if it fails.
        Return None when it succeeds, else the refusal; invalid data or a
        missing record is no refusal, and fails the cell."""
        try:
            with self.env.cr.savepoint():
                operation()
        except (ValidationError, MissingError):
            raise
        except (AccessError, UserError) as error:
            self.env.invalidate_all()
            return error
        return None

    def _run_cell(self, key, role, op, scope):
        """Try ``op`` as ``role`` on the records of ``scope``: True when it
        succeeds and its effect is in the database, False when it is refused
        and nothing changed, None when the scope has no record; a string
        describes anything else."""
        probe = self.probes[key]
        user = self.users[role]
        Model = self.env[probe.model].with_user(user)
        if op == "create":
            person = SCOPE_PEOPLE[role][scope] if scope != "dept" else None
            if scope != "dept" and not person:
                return None
            values = probe.create(person, role)
            if not values:
                return None
            before = Model.sudo().with_context(active_test=False).search_count([])
            created = []
            error = self._attempt(lambda: created.append(Model.create(values)))
            after = Model.sudo().with_context(active_test=False).search_count([])
            if error is None:
                return True if after == before + 1 else "created, yet not stored"
            return False if after == before else f"refused, yet stored: {error}"
        records = self._cell_records(key, role, op, scope)
        if not records:
            return None
        records = records.with_user(user)
        if op == "read":
            found = Model.browse()
            search = Model.with_context(active_test=False).search

            def read():
                nonlocal found
                found = search([("id", "in", records.ids)])

            self._attempt(read)
            error = self._attempt(lambda: records.read(["display_name"]))
            if error is None:
                return True if found == records else "read, yet not found by a search"
            return False if found != records else f"found, yet not read: {error}"
        if op == "write":
            if probe.write is None:
                error = self._attempt(lambda: records.check_access("write"))
                return error is None
            field, value = probe.write
            new = value(records[0].sudo())
            before = self._db_values(records, field)
            error = self._attempt(lambda: records.write({field: new}))
            after = self._db_values(records, field)
            if error is None:
                expected = [new for _record in records]
                return True if after == expected else "written, yet not stored"
            return False if after == before else f"refused, yet written: {error}"
        if op == "unlink":
            error = self._attempt(lambda: records.unlink())
            remaining = records.sudo().with_context(active_test=False).exists()
            if error is None:
                return True if not remaining else "deleted, yet still there"
            return (
                False
                if remaining == records.sudo()
                else (f"refused, yet deleted: {error}")
            )
        raise ValueError(op)

    def _run(self, key, role, op, scope):
        with closing(self.env.cr.savepoint()):
            result = self._run_cell(key, role, op, scope)
        self.env.invalidate_all()
        return result

    def test_every_model_is_declared(self):
        """A new model of the suite must be given its line in the matrix."""
        declared = {key.split("@")[0] for key in MATRIX}
        suite = {
            name
            for name, model in self.env.registry.items()
            if name.startswith("techdept.")
            and not model._abstract
            and not model._transient
        }
        self.assertFalse(suite - declared - NOT_IN_MATRIX, "models not in the matrix")
        self.assertEqual(set(MATRIX), set(self.probes))
        for key, rows in MATRIX.items():
            self.assertEqual(set(rows), set(ROLES), key)

    def test_access_matrix(self):
        """Every cell, both ways: what is allowed succeeds and is stored,
        what is not is refused and leaves the database as it was."""
        for key, rows in MATRIX.items():
            for role, cells in rows.items():
                for scope, cell in zip(SCOPES, cells.split(), strict=True):
                    for op, mark in zip(OPS, cell, strict=True):
                        with self.subTest(model=key, role=role, op=op, scope=scope):
                            result = self._run(key, role, op, scope)
                            expected = None if mark == "." else mark != "-"
                            self.assertEqual(result, expected)
