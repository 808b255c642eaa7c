"""The auth blueprint: sign-in, invitation and password pages under /auth, the users' screen under /admin."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from consult.auth import manage, views  # noqa: E402,F401  their routes register on bp
from consult.web import session  # noqa: E402,F401  registers how Flask-Login finds the signed-in user
