import { registry } from "@web/core/registry";

// The director sees two plans to countersign in the top bar, opens My
// Approvals from there and approves both at once.
registry.category("web_tour.tours").add("techdept_approval_bulk_tour", {
    steps: () => [
        {
            trigger: ".o_techdept_approval_systray .o_techdept_approval_counter:contains('2')",
        },
        {
            trigger: ".o_techdept_approval_systray button",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header:contains('技术文件 (2)')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('机房搬迁方案')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('核心交换机割接方案')",
        },
        {
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_list_selection_container button[name='action_bulk_approve']:contains('批准')",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('已批准 2 项')",
        },
        {
            trigger: ".o_techdept_approval_systray:not(:has(.o_techdept_approval_counter))",
        },
        {
            trigger: ".o_view_nocontent",
        },
    ],
});
