import { registry } from "@web/core/registry";

// The O&M manager scores each of the seven items of an engineer's monthly
// form, marks it scored and submits it to the technical director.
registry.category("web_tour.tours").add("techdept_appraisal_score_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row td:contains('Ap Engineer2')",
            run: "click",
        },
        ...[1, 2, 3, 4, 5, 6, 7].flatMap((row) => [
            {
                trigger: `.o_field_widget[name='line_ids'] .o_data_row:nth-child(${row}) td[name='score']`,
                run: "click",
            },
            {
                trigger: `.o_field_widget[name='line_ids'] .o_data_row:nth-child(${row}) td[name='score'] input`,
                run: "edit 88",
            },
        ]),
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('标记已评分')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('提交审核')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('已提交')",
        },
    ],
});

// The director opens an approved form: he may reopen it, not acknowledge
// it; its computed items say how they were computed.
registry.category("web_tour.tours").add("techdept_appraisal_director_buttons_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approval_reopen']:contains('重新打开')",
        },
        {
            trigger: ".o_form_view:not(:has(button[name='action_acknowledge'])):not(:has(button[name='action_approval_approve']))",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] td[name='computation']:contains('期间共2条工作日志')",
        },
    ],
});

// The appraised employee acknowledges his approved form; he has no
// approval button.
registry.category("web_tour.tours").add("techdept_appraisal_employee_buttons_tour", {
    steps: () => [
        {
            trigger: ".o_field_widget[name='line_ids'] td[name='computation']:contains('没有文件获批准')",
        },
        {
            trigger: ".o_form_view:not(:has(button[name='action_approval_reopen'])):not(:has(button[name='action_approval_approve'])):not(:has(button[name='action_approval_cancel']))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_acknowledge']:contains('确认')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('已确认')",
        },
    ],
});

registry.category("web_tour.tours").add("techdept_appraisal_self_assessment_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row td:contains('2026-09')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('自评')",
        },
        ...[1, 2, 3, 4, 5, 6, 7].flatMap((row) => [
            {
                trigger: `.o_field_widget[name='line_ids'] .o_data_row:nth-child(${row}) td[name='self_score']`,
                run: "click",
            },
            {
                trigger: `.o_field_widget[name='line_ids'] .o_data_row:nth-child(${row}) td[name='self_score'] input`,
                run: "edit 90",
            },
            {
                trigger: `.o_field_widget[name='line_ids'] .o_data_row:nth-child(${row}) td[name='self_comment'] input`,
                run: "edit 按计划完成",
            },
        ]),
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('提交自评')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('评分中')",
        },
    ],
});

// The technical director opens his cockpit and, from a figure, the
// projects behind it.
registry.category("web_tour.tours").add("techdept_cockpit_tour", {
    steps: () => [
        {
            trigger: ".o_kanban_group .o_column_title:contains('项目')",
        },
        {
            trigger: ".o_kanban_record:contains('超过计划验收日期的项目')",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb .active:contains('超过计划验收日期的项目')",
        },
        {
            trigger: ".o_list_view .o_data_row",
        },
    ],
});
