"""The consultations blueprint; importing it registers the routes of its view modules."""
from flask import Blueprint

bp = Blueprint("consultations", __name__)

from consult.consultations import views  # noqa: E402,F401  their routes register on bp
