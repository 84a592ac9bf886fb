import { registry } from "@web/core/registry";

// An on-site engineer opens his weekly report from the menu, writes what he
// did and plans, fills in the suite's figures and submits it.
registry.category("web_tour.tours").add("techdept_report_write_tour", {
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
            trigger: ".o_menu_sections button:contains('工作汇报')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains('本期我的汇报')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('待填写')",
        },
        {
            trigger:
                ".o_field_widget[name='section_ids'] .o_data_row:contains('本期完成') td[name='body']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='section_ids'] .o_selected_row textarea",
            run: "edit 完成政务服务中心机房巡检三次，处理UPS告警一次。",
        },
        {
            trigger:
                ".o_field_widget[name='section_ids'] .o_data_row:contains('下期计划') td[name='body']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='section_ids'] .o_selected_row textarea",
            run: "edit 配合客户完成等保整改。",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('填入数据')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='figure_ids'] .o_data_row:contains('已处理的审批')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('提交')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('已提交')",
        },
        {
            trigger: ".o_field_widget[name='reviewer_ids']:contains('Tour Om Manager')",
        },
    ],
});

// His manager finds it among the reports to review, reads it, comments and
// marks it reviewed.
registry.category("web_tour.tours").add("techdept_report_review_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Onsite') td[name='employee_id']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='section_ids'] td:contains('机房巡检三次')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('审核')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='comment'] textarea",
            run: "edit 巡检及时，请跟踪UPS告警原因。",
        },
        {
            trigger: ".modal button:contains('标记已审核')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('已审核')",
        },
    ],
});
