from lxml import etree

from odoo.tests import tagged
from odoo.tests.common import users, warmup

from odoo.addons.techdept_org.models.techdept_guard import with_server_flag

from ..models.crm_lead import FORCE_FLAG
from .common import TechdeptCrmCase

# Queries of a salesperson's request as the web client sends it, the end of
# the request included (flush, tracking). Core Odoo 18 (crm alone, no suite,
# the same steps on the same data, with crm's demo data, counted with
# cr.sql_log_count): 23 for one lead's stage write, 415 for 50 leads', 27 for
# the kanban drag (web_save with the cards' fields), 28 for the pipeline
# kanban (web_read_group and a web_search_read per column, 160 cards). The
# suite adds, whatever the number of leads: the gate and the checklist to add
# (1 query), the checklist's insertion with its stage items and document
# types, the stage history (1), the to-dos of the new stage's items (one
# batch: their assignees, the day's map of the absent, their insertion and
# their assignees' subscription, without searching their partners again);
# the pipeline kanban costs what core Odoo's does.
STAGE_WRITE_QUERIES = 36
STAGE_WRITE_50_QUERIES = STAGE_WRITE_QUERIES + 392  # core: 415 - 23
STAGE_WRITE_ITEMS_QUERIES = 40
KANBAN_DRAG_QUERIES = 42
KANBAN_LOAD_QUERIES = 24


def kanban_specification(model):
    """The fields the web client reads for the cards of ``model``'s kanban,
    as it builds them from the view (see getFieldsSpec in the web client)."""
    views = model.get_views([(False, "kanban")])
    arch = etree.fromstring(views["views"]["kanban"]["arch"])
    spec = {}
    for node in arch.iter("field"):
        name = node.get("name")
        field = model._fields.get(name)
        if not field or name in spec:
            continue
        invisible = node.get("invisible") in ("1", "True")
        if field.type == "many2one":
            spec[name] = {"fields": {} if invisible else {"display_name": {}}}
        elif name == "tag_ids":
            spec[name] = {"fields": {"display_name": {}, "color": {}}}
        elif field.type in ("one2many", "many2many"):
            spec[name] = {"fields": {}}
        else:
            spec[name] = {}
    return spec


@tagged("post_install", "-at_install", "is_query_count")
class TestCrmQueryCounts(TechdeptCrmCase):
    """The suite's cost on the pipeline's hot paths stays flat: the same
    for 50 leads as for one."""

    def _leads(self, count, stage=None):
        leads = self.env["crm.lead"].browse()
        for _n in range(count):
            leads |= self._lead(name=f"Perf {_n}")
        if stage:
            leads.with_user(self.user_sales).write({"stage_id": stage.id})
        self.env.flush_all()
        self.env.invalidate_all()
        return leads.with_user(self.env.user)

    @users("crm_sales")
    @warmup
    def test_stage_write_one_lead(self):
        lead = self._leads(1)
        with self.assertQueryCount(crm_sales=STAGE_WRITE_QUERIES):
            lead.write({"stage_id": self.stage2.id})
        self.assertEqual(lead.techdept_item_ids.mapped("code"), ["2.2", "2.5"])
        self.assertEqual(len(lead.activity_ids), 2)
        # Their assignees follow the lead, as Odoo has them follow.
        self.assertLessEqual(
            lead.activity_ids.user_id.partner_id, lead.sudo().message_partner_ids
        )

    @users("crm_sales")
    @warmup
    def test_stage_write_fifty_leads(self):
        leads = self._leads(50)
        with self.assertQueryCount(crm_sales=STAGE_WRITE_50_QUERIES):
            leads.write({"stage_id": self.stage2.id})
        self.assertEqual(len(leads.techdept_item_ids), 100)
        self.assertEqual(len(leads.activity_ids), 100)

    @users("crm_sales")
    @warmup
    def test_stage_write_past_items(self):
        lead = self._leads(1, self.stage2)
        self._deliver(lead, "2.2")
        self._deliver(lead, "2.5")
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(crm_sales=STAGE_WRITE_ITEMS_QUERIES):
            lead.write({"stage_id": self.stage3.id})
        self.assertEqual(lead.stage_id, self.stage3)

    @users("crm_sales")
    @warmup
    def test_kanban_drag(self):
        lead = self._leads(1)
        spec = kanban_specification(lead)
        with self.assertQueryCount(crm_sales=KANBAN_DRAG_QUERIES):
            lead.web_save({"stage_id": self.stage2.id}, spec)
        self.assertEqual(lead.stage_id, self.stage2)

    @users("crm_sales")
    @warmup
    def test_kanban_load(self):
        # 4 columns of 40 cards, the items' to-dos of the later stages with
        # the presales engineer.
        leads = self._leads(160)
        for index, stage in enumerate((self.stage2, self.stage3, self.stage4), 1):
            column = leads[40 * index : 40 * (index + 1)].sudo()
            with_server_flag(column, FORCE_FLAG).write({"stage_id": stage.id})
        self.env.flush_all()
        Lead = self.env["crm.lead"]
        spec = kanban_specification(Lead)
        domain = [("type", "=", "opportunity"), ("user_id", "=", self.env.uid)]

        def load():
            groups = Lead.web_read_group(
                domain, ["stage_id", "expected_revenue:sum"], ["stage_id"]
            )["groups"]
            return [
                Lead.web_search_read(group["__domain"], spec, limit=80)["length"]
                for group in groups
                if group["stage_id_count"]
            ]

        self.env.invalidate_all()
        with self.assertQueryCount(crm_sales=KANBAN_LOAD_QUERIES):
            lengths = load()
        self.assertEqual(lengths, [40, 40, 40, 40])
