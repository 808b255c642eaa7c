"""One-button admin actions (toggle, revoke, remove): the same steps for each."""
from collections.abc import Callable

from flask import flash, render_template, request

from consult.core.errors import ConsultError
from consult.extensions import db
from consult.web.forms import ActionForm


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


def confirm_removal(question: str, cancel: str, details: str = ""):
    """The page that asks before a removal; its button posts back to the same address."""
    return render_template("confirm.html", title="تأیید حذف", question=question, details=details,
                           button="بله، حذف شود", action=request.path, cancel=cancel)
