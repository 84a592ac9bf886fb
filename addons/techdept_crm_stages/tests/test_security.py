from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.techdept_org.models.techdept_guard import with_server_flag

from ..models.crm_lead import FORCE_FLAG
from .common import TechdeptCrmCase


@tagged("post_install", "-at_install")
class TestCrmSecurity(TechdeptCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._lead(name="Mine")
        cls.other = cls._lead(name="Other's", user=cls.user_sales2)
        cls.other.techdept_presales_user_id = False
        (cls.mine | cls.other).sudo().write({"stage_id": cls.stage2.id})

    def _items(self, user):
        return (
            self.env["techdept.lead.item"]
            .with_user(user)
            .search([("lead_id", "in", (self.mine | self.other).ids)])
        )

    def test_salesperson_sees_his_leads_items_only(self):
        self.assertEqual(self._items(self.user_sales).lead_id, self.mine)
        self.assertEqual(self._items(self.user_sales2).lead_id, self.other)
        with self.assertRaises(AccessError):
            self.other.with_user(self.user_sales).read(["name"])

    def test_presales_engineer_sees_the_leads_he_supports(self):
        leads = (
            self.env["crm.lead"]
            .with_user(self.user_presales)
            .search([("id", "in", (self.mine | self.other).ids)])
        )
        self.assertEqual(leads, self.mine)
        self.assertEqual(self._items(self.user_presales).lead_id, self.mine)

    def test_managers_director_and_gm_office_see_all(self):
        for user in (self.user_presales_mgr, self.user_director, self.user_gm):
            self.assertEqual(
                self._items(user).lead_id, self.mine | self.other, user.login
            )
        self.assertEqual(
            self.env["crm.lead"]
            .with_user(self.user_gm)
            .search([("id", "in", (self.mine | self.other).ids)]),
            self.mine | self.other,
        )

    def test_commerce_sees_only_what_it_delivers_or_reviews(self):
        self.assertFalse(self._items(self.user_commerce))
        with_server_flag(self.mine.sudo(), FORCE_FLAG).write(
            {"stage_id": self.stage3.id}
        )
        self.env.flush_all()
        items = self._items(self.user_commerce)
        self.assertEqual(sorted(items.mapped("code")), ["3.7", "3.8"])
        self.assertIn(
            self.mine,
            self.env["crm.lead"]
            .with_user(self.user_commerce)
            .search([("id", "=", self.mine.id)]),
        )

    def test_documents_follow_the_lead(self):
        line = self._deliver(self.mine, "2.2")
        documents = line.document_ids
        self.assertEqual(documents.mapped("res_model"), ["crm.lead", "crm.lead"])
        self.assertEqual(
            self.env["techdept.document"]
            .with_user(self.user_sales)
            .search([("id", "in", documents.ids)]),
            documents,
        )
        self.assertFalse(
            self.env["techdept.document"]
            .with_user(self.user_sales2)
            .search([("id", "in", documents.ids)])
        )

    def test_configuration_is_the_directors(self):
        item = self.env.ref("techdept_crm_stages.item_2_2")
        with self.assertRaises(AccessError):
            item.with_user(self.user_presales_mgr).blocking = False
        item.with_user(self.user_director).blocking = False
