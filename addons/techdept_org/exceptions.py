"""The suite's errors. Odoo's web client titles an error dialog after the
exception's class; static/src/js/error_dialogs.js gives each of these a
title that says what happened.

A refusal the user is told about (a gate, an approval action, a frozen
record) is the rules at work, not a fault: Odoo logs it at INFO
(``loglevel``), not as a warning. A missing reviewer (the configuration
needs fixing) and an attempt at values only the system sets stay warnings."""

import logging

from odoo.exceptions import AccessError, UserError


class _Refusal:
    loglevel = logging.INFO


class GateRefusal(_Refusal, UserError):
    """A record cannot move on: what its stage or phase requires is not
    complete."""


class ApprovalRefusal(_Refusal, UserError):
    """An approval action the user may not take now (not his step, not in
    this state, a reason missing, the record not ready for review)."""


class ApprovalUnassigned(UserError):
    """A review step finds nobody to review it: its chain needs fixing."""


class FrozenRecord(_Refusal, UserError):
    """A record in review or approved, or a part of one, cannot change."""


class ServerOwnedField(AccessError):
    """Values (or records) that only the system sets."""
