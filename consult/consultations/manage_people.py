"""Managing a round's people (admins): invitations and participants."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from consult.auth import services as auth_services
from consult.auth.mail import mail_configured, queue_mail
from consult.auth.models import AccessToken, Affiliation, Role, TokenPurpose
from consult.consultations import invitations as invitation_services
from consult.consultations.blueprint import bp
from consult.consultations.forms import BulkInviteForm, InviteForm
from consult.consultations.models import Consultation, Participant
from consult.core.importing import ImportRefused
from consult.extensions import db
from consult.feedback import participation
from consult.web.actions import perform
from consult.web.forms import ActionForm
from consult.web.links import external_url
from consult.web.lists import search_args
from consult.web.loaders import consultation_or_404
from consult.web.permissions import require
from consult.web.security import no_store


@bp.route("/admin/c/<slug>/participants")
@require("admin")
def participants(slug: str):
    """The round's participants, searchable: role, affiliation, last activity and comment count."""
    consultation = consultation_or_404(slug)
    query, number = search_args()
    page = participation.participants_page(consultation, query, number)
    return render_template("consultations/manage/participants.html", consultation=consultation, page=page, query=query)


@bp.route("/admin/c/<slug>/invitations", methods=["GET", "POST"])
@require("admin")
@no_store
def invitations(slug: str):
    """Invite people one by one or from a CSV/XLSX file; list invitations with their status."""
    consultation = consultation_or_404(slug)
    single, bulk = InviteForm(prefix="one"), BulkInviteForm(prefix="bulk")
    bulk_open = bool(bulk.submit.data)
    issued, skipped, problems, send = [], [], [], False
    if single.submit.data and single.validate_on_submit():
        try:
            issued = [invitation_services.create_invitation(
                consultation, created_by=current_user, submission_key=single.submission_key.data, **_person(single))]
        except auth_services.InvalidEmail as error:
            single.email.errors.append(error.message)  # the form keeps what was typed
        except invitation_services.AlreadyParticipant as error:
            flash(error.message, "warning")
        else:
            send, single = single.send.data, InviteForm(prefix="one", formdata=None)
    elif bulk.submit.data and bulk.validate_on_submit():
        upload, send = bulk.upload.data, bulk.send.data
        try:
            issued, skipped = invitation_services.invite_from_file(
                consultation, upload.read(), upload.filename, current_user, submission_key=bulk.submission_key.data)
        except ImportRefused as error:
            problems = error.problems
        else:
            bulk = BulkInviteForm(prefix="bulk", formdata=None)  # a new key: the next file is a new post
    # Read before the commit: a simultaneous post may replace these rows as soon as it is made.
    delivered, mails = _deliveries(issued, send=send)
    notes = invitation_services.invitation_notes(issued, skipped)
    if issued:
        db.session.commit()
        for mail in mails:  # only after the commit: no mail for a rolled-back row
            queue_mail(*mail)
    for category, message in notes:
        flash(message, category)
    return render_template(
        "consultations/manage/invitations.html", consultation=consultation, single=single, bulk=bulk, problems=problems,
        delivered=delivered, rows=invitation_services.invitations_of(consultation), status=auth_services.token_status,
        action=ActionForm(), mail=mail_configured(),
        chosen=getattr(bulk.upload.data, "filename", "") if problems or bulk.errors else "",  # only to fix and retry
        bulk_open=bulk_open, participants=participant_count(consultation),
    )


def participant_count(consultation: Consultation) -> int:
    """How many people take part in the round."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant)
                             .filter_by(consultation_id=consultation.id)) or 0


def _person(form: InviteForm) -> dict:
    return dict(email=form.email.data, name=form.name.data or "", role=Role(form.role.data),
                affiliation=Affiliation(form.affiliation.data), organisation=form.organisation.data or "")


def _deliveries(issued: list, send: bool) -> tuple[list[dict], list[tuple]]:
    """What to show for each link and the mails to queue when asked and configured.

    Links not mailed are shown to the admin; a repeated post shows its link again but mails it only once.
    """
    mailing = send and mail_configured()
    delivered, mails = [], []
    for each in issued:
        link = external_url("auth.accept_invitation", token=each.token)
        if mailing and not each.repeated:
            mails.append((each.row.email, "دعوت به سامانه مشورت",
                          render_template("auth/mail/invitation.txt", link=link, token=each.row)))
        delivered.append({"email": each.row.email, "name": each.row.name, "link": None if mailing else link})
    return delivered, mails


@bp.route("/admin/invitations/<int:token_id>/revoke", methods=["POST"])
@require("admin")
def revoke_invitation(token_id: int):
    """Stop an unused invitation link from working."""
    row = db.get_or_404(AccessToken, token_id)
    if row.purpose != TokenPurpose.INVITE or row.consultation is None:
        abort(404)
    slug = row.consultation.slug
    perform(lambda: invitation_services.revoke_invitation(row, current_user), "دعوت‌نامه باطل شد.")
    return redirect(url_for("consultations.invitations", slug=slug))
