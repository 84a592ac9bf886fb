from lxml import etree
from markupsafe import escape

from odoo import api, models

TO_APPROVE_FILTER = "filter_techdept_to_approve"


class TechdeptApprovalMixin(models.AbstractModel):
    """How the engine reaches its users: every approvable list can be
    narrowed to what the current user may approve now (the search view of
    each approvable model, present or to come, gets a "To Approve" filter),
    and its notices arrive in Odoo's inbox (see mail.thread)."""

    _inherit = "techdept.approval.mixin"

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "search":
            self._approval_inject_search(arch)
        return arch, view

    @api.model
    def _approval_inject_search(self, arch):
        search = arch if arch.tag == "search" else arch.find(".//search")
        # Views that filter on it already (e.g. "To Review by Me") keep theirs.
        if search is None or any(
            "can_approve" in (node.get("domain") or "")
            for node in search.iter("filter")
        ):
            return
        label = escape(self.env._("To Approve"))
        nodes = [
            etree.fromstring(
                f'<filter name="{TO_APPROVE_FILTER}" string="{label}" '
                "domain=\"[('can_approve', '=', True)]\"/>"
            ),
            etree.Element("separator"),
        ]
        # Before the view's own filters, in a group of its own.
        first = next(
            (
                child
                for child in search
                if child.tag in ("filter", "separator", "group")
            ),
            None,
        )
        for node in nodes:
            if first is None:
                search.append(node)
            else:
                first.addprevious(node)
