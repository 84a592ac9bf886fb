"""In which language the suite writes what Odoo stores as plain text.

A chatter message, a tracking value, an activity's summary: Odoo stores each
once, as text, and whoever reads it later reads the language it was written
in, not his own. So the suite writes chatter and tracking in the company's
language (one language for every reader of a record's history), each
activity in the language of the person it is for, and a translatable name in
every installed language.
"""

from odoo import models


def _installed(env, lang):
    return bool(lang) and bool(env["res.lang"]._get_data(code=lang).id)


def company_lang(env, company=None):
    """The language of ``company`` (the current one by default): its
    partner's, when installed; else English."""
    company = (company or env.company).sudo()
    lang = company.partner_id.lang
    return lang if _installed(env, lang) else "en_US"


def user_lang(user):
    """The language ``user`` reads in, as the web client would choose it:
    his own, else his company's."""
    user = user.sudo()
    if _installed(user.env, user.lang):
        return user.lang
    return company_lang(user.env, user.company_id)


def in_company_lang(records):
    """``records`` in the company's language."""
    return records.with_context(lang=company_lang(records.env))


def in_lang_of(records, user):
    """``records`` in the language ``user`` reads."""
    return records.with_context(lang=user_lang(user))


def in_every_lang(env, compose):
    """``compose(env)`` in every installed language: {lang: text}, for the
    value of a translatable field."""
    return {
        lang: compose(env(context=dict(env.context, lang=lang)))
        for lang, _name in env["res.lang"].get_installed()
    }


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _techdept_post(self, body, **kwargs):
        """``message_post`` in the company's language. ``body`` is a function
        of the environment that writes the message (its ``env._`` and what
        it reads through it are in that language)::

            record._techdept_post(
                lambda env: env._("Approved by %(user)s.", user=user.name),
                subtype_xmlid="mail.mt_note",
            )
        """
        self.ensure_one()
        # The server writes the message, in the name of the current user
        # (the author stays his): the transition that posts it has checked
        # his rights already, so reading the record's rules again per
        # message would cost queries and decide nothing.
        record = in_company_lang(self).sudo()
        return record.message_post(
            body=body(record.env) if callable(body) else body, **kwargs
        )

    def _message_track(self, fields_iter, initial_values_dict):
        # Tracking values keep the labels of the values (a selection, a
        # stage's name) as text: the company's language, for every reader.
        records = in_company_lang(self)
        return super(MailThread, records)._message_track(
            fields_iter, initial_values_dict
        )

    def _creation_message(self):
        return super(MailThread, in_company_lang(self))._creation_message()


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def action_notify(self):
        # Odoo tells the assignee of a new to-do in his language, but titles
        # the notice in the language of whoever created the to-do (a
        # scheduled action's, say): all of it in the assignee's.
        by_lang = {}
        for activity in self:
            lang = user_lang(activity.user_id) if activity.user_id else self.env.lang
            by_lang.setdefault(lang, []).append(activity.id)
        for lang, ids in by_lang.items():
            activities = self.browse(ids)
            if lang != self.env.lang:
                activities = activities.with_context(lang=lang)
            super(MailActivity, activities).action_notify()

    def _action_done(self, feedback=False, attachment_ids=None):
        # The "done" message goes to the record's chatter.
        return super(MailActivity, in_company_lang(self))._action_done(
            feedback=feedback, attachment_ids=attachment_ids
        )
