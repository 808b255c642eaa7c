"""The admin blueprint: the admin area's home page."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from consult.admin import views  # noqa: E402,F401  its routes register on bp
