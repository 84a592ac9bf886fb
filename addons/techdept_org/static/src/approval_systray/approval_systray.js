import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";

import { _t } from "@web/core/l10n/translation";
import { formatList } from "@web/core/l10n/utils";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { debounce } from "@web/core/utils/timing";

/**
 * The number of reviews the user may decide now, for himself or for an
 * absent approver he acts for; it follows the steps that open and close
 * through the bus. A click opens My Approvals grouped by kind of document.
 */
export class TechdeptApprovalSystray extends Component {
    static template = "techdept_org.ApprovalSystray";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.bus = this.env.services.bus_service;
        this.state = useState({ count: 0, kinds: [] });
        this.reload = debounce(() => this.load(), 300);
        this.onUpdate = () => this.reload();
        this.bus.subscribe("techdept_approval/updated", this.onUpdate);
        // Decisions taken in this tab reload it at once, without waiting for
        // the bus.
        useBus(this.env.bus, "TECHDEPT_APPROVAL:CHANGED", this.onUpdate);
        onWillStart(() => this.load());
        onWillUnmount(() => {
            this.bus.unsubscribe("techdept_approval/updated", this.onUpdate);
            this.reload.cancel();
        });
    }

    async load() {
        const { count, kinds } = await this.orm.silent.call(
            "techdept.approval.line",
            "get_techdept_approval_counter",
            []
        );
        Object.assign(this.state, { count, kinds });
    }

    get title() {
        if (!this.state.count) {
            return _t("Nothing to approve");
        }
        const kinds = this.state.kinds.map((kind) =>
            _t("%(kind)s: %(count)s", { kind: kind.name, count: kind.count })
        );
        return _t("To approve: %(kinds)s", { kinds: formatList(kinds) });
    }

    onClick() {
        this.action.doAction("techdept_org.techdept_approval_line_action_mine", {
            additionalContext: { search_default_groupby_kind: 1 },
            clearBreadcrumbs: true,
        });
    }
}

/**
 * Tells the counter that this tab decided on reviews, then goes on with the
 * action that follows (e.g. reloading the list).
 */
export function approvalChanged(env, action) {
    env.bus.trigger("TECHDEPT_APPROVAL:CHANGED");
    return action.params?.next;
}

registry.category("actions").add("techdept_approval_changed", approvalChanged);

registry
    .category("systray")
    .add("techdept_org.approval_systray", { Component: TechdeptApprovalSystray }, { sequence: 25 });
