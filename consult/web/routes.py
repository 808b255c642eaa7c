"""Routes at an address of their own, outside their blueprint's URL prefix."""
from collections.abc import Callable

from flask import Blueprint


def route_outside_prefix(bp: Blueprint, rule: str, **options) -> Callable:
    """Like bp.route, but `rule` is the whole path: a feature's management screens live under /admin even when
    its blueprint's other pages share a prefix. The endpoint is still "<blueprint>.<view name>"."""

    def decorator(view: Callable) -> Callable:
        endpoint = options.pop("endpoint", view.__name__)
        bp.record(lambda state: state.app.add_url_rule(rule, f"{state.name}.{endpoint}", view, **options))
        return view

    return decorator
