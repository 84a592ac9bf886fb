"""Demo data of the organisation: the demo company works in Chinese."""

from odoo import api, models

DEMO_LANG = "zh_CN"
DEMO_TZ = "Asia/Shanghai"


def acting(records, user):
    """``records`` as ``user`` works in the web client: with his rights, in
    his language and time zone. The demo stories act through it."""
    return records.with_user(user).with_context(lang=user.lang, tz=user.tz)


def demo_xmlid(env, xmlid, record):
    """Name a record a demo story made, as editable (noupdate) data: the
    stories find one another's records by it, and know they ran."""
    env["ir.model.data"]._update_xmlids(
        [{"xml_id": xmlid, "record": record, "noupdate": True}]
    )


def load_own_terms(env, module):
    """Odoo loads a module's translations only once its demo data is in. A
    story writes texts from what the module's data names (stages, items,
    review steps, models) in the staff's language: it loads them first."""
    langs = [code for code, _name in env["res.lang"].get_installed()]
    langs = [code for code in langs if code != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms([module], langs)


def demo_done(env, xmlid):
    """Whether the story that names ``xmlid`` ran already."""
    return bool(env.ref(xmlid, raise_if_not_found=False))


class TechdeptOrgDemo(models.AbstractModel):
    _name = "techdept.org.demo"
    _description = "Demo Data: Organisation"

    @api.model
    def _techdept_demo_chinese(self):
        """The demo department works in Chinese whichever command built the
        database (with or without ``--load-language``): Chinese active, with
        the translations of the modules installed so far (the suite's own
        load as each is installed, this one's now for the demo records that
        follow), a Chinese company in yuan, its administrator in Chinese in
        Shanghai."""
        Lang = self.env["res.lang"]
        if not Lang._lang_get(DEMO_LANG):
            Lang._activate_lang(DEMO_LANG)
            self.env["ir.module.module"].search(
                [("state", "=", "installed")]
            )._update_translations(DEMO_LANG)
        load_own_terms(self.env, "techdept_org")
        cny = self.env.ref("base.CNY")
        cny.active = True
        company = self.env.ref("base.main_company")
        company.write(
            {
                "name": "杭州智衡信息技术有限公司",
                "currency_id": cny.id,
                "street": "文三路478号华星时代广场A座12楼",
                "city": "杭州市",
                "zip": "310012",
                "state_id": self.env.ref("base.state_cn_ZJ").id,
                "country_id": self.env.ref("base.cn").id,
                "phone": "+86 571 8765 4300",
                "email": "info@zhiheng-it.example.com",
                "website": "https://www.zhiheng-it.example.com",
            }
        )
        company.partner_id.write({"lang": DEMO_LANG, "tz": DEMO_TZ})
        admin = self.env.ref("base.user_admin")
        admin.write({"lang": DEMO_LANG, "tz": DEMO_TZ})
        admin.partner_id.write(
            {
                "company_name": company.name,
                "street": company.street,
                "city": company.city,
                "zip": company.zip,
                "state_id": company.state_id.id,
                "country_id": company.country_id.id,
                "phone": "+86 571 8765 4301",
            }
        )
