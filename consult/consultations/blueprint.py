"""The consultations blueprint: a round's pages, and its management screens under /admin."""
from flask import Blueprint

bp = Blueprint("consultations", __name__)

from consult.consultations import manage, manage_people, manage_questionnaires, views  # noqa: E402,F401  routes
