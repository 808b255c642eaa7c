"""The review blueprint; importing it registers the routes of its view modules."""
from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from consult.review import manage, views, views_runs  # noqa: E402,F401  their routes register on bp
