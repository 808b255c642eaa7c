"""The view decorator over can(): 401 for visitors, 403 unless a rule allows."""
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from consult.auth.permissions import can
from consult.extensions import login_manager


def require(action: str, load: Callable | None = None):
    """View decorator: 401 for anonymous users, 403 unless can(current_user, action, obj).

    `load` (named load_<thing>) reads the object from the URL's arguments once; the view receives it as the
    keyword <thing>, so neither loads it twice.
    """
    name = load.__name__.removeprefix("load_") if load else None

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            obj = load(**kwargs) if load else None
            if not can(current_user, action, obj):
                abort(403)
            if name:
                kwargs[name] = obj
            return view(*args, **kwargs)

        return wrapped

    return decorator
