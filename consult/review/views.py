"""What secretaries, planners and admins read: the rounds they review, a round's scopes and a scope's comments."""
import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask_login import current_user

from consult.auth.labels import AFFILIATION_LABELS
from consult.auth.models import Affiliation
from consult.auth.permissions import can
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.feedback.models import STANCE_LABELS, Stance
from consult.review import reading
from consult.review.blueprint import bp
from consult.review.scopes import counts_by_scope, item_owners, readable_scopes, scope_by_key, scopes_for
from consult.web.loaders import load_consultation
from consult.web.permissions import require

REVIEWED_LABELS = {"yes": "بررسی‌شده", "no": "بررسی‌نشده"}


def load_scope_target(slug: str, scope_key: str, **_) -> tuple[Consultation, str]:
    """(consultation, scope key) named in the URL; 404 when the round or its scope does not exist."""
    consultation = load_consultation(slug)
    if scope_by_key(consultation, scope_key) is None:
        abort(404)
    return consultation, scope_key


@bp.route("/review/")
@require("review")
def index():
    """The rounds the user may review."""
    rounds = db.session.scalars(sa.select(Consultation).order_by(Consultation.opens_at.desc())).all()
    return render_template("review/index.html",
                           consultations=[c for c in rounds if can(current_user, "read_scopes", c)])


@bp.route("/review/c/<slug>")
@require("read_scopes", load=load_consultation)
def home(slug: str, consultation: Consultation):
    """The scopes the user may read in this round, each with its count of live comments."""
    acting = {scope.key for scope in scopes_for(current_user, consultation)}
    return render_template("review/home.html", consultation=consultation,
                           scopes=readable_scopes(current_user, consultation), acting=acting,
                           counts=counts_by_scope(consultation))


def _choice(kind, value: str):
    """The enum member a query-string value names, or None for an empty or unknown value."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def _filter_from_args(items_by_code: dict) -> reading.CommentFilter:
    """The list's filters from the query string; a value that is not one of the choices is ignored."""
    args = request.args
    item = items_by_code.get(args.get("item", ""))
    return reading.CommentFilter(
        item_id=item.id if item else None,
        stance=_choice(Stance, args.get("stance", "")),
        affiliation=_choice(Affiliation, args.get("affiliation", "")),
        reviewed={"yes": True, "no": False}.get(args.get("reviewed", "")),
        query=args.get("q", "")[:reading.MAX_QUERY],
    )


@bp.route("/review/c/<slug>/scopes/<scope_key>")
@require("read_scope", load=load_scope_target)
def scope(slug: str, scope_key: str, scope_target: tuple):
    """A scope's comments, newest first, filtered by item, stance, affiliation, reviewed or not, and words."""
    consultation, _key = scope_target
    owners = item_owners(consultation.plan)
    items = reading.items_in_scope(consultation, scope_key, owners)
    narrow = _filter_from_args({item.code: item for item in items})
    page = reading.scope_page(consultation, scope_key, narrow, request.args.get("page", 1, type=int))
    return render_template(
        "review/scope.html", consultation=consultation, scope=scope_by_key(consultation, scope_key),
        may_act=can(current_user, "act_in_scope", (consultation, scope_key)), page=page, narrow=narrow,
        items=items, stance_labels=STANCE_LABELS, affiliation_choices=AFFILIATION_LABELS,
        reviewed_labels=REVIEWED_LABELS,
        item_url=lambda item: url_for("plan.show_item", slug=consultation.slug, code=item.code),
        filters={name: request.args.get(name, "") for name in ("item", "stance", "affiliation", "reviewed", "q")},
    )
