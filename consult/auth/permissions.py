"""One permission function, can(): deny unless a rule allows.

Each feature's core registers its own rules in its `permissions` module (create_app imports them all), so a
rule can read its feature's data without this module importing that feature.
"""
from collections.abc import Callable

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


def has_role(user, *roles: Role) -> bool:
    return user.role in roles


@rule("admin")
def _admin(user, _obj) -> bool:
    return has_role(user, Role.ADMIN)
