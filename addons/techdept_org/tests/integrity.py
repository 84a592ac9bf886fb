"""Assertions for the integrity tests of the suite's addons: a forgery is
refused with the error a client gets over RPC, a message saying what is not
allowed, and the database as it was."""


class RefusalMixin:
    """For TransactionCase classes (not a test case itself, so that addons
    importing it do not collect it as one)."""

    def assertRefused(
        self, exception, message, func, records=None, fields=(), model=None
    ):
        """Call ``func``; it must raise exactly ``exception`` with a message
        matching ``message``. The call runs in a savepoint rolled back with
        it, as an RPC call's transaction would be; afterwards ``fields`` of
        ``records`` read from the database are what they were, and ``model``
        (a model name) has as many records as before."""
        before = records.sudo().read(list(fields)) if records is not None else None
        Model = (
            self.env[model].sudo().with_context(active_test=False) if model else None
        )
        count = Model.search_count([]) if Model is not None else None
        with self.assertRaisesRegex(exception, message) as caught:
            with self.env.cr.savepoint():
                func()
        # The suite's own exceptions (techdept_org/exceptions.py) refine
        # Odoo's: what counts is the Odoo class they are.
        raised = type(caught.exception)
        if exception.__module__ == "odoo.exceptions":
            raised = next(
                c for c in raised.__mro__ if c.__module__ == exception.__module__
            )
        self.assertIs(
            raised,
            exception,
            f"{type(caught.exception).__name__} raised instead of "
            f"{exception.__name__}: {caught.exception}",
        )
        self.env.invalidate_all()
        if records is not None:
            self.assertEqual(records.sudo().read(list(fields)), before)
        if Model is not None:
            self.assertEqual(Model.search_count([]), count)
        return caught.exception
