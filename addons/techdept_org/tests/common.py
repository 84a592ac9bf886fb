from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class TechdeptOrgCase(TransactionCase):
    """An organisation of the tests' own on the policy's departments: the
    director over the technical department, A (O&M manager) and B
    (implementation manager), a presales manager and a few engineers. Every
    user holds the fewest groups his role needs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        english_chatter(cls.env)
        ref = cls.env.ref
        cls.dept_technical = ref("techdept_org.dept_technical")
        cls.dept_presales = ref("techdept_org.dept_presales")
        cls.dept_implementation = ref("techdept_org.dept_implementation")
        cls.dept_om = ref("techdept_org.dept_om")
        cls.dept_supervision = ref("techdept_org.dept_supervision")

        # Demo data may hold people in the policy's roles; the tests bring
        # their own.
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False

        def person(login, groups, job, department):
            user = new_test_user(
                cls.env,
                login=login,
                groups=groups,
                name=login.replace("_", " ").title(),
            )
            employee = cls.env["hr.employee"].create(
                {
                    "name": user.name,
                    "user_id": user.id,
                    "job_id": ref(f"techdept_org.job_{job}").id,
                    "department_id": department.id,
                }
            )
            return user, employee

        cls.user_director, cls.emp_director = person(
            "td_director", "techdept_org.group_director", "director", cls.dept_technical
        )
        cls.user_a, cls.emp_a = person(
            "td_om_manager", "techdept_org.group_manager", "om_manager", cls.dept_om
        )
        cls.user_b, cls.emp_b = person(
            "td_impl_manager",
            "techdept_org.group_manager",
            "implementation_manager",
            cls.dept_implementation,
        )
        cls.user_presales_mgr, cls.emp_presales_mgr = person(
            "td_presales_manager",
            "techdept_org.group_manager",
            "presales_manager",
            cls.dept_presales,
        )
        cls.user_engineer, cls.emp_engineer = person(
            "td_engineer",
            "techdept_org.group_engineer",
            "aftersales_engineer",
            cls.dept_om,
        )
        cls.user_onsite, cls.emp_onsite = person(
            "td_onsite", "techdept_org.group_engineer", "onsite_engineer", cls.dept_om
        )
        cls.user_plain = new_test_user(
            cls.env, login="td_plain", groups="base.group_user"
        )

        cls.dept_technical.write(
            {"manager_id": cls.emp_director.id, "techdept_deputy_id": False}
        )
        cls.dept_om.write(
            {
                "manager_id": cls.emp_a.id,
                "techdept_deputy_id": False,
                "techdept_deputy_department_id": cls.dept_implementation.id,
            }
        )
        cls.dept_implementation.write(
            {
                "manager_id": cls.emp_b.id,
                "techdept_deputy_id": False,
                "techdept_deputy_department_id": False,
            }
        )
        cls.dept_presales.write({"manager_id": cls.emp_presales_mgr.id})
        # Demo data may hold delegations; the tests build their own.
        cls.env["techdept.delegation"].search([]).unlink()

        cls.leave_type = cls.env["hr.leave.type"].create(
            {
                "name": "Test Leave",
                "requires_allocation": "no",
                "leave_validation_type": "hr",
                "company_id": cls.env.company.id,
            }
        )
        cls.resolver = cls.env["techdept.resolver"]

    @classmethod
    def _leave(cls, employee, date_from, date_to, validate=True):
        leave = (
            cls.env["hr.leave"]
            .sudo()
            .create(
                {
                    "employee_id": employee.id,
                    "holiday_status_id": cls.leave_type.id,
                    "request_date_from": date_from,
                    "request_date_to": date_to,
                }
            )
        )
        if validate:
            leave.action_validate()
        return leave

    @classmethod
    def _activity(cls, user, record=None, summary="Check"):
        record = record or cls.dept_om
        return cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "user_id": user.id,
                "summary": summary,
                "activity_type_id": cls.env.ref("mail.mail_activity_data_todo").id,
            }
        )


def english_chatter(env):
    """Chatter is written in the company's language (the demo data's is
    Chinese): the tests that read it read it in English."""
    env.company.partner_id.lang = "en_US"


def techdept_person(env, login, groups, job=None, department=None, manages=None):
    """A user with the fewest ``groups`` and his employee, in ``job`` (a
    policy role) and ``department`` (an xmlid of techdept_org), managing the
    department ``manages`` if given. Shared by the suite's test set-ups."""
    ref = env.ref
    user = new_test_user(
        env,
        login=login,
        groups=groups,
        name=login.replace("_", " ").title(),
        email=f"{login}@example.com",
    )
    employee = env["hr.employee"].create(
        {
            "name": user.name,
            "user_id": user.id,
            "job_id": job and ref(f"techdept_org.job_{job}").id,
            "department_id": department and ref(f"techdept_org.{department}").id,
        }
    )
    if manages:
        ref(f"techdept_org.{manages}").write(
            {"manager_id": employee.id, "techdept_deputy_id": False}
        )
    return user, employee
