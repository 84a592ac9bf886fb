import { registry } from "@web/core/registry";

// The implementation manager accepts the handover from presales, then
// draws an engineer from the pool into the project team.
registry.category("web_tour.tours").add("techdept_project_handover_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('智慧园区一期') button[name='action_open_record']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('批准')",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(button[name='action_approval_approve']))",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='project_id'] a, .o_form_view .o_field_widget[name='project_id'] .o_form_uri",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains('团队')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_assignment_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_assignment_ids'] .o_selected_row .o_field_widget[name='employee_id'] input",
            run: "edit Prj Engineer1",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Prj Engineer1')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_assignment_ids'] .o_data_row:contains('Prj Engineer1'):contains('项目中')",
        },
    ],
});

// The project manager submits a deliverable from the project.
registry.category("web_tour.tours").add("techdept_project_deliverable_submit_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .oe_stat_button:contains('交付物')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('园区施工组织计划')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('提交审核')",
            run: "click",
        },
        {
            trigger: ".o_form_view .alert-info:contains('审核中')",
        },
    ],
});

// The implementation manager approves it, archives it and finds it in the
// implementation knowledge base.
registry.category("web_tour.tours").add("techdept_project_deliverable_archive_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('园区施工组织计划') button[name='action_open_record']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('批准')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('归档到知识库')",
            run: "click",
        },
        {
            trigger: ".o_form_view .ribbon:contains('已归档')",
        },
        {
            trigger: ".o_menu_sections button:contains('文档')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains('项目实施知识库')",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('园区施工组织计划')",
        },
    ],
});

// The director approves the acceptance: the project is handed over to O&M.
registry.category("web_tour.tours").add("techdept_project_acceptance_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('智慧园区三期') button[name='action_open_record']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('批准')",
            run: "click",
        },
        {
            trigger: ".o_form_view .oe_stat_button:contains('运维服务')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook .nav-link:contains('运维服务')",
        },
    ],
});

// The implementation manager plans from the engineer pool: he sees who is
// free this week and next, and assigns a free engineer to his project.
registry.category("web_tour.tours").add("techdept_project_pool_planning_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('Prj Engineer1'):contains('项目中'):contains('数据中心扩容')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Prj Engineer2'):contains('空闲'):contains('售后工程师'), .o_list_view .o_data_row:contains('Prj Engineer2'):contains('空闲'):contains('驻场运维工程师')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Prj Engineer2') button[name='action_assign']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='employee_id'] input",
        },
        {
            trigger: ".modal .o_field_widget[name='project_id'] input",
            run: "edit 数据中心扩容",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('数据中心扩容')",
            run: "click",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Prj Engineer2'):contains('项目中'):contains('数据中心扩容')",
        },
    ],
});
