"""Which browser draft (static/js/drafts.js) the next page may forget.

Only a save the server made may clear a draft: the key goes into the session when the save commits
and is taken out by the first page that shows it, so no link from elsewhere can wipe a draft.
The redirect's ?saved= names the form for people and tests; it clears nothing.
"""
from flask import session
from flask_login import current_user

SAVED_DRAFT = "saved_draft"


def draft_key(consultation, scope: str) -> str:
    """The localStorage key of the user's draft of one form (data-draft-key)."""
    return f"consult-draft:{current_user.id}:{consultation.id}:{scope}"


def remember_saved(consultation, scope: str) -> None:
    """After a committed save: the next page tells drafts.js to forget this draft."""
    session[SAVED_DRAFT] = draft_key(consultation, scope)


def pop_saved() -> str:
    """The key of the draft just saved, once; "" on any other visit."""
    return session.pop(SAVED_DRAFT, "")
