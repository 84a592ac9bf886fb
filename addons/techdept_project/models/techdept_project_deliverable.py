from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL

DELIVERABLE_STATES = [
    ("missing", "Missing"),
    ("draft", "Draft"),
    ("review", "In Review"),
    ("rejected", "Rejected"),
    ("approved", "Approved"),
]
PHASE_POSITIONS = [("past", "Passed"), ("current", "Current"), ("next", "To Come")]


class TechdeptProjectDeliverable(models.Model):
    """A project's checklist: one row per document type each phase of its
    kind requires, with the latest document of that type on the project and
    how far it is (missing, draft, in review, rejected, approved), and who
    must deliver it. Read from the phases' configuration and the documents,
    so it is always up to date; rows follow the projects their reader may
    read."""

    _name = "techdept.project.deliverable"
    _description = "Project Deliverable"
    _auto = False
    _order = "project_id, phase_sequence, phase_id, type_sequence, type_id"
    _rec_name = "type_id"
    _depends = {
        "project.project": [
            "techdept_kind",
            "techdept_phase_id",
            "techdept_project_manager_id",
            "techdept_implementation_manager_id",
            "techdept_om_manager_id",
            "techdept_supervision_manager_id",
        ],
        "techdept.project.phase": ["kind", "sequence", "document_type_ids"],
        "techdept.document.type": ["sequence"],
        "techdept.document": [
            "res_model",
            "res_id",
            "type_id",
            "is_latest",
            "approval_state",
        ],
    }

    project_id = fields.Many2one("project.project", readonly=True)
    phase_id = fields.Many2one("techdept.project.phase", readonly=True)
    phase_sequence = fields.Integer(readonly=True)
    phase_position = fields.Selection(
        PHASE_POSITIONS,
        string="Phase Reached",
        readonly=True,
        help="Whether the project has passed the phase, is in it or has yet "
        "to reach it.",
    )
    type_id = fields.Many2one(
        "techdept.document.type", string="Deliverable", readonly=True
    )
    type_sequence = fields.Integer(readonly=True)
    document_id = fields.Many2one("techdept.document", readonly=True)
    state = fields.Selection(DELIVERABLE_STATES, string="Status", readonly=True)
    responsible_id = fields.Many2one(
        "hr.employee",
        string="Delivered By",
        readonly=True,
        help="Who writes it: the project manager (else the implementation "
        "manager) of an implementation project, the O&M manager of an O&M "
        "service, the supervision manager of a supervision project.",
    )
    can_upload = fields.Boolean(
        compute="_compute_can_upload",
        help="The current user works on the project and may add its documents.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # A row's id combines its project, phase and type: stable across
        # reads (phases and types are configuration, far below 65536).
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT p.id::bigint * 4294967296 + ph.id * 65536 + t.id AS id,
                           p.id AS project_id,
                           ph.id AS phase_id,
                           ph.sequence AS phase_sequence,
                           CASE
                               WHEN ph.id = cur.id THEN 'current'
                               WHEN cur.id IS NOT NULL
                                    AND (ph.sequence, ph.id) < (cur.sequence, cur.id)
                                   THEN 'past'
                               ELSE 'next'
                           END AS phase_position,
                           t.id AS type_id,
                           t.sequence AS type_sequence,
                           d.id AS document_id,
                           CASE
                               WHEN d.id IS NULL THEN 'missing'
                               WHEN d.approval_state = 'approved' THEN 'approved'
                               WHEN d.approval_state = 'pending' THEN 'review'
                               WHEN d.approval_state = 'rejected' THEN 'rejected'
                               ELSE 'draft'
                           END AS state,
                           CASE p.techdept_kind
                               WHEN 'implementation' THEN COALESCE(
                                   p.techdept_project_manager_id,
                                   p.techdept_implementation_manager_id
                               )
                               WHEN 'om' THEN p.techdept_om_manager_id
                               WHEN 'supervision' THEN p.techdept_supervision_manager_id
                           END AS responsible_id
                      FROM project_project p
                      JOIN techdept_project_phase ph ON ph.kind = p.techdept_kind
                      JOIN techdept_document_type_techdept_project_phase_rel rel
                           ON rel.techdept_project_phase_id = ph.id
                      JOIN techdept_document_type t
                           ON t.id = rel.techdept_document_type_id
                      LEFT JOIN techdept_project_phase cur
                           ON cur.id = p.techdept_phase_id
                      LEFT JOIN LATERAL (
                          SELECT doc.id, doc.approval_state
                            FROM techdept_document doc
                           WHERE doc.res_model = 'project.project'
                             AND doc.res_id = p.id
                             AND doc.type_id = t.id
                             AND doc.is_latest
                           ORDER BY doc.id DESC
                           LIMIT 1
                      ) d ON TRUE
                     WHERE p.techdept_kind IS NOT NULL
                )
                """,
                SQL.identifier(self._table),
            )
        )

    @api.depends_context("uid")
    @api.depends("project_id")
    def _compute_can_upload(self):
        director = self.env.user.has_group("techdept_org.group_director")
        for row in self:
            row.can_upload = director or (
                self.env.user in row.sudo().project_id.techdept_member_user_ids
            )

    # Access follows the project

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            projects = self.env["project.project"].with_context(active_test=False)
            domain = expression.AND(
                [domain, [("project_id", "in", projects._search([]))]]
            )
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self._ids:
            return result
        forbidden = self - self.search([("id", "in", self.ids)])
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._(
                    "You may not read the deliverables of projects you cannot read."
                )
            )
        return None

    def action_upload(self):
        """Open a new document of this type on the project, to attach its
        file and submit it."""
        self.ensure_one()
        self.check_access("read")
        if not self.can_upload:
            raise UserError(
                self.env._(
                    "Only the people working on %(project)s add its deliverables.",
                    project=self.project_id.name,
                )
            )
        project = self.project_id
        return {
            "type": "ir.actions.act_window",
            "name": self.type_id.name,
            "res_model": "techdept.document",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_name": self.env._(
                    "%(type)s: %(project)s",
                    type=self.type_id.name,
                    project=project.name,
                ),
                "default_type_id": self.type_id.id,
                "default_res_model": project._name,
                "default_res_id": project.id,
                "default_partner_id": project.partner_id.id,
            },
        }

    def action_open_document(self):
        self.ensure_one()
        self.check_access("read")
        document = self.document_id
        document.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.type_id.name,
            "res_model": "techdept.document",
            "res_id": document.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
