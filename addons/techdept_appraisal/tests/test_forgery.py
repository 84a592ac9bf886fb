import base64
from contextlib import closing
from datetime import date, datetime
from functools import partial

from dateutil.relativedelta import relativedelta

from odoo import Command, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.techdept_crm_stages.models import crm_lead
from odoo.addons.techdept_org.models import mail_activity
from odoo.addons.techdept_org.models.techdept_guard import as_server
from odoo.addons.techdept_project.models import project_project

from .access_common import TechdeptWorldCase

# What the suite adds to models of other applications and only the server
# writes.
CORE_SERVER_FIELDS = {
    "crm.lead": crm_lead._SERVER_FIELDS,
    "project.project": project_project._SERVER_FIELDS,
    "mail.activity": mail_activity._SERVER_FIELDS,
}
# Stored read-only fields a user sets when he creates the record, and
# nobody after (a document's record, checked like any change of it).
SET_ON_CREATION = {
    "techdept.document": {"res_model", "res_id"},
}
# Fields of an approved record that stay open (besides the engine's, mail's
# and the server's): its parts, tested as such, and what the model leaves
# free on purpose.
FREE_WHEN_APPROVED = {
    # Tags and the customer classify the document, they are not reviewed.
    "techdept.document": {"tag_ids", "partner_id", "company_id"},
    # The deliverables: parts of the item, tested below.
    "techdept.lead.item": {"document_ids"},
    # The items: parts of the appraisal, tested below.
    "techdept.appraisal": {"line_ids"},
    # The spending is recorded once the budget is approved.
    "techdept.budget": {"actual"},
    # The sessions are held once the plan is approved.
    "techdept.training.plan": {"session_ids"},
}


@tagged("post_install", "-at_install")
class TestForgery(TechdeptWorldCase):
    """Nobody but the server writes the engine's fields, the states, the
    stored computed fields or what a model declares the server's: not by a
    write, a create, a ``default_*`` key of the context nor a copy; the
    technical director, who may change all of these records, tries. Approved
    records, their parts and their files are frozen for him too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director = cls.users["director"]
        # Somewhere else to move a record to.
        cls.env["res.company"].create({"name": "Other Company"})
        env, fixtures, emp = cls.env, cls.fixtures, cls.employees
        projects = cls.projects
        impl_change = fixtures["techdept.equipment.change"]["implementation_manager"]
        activity = env["mail.activity"].create(
            {
                "res_model_id": env["ir.model"]._get_id("techdept.document"),
                "res_id": fixtures["techdept.document"]["director"].id,
                "activity_type_id": env.ref("mail.mail_activity_data_todo").id,
                "user_id": cls.director.id,
                "summary": "Read it",
            }
        )
        next_year = cls.today + relativedelta(years=1)
        # The routines: a progress report of an engineer, a
        # training plan with its planned training, a session, and the
        # on-site report of the O&M service, of a week with working days
        # (a week of holidays has no report).
        week = date(2026, 6, 10)
        report = env["techdept.progress.report"]._techdept_ensure_reports(
            week, emp["engineer"]
        )
        plan = (
            env["techdept.training.plan"]
            .with_user(cls.director)
            .create(
                {
                    "name": "Training plan",
                    "date_from": next_year,
                    "date_to": next_year + relativedelta(months=6),
                    "line_ids": [
                        Command.create(
                            {"name": "Firewalls", "kind": "vendor", "hours": 4.0}
                        )
                    ],
                }
            )
        )
        session = (
            env["techdept.training.session"]
            .with_user(cls.director)
            .create(
                {
                    "name": "Camera maintenance",
                    "stream": "om",
                    "trainer_id": emp["om_manager"].id,
                    "date": datetime.combine(next_year, datetime.min.time()),
                    "hours": 2.0,
                    "attendance_ids": [
                        Command.create({"employee_id": emp["engineer"].id})
                    ],
                }
            )
        )
        projects["om"].write(
            {
                "techdept_onsite_engineer_ids": [Command.set(emp["engineer2"].ids)],
                "techdept_onsite_report_frequency": "weekly",
            }
        )
        onsite = env["techdept.onsite.report"]._techdept_ensure_reports(
            week, projects["om"]
        )
        # An appeal the engineer has not submitted yet.
        appeal = (
            as_server(env["techdept.appraisal.appeal"])
            .create(
                {
                    "appraisal_id": fixtures["techdept.appraisal@draft"]["engineer"].id,
                    "reason": "Counted twice",
                }
            )
            .with_env(env)
        )
        sheet = fixtures["techdept.appraisal.sheet"]["engineer"]
        # A record of each model the director may change, and the values of
        # a new one he may create.
        cls.drafts = {
            "techdept.document": fixtures["techdept.document"]["director"],
            "techdept.lead.item": fixtures["techdept.lead.item"]["presales_engineer"],
            "techdept.handover": fixtures["techdept.handover"]["engineer"],
            "techdept.acceptance": fixtures["techdept.acceptance"]["engineer"],
            "techdept.subcontract": fixtures["techdept.subcontract"]["engineer"],
            "techdept.equipment.change": impl_change,
            "techdept.repair": fixtures["techdept.repair"]["om_manager"],
            "techdept.appraisal": fixtures["techdept.appraisal@draft"]["engineer"],
            "techdept.bonus.pool": fixtures["techdept.bonus.pool"]["director"],
            "techdept.budget": fixtures["techdept.budget"]["director"],
            "techdept.delegation": fixtures["techdept.delegation"]["om_manager"],
            "techdept.worklog": fixtures["techdept.worklog"]["engineer"],
            "techdept.assignment": fixtures["techdept.assignment"]["engineer"],
            "techdept.appraisal.period": cls.periods["last"],
            "techdept.appraisal.line": fixtures["techdept.appraisal.line@draft"][
                "engineer"
            ],
            "techdept.appraisal.sheet": sheet,
            "techdept.appraisal.sheet.line": sheet.line_ids[:1],
            "techdept.appraisal.appeal": appeal,
            "techdept.bonus.line": fixtures["techdept.bonus.line"]["director"],
            "techdept.equipment.line": fixtures["techdept.equipment.line"]["engineer"],
            "techdept.equipment.change.line": impl_change.line_ids,
            "crm.lead": cls.leads["pre"],
            "project.project": projects["impl"],
            "mail.activity": activity,
            "techdept.progress.report": report.with_env(env),
            "techdept.progress.report.section": report.section_ids[:1].with_env(env),
            "techdept.training.plan": plan.with_env(env),
            "techdept.training.plan.line": plan.line_ids.with_env(env),
            "techdept.training.session": session.with_env(env),
            "techdept.onsite.report": onsite.with_env(env),
        }
        appraisal = cls.drafts["techdept.appraisal"]
        cls.creations = {
            "techdept.document": {
                "name": "Plan",
                "type_id": env.ref("techdept_org.document_type_training_plan").id,
            },
            "techdept.lead.item": {
                "lead_id": cls.leads["pre"].id,
                "item_id": env.ref("techdept_crm_stages.item_3_2").id,
            },
            "techdept.handover": {"project_id": projects["impl"].id},
            "techdept.acceptance": {"project_id": projects["impl"].id},
            "techdept.subcontract": {
                "name": "Trenching",
                "project_id": projects["impl"].id,
                "partner_id": cls.partner.id,
                "scope": "Trenching",
                "amount": 100.0,
            },
            "techdept.equipment.change": {
                "name": "More ports",
                "project_id": projects["impl"].id,
                "reason": "More ports",
            },
            "techdept.repair": {
                "name": "Switch",
                "project_id": projects["om"].id,
                "equipment": "Switch",
                "fault": "Port down",
            },
            "techdept.appraisal": {
                "period_id": cls.periods["last"].id,
                "employee_id": emp["director"].id,
                "template_id": appraisal.template_id.id,
                "appraiser_id": emp["om_manager"].id,
            },
            "techdept.bonus.pool": {
                "name": "Bonus",
                "project_id": projects["impl"].id,
                "amount": 100.0,
            },
            "techdept.budget": {
                "name": "Budget",
                "stream": "om",
                "project_id": projects["impl"].id,
                "planned": 100.0,
            },
            "techdept.delegation": {
                "employee_id": emp["om_manager"].id,
                "deputy_id": emp["implementation_manager"].id,
                "department_id": env.ref("techdept_org.dept_om").id,
                "date_from": next_year,
                "date_to": next_year + relativedelta(days=2),
            },
            "techdept.worklog": {
                "employee_id": emp["director"].id,
                "kind": "training",
                "hours": 1.0,
                "name": "Reading",
            },
            "techdept.assignment": {
                "project_id": projects["impl2"].id,
                "employee_id": emp["engineer"].id,
                "date_from": next_year,
                "confirm_double_booking": True,
            },
            "techdept.appraisal.period": {"date_from": next_year},
            "techdept.appraisal.line": {
                "appraisal_id": appraisal.id,
                "template_line_id": appraisal.line_ids[0].template_line_id.id,
                "group": "quality",
                "weight": 1.0,
                "max_score": 100.0,
            },
            "techdept.appraisal.sheet": {"appraisal_id": appraisal.id},
            "techdept.appraisal.sheet.line": {
                "sheet_id": sheet.id,
                "line_id": sheet.appraisal_id.line_ids[:1].id,
            },
            "techdept.appraisal.appeal": {
                "appraisal_id": appraisal.id,
                "reason": "Counted twice",
            },
            "techdept.bonus.line": {
                "pool_id": cls.drafts["techdept.bonus.pool"].id,
                "stream": "om",
                "employee_id": emp["engineer2"].id,
            },
            "techdept.equipment.line": {
                "project_id": projects["impl"].id,
                "name": "Firewall",
            },
            "techdept.equipment.change.line": {
                "change_id": impl_change.id,
                "name": "Firewall",
                "quantity": 1.0,
            },
            "crm.lead": {"name": "Tower", "type": "opportunity"},
            "project.project": {"name": "Tower", "techdept_kind": "supervision"},
            "mail.activity": {
                "res_model_id": activity.res_model_id.id,
                "res_id": activity.res_id,
                "activity_type_id": activity.activity_type_id.id,
                "user_id": cls.director.id,
                "summary": "Check it",
            },
            # Only the server creates reports and their sections: refused.
            "techdept.progress.report": {
                "employee_id": emp["director"].id,
                "template_id": report.template_id.id,
            },
            "techdept.progress.report.section": {
                "report_id": report.id,
                "template_section_id": report.section_ids[:1].template_section_id.id,
            },
            "techdept.training.plan": {
                "name": "Next plan",
                "date_from": next_year,
                "date_to": next_year + relativedelta(months=3),
            },
            "techdept.training.plan.line": {
                "plan_id": plan.id,
                "name": "Routers",
                "hours": 2.0,
            },
            "techdept.training.session": {
                "name": "Routers",
                "stream": "om",
                "date": datetime.combine(next_year, datetime.min.time()),
                "hours": 1.0,
            },
            "techdept.onsite.report": {
                "project_id": projects["om"].id,
                "period_start": next_year,
            },
        }

    # Introspection

    @classmethod
    def _models(cls, base):
        return sorted(
            name
            for name in cls.env.registry.descendants([base], "_inherit")
            if not cls.env[name]._abstract and not cls.env[name]._transient
        )

    def _engine_fields(self):
        mixin = self.env["techdept.approval.mixin"]
        return {
            name
            for name, field in mixin._fields.items()
            if field.store and not field.compute and name not in models.MAGIC_COLUMNS
        }

    def _mail_fields(self):
        return set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )

    def _forged_fields(self, model):
        """The fields of ``model`` only the server writes, found by looking
        at the model: the engine's, its states, its stored computed fields,
        those it declares the server's; for models of other applications,
        the suite's read-only ones and those it declares."""
        Model = self.env[model]
        if model in CORE_SERVER_FIELDS:
            return set(CORE_SERVER_FIELDS[model]) | {
                name
                for name, field in Model._fields.items()
                if name.startswith("techdept_") and field.store and field.readonly
            }
        names = set(Model._techdept_server_fields)
        if model in self._models("techdept.approval.mixin"):
            names |= self._engine_fields()
        for name, field in Model._fields.items():
            if not field.store or name in self._mail_fields():
                continue
            if field.type == "selection" and (
                name == "state" or name.endswith("_state")
            ):
                names.add(name)
            if field.compute and field.readonly:
                names.add(name)
        return names

    def _forged_value(self, record, name):
        """A value of field ``name`` other than ``record``'s."""
        field = record._fields[name]
        current = record.sudo()[name]
        if field.type == "selection":
            options = [
                value
                for value, _label in field._description_selection(self.env)
                if value != current
            ]
            return options[0]
        if field.type == "many2one":
            other = (
                self.env[field.comodel_name]
                .sudo()
                .search([("id", "!=", current.id)], limit=1)
            )
            self.assertTrue(other, f"no other {field.comodel_name} for {name}")
            return other.id
        if field.type == "one2many":
            return [Command.clear()]
        if field.type == "many2many":
            other = (
                self.env[field.comodel_name]
                .sudo()
                .search([("id", "not in", current.ids)], limit=1)
            )
            return [Command.set(other.ids)]
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type == "boolean":
            return not current
        if field.type == "date":
            return date(2001, 1, 1)
        if field.type == "datetime":
            return datetime(2001, 1, 1, 8, 0)
        if field.type == "many2one_reference":
            return (current or 0) + 1
        return "Forged"

    # Checks

    def _db(self, record, name):
        record.invalidate_recordset()
        value = record.sudo()[name]
        return value.ids if hasattr(value, "_name") else value

    def _count(self, model):
        return self.env[model].sudo().with_context(active_test=False).search_count([])

    def _refusal(self, operation):
        """The refusal ``operation`` meets (an AccessError or a UserError, not
        invalid data), rolled back as a request would be; a failure when it
        succeeds."""
        savepoint = self.env.cr.savepoint()
        try:
            operation()
        except (ValidationError, MissingError):
            savepoint.close(rollback=True)
            raise
        except (AccessError, UserError) as error:
            savepoint.close(rollback=True)
            return error
        else:
            savepoint.close(rollback=True)
            self.fail("accepted")
        finally:
            self.env.invalidate_all()

    def _label(self, model, name):
        return self.env[model]._fields[name].get_description(self.env)["string"]

    def _model_label(self, model):
        return self.env["ir.model"]._get(model).name

    def _assert_names(self, error, model, name):
        """The error names the field, or the model when only the server
        creates its records."""
        message = str(error)
        label = self._label(model, name)
        if label in message:
            return
        if getattr(self.env[model], "_techdept_server_create", False):
            self.assertIn(self._model_label(model), message)
            return
        self.fail(f"{label!r} not named in: {message}")

    def _assert_accepted(self, operation):
        with self.env.cr.savepoint() as savepoint:
            operation()
            savepoint.rollback()
        self.env.invalidate_all()

    # Server fields

    def _nobody_writes(self, model):
        """Whether no group may write ``model`` at all (its ACL)."""
        return not self.env["ir.model.access"].search_count(
            [("model_id.model", "=", model), ("perm_write", "=", True)]
        )

    def test_models_covered(self):
        """A new model with server fields gets its records in this test,
        unless nobody but the server may write it at all."""
        guarded = self._models("techdept.guard.mixin")
        closed = [model for model in guarded if self._nobody_writes(model)]
        for model in closed:
            for user in (self.director, self.env.ref("base.user_admin")):
                with self.subTest(model=model, user=user.login):
                    Model = self.env[model].with_user(user)
                    self.assertFalse(Model.has_access("write"))
                    self.assertFalse(Model.has_access("create"))
        self.assertFalse(
            set(guarded) - set(closed) - set(self.drafts),
            "no record to forge for these models",
        )
        for model in [*sorted(set(guarded) - set(closed)), *CORE_SERVER_FIELDS]:
            Model = self.env[model]
            if model in CORE_SERVER_FIELDS:
                server = set(CORE_SERVER_FIELDS[model])
                names = {n for n in Model._fields if n.startswith("techdept_")}
            else:
                server = Model._techdept_server_field_names()
                names = set(Model._fields)
            readonly = {
                name
                for name in names
                if Model._fields[name].store
                and Model._fields[name].readonly
                and name not in models.MAGIC_COLUMNS
                and name not in self._mail_fields()
            }
            with self.subTest(model=model):
                # A stored field the interface does not let a user write is
                # the server's, unless he sets it on creation.
                self.assertFalse(
                    readonly - server - SET_ON_CREATION.get(model, set()),
                    "read-only fields a client may write",
                )

    def test_server_fields_cannot_be_forged(self):
        """Write, create, ``default_*`` and copy: refused, naming the field,
        and nothing written."""
        director = self.director
        for model, record in sorted(self.drafts.items()):
            record = record.with_user(director)
            Model = self.env[model].with_user(director)
            values = self.creations[model]
            server_create = getattr(Model, "_techdept_server_create", False)
            with self.subTest(model=model, check="the director may change it"):
                record.check_access("write")
                if not server_create:
                    self._assert_accepted(lambda Model=Model, v=values: Model.create(v))
            for name in sorted(self._forged_fields(model)):
                value = self._forged_value(record, name)
                with self.subTest(model=model, field=name, op="write"):
                    before = self._db(record, name)
                    error = self._refusal(
                        lambda r=record, n=name, v=value: r.write({n: v})
                    )
                    self._assert_names(error, model, name)
                    self.assertEqual(self._db(record, name), before)
                count = self._count(model)
                for op, create in (
                    (
                        "create",
                        lambda n=name, v=value, M=Model, vals=values: M.create(
                            {**vals, n: v}
                        ),
                    ),
                    (
                        "default",
                        lambda n=name, v=value, M=Model, vals=values: M.with_context(
                            **{f"default_{n}": v}
                        ).create(vals),
                    ),
                    (
                        "copy",
                        lambda n=name, v=value, r=record: r.copy(default={n: v}),
                    ),
                ):
                    with self.subTest(model=model, field=name, op=op):
                        error = self._refusal(create)
                        self._assert_names(error, model, name)
                        self.assertEqual(self._count(model), count)

    # Approved records

    def _approved(self, record):
        """``record`` approved, with a file in each of its file fields."""
        record = record.sudo()
        for name, field in record._fields.items():
            if (
                field.type == "many2many"
                and field.comodel_name == "ir.attachment"
                and field.store
                and not record[name]
            ):
                record[name] = self._file(f"{name}.txt", record)
        record._approval_write({"approval_state": "approved"})
        return record.with_user(self.director)

    def _children(self, record):
        """{model: parts of ``record``} (see techdept.approval.child.mixin)."""
        result = {}
        for model in self._models("techdept.approval.child.mixin"):
            Child = self.env[model]
            parent_field = Child._approval_parent_field
            if Child._fields[parent_field].comodel_name == record._name:
                result[model] = (
                    Child.sudo()
                    .search([(parent_field, "=", record.id)])
                    .with_user(self.director)
                )
        return result

    def _files(self, records):
        files = self.env["ir.attachment"]
        for name, field in records._fields.items():
            if field.type == "many2many" and field.comodel_name == "ir.attachment":
                files |= records.sudo()[name]
        return files.with_user(self.director)

    def _changeable_fields(self, record, free=()):
        """Stored fields a user writes (computed ones he may edit included):
        not the engine's, mail's nor the server's."""
        server = self._forged_fields(record._name)
        return sorted(
            name
            for name, field in record._fields.items()
            if field.store
            and not (field.compute and field.readonly)
            and name not in server
            and name not in free
            and name not in self._mail_fields()
            and name not in models.MAGIC_COLUMNS
        )

    def test_approved_records_are_frozen(self):
        """Every field a user writes (but what the model leaves free), its
        deletion, its parts and its files: refused while it is approved."""
        approvable = self._models("techdept.approval.mixin")
        self.assertFalse(set(approvable) - set(self.drafts))
        # A deliverable approved on its own, on a stage item still open.
        deliverable = self.fixtures["techdept.document@crm.lead"]["presales_engineer"]
        records = [(model, self.drafts[model]) for model in approvable]
        for model, draft in [*records, ("techdept.document", deliverable)]:
            # Each record approved alone.
            with closing(self.env.cr.savepoint()):
                self._check_approved(model, self._approved(draft))
            self.env.invalidate_all()

    def _check_approved(self, model, record):
        free = FREE_WHEN_APPROVED.get(model, set())
        for name in self._changeable_fields(record, free):
            values = [self._forged_value(record, name)]
            if record._fields[name].type == "many2one" and record[name]:
                values.append(False)
            for value in values:
                with self.subTest(model=model, field=name, op="write", value=value):
                    before = self._db(record, name)
                    error = self._refusal(
                        lambda r=record, n=name, v=value: r.write({n: v})
                    )
                    self.assertIn(self._label(model, name), str(error))
                    self.assertEqual(self._db(record, name), before)
        for name in sorted(free - {"document_ids", "line_ids"}):
            with self.subTest(model=model, field=name, op="write free"):
                value = self._forged_value(record, name)
                self._assert_accepted(lambda r=record, n=name, v=value: r.write({n: v}))
        with self.subTest(model=model, op="unlink"):
            self._refusal(record.unlink)
            self.assertTrue(record.sudo().exists())
        for child_model, children in self._children(record).items():
            self._check_frozen_parts(record, child_model, children)
        self._check_frozen_files(record, self._files(record))

    def _check_frozen_parts(self, parent, model, children):
        Child = self.env[model].with_user(self.director)
        with self.subTest(model=parent._name, part=model, check="has parts"):
            self.assertTrue(children)
        free = set(Child._approval_child_free_fields)
        child = children[:1]
        for name in self._changeable_fields(child, free):
            value = self._forged_value(child, name)
            with self.subTest(model=parent._name, part=model, field=name, op="write"):
                before = self._db(child, name)
                self._refusal(lambda c=child, n=name, v=value: c.write({n: v}))
                self.assertEqual(self._db(child, name), before)
        for name in sorted(free):
            with self.subTest(model=parent._name, part=model, field=name, op="free"):
                value = self._forged_value(child, name)
                self._assert_accepted(lambda c=child, n=name, v=value: c.write({n: v}))
        with self.subTest(model=parent._name, part=model, op="create"):
            count = self._count(model)
            values = dict(
                self.creations.get(model) or self._part_values(parent, model),
                **{Child._approval_parent_field: parent.id},
            )
            self._refusal(lambda: Child.create(values))
            self.assertEqual(self._count(model), count)
        with self.subTest(model=parent._name, part=model, op="unlink"):
            self._refusal(child.unlink)
            self.assertTrue(child.sudo().exists())
        self._check_frozen_files(parent, self._files(children))

    def _part_values(self, parent, model):
        if model == "techdept.document":
            return {
                "name": "Survey",
                "type_id": self.env.ref("techdept_org.document_type_site_survey").id,
            }
        self.fail(f"no values for a new part {model} of {parent._name}")

    def _check_frozen_files(self, owner, files):
        for file in files:
            for values in ({"name": "forged.txt"}, {"datas": base64.b64encode(b"x")}):
                field = next(iter(values))
                with self.subTest(model=owner._name, file=file.name, op=field):
                    before = self._db(file, field)
                    self._refusal(lambda f=file, v=values: f.write(v))
                    self.assertEqual(self._db(file, field), before)
            with self.subTest(model=owner._name, file=file.name, op="unlink"):
                self._refusal(file.unlink)
                self.assertTrue(file.sudo().exists())

    # Moves

    def test_records_move_only_where_their_writer_works(self):
        """Writing a record onto another project, lead, change or pool is
        creating it there: refused where the writer could not have created
        it (else anyone could deliver an item of any lead, add a change to any
        project or a line to another manager's bonus)."""
        fixtures, projects, emp = self.fixtures, self.projects, self.employees
        other_item = self.lead_items["won"]
        pre_items = self.leads["pre"].techdept_item_ids
        on_sup = {"project_id": projects["sup"].id}
        on_impl2 = {"project_id": projects["impl2"].id}
        moves = [
            # (who, record, values, allowed)
            (
                "engineer",
                fixtures["techdept.document"]["engineer"],
                {"res_model": "project.project", "res_id": projects["sup"].id},
                False,
            ),
            (
                "engineer",
                fixtures["techdept.document"]["engineer"],
                {"lead_item_id": other_item.id},
                False,
            ),
            (
                "engineer",
                fixtures["techdept.document"]["engineer"],
                {"res_model": "project.project", "res_id": projects["impl"].id},
                True,
            ),
            (
                "engineer",
                fixtures["techdept.document@project.project"]["engineer"],
                {"res_id": projects["sup"].id},
                False,
            ),
            (
                "presales_engineer",
                fixtures["techdept.document@crm.lead"]["presales_engineer"],
                {"lead_item_id": other_item.id},
                False,
            ),
            (
                "presales_engineer",
                fixtures["techdept.document@crm.lead"]["presales_engineer"],
                {"lead_item_id": (pre_items - self.lead_items["pre"])[0].id},
                True,
            ),
            ("engineer", fixtures["techdept.subcontract"]["engineer"], on_impl2, False),
            (
                "implementation_manager",
                fixtures["techdept.subcontract"]["implementation_manager"],
                on_impl2,
                True,
            ),
            ("engineer", fixtures["techdept.handover"]["engineer"], on_impl2, False),
            ("engineer", fixtures["techdept.acceptance"]["engineer"], on_impl2, False),
            (
                "engineer",
                fixtures["techdept.equipment.change"]["engineer"],
                on_sup,
                False,
            ),
            (
                "engineer",
                fixtures["techdept.equipment.change.line"]["engineer"],
                {
                    "change_id": fixtures["techdept.equipment.change"][
                        "supervision_engineer"
                    ].id
                },
                False,
            ),
            (
                "presales_manager",
                fixtures["techdept.bonus.line"]["presales_manager"],
                {
                    "pool_id": fixtures["techdept.bonus.pool"]["om_manager"].id,
                    "employee_id": emp["engineer2"].id,
                },
                False,
            ),
        ]
        for person, record, values, allowed in moves:
            record = record.with_user(self.users[person])
            with self.subTest(person=person, model=record._name, move=values):
                move = partial(record.write, values)
                if allowed:
                    self._assert_accepted(move)
                    continue
                before = {name: self._db(record, name) for name in values}
                self._refusal(move)
                after = {name: self._db(record, name) for name in values}
                self.assertEqual(after, before)
