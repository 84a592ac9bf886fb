import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { odooExceptionTitleMap, WarningDialog } from "@web/core/errors/error_dialogs";

// The suite's exceptions (techdept_org/exceptions.py) shown as warnings,
// titled by what happened rather than by the generic class they extend.
const PREFIX = "odoo.addons.techdept_org.exceptions.";
const TITLES = {
    GateRefusal: _t("Not Ready to Move On"),
    ApprovalRefusal: _t("Approval Action Not Possible"),
    ApprovalUnassigned: _t("No Reviewer Found"),
    FrozenRecord: _t("Record Locked"),
    ServerOwnedField: _t("Set by the System"),
};

for (const [name, title] of Object.entries(TITLES)) {
    odooExceptionTitleMap.set(PREFIX + name, title);
    registry.category("error_dialogs").add(PREFIX + name, WarningDialog);
}
