import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";

const LEAD = "人民医院网络改造";

function addDocument(type, name, row) {
    const selected = `.modal .o_data_row:nth-child(${row}).o_selected_row`;
    return [
        {
            trigger: ".modal .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: `${selected} .o_field_widget[name='type_id'] input`,
            run: `edit ${type}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item a:contains('${type}')`,
            run: "click",
        },
        {
            trigger: `${selected} .o_field_widget[name='name'] input`,
            run: `edit ${name}`,
        },
        // A document counts once its file is in.
        {
            trigger: `${selected} .o_field_widget[name='attachment_ids'] .o_attach`,
            async run() {
                await inputFiles(
                    `${selected} .o_field_widget[name='attachment_ids'] .o_input_file`,
                    [new File([name], `${name}.txt`, { type: "text/plain" })]
                );
            },
        },
        {
            trigger: `${selected} .o_field_widget[name='attachment_ids'] .o_attachment:not(.o_attachment_uploading):contains('${name}.txt')`,
        },
    ];
}

// The presales engineer uploads 2.2's documents on the lead, then moves it
// on to solution confirmation.
registry.category("web_tour.tours").add("techdept_crm_presales_upload_tour", {
    steps: () => [
        {
            trigger: `.o_form_view .o_field_widget[name='name']:contains('${LEAD}'), .o_form_view .o_field_widget[name='name'] textarea`,
        },
        {
            trigger: ".o_notebook .nav-link:contains('检查清单')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_item_ids'] .o_data_row:contains('2.2') button[name='action_open']",
            run: "click",
        },
        ...addDocument("客户需求说明书", "医院网络需求说明书", 1),
        ...addDocument("勘察表", "医院机房勘察表", 2),
        {
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_field_widget[name='techdept_item_ids'] .o_data_row:contains('2.2'):contains('完成')",
        },
        {
            trigger: ".o_statusbar_status button:contains('方案确认')",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('方案确认')",
        },
        {
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_kanban_group:contains('方案确认')",
        },
    ],
});

// A reviewer approves the 3.2 bundle from his approvals.
registry.category("web_tour.tours").add("techdept_crm_review_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('3.2') button[name='action_approve']",
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row))",
        },
    ],
});

// Once 3.2 is approved, the presales engineer gives the demonstration (3.3).
registry.category("web_tour.tours").add("techdept_crm_demonstration_tour", {
    steps: () => [
        {
            trigger: ".o_notebook .nav-link:contains('检查清单')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_item_ids'] .o_data_row:contains('3.3') button[name='action_mark_done']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_item_ids'] .o_data_row:contains('3.3'):contains('完成')",
        },
    ],
});

// Every item of solution confirmation is complete: the lead advances.
registry.category("web_tour.tours").add("techdept_crm_advance_tour", {
    steps: () => [
        {
            trigger: ".o_statusbar_status button:contains('招投标')",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('招投标')",
        },
        {
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_kanban_group:contains('招投标')",
        },
    ],
});

// Moving on with 2.2 missing: the gate refuses, in a dialog that says so.
registry.category("web_tour.tours").add("techdept_crm_gate_dialog_tour", {
    steps: () => [
        {
            trigger: ".o_statusbar_status button:contains('方案确认')",
            run: "click",
        },
        {
            trigger: ".modal .o_error_dialog .modal-title:contains('尚不满足推进条件')",
        },
        {
            trigger: ".modal .o_error_dialog:contains('以下线索暂不能推进至方案确认')",
        },
        {
            trigger: ".modal .modal-footer .o-default-button",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('深度接触')",
        },
    ],
});

registry.category("web_tour.tours").add("techdept_crm_presales_pipeline_tour", {
    steps: () => [
        {
            trigger: ".o_searchview .o_facet_values:contains('我的售前')",
        },
        {
            trigger: `.o_kanban_record:contains('${LEAD}')`,
        },
        {
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('港口安防升级')))",
        },
        {
            trigger: `.o_kanban_record:contains('${LEAD}')`,
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_stage_guidance']:contains('本阶段'):contains('深度接触'):contains('2.2'):contains('交付人')",
        },
        {
            trigger: ".o_notebook .nav-link:contains('检查清单')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='techdept_item_ids'] .o_data_row:contains('2.2') button[name='action_open']",
            run: "click",
        },
        ...addDocument("客户需求说明书", "医院网络需求说明书", 1),
        ...addDocument("勘察表", "医院机房勘察表", 2),
        {
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_field_widget[name='techdept_item_ids'] .o_data_row:contains('2.2'):contains('完成')",
        },
    ],
});

registry.category("web_tour.tours").add("techdept_crm_submitter_buttons_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approval_cancel']:contains('撤回')",
        },
        {
            trigger: ".o_form_view:not(:has(button[name='action_approval_approve'])):not(:has(button[name='action_approval_reject']))",
        },
    ],
});

registry.category("web_tour.tours").add("techdept_crm_approver_buttons_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approval_reject']:contains('驳回')",
        },
        {
            trigger: ".o_form_view:not(:has(button[name='action_approval_cancel'])):not(:has(button[name='action_approval_submit']))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approval_approve']:contains('批准')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('已批准')",
        },
    ],
});
