"""The feedback blueprint; importing it registers the routes of its view modules."""
from flask import Blueprint

bp = Blueprint("feedback", __name__)

from consult.feedback import views  # noqa: E402,F401  their routes register on bp
