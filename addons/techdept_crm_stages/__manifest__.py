{
    "name": "Technical Department: CRM Stages",
    "summary": "The policy's pipeline stages, their required deliverables, "
    "review chains and a server-side stage gate; presales work log",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/techdept-suite/techdept",
    "author": "techdept suite contributors",
    "maintainers": ["techdept-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["crm", "techdept_org"],
    "data": [
        "security/techdept_crm_stages_groups.xml",
        "security/ir.model.access.csv",
        "security/techdept_crm_stages_security.xml",
        "security/techdept_worklog_security.xml",
        "data/techdept_document_type_data.xml",
        "data/crm_stage_data.xml",
        "data/techdept_approval_chain_data.xml",
        "data/techdept_stage_item_data.xml",
        "views/techdept_stage_item_views.xml",
        "views/techdept_lead_item_views.xml",
        "views/crm_lead_views.xml",
        "views/techdept_worklog_views.xml",
        "wizard/techdept_stage_force_wizard_views.xml",
        "views/techdept_crm_stages_menus.xml",
    ],
    "demo": [
        "demo/techdept_crm_stages_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "techdept_crm_stages/static/tests/tours/*.js",
        ],
    },
}
