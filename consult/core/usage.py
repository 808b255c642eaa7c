"""What later features still hold of an earlier feature's rows, asked without importing them.

An earlier core (plan, consultations) must not import a later one (feedback), yet may not delete what people
have submitted. A later feature registers a check for a kind of row; the earlier one asks in_use(). Every
feature's `usage` module is imported by create_app, like the rules of can().
"""
from collections import defaultdict
from collections.abc import Callable, Collection

Check = Callable[[Collection[int]], set[int]]
_CHECKS: dict[str, list[Check]] = defaultdict(list)


def holds(kind: str) -> Callable[[Check], Check]:
    """Register a check: given ids of `kind` rows ("plan_item", "criterion", "question"), those still held."""

    def decorator(check: Check) -> Check:
        _CHECKS[kind].append(check)
        return check

    return decorator


def in_use(kind: str, ids: Collection[int]) -> set[int]:
    """The ids among `ids` that some feature still holds."""
    if not ids:
        return set()
    held: set[int] = set()
    for check in _CHECKS[kind]:
        held |= check(ids)
    return held
