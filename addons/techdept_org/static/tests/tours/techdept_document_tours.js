import { registry } from "@web/core/registry";

const DOCUMENT = "机房实施方案";

// The project manager submits his implementation plan for review.
registry.category("web_tour.tours").add("techdept_document_submit_tour", {
    steps: () => [
        {
            trigger: `.o_list_view .o_data_row td:contains('${DOCUMENT}')`,
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

// A reviewer finds the document in his approvals and approves it.
registry.category("web_tour.tours").add("techdept_document_approve_tour", {
    steps: () => [
        {
            trigger: `.o_list_view .o_data_row:contains('${DOCUMENT}') button[name='action_approve']`,
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row))",
        },
    ],
});

// The director countersigns, archives the plan, then finds it in the
// implementation knowledge base.
registry.category("web_tour.tours").add("techdept_document_archive_tour", {
    steps: () => [
        {
            trigger: `.o_list_view .o_data_row:contains('${DOCUMENT}') button[name='action_open_record']`,
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
            trigger: `.o_kanban_view .o_kanban_record:contains('${DOCUMENT}')`,
        },
    ],
});
