import { registry } from "@web/core/registry";

// The O&M manager scores an engineer's monthly form, marks it scored and
// submits it to the technical director.
registry.category("web_tour.tours").add("techdept_appraisal_score_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row td:contains('Ap Engineer2')",
            run: "click",
        },
        ...[1, 2, 3, 4, 5].flatMap((row) => [
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
