from flask import Blueprint

bp = Blueprint("plan", __name__)

from consult.plan import views  # noqa: E402,F401
