from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.techdept_org.exceptions import GateRefusal
from odoo.addons.techdept_org.models.techdept_guard import (
    check_client_values,
    client_id,
    has_server_flag,
    is_server,
    join_names,
)

from .techdept_project_phase import PROJECT_KINDS

# Raised by the force wizard once it checked who forces and why.
PHASE_FORCE_FLAG = "techdept_force_phase"
# Set by the server: where a project comes from, and who works on it; the
# deliverables checklist is a report of the project's documents.
_SERVER_FIELDS = {
    "techdept_lead_id",
    "techdept_origin_project_id",
    "techdept_member_user_ids",
    "techdept_deliverable_ids",
}
# Anyone in the company may use Projects: the project's lists of records that
# only some groups read (see the access rights) are limited to those groups,
# so that other project users still open and read projects.
HANDOVER_READERS = "techdept_org.group_engineer,techdept_org.group_gm_office"
AFTER_SALES_READERS = (
    "techdept_org.group_engineer,techdept_org.group_commerce,"
    "techdept_org.group_gm_office"
)


class ProjectProject(models.Model):
    _inherit = "project.project"

    techdept_kind = fields.Selection(
        PROJECT_KINDS, string="Project Kind", index=True, tracking=True
    )
    techdept_phase_id = fields.Many2one(
        "techdept.project.phase",
        string="Phase",
        tracking=True,
        index=True,
        domain="[('kind', '=', techdept_kind)]",
        group_expand="_read_group_techdept_phase_ids",
        ondelete="restrict",
    )
    techdept_lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index=True, tracking=True, readonly=True
    )
    techdept_implementation_manager_id = fields.Many2one(
        "hr.employee", string="Implementation Manager", tracking=True
    )
    techdept_project_manager_id = fields.Many2one(
        "hr.employee",
        string="Project Manager (Engineer)",
        tracking=True,
        help="The technical engineer drawn from the pool to manage the project.",
    )
    techdept_om_manager_id = fields.Many2one(
        "hr.employee", string="O&M Manager", tracking=True
    )
    techdept_supervision_manager_id = fields.Many2one(
        "hr.employee", string="Supervision Manager", tracking=True
    )
    techdept_assignment_ids = fields.One2many(
        "techdept.assignment", "project_id", string="Team"
    )
    techdept_handover_ids = fields.One2many(
        "techdept.handover",
        "project_id",
        string="Handovers",
        groups=HANDOVER_READERS,
    )
    techdept_acceptance_ids = fields.One2many(
        "techdept.acceptance",
        "project_id",
        string="Acceptances",
        groups=HANDOVER_READERS,
    )
    techdept_origin_project_id = fields.Many2one(
        "project.project",
        string="Implemented By",
        readonly=True,
        help="The implementation project this O&M service continues.",
    )
    techdept_om_project_ids = fields.One2many(
        "project.project", "techdept_origin_project_id", string="O&M Services"
    )
    techdept_planned_acceptance_date = fields.Date(
        string="Planned Acceptance",
        tracking=True,
        help="When the customer is expected to accept the project: past it, an "
        "implementation project not accepted yet shows as late.",
    )
    techdept_acceptance_late = fields.Boolean(
        string="Acceptance Late",
        compute="_compute_techdept_acceptance_late",
        search="_search_techdept_acceptance_late",
        help="An implementation project past its planned acceptance and not "
        "accepted yet.",
    )
    techdept_service_date_from = fields.Date(string="Service From")
    techdept_service_date_to = fields.Date(string="Service Until")
    techdept_aftersales_engineer_ids = fields.Many2many(
        "hr.employee",
        "techdept_project_aftersales_rel",
        "project_id",
        "employee_id",
        string="After-sales Engineers",
    )
    techdept_onsite_engineer_ids = fields.Many2many(
        "hr.employee",
        "techdept_project_onsite_rel",
        "project_id",
        "employee_id",
        string="On-site Engineers",
    )
    techdept_supervision_engineer_ids = fields.Many2many(
        "hr.employee",
        "techdept_project_supervision_rel",
        "project_id",
        "employee_id",
        string="Supervision Engineers",
        domain="[('techdept_role', '=', 'supervision_engineer')]",
    )
    techdept_member_user_ids = fields.Many2many(
        "res.users",
        "techdept_project_member_rel",
        "project_id",
        "user_id",
        string="Team Members",
        compute="_compute_techdept_member_user_ids",
        store=True,
        help="Everyone working on the project: managers and engineers.",
    )
    techdept_equipment_line_ids = fields.One2many(
        "techdept.equipment.line",
        "project_id",
        string="Equipment",
        groups=AFTER_SALES_READERS,
    )
    techdept_equipment_change_ids = fields.One2many(
        "techdept.equipment.change",
        "project_id",
        string="Equipment Changes",
        groups=AFTER_SALES_READERS,
    )
    techdept_subcontract_ids = fields.One2many(
        "techdept.subcontract",
        "project_id",
        string="Construction Teams",
        groups=AFTER_SALES_READERS,
    )
    techdept_repair_ids = fields.One2many(
        "techdept.repair",
        "project_id",
        string="Repairs",
        groups=AFTER_SALES_READERS,
    )
    techdept_document_ids = fields.One2many(
        "techdept.document",
        "res_id",
        string="Deliverables",
        domain=[("res_model", "=", "project.project")],
    )
    techdept_phase_is_closed = fields.Boolean(related="techdept_phase_id.is_closed")
    techdept_can_accept = fields.Boolean(
        string="Acceptance Possible",
        compute="_compute_techdept_can_accept",
        help="An implementation project reaches its acceptance in the last phase "
        "before it closes.",
    )
    techdept_document_count = fields.Integer(
        string="Deliverable Count", compute="_compute_techdept_document_count"
    )
    techdept_deliverable_ids = fields.One2many(
        "techdept.project.deliverable",
        "project_id",
        string="Deliverables Checklist",
        readonly=True,
    )
    techdept_missing_type_ids = fields.Many2many(
        "techdept.document.type",
        string="Missing Deliverables",
        compute="_compute_techdept_missing_type_ids",
        help="Deliverables of the current phase not yet approved.",
    )

    @api.model
    def _read_group_techdept_phase_ids(self, phases, domain):
        kind = self.env.context.get("default_techdept_kind")
        return phases.search([("kind", "=", kind)] if kind else [])

    @api.depends(
        "techdept_assignment_ids.employee_id",
        "techdept_assignment_ids.state",
        "techdept_implementation_manager_id",
        "techdept_project_manager_id",
        "techdept_om_manager_id",
        "techdept_supervision_manager_id",
        "techdept_aftersales_engineer_ids",
        "techdept_onsite_engineer_ids",
        "techdept_supervision_engineer_ids",
        "user_id",
        "techdept_lead_id.techdept_presales_user_id",
    )
    def _compute_techdept_member_user_ids(self):
        for project in self:
            employees = (
                project.techdept_assignment_ids.filtered(
                    lambda a: a.state != "ended"
                ).employee_id
                | project.techdept_implementation_manager_id
                | project.techdept_project_manager_id
                | project.techdept_om_manager_id
                | project.techdept_supervision_manager_id
                | project.techdept_aftersales_engineer_ids
                | project.techdept_onsite_engineer_ids
                | project.techdept_supervision_engineer_ids
            )
            project.techdept_member_user_ids = (
                employees.user_id
                | project.user_id
                | project.techdept_lead_id.techdept_presales_user_id
            )

    @api.depends("techdept_phase_id", "techdept_document_ids.approval_state")
    def _compute_techdept_missing_type_ids(self):
        approved = self._techdept_approved_types()
        for project in self:
            project.techdept_missing_type_ids = (
                project.techdept_phase_id.document_type_ids
                - approved.get(project.id, self.env["techdept.document.type"])
            )

    @api.model
    def _techdept_acceptance_late_domain(self):
        """Implementation projects past their planned acceptance whose
        acceptance is not approved yet."""
        return [
            ("techdept_kind", "=", "implementation"),
            ("techdept_planned_acceptance_date", "<", fields.Date.context_today(self)),
            (
                "techdept_acceptance_ids",
                "not any",
                [("approval_state", "=", "approved")],
            ),
        ]

    @api.depends("techdept_kind", "techdept_planned_acceptance_date")
    def _compute_techdept_acceptance_late(self):
        # The flag is anyone's who opens the project; the acceptances it
        # reads are not (a project user outside the department).
        late = self.sudo().filtered_domain(self._techdept_acceptance_late_domain())
        for project in self:
            project.techdept_acceptance_late = project in late

    def _search_techdept_acceptance_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Acceptance Late."))
        late = self.sudo()._search(self._techdept_acceptance_late_domain())
        return [("id", "in" if (operator == "=") == value else "not in", late)]

    @api.depends("techdept_kind", "techdept_phase_id")
    def _compute_techdept_can_accept(self):
        acceptance = self._techdept_acceptance_phase()
        for project in self:
            project.techdept_can_accept = bool(
                acceptance
                and project.techdept_kind == "implementation"
                and project.techdept_phase_id == acceptance
            )

    @api.model
    def _techdept_acceptance_phase(self):
        """The phase of implementation projects in which they are accepted:
        the last one before the closing phase."""
        return (
            self.env["techdept.project.phase"]
            .sudo()
            .search(
                [("kind", "=", "implementation"), ("is_closed", "=", False)],
                order="sequence desc, id desc",
                limit=1,
            )
        )

    def _compute_techdept_document_count(self):
        counts = dict(
            self.env["techdept.document"]._read_group(
                [("res_model", "=", "project.project"), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for project in self:
            project.techdept_document_count = counts.get(project.id, 0)

    def _techdept_approved_types(self):
        """{project id: document types with an approved latest document} in
        one query."""
        groups = (
            self.env["techdept.document"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "project.project"),
                    ("res_id", "in", self.ids),
                    ("is_latest", "=", True),
                    ("approval_state", "=", "approved"),
                ],
                ["res_id", "type_id"],
            )
        )
        result = {}
        for res_id, doc_type in groups:
            result[res_id] = (
                result.get(res_id, self.env["techdept.document.type"]) | doc_type
            )
        return result

    # The phase gate, same principle as the pipeline's: every path that
    # changes a phase goes through write().

    def _techdept_client_kind(self, kind):
        """The project kind a client sent, or a clear error."""
        if kind and (not isinstance(kind, str) or kind not in dict(PROJECT_KINDS)):
            raise ValidationError(
                self.env._("%(value)s is not a kind of project.", value=repr(kind)[:60])
            )
        return kind or False

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list, _SERVER_FIELDS, "create")
        Phase = self.env["techdept.project.phase"]
        first_phases = {}
        for vals in vals_list:
            # The kind and phase a context offers as defaults (a kanban
            # column, a menu) are checked like those sent in the values.
            for name in ("techdept_kind", "techdept_phase_id"):
                if name not in vals and f"default_{name}" in self.env.context:
                    vals[name] = self.env.context[f"default_{name}"]
            if "techdept_phase_id" in vals:
                vals["techdept_phase_id"] = client_id(
                    self, "techdept_phase_id", vals["techdept_phase_id"]
                )
            phase = Phase.browse(vals.get("techdept_phase_id") or ())
            # A phase belongs to one kind of project: it gives the kind.
            kind = self._techdept_client_kind(vals.get("techdept_kind")) or phase.kind
            if not kind:
                continue
            vals["techdept_kind"] = kind
            if kind not in first_phases:
                first_phases[kind] = Phase.search([("kind", "=", kind)], limit=1)
            first = first_phases[kind]
            if not phase:
                vals["techdept_phase_id"] = first.id
            elif phase != first and not self._techdept_phase_forced():
                # A new project starts in the first phase of its kind.
                raise UserError(
                    self.env._(
                        "A new %(kind)s project starts in %(first)s, not in %(phase)s.",
                        kind=dict(
                            self._fields["techdept_kind"]._description_selection(
                                self.env
                            )
                        )[kind],
                        first=first.name,
                        phase=phase.name,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals], _SERVER_FIELDS)
        if "techdept_phase_id" in vals:
            vals = dict(
                vals,
                techdept_phase_id=client_id(
                    self, "techdept_phase_id", vals["techdept_phase_id"]
                ),
            )
        if "techdept_kind" in vals and not is_server(self.env):
            kind = self._techdept_client_kind(vals["techdept_kind"])
            changed = self.filtered(
                lambda p: p.techdept_kind and p.techdept_kind != kind
            )
            if changed:
                raise UserError(
                    self.env._(
                        "%(project)s is a project of its kind for good: create a "
                        "new project instead.",
                        project=changed[0].name,
                    )
                )
            # A project given its kind now starts in the kind's first phase,
            # as a new project of that kind would.
            first = self.env["techdept.project.phase"].search(
                [("kind", "=", kind)], limit=1
            )
            for project in self.filtered(lambda p: not p.techdept_kind):
                phase = project.techdept_phase_id
                if "techdept_phase_id" in vals:
                    phase = phase.browse(vals["techdept_phase_id"] or ())
                if (
                    kind
                    and phase
                    and phase != first
                    and not self._techdept_phase_forced()
                ):
                    raise UserError(
                        self.env._(
                            "A new %(kind)s project starts in %(first)s, not in "
                            "%(phase)s.",
                            kind=dict(PROJECT_KINDS)[kind],
                            first=first.name,
                            phase=phase.name,
                        )
                    )
        if "techdept_phase_id" in vals:
            phase = self.env["techdept.project.phase"].browse(
                vals["techdept_phase_id"] or ()
            )
            # Clearing the phase is a move back; the next move is checked
            # from the first phase of the project's kind.
            if phase:
                self._techdept_check_phase_gate(phase, vals.get("techdept_kind"))
        return super().write(vals)

    def _techdept_phase_forced(self):
        """A forced move: only through the force wizard (see
        techdept.phase.force.wizard), never from a context a client sends."""
        return has_server_flag(self.env, PHASE_FORCE_FLAG)

    def _techdept_check_phase_gate(self, phase, kind=None):
        """Refuse to move projects forward to ``phase`` while a phase they
        close lacks an approved deliverable, or the presales handover is not
        accepted; a project without a phase starts from the first one. A
        constant number of queries."""
        wrong_kind = self.filtered(lambda p: (p.techdept_kind or kind) != phase.kind)
        if wrong_kind:
            raise GateRefusal(
                self.env._(
                    "%(phase)s is not a phase of %(project)s.",
                    phase=phase.name,
                    project=wrong_kind[0].name,
                )
            )
        if self._techdept_phase_forced():
            return
        phases = self.env["techdept.project.phase"].search([("kind", "=", phase.kind)])
        keys = {p.id: p._techdept_key() for p in phases}
        target = keys.get(phase.id) or phase._techdept_key()
        first = min(keys.values(), default=target)
        moving = self.filtered(
            lambda p: (
                keys.get(p.techdept_phase_id.id, first) < target
                or not p.techdept_phase_id
            )
        )
        if not moving:
            return
        approved = moving._techdept_approved_types()
        accepted = set(
            self.env["techdept.handover"]
            .sudo()
            .search(
                [
                    ("project_id", "in", moving.ids),
                    ("kind", "=", "presales"),
                    ("approval_state", "=", "approved"),
                ]
            )
            .project_id.ids
        )
        problems = []
        for project in moving:
            start = keys.get(project.techdept_phase_id.id, first)
            missing = []
            for closing in phases.filtered(lambda p, s=start: s <= keys[p.id] < target):
                lacking = closing.document_type_ids - approved.get(
                    project.id, self.env["techdept.document.type"]
                )
                if lacking:
                    missing.append(
                        self.env._(
                            "%(phase)s: %(documents)s not approved",
                            phase=closing.name,
                            documents=join_names(self.env, lacking.mapped("name")),
                        )
                    )
                if closing.requires_handover and project.id not in accepted:
                    missing.append(
                        self.env._(
                            "%(phase)s: the handover from presales is not accepted",
                            phase=closing.name,
                        )
                    )
            if missing:
                problems.append(
                    self.env._("%(project)s:", project=project.name)
                    + "\n  - "
                    + "\n  - ".join(missing)
                )
        if problems:
            raise GateRefusal(
                self.env._(
                    "These projects cannot move to %(phase)s yet:\n%(problems)s",
                    phase=phase.name,
                    problems="\n".join(problems),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_accepted(self):
        accepted = self.filtered(
            lambda p: p.techdept_acceptance_ids.filtered(
                lambda a: a.approval_state == "approved"
            )
        )
        if accepted:
            raise UserError(
                self.env._(
                    "%(project)s has been accepted and cannot be deleted; "
                    "archive it instead.",
                    project=accepted[0].name,
                )
            )

    def action_techdept_force_phase(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Force Phase"),
            "res_model": "techdept.phase.force.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_ids": self.ids},
        }

    def action_techdept_deliverables(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Deliverables"),
            "res_model": "techdept.document",
            "view_mode": "list,kanban,form",
            "domain": [("res_model", "=", "project.project"), ("res_id", "=", self.id)],
            "context": {
                "default_res_model": "project.project",
                "default_res_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }

    def action_techdept_accept(self):
        """Start the acceptance and internal review of an implementation project."""
        self.ensure_one()
        if self.techdept_kind != "implementation":
            raise UserError(self.env._("Only implementation projects are accepted."))
        if not self.techdept_can_accept:
            raise UserError(
                self.env._(
                    "%(project)s can be accepted only in its %(phase)s phase; it "
                    "is in %(current)s.",
                    project=self.name,
                    phase=self._techdept_acceptance_phase().name,
                    current=self.techdept_phase_id.name or self.env._("no phase"),
                )
            )
        self.check_access("read")
        self.env["techdept.acceptance"].check_access("create")
        acceptance = self.techdept_acceptance_ids.filtered(
            lambda a: a.approval_state in ("draft", "pending", "rejected")
        )[:1] or self.env["techdept.acceptance"].create({"project_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "techdept.acceptance",
            "res_id": acceptance.id,
            "view_mode": "form",
        }
