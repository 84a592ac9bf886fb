from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """On approvable records, the engine's notices (a step to review, a
        decision, a reopening) and the to-dos it assigns reach internal users
        in Odoo's inbox, where they act on them, whatever their e-mail
        preference: they must not depend on an outgoing mail server, nor fail
        for want of one. Partners without a user are notified as Odoo
        decides."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        approvable = self.pool.descendants(["techdept.approval.mixin"], "_inherit")
        if self._name not in approvable:
            return recipients
        for recipient in recipients:
            if (
                recipient.get("notif") == "email"
                and recipient.get("uid")
                and not recipient.get("ushare")
            ):
                recipient["notif"] = "inbox"
        return recipients
