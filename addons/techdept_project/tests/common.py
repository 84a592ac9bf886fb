import base64

from odoo.tests.common import TransactionCase

from odoo.addons.techdept_crm_stages.models.crm_lead import FORCE_FLAG
from odoo.addons.techdept_org.models.techdept_guard import with_server_flag
from odoo.addons.techdept_org.tests.common import english_chatter, techdept_person

from ..models.project_project import PHASE_FORCE_FLAG


def force_phase(projects, phase):
    """Move ``projects`` to ``phase`` past the gate, as the force wizard does."""
    with_server_flag(projects, PHASE_FORCE_FLAG).techdept_phase_id = phase


class TechdeptProjectCase(TransactionCase):
    """The technical department of the tests: the director, the O&M manager
    (A) and the implementation manager (B), two pool engineers under A, a
    presales engineer and a commerce user; each with the fewest groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english_chatter(cls.env)
        ref = cls.env.ref
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        cls.env["techdept.delegation"].search([]).unlink()

        def person(login, groups, job=None, department=None, manages=None):
            return techdept_person(cls.env, login, groups, job, department, manages)

        cls.user_director, cls.emp_director = person(
            "prj_director",
            "techdept_org.group_director",
            "director",
            "dept_technical",
            manages="dept_technical",
        )
        cls.user_a, cls.emp_a = person(
            "prj_om_manager",
            "techdept_org.group_manager",
            "om_manager",
            "dept_om",
            manages="dept_om",
        )
        cls.user_b, cls.emp_b = person(
            "prj_impl_manager",
            "techdept_org.group_manager",
            "implementation_manager",
            "dept_implementation",
            manages="dept_implementation",
        )
        cls.env.ref("techdept_org.dept_om").techdept_deputy_department_id = ref(
            "techdept_org.dept_implementation"
        )
        cls.user_e1, cls.emp_e1 = person(
            "prj_engineer1",
            "techdept_org.group_engineer",
            "aftersales_engineer",
            "dept_om",
        )
        cls.user_e2, cls.emp_e2 = person(
            "prj_engineer2", "techdept_org.group_engineer", "onsite_engineer", "dept_om"
        )
        cls.user_presales, cls.emp_presales = person(
            "prj_presales",
            "techdept_org.group_engineer,sales_team.group_sale_salesman",
            "presales_engineer",
            "dept_presales",
        )
        cls.user_outsider, cls.emp_outsider = person(
            "prj_outsider",
            "techdept_org.group_engineer",
            "supervision_engineer",
            "dept_supervision",
        )
        (cls.emp_e1 | cls.emp_e2).parent_id = cls.emp_a

    @classmethod
    def _won_lead(cls, name="Smart campus"):
        lead = cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "techdept_presales_user_id": cls.user_presales.id,
            }
        )
        with_server_flag(lead, FORCE_FLAG).stage_id = cls.env.ref(
            "techdept_crm_stages.stage_contract"
        )
        return lead

    @classmethod
    def _document(cls, record, code, user, name=None):
        doc_type = cls.env.ref(f"techdept_org.document_type_{code}")
        document = (
            cls.env["techdept.document"]
            .with_user(user)
            .create(
                {
                    "name": name or doc_type.name,
                    "type_id": doc_type.id,
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
        )
        document.attachment_ids = (
            cls.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": f"{code}.txt",
                    "datas": base64.b64encode(code.encode()),
                    "res_model": document._name,
                    "res_id": document.id,
                }
            )
        )
        return document
