"""The plan blueprint; importing it registers the routes of its view modules."""
from flask import Blueprint

bp = Blueprint("plan", __name__)

from consult.plan import views  # noqa: E402,F401  their routes register on bp
