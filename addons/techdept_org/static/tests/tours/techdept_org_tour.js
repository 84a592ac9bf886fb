import { registry } from "@web/core/registry";

// The technical director opens the O&M group, then a position's duties,
// with the interface in Chinese.
registry.category("web_tour.tours").add("techdept_org_director_tour", {
    steps: () => [
        {
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger: ".o_app[data-menu-xmlid='techdept_org.techdept_root_menu']",
            run: "click",
        },
        {
            trigger: ".o_menu_sections button:contains('组织')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains('部门')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('售后运维组')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='techdept_function']:contains('售后运维')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='techdept_deputy_department_id'] input:value('技术部 / 实施组')",
        },
        {
            trigger: ".o_menu_sections button:contains('组织')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains('岗位')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('技术总监')",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains('职责')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_duty_ids'] td:contains('负责技术部门人员的工作考核')",
        },
    ],
});
