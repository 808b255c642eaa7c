"""The main blueprint; importing it registers the routes of its view modules."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from consult.main import views  # noqa: E402,F401  their routes register on bp
