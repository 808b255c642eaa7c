from flask import Blueprint

bp = Blueprint("export", __name__, url_prefix="/export")

from consult.export import views  # noqa: E402,F401
