"""Who may read and act in which scope of a round, and who manages working groups."""
from consult.auth.models import Role
from consult.auth.permissions import has_role, rule
from consult.review.scopes import readable_scopes, scopes_for


def _key_in(scopes, target) -> bool:
    _consultation, scope_key = target
    return any(scope.key == scope_key for scope in scopes)


@rule("read_scope")
def read_scope(user, target) -> bool:
    """target: (consultation, scope key)."""
    consultation, _key = target
    return _key_in(readable_scopes(user, consultation), target)


@rule("read_scopes")
def read_scopes(user, consultation) -> bool:
    """Whether the user may read any scope of the round (the review home)."""
    return bool(readable_scopes(user, consultation))


@rule("act_in_scope")
def act_in_scope(user, target) -> bool:
    """target: (consultation, scope key)."""
    consultation, _key = target
    return _key_in(scopes_for(user, consultation), target)


@rule("manage_groups")
def manage_groups(user, _obj) -> bool:
    # Working groups and their items and secretaries: planners set them up, admins too.
    return has_role(user, Role.ADMIN, Role.PLANNER)
