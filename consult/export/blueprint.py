"""The export blueprint; importing it registers the routes of its view modules."""
from flask import Blueprint

bp = Blueprint("export", __name__, url_prefix="/export")

from consult.export import views  # noqa: E402,F401  their routes register on bp
