"""The admin blueprint; importing it registers the routes of its view modules."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from consult.admin import consultation_views, questionnaire_views, views  # noqa: E402,F401  their routes register on bp
