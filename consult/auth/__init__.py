from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from consult.auth import session, views  # noqa: E402,F401
