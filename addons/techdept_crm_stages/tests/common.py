import base64

from odoo.tests.common import TransactionCase

from odoo.addons.techdept_org.tests.common import english_chatter, techdept_person


class TechdeptCrmCase(TransactionCase):
    """The people of the policy's presales path, each with the fewest
    groups: a salesperson, a presales engineer and his manager, the
    technical director, the general manager's office and commerce."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_chatter(cls.env)
        ref = cls.env.ref
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        cls.env["techdept.delegation"].search([]).unlink()

        def person(login, groups, job=None, department=None, manages=None):
            return techdept_person(cls.env, login, groups, job, department, manages)

        cls.user_sales, _e = person("crm_sales", "sales_team.group_sale_salesman")
        cls.user_sales2, _e = person("crm_sales2", "sales_team.group_sale_salesman")
        cls.user_presales, cls.emp_presales = person(
            "crm_presales",
            "techdept_org.group_engineer,sales_team.group_sale_salesman",
            "presales_engineer",
            "dept_presales",
        )
        cls.user_presales_mgr, cls.emp_presales_mgr = person(
            "crm_presales_mgr",
            "techdept_org.group_manager,sales_team.group_sale_salesman_all_leads",
            "presales_manager",
            "dept_presales",
            manages="dept_presales",
        )
        cls.user_director, cls.emp_director = person(
            "crm_director",
            "techdept_org.group_director",
            "director",
            "dept_technical",
            manages="dept_technical",
        )
        cls.user_gm, cls.emp_gm = person(
            "crm_gm",
            "techdept_org.group_gm_office",
            None,
            "dept_gm_office",
            manages="dept_gm_office",
        )
        cls.user_commerce, cls.emp_commerce = person(
            "crm_commerce",
            "techdept_org.group_commerce",
            None,
            "dept_commerce",
            manages="dept_commerce",
        )
        cls.stage1 = ref("techdept_crm_stages.stage_first_contact")
        cls.stage2 = ref("techdept_crm_stages.stage_deep_contact")
        cls.stage3 = ref("techdept_crm_stages.stage_solution_confirmation")
        cls.stage4 = ref("techdept_crm_stages.stage_tender")
        cls.stage5 = ref("techdept_crm_stages.stage_contract")

    @classmethod
    def _lead(cls, name="Data centre upgrade", user=None, **values):
        user = user or cls.user_sales
        return (
            cls.env["crm.lead"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": user.id,
                    "techdept_presales_user_id": cls.user_presales.id,
                    **values,
                }
            )
        )

    @classmethod
    def _line(cls, lead, code):
        return lead.techdept_item_ids.filtered(lambda line: line.code == code)

    @classmethod
    def _deliver(cls, lead, code, user=None):
        """Upload one document of each type the item requires."""
        line = cls._line(lead, code)
        user = user or cls.user_presales
        Document = cls.env["techdept.document"].with_user(user)
        for doc_type in line.missing_type_ids:
            document = Document.create(
                {"name": doc_type.name, "type_id": doc_type.id, "lead_item_id": line.id}
            )
            document.attachment_ids = (
                cls.env["ir.attachment"]
                .with_user(user)
                .create(
                    {
                        "name": f"{doc_type.code}.txt",
                        "datas": base64.b64encode(doc_type.code.encode()),
                        "res_model": document._name,
                        "res_id": document.id,
                    }
                )
            )
        return line

    @classmethod
    def _approve_all(cls, line, *users):
        line.with_user(cls.user_presales).action_approval_submit()
        for user in users:
            line.with_user(user).action_approval_approve()
        return line

    @classmethod
    def _through_stage_2(cls, lead):
        lead.with_user(cls.user_sales).stage_id = cls.stage2
        cls._deliver(lead, "2.2")
        cls._deliver(lead, "2.5")
        lead.with_user(cls.user_sales).stage_id = cls.stage3
