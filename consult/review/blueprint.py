"""The review blueprint: the review pages under /review, the working groups' screens under /admin."""
from flask import Blueprint

bp = Blueprint("review", __name__)

from consult.review import manage, views, views_runs  # noqa: E402,F401  their routes register on bp
