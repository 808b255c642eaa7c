from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from consult.review import views  # noqa: E402,F401
