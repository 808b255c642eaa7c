"""One permission function for every view: deny unless a rule allows."""
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from consult.auth.models import Role

# action -> rule(user, obj) -> bool. Rules see only authenticated, active users.
RULES: dict[str, Callable] = {}


def rule(action: str):
    """Register the rule that may allow `action`."""

    def decorator(func: Callable) -> Callable:
        RULES[action] = func
        return func

    return decorator


def can(user, action: str, obj=None) -> bool:
    """True only when a registered rule allows this user the action on obj."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    check = RULES.get(action)
    return bool(check and check(user, obj))


def require(action: str, load: Callable | None = None):
    """View decorator: 401 for anonymous users, 403 unless can(current_user, action, obj)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            from consult.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            obj = load(**kwargs) if load else None
            if not can(current_user, action, obj):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_participant(user, consultation) -> bool:
    """Whether the user was invited to (takes part in) the consultation."""
    return any(p.consultation_id == consultation.id for p in user.participations)


def has_role(user, *roles: Role) -> bool:
    return user.role in roles


@rule("admin")
def _admin(user, _obj) -> bool:
    return has_role(user, Role.ADMIN)


@rule("view_consultation")
def _view_consultation(user, consultation) -> bool:
    from consult.consultations.models import ConsultationState

    if has_role(user, Role.ADMIN, Role.PLANNER):
        return True
    if consultation.state == ConsultationState.DRAFT:
        return False
    return is_participant(user, consultation)


@rule("contribute")
def _contribute(user, consultation) -> bool:
    # Secretaries may also comment as experts where they take part.
    return has_role(user, Role.EXPERT, Role.SECRETARY) and _view_consultation(user, consultation)


@rule("edit_comment")
def _edit_comment(user, comment) -> bool:
    # Only the author edits or withdraws a comment, and only where they may still contribute.
    return comment.author_id == user.id and _contribute(user, comment.consultation)


@rule("review")
def _review(user, consultation) -> bool:
    if has_role(user, Role.ADMIN, Role.PLANNER):
        return True
    return has_role(user, Role.SECRETARY) and (consultation is None or is_participant(user, consultation))


@rule("export")
def _export(user, consultation) -> bool:
    # The same people as review: a secretary only for the rounds they take part in.
    return _review(user, consultation)
