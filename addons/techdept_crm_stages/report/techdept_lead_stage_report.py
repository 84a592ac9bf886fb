from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL


class TechdeptLeadStageReport(models.Model):
    """How long leads stay in each stage, across leads: one row per stay,
    its days (so far, for the current one) averaged by stage in the pivot
    and graph. Rows follow the leads their reader may read."""

    _name = "techdept.lead.stage.report"
    _description = "Stage Durations"
    _auto = False
    _order = "date_in desc, id desc"
    _rec_name = "lead_id"
    _depends = {
        "techdept.lead.stage.entry": [
            "lead_id",
            "stage_id",
            "user_id",
            "forced",
            "date_in",
            "date_out",
        ],
        "crm.lead": [
            "user_id",
            "techdept_presales_user_id",
            "team_id",
            "company_id",
            "active",
        ],
    }

    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    user_id = fields.Many2one("res.users", string="Moved By", readonly=True)
    forced = fields.Boolean(readonly=True)
    date_in = fields.Datetime(string="Entered", readonly=True)
    date_out = fields.Datetime(string="Left", readonly=True)
    days = fields.Float(
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Days in the stage; for a lead still in it, so far.",
    )
    is_current = fields.Boolean(string="Still There", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    presales_user_id = fields.Many2one(
        "res.users", string="Presales Engineer", readonly=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_active = fields.Boolean(readonly=True)

    def _select(self):
        return SQL(
            """
            e.id AS id,
            e.lead_id AS lead_id,
            e.stage_id AS stage_id,
            e.user_id AS user_id,
            e.forced AS forced,
            e.date_in AS date_in,
            e.date_out AS date_out,
            EXTRACT(
                EPOCH FROM COALESCE(e.date_out, NOW() AT TIME ZONE 'UTC') - e.date_in
            ) / 86400.0 AS days,
            e.date_out IS NULL AS is_current,
            l.user_id AS salesperson_id,
            l.techdept_presales_user_id AS presales_user_id,
            l.team_id AS team_id,
            l.company_id AS company_id,
            l.active AS lead_active
            """
        )

    def _from(self):
        return SQL("techdept_lead_stage_entry e JOIN crm_lead l ON l.id = e.lead_id")

    def _where(self):
        return SQL("e.stage_id IS NOT NULL")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT %s FROM %s WHERE %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
                self._where(),
            )
        )

    # Access follows the lead, as for the stays themselves.

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            leads = self.env["crm.lead"].with_context(active_test=False)._search([])
            domain = expression.AND([domain, [("lead_id", "in", leads)]])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self._ids:
            return result
        forbidden = self - self.search([("id", "in", self.ids)])
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._(
                    "You may not read the stage history of leads you cannot read."
                )
            )
        return None
