{
    "name": "Technical Department: Organisation",
    "summary": "Roles, departments, duties, A/B delegation and the engineer pool "
    "of a system integrator's technical department",
    "version": "18.0.1.0.0",
    "category": "Human Resources",
    "website": "https://github.com/techdept-suite/techdept",
    "author": "techdept suite contributors",
    "maintainers": ["techdept-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": True,
    "installable": True,
    "depends": ["hr", "hr_holidays", "mail"],
    "data": [
        "security/techdept_org_groups.xml",
        "security/ir.model.access.csv",
        "security/techdept_org_security.xml",
        "data/hr_department_data.xml",
        "data/hr_job_data.xml",
        "data/techdept_duty_data.xml",
        "data/ir_cron_data.xml",
        "views/techdept_duty_views.xml",
        "views/hr_job_views.xml",
        "views/hr_department_views.xml",
        "views/hr_employee_views.xml",
        "views/techdept_delegation_views.xml",
        "views/techdept_org_menus.xml",
    ],
    "demo": [
        "demo/techdept_org_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "techdept_org/static/tests/tours/*.js",
        ],
    },
}
