"""The admin area's home: every round with its state, dates and people. Admins only."""
import sqlalchemy as sa
from flask import abort, render_template
from flask_login import current_user

from consult.admin.blueprint import bp
from consult.auth.models import AccessToken, TokenPurpose, User
from consult.auth.permissions import can
from consult.consultations.models import Consultation
from consult.core.time import utcnow
from consult.extensions import db, login_manager


@bp.before_request
def admin_only():
    """Every admin view requires can(user, "admin"): sign-in first, then 403 for everyone else."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can(current_user, "admin"):
        abort(403)
    return None


@bp.route("/")
def index():
    """Dashboard: every consultation with its state, dates and people."""
    consultations = db.session.scalars(sa.select(Consultation).order_by(Consultation.opens_at.desc())).all()
    user_count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    return render_template("admin/index.html", consultations=consultations, user_count=user_count,
                           pending=_pending_counts())


def _pending_counts() -> dict[int, int]:
    rows = db.session.execute(
        sa.select(AccessToken.consultation_id, sa.func.count())
        .where(AccessToken.purpose == TokenPurpose.INVITE, AccessToken.used_at.is_(None),
               AccessToken.expires_at > utcnow())
        .group_by(AccessToken.consultation_id))
    return dict(rows.all())


