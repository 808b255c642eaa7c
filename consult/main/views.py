"""The home page and small site-wide routes."""
import sqlalchemy as sa
from flask import current_app, render_template, send_from_directory, url_for
from flask_login import current_user

from consult.auth.permissions import can
from consult.consultations import services as consultation_services
from consult.consultations.models import Participant
from consult.extensions import db
from consult.feedback.tallies import comment_tallies
from consult.main.blueprint import bp
from consult.plan.services import plan_tree


@bp.route("/")
def index():
    """The open consultations the visitor may see, and the plan tree of the first."""
    consultations = consultation_services.visible_consultations(current_user)
    trees, item_url = {}, None
    if consultations:
        first = consultations[0]
        trees[first.id] = plan_tree(first.plan, comment_tallies(first))
        item_url = _item_url(first)
    return render_template("main/index.html", consultations=consultations, trees=trees, item_url=item_url,
                           participants=participant_counts([c.id for c in consultations]))


def _item_url(consultation):
    """Item pages for those who may view them; a sign-in that leads there for visitors."""
    if can(current_user, "view_consultation", consultation):
        return lambda item: url_for("plan.show_item", slug=consultation.slug, code=item.code)
    if current_user.is_authenticated:
        return None
    return lambda item: url_for("auth.login", next=url_for("plan.show_item", slug=consultation.slug, code=item.code))


def participant_counts(consultation_ids: list[int]) -> dict[int, int]:
    """How many people take part in each consultation, counted in one query."""
    rows = db.session.execute(
        sa.select(Participant.consultation_id, sa.func.count())
        .where(Participant.consultation_id.in_(consultation_ids))
        .group_by(Participant.consultation_id))
    return dict(rows.all())


@bp.route("/favicon.ico")
def favicon():
    """Served so browsers never log a 404."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml")


@bp.route("/healthz")
def healthz():
    """Liveness probe for load balancers."""
    return {"status": "ok"}
