from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..exceptions import ApprovalRefusal
from .techdept_guard import as_server, prefetchable_names

DOCUMENT_CATEGORIES = [
    ("presales", "Presales"),
    ("implementation", "Implementation"),
    ("om", "After-sales O&M"),
    ("supervision", "Supervision"),
    ("commerce", "Commerce"),
]

# The three knowledge bases of the policy, each kept by the manager of the
# function of the same name (4.3.1 item 3, 4.4.1 item 3, 4.5.1 item 3).
KNOWLEDGE_BASES = [
    ("presales", "Presales Knowledge Base"),
    ("implementation", "Implementation Knowledge Base"),
    ("om", "O&M Knowledge Base"),
]


class TechdeptDocumentType(models.Model):
    _name = "techdept.document.type"
    _description = "Technical Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical name, unique.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category = fields.Selection(DOCUMENT_CATEGORIES, required=True, default="presales")
    chain_id = fields.Many2one(
        "techdept.approval.chain",
        string="Review Chain",
        help="How documents of this type are reviewed; none: no review needed.",
    )
    knowledge_base = fields.Selection(
        KNOWLEDGE_BASES,
        help="Where documents of this type go once archived.",
    )
    countersign = fields.Boolean(
        string="Countersigned by the Director",
        help="The technical director countersigns documents of this type "
        "(policy 4.2 item 8).",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "UNIQUE(code)", "The code of a document type must be unique."),
    ]


class TechdeptDocumentTag(models.Model):
    _name = "techdept.document.tag"
    _description = "Technical Document Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _sql_constraints = [("name_uniq", "UNIQUE(name)", "This tag exists already.")]


class TechdeptDocument(models.Model):
    """A technical document: typed, versioned, with its files, reviewed
    through the approval engine and archived into a knowledge base.

    It may belong to any record (a lead, a project …): then whoever may read
    that record may read the document, and whoever may change it may change
    the document. Without one, the org chart decides: the author, the
    managers of its function, the director and the general manager's office.
    Archived documents of a knowledge base are open to the whole department.
    """

    _name = "techdept.document"
    _description = "Technical Document"
    _inherit = ["mail.thread", "mail.activity.mixin", "techdept.approval.mixin"]
    _order = "create_date desc, id desc"
    _approval_locked_fields = [
        "name",
        "type_id",
        "attachment_ids",
        "description",
        "res_model",
        "res_id",
    ]
    _techdept_server_fields = (
        "version",
        "origin_document_id",
        "is_latest",
        "author_id",
        "archive_date",
        "archived_by_id",
    )

    name = fields.Char(required=True, tracking=True)
    type_id = fields.Many2one(
        "techdept.document.type",
        required=True,
        tracking=True,
        ondelete="restrict",
    )
    category = fields.Selection(related="type_id.category", store=True)
    knowledge_base = fields.Selection(related="type_id.knowledge_base", store=True)
    version = fields.Integer(default=1, readonly=True, copy=False, tracking=True)
    origin_document_id = fields.Many2one(
        "techdept.document",
        string="First Version",
        readonly=True,
        copy=False,
        index=True,
        help="The first version of this document; every version points to it.",
    )
    is_latest = fields.Boolean(
        string="Latest Version", default=True, readonly=True, copy=False, index=True
    )
    version_count = fields.Integer(compute="_compute_version_count")
    author_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env.user,
        tracking=True,
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "techdept_document_attachment_rel",
        "document_id",
        "attachment_id",
        string="Files",
    )
    description = fields.Html()
    res_model = fields.Char(string="Belongs To (Model)", index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Belongs To (Record)", model_field="res_model", index=True, readonly=True
    )
    res_name = fields.Char(string="Belongs To", compute="_compute_res_name")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True
    )
    tag_ids = fields.Many2many("techdept.document.tag", string="Tags")
    archive_date = fields.Date(
        string="Archived On",
        readonly=True,
        copy=False,
        tracking=True,
        help="The day the document was archived (归档) into its knowledge base.",
    )
    archived_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    @api.depends("origin_document_id")
    def _compute_version_count(self):
        origins = self.mapped(lambda d: (d.origin_document_id or d).id)
        counts = dict(
            self.with_context(active_test=False)._read_group(
                [("origin_document_id", "in", origins)],
                ["origin_document_id"],
                ["__count"],
            )
        )
        for document in self:
            origin = document.origin_document_id or document
            document.version_count = counts.get(origin, 0) + 1

    def _compute_res_name(self):
        for document in self:
            name = ""
            if document.res_model in self.env and document.res_id:
                record = (
                    self.env[document.res_model].sudo().browse(document.res_id).exists()
                )
                name = record.display_name if record else ""
            document.res_name = name

    @api.depends("name", "version", "type_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for document in self:
            document.display_name = self.env._(
                "%(name)s (v%(version)s)",
                name=document.name or "",
                version=document.version,
            )

    @api.constrains("res_model", "res_id")
    def _check_origin(self):
        for document in self.filtered("res_model"):
            if document.res_model not in self.env:
                raise ValidationError(
                    self.env._("%(model)s is not a model.", model=document.res_model)
                )

    # Access follows the record the document belongs to

    @api.model
    def _techdept_access_domain(self, operation="read", res_ids=None):
        """Documents the current user may ``operation``: a domain built from
        subqueries, so listing them costs one query. Reading: the documents
        of records he may read, those he reviews, and the knowledge bases;
        changing, creating or deleting: the documents of records he may
        contribute to (see ``_techdept_origin_query``). ``res_ids`` narrows
        the subqueries to the documents being checked."""
        user = self.env.user
        director = user.has_group("techdept_org.group_director") or (
            operation == "read" and user.has_group("techdept_org.group_gm_office")
        )
        if director:
            standalone = [("res_model", "=", False)]
        else:
            # The functions of the departments he manages, from the day's map
            # of who acts (read once per transaction, reviewers below too).
            functions = (
                self.env["techdept.resolver"]
                ._absence_map(fields.Date.context_today(self))
                .managed_functions(user.id)
            )
            standalone = [
                ("res_model", "=", False),
                "|",
                ("author_id", "=", user.id),
                ("category", "in", sorted(functions)),
            ]
        parts = [standalone]
        if operation == "read":
            reviewers = self.env["techdept.approval.line"]._acting_for_users()
            reviewed = self._techdept_line_res_ids(
                ["approver_ids"], reviewers.ids, res_ids
            )
            parts.append([("id", "in", reviewed)])
            if (
                user.has_group("techdept_org.group_engineer")
                or user.has_group("techdept_org.group_gm_office")
                or user.has_group("techdept_org.group_commerce")
            ):
                parts.append(
                    [("archive_date", "!=", False), ("knowledge_base", "!=", False)]
                )
        for model in self._techdept_models_used():
            if model not in self.env:
                continue
            query = self._techdept_origin_query(model, operation)
            if query is not None:
                parts.append([("res_model", "=", model), ("res_id", "in", query)])
        return expression.OR(parts)

    @api.model
    @tools.ormcache()
    def _techdept_models_used(self):
        """The models documents belong to (archived documents included): the
        access domain has a part per model. Kept in the registry's cache,
        cleared when a document moves to a model not listed yet."""
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group([("res_model", "!=", False)], ["res_model"])
        )
        return tuple(sorted(model for (model,) in groups))

    @api.model
    def _techdept_note_models_used(self, models):
        """Clear the cache above when documents are about to belong to one
        of ``models`` it does not list (before they do: the access check of
        their creation reads it)."""
        if not set(filter(None, models)) <= set(self._techdept_models_used()):
            self.env.registry.clear_cache()

    @api.model
    def _techdept_line_res_ids(self, field_names, user_ids, res_ids=None):
        """The ids of this model's records with an approval line whose users
        ``field_names`` (many2many fields of the line) hold one of
        ``user_ids``, as a subquery read from the relation tables by user:
        its cost follows the user's own lines, where a filter over every
        line makes PostgreSQL scan them all (and compile the plan) on each
        access check. ``res_ids`` narrows it to the records being checked."""
        Line = self.env["techdept.approval.line"]
        Line.flush_model(["res_model", "res_id", *field_names])
        narrow = (
            SQL(" AND line.res_id IN %s", tuple(res_ids) or (None,))
            if res_ids is not None
            else SQL()
        )
        selects = [
            SQL(
                "SELECT line.res_id FROM %(rel)s rel"
                " JOIN techdept_approval_line line ON line.id = rel.%(line)s"
                " WHERE rel.%(user)s IN %(users)s AND line.res_model = %(model)s"
                "%(narrow)s",
                rel=SQL.identifier(Line._fields[name].relation),
                line=SQL.identifier(Line._fields[name].column1),
                user=SQL.identifier(Line._fields[name].column2),
                users=tuple(user_ids) or (None,),
                model=self._name,
                narrow=narrow,
            )
            for name in field_names
        ]
        return SQL("(%s)", SQL(" UNION ALL ").join(selects))

    @api.model
    def _techdept_origin_query(self, model, operation):
        """The records of ``model`` whose documents the current user may
        ``operation`` (a query, or None for none): those he may read to read
        their documents, those he may change to contribute (create, change,
        delete). Override per model where contributing means something else,
        e.g. being a member of the project."""
        origin_operation = "read" if operation == "read" else "write"
        Origin = self.env[model].with_context(active_test=False)
        if not Origin.has_access(origin_operation):
            return None
        rule = self.env["ir.rule"]._compute_domain(model, origin_operation)
        return Origin.sudo()._search(rule or [])

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain, self._techdept_access_domain("read")])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self._ids:
            return result
        # The rows are read with the check: what the caller reads of the
        # documents next is in the cache.
        allowed = self.sudo().search_fetch(
            expression.AND(
                [
                    [("id", "in", self.ids)],
                    self._techdept_access_domain(operation, res_ids=self.ids),
                ]
            ),
            prefetchable_names(self),
        )
        forbidden = self - allowed.with_env(self.env)
        if forbidden:
            verb = {
                "read": self.env._("read"),
                "write": self.env._("change"),
                "create": self.env._("create"),
                "unlink": self.env._("delete"),
            }[operation]

            def make_error():
                return UserError(
                    self.env._(
                        "You may not %(operation)s %(documents)s: you have no "
                        "access to the "
                        "record it belongs to.",
                        operation=verb,
                        documents=", ".join(forbidden.sudo().mapped("display_name")),
                    )
                )

            return forbidden, make_error
        return None

    # Business

    def _approval_get_chain(self):
        return self.type_id.chain_id

    def _approval_check_submit(self):
        # Whether a file is attached, read as the server: the submitter's
        # right to change the documents is checked already.
        for document in self:
            if not document.sudo().attachment_ids:
                raise ApprovalRefusal(
                    self.env._(
                        "Attach the file of %(document)s before submitting it.",
                        document=document.display_name,
                    )
                )

    def action_new_version(self):
        """Copy the document as its next version; the earlier one is kept.
        Whoever may contribute to the record it belongs to may revise it."""
        self.ensure_one()
        if not self.is_latest:
            raise UserError(
                self.env._("Only the latest version of a document can be revised.")
            )
        self._techdept_check_contribute()
        # A new version changes what the record it is part of holds.
        self._approval_check_parents_unfrozen({"is_latest"})
        origin = self.origin_document_id or self
        new = as_server(self).copy(
            {
                "version": self.version + 1,
                "origin_document_id": origin.id,
                "attachment_ids": [fields.Command.set(self.attachment_ids.ids)],
                "res_model": self.res_model,
                "res_id": self.res_id,
                "author_id": self.env.uid,
            }
        )
        as_server(self.sudo()).is_latest = False
        new._techdept_post(
            lambda env: env._(
                "New version of %(document)s.",
                document=self.with_context(lang=env.lang).display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def _techdept_check_contribute(self):
        """Raise unless the current user may contribute to the records these
        documents belong to (as he must to change them)."""
        allowed = self.sudo().search(
            expression.AND(
                [
                    [("id", "in", self.ids)],
                    self._techdept_access_domain("write", res_ids=self.ids),
                ]
            )
        )
        forbidden = self - allowed
        if forbidden:
            raise UserError(
                self.env._(
                    "You may read %(document)s but not revise it: only those who "
                    "work on the record it belongs to may.",
                    document=forbidden[0].display_name,
                )
            )

    def action_view_versions(self):
        self.ensure_one()
        origin = self.origin_document_id or self
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Versions"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [
                "|",
                ("id", "=", origin.id),
                ("origin_document_id", "=", origin.id),
            ],
            "context": {"create": False},
        }

    def _techdept_can_archive(self):
        """The keeper of the knowledge base (the manager of its function,
        whoever acts for him) or the technical director."""
        self.ensure_one()
        if self.env.user.has_group("techdept_org.group_director"):
            return True
        keeper = self.env["techdept.resolver"]._function_manager(
            self.knowledge_base or self.category
        )
        return bool(keeper) and keeper.user_id == self.env.user

    def action_document_archive(self):
        """Archive (归档) into the knowledge base: approved first when the
        type has a review chain."""
        for document in self:
            if document.archive_date:
                raise UserError(
                    self.env._(
                        "%(document)s is archived already.",
                        document=document.display_name,
                    )
                )
            if document.type_id.chain_id and document.approval_state != "approved":
                raise UserError(
                    self.env._(
                        "%(document)s must be approved before it is archived.",
                        document=document.display_name,
                    )
                )
            if not document._techdept_can_archive():
                keeper = self.env["techdept.resolver"]._function_manager(
                    document.knowledge_base or document.category
                )
                raise UserError(
                    self.env._(
                        "Only %(keeper)s, who keeps this knowledge base, or the "
                        "technical "
                        "director may archive %(document)s.",
                        keeper=keeper.name or self.env._("its manager"),
                        document=document.display_name,
                    )
                )
            as_server(document.sudo()).write(
                {
                    "archive_date": fields.Date.context_today(self),
                    "archived_by_id": self.env.uid,
                }
            )
            document._techdept_post(
                lambda env: env._("Archived."), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_open_origin(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    def _techdept_adopt_files(self):
        """Files uploaded before their document was saved (a new row of a
        list) are stored without it, and only their uploader may read them:
        give them their document, as the chatter does with its own."""
        for document in self:
            orphans = document.attachment_ids.filtered(
                lambda a, document=document: (
                    a.res_model == document._name
                    and not a.res_id
                    and a.create_uid == self.env.user
                )
            )
            orphans.write({"res_id": document.id})

    @api.model_create_multi
    def create(self, vals_list):
        models_used = {vals["res_model"] for vals in vals_list if "res_model" in vals}
        if any("res_model" not in vals for vals in vals_list):
            models_used.add(self.default_get(["res_model"]).get("res_model"))
        self._techdept_note_models_used(models_used)
        documents = super().create(vals_list)
        documents._techdept_adopt_files()
        return documents

    def write(self, vals):
        archived = self.filtered("archive_date")
        if (
            archived
            and set(vals) - {"tag_ids", "message_main_attachment_id"}
            and not self.env.su
        ):
            raise UserError(
                self.env._(
                    "%(document)s is archived: make a new version to change it.",
                    document=archived[0].display_name,
                )
            )
        if "res_model" in vals:
            self._techdept_note_models_used([vals["res_model"]])
        result = super().write(vals)
        if "attachment_ids" in vals:
            self._techdept_adopt_files()
        if {"res_model", "res_id"} & vals.keys() and not self.env.su:
            # Access was checked on the record the document belonged to;
            # the one it moves to must be one the user contributes to too.
            self.check_access("write")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_archived(self):
        if self.filtered("archive_date"):
            raise UserError(self.env._("Archived documents cannot be deleted."))
