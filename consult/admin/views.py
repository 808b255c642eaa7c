"""Admin area: the guard every admin view passes, dashboard, users and invitations."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.admin import services
from consult.admin.actions import perform
from consult.admin.blueprint import bp
from consult.admin.forms import ActionForm, BulkInviteForm, InviteForm, RoleForm
from consult.auth import services as auth_services
from consult.auth.labels import AFFILIATION_LABELS, ROLE_LABELS
from consult.auth.mail import mail_configured, queue_mail
from consult.auth.models import AccessToken, Affiliation, Role, TokenPurpose, User
from consult.auth.permissions import can
from consult.auth.views import reset_link, safe_next
from consult.consultations.models import STATE_LABELS, Consultation, Participant
from consult.core.errors import ConsultError
from consult.core.importing import ImportRefused
from consult.core.time import utcnow
from consult.extensions import db, login_manager
from consult.web.links import external_url
from consult.web.security import no_store

STATUS_LABELS = {"pending": "در انتظار", "used": "پذیرفته‌شده", "expired": "منقضی"}


@bp.before_request
def admin_only():
    """Every admin view requires can(user, "admin"): sign-in first, then 403 for everyone else."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can(current_user, "admin"):
        abort(403)
    return None


@bp.context_processor
def labels():
    return {"role_labels": ROLE_LABELS, "affiliation_labels": AFFILIATION_LABELS, "status_labels": STATUS_LABELS,
            "state_labels": STATE_LABELS}


def consultation_or_404(slug: str) -> Consultation:
    return db.first_or_404(sa.select(Consultation).filter_by(slug=slug))


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


def _search_args() -> tuple[str, int]:
    query = request.args.get("q", "")[:services.MAX_QUERY]
    return query, request.args.get("page", 1, type=int)


@bp.route("/users")
def users():
    """Everyone with an account, searchable by name, email or organisation: role, active switch, reset links."""
    query, number = _search_args()
    page = services.users_page(query, number)
    return render_template("admin/users.html", users=page.rows, page=page, query=query, form=ActionForm(),
                           reset_requests=services.reset_requests([u.id for u in page.rows]))


@bp.route("/c/<slug>/participants")
def participants(slug: str):
    """The round's participants, searchable: role, affiliation, last activity and comment count."""
    consultation = consultation_or_404(slug)
    query, number = _search_args()
    page = services.participants_page(consultation, query, number)
    return render_template("admin/participants.html", consultation=consultation, page=page, query=query)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def change_role(user_id: int):
    """Change an account's role, then go back to the list it was changed from."""
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        perform(lambda: services.set_user_role(user, Role(form.role.data), current_user),
                lambda: f"نقش {user.display_name} «{ROLE_LABELS[user.role]}» شد.")
    return redirect(safe_next(form.next.data) or url_for("admin.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def toggle_user(user_id: int):
    """Switch a user's sign-in on or off."""
    user = db.get_or_404(User, user_id)
    perform(lambda: services.set_user_active(user, not user.active, current_user),
            lambda: f"حساب {user.display_name} {'فعال' if user.active else 'غیرفعال'} شد.")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/reset", methods=["POST"])
@no_store
def issue_reset(user_id: int):
    """Issue a single-use reset link and show it to the admin, who passes it on."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.users"))
    try:
        issued = auth_services.issue_reset(user, actor=current_user)
    except ConsultError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.users"))
    db.session.commit()
    return render_template("admin/reset_issued.html", user=user, link=reset_link(issued), token=issued.row)


@bp.route("/c/<slug>/invitations", methods=["GET", "POST"])
@no_store
def invitations(slug: str):
    """Invite people one by one or from a CSV/XLSX file; list invitations with their status."""
    consultation = consultation_or_404(slug)
    single, bulk = InviteForm(prefix="one"), BulkInviteForm(prefix="bulk")
    issued, skipped, problems, send = [], [], [], False
    if single.submit.data and single.validate_on_submit():
        try:
            issued = [auth_services.create_invitation(consultation, created_by=current_user, **_person(single))]
        except auth_services.InvalidEmail as error:
            single.email.errors.append(error.message)  # the form keeps what was typed
        except auth_services.AlreadyParticipant as error:
            flash(error.message, "warning")
        else:
            send, single = single.send.data, InviteForm(prefix="one", formdata=None)
    elif bulk.submit.data and bulk.validate_on_submit():
        upload, send = bulk.upload.data, bulk.send.data
        try:
            issued, skipped = services.invite_from_file(consultation, upload.read(), upload.filename, current_user)
        except ImportRefused as error:
            problems = error.problems
    delivered = []
    if issued:
        db.session.commit()
        delivered = _deliver(issued, send=send)  # only after the commit: no mail for a rolled-back row
    for category, message in services.invitation_notes(issued, skipped):
        flash(message, category)
    return render_template(
        "admin/invitations.html", consultation=consultation, single=single, bulk=bulk, problems=problems,
        delivered=delivered, rows=services.invitations_of(consultation), status=auth_services.token_status,
        action=ActionForm(), mail=mail_configured(),
        chosen=getattr(bulk.upload.data, "filename", "") if problems or bulk.errors else "",  # only to fix and retry
        bulk_open=bool(bulk.submit.data), participants=participant_count(consultation),
    )


def confirm_removal(question: str, cancel: str, details: str = ""):
    """The page that asks before a removal; its button posts back to the same address."""
    return render_template("confirm.html", title="تأیید حذف", question=question, details=details,
                           button="بله، حذف شود", action=request.path, cancel=cancel)


def participant_count(consultation: Consultation) -> int:
    """How many people take part in the round."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant)
                             .filter_by(consultation_id=consultation.id)) or 0


def _person(form: InviteForm) -> dict:
    return dict(email=form.email.data, name=form.name.data or "", role=Role(form.role.data),
                affiliation=Affiliation(form.affiliation.data), organisation=form.organisation.data or "")


def _deliver(issued: list, send: bool) -> list[dict]:
    """Queue a mail for each link when asked and configured; links not mailed are shown to the admin, once."""
    mailing = send and mail_configured()
    delivered = []
    for each in issued:
        link = external_url("auth.accept_invitation", token=each.token)
        if mailing:
            queue_mail(each.row.email, "دعوت به سامانه مشورت",
                       render_template("auth/mail/invitation.txt", link=link, token=each.row))
        delivered.append({"email": each.row.email, "name": each.row.name, "link": None if mailing else link})
    return delivered


@bp.route("/invitations/<int:token_id>/revoke", methods=["POST"])
def revoke_invitation(token_id: int):
    """Stop an unused invitation link from working."""
    row = db.get_or_404(AccessToken, token_id)
    if row.purpose != TokenPurpose.INVITE or row.consultation is None:
        abort(404)
    slug = row.consultation.slug
    perform(lambda: auth_services.revoke_invitation(row, current_user), "دعوت‌نامه باطل شد.")
    return redirect(url_for("admin.invitations", slug=slug))
