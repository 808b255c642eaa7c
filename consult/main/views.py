"""The home page and small site-wide routes."""
from flask import current_app, render_template, send_from_directory
from flask_login import current_user

from consult.consultations import services as consultation_services
from consult.feedback.services import comment_counts
from consult.main import bp
from consult.plan.services import plan_tree


@bp.route("/")
def index():
    """The open consultations the visitor may see, and the plan tree of the first."""
    consultations = consultation_services.visible_consultations(current_user)
    trees = {}
    if consultations:
        first = consultations[0]
        trees[first.id] = plan_tree(first.plan, comment_counts(first))
    return render_template("main/index.html", consultations=consultations, trees=trees)


@bp.route("/favicon.ico")
def favicon():
    """Served so browsers never log a 404."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml")


@bp.route("/healthz")
def healthz():
    """Liveness probe for load balancers."""
    return {"status": "ok"}
