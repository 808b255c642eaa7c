"""The auth blueprint; importing it registers the routes of its view modules."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from consult.auth import session, views  # noqa: E402,F401  their routes register on bp
