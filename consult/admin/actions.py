"""One-button admin actions (toggle, revoke, remove): the same steps for each."""
from collections.abc import Callable

from flask import flash

from consult.admin.forms import ActionForm
from consult.core.errors import ConsultError
from consult.extensions import db


def perform(action: Callable[[], object], done: str | Callable[[], str]) -> bool:
    """Run a posted action: commit and flash ``done``, or flash the rule it broke; True if it ran."""
    if not ActionForm().validate_on_submit():
        return False
    try:
        action()
    except ConsultError as error:
        flash(error.message, "error")
        return False
    db.session.commit()
    flash(done() if callable(done) else done, "success")  # a callable reads the state after the action
    return True
