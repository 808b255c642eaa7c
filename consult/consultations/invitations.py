"""Invitations to a round: one by one or from a file, replaced, revoked, accepted."""
import hashlib
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from consult.auth.labels import AFFILIATION_LABELS, ROLE_LABELS
from consult.auth.models import AccessToken, Affiliation, ReplacedInvitation, Role, TokenPurpose, User
from consult.auth.services import (
    AccountInactive,
    InvalidEmail,
    InvitationAccepted,
    IssuedToken,
    authenticate,
    check_password_rules,
    checked_email,
    find_user,
    form_token,
    issue_token,
    normalize_email,
    repeated_issue,
    token_status,
)
from consult.consultations.models import Consultation
from consult.consultations.services import add_participant
from consult.core.audit import AuditEvent, record
from consult.core.choices import parse_choice
from consult.core.digits import fa_digits
from consult.core.errors import ConsultError
from consult.core.importing import ImportRefused, Problem, read_table, require_columns
from consult.core.submissions import settle
from consult.core.text import text_problem
from consult.core.time import utcnow
from consult.extensions import db

log = logging.getLogger(__name__)


class AlreadyParticipant(ConsultError):
    """The invited email belongs to an active account that already takes part in the round."""

    def __init__(self, email: str):
        super().__init__(f"{email} همین حالا در این دور مشورت مشارکت دارد؛ دعوت‌نامه‌ای ساخته نشد.")


def create_invitation(consultation, *, email: str, name: str = "", role: Role = Role.EXPERT,
                      affiliation: Affiliation = Affiliation.OTHER, organisation: str = "",
                      created_by=None, submission_key: str | None = None, now: datetime | None = None) -> IssuedToken:
    """A single-use invitation link to the consultation; it replaces a pending one for the same email.

    A name or organisation left empty is taken from the replaced invitation (or the account);
    AlreadyParticipant when the email's active account already takes part. A repeated post of the same
    form (its one-time key) gets the same link again and stores nothing.
    """
    email = checked_email(email)
    # Writers of one round's invitations take turns on PostgreSQL (SQLite lets one writer in at a time).
    db.session.execute(sa.select(Consultation.id).where(Consultation.id == consultation.id).with_for_update())
    account = find_user(email)
    token = form_token(submission_key, "invite", consultation.id, email)
    repeated = repeated_issue(submission_key, "invitation.create", token)
    if repeated is not None:
        return IssuedToken(repeated.row, token, replaced=_replaced_by(repeated.row), account=account, repeated=True)
    if account is not None and account.active and account.password_hash \
            and any(p.consultation_id == consultation.id for p in account.participations):
        raise AlreadyParticipant(email)
    previous = _replace_pending_invitations(consultation, email, now)
    earlier = previous[0] if previous else None
    name = name.strip() or getattr(earlier, "name", "") or getattr(account, "display_name", "")
    organisation = organisation.strip() or getattr(earlier, "organisation", "") or getattr(account, "organisation", "")
    issued = issue_token(
        TokenPurpose.INVITE, timedelta(days=current_app.config["INVITATION_DAYS"]), now,
        email=email, name=name, role=role, affiliation=affiliation, organisation=organisation,
        consultation_id=consultation.id, created_by_id=getattr(created_by, "id", None), token=token,
    )
    settle(submission_key, issued.row)
    record(created_by, "invitation.create", issued.row, email=email, consultation=consultation.slug,
           replaced=len(previous))
    log.info("invitation %s to %s for %s", issued.row.id, email, consultation.slug)
    return IssuedToken(issued.row, issued.token, replaced=bool(previous), account=account)


def _replaced_by(row: AccessToken) -> bool:
    """Whether creating this invitation replaced a pending one, as its audit event says."""
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="invitation.create", object_id=row.id)
                              .order_by(AuditEvent.id.desc()))
    return bool(event and event.details.get("replaced"))


def _replace_pending_invitations(consultation, email: str, now: datetime | None) -> list[AccessToken]:
    """Delete pending invitations to the email, newest first, keeping their hashes for the old links."""
    rows = db.session.scalars(sa.select(AccessToken).filter_by(
        purpose=TokenPurpose.INVITE, consultation_id=consultation.id, email=email, used_at=None)
        .order_by(AccessToken.created_at.desc(), AccessToken.id.desc()))
    replaced = [row for row in rows if token_status(row, now) == "pending"]
    for row in replaced:
        # merge: a link issued again from a resubmitted old form may have been replaced before
        db.session.merge(ReplacedInvitation(token_hash=row.token_hash, consultation_id=consultation.id, email=email))
        db.session.delete(row)  # flushed with the new row, which so never takes the old id
    return replaced


def revoke_invitation(row: AccessToken, actor) -> None:
    """Delete an unused invitation so its link stops working; an accepted one stays (InvitationAccepted)."""
    if row.used_at is not None:
        raise InvitationAccepted()
    record(actor, "invitation.revoke", row, email=row.email, consultation_id=row.consultation_id)
    # The links it replaced must not point to a newer link that no longer works.
    db.session.execute(sa.delete(ReplacedInvitation).filter_by(consultation_id=row.consultation_id, email=row.email))
    db.session.delete(row)
    db.session.flush()


def existing_account(invitation: AccessToken) -> User | None:
    """The account that already has a password for the invited email, if any."""
    user = find_user(invitation.email)
    return user if user is not None and user.password_hash else None


def accept_invitation(invitation: AccessToken, *, name: str, password: str, submission_key: str | None = None,
                      now: datetime | None = None) -> User:
    """Create (or complete) the invited account with its first password and join the consultation."""
    check_password_rules(password, invitation.email)
    user = find_user(invitation.email)
    if user is None:
        user = User(email=invitation.email, display_name="", active=True)
        db.session.add(user)
    if not user.active:
        raise AccountInactive()
    user.display_name = name.strip() or invitation.name or invitation.email
    user.role, user.affiliation = invitation.role, invitation.affiliation
    user.organisation = invitation.organisation or user.organisation or ""
    user.set_password(password)
    return _join(invitation, user, now, submission_key)


def join_with_password(invitation: AccessToken, *, password: str, submission_key: str | None = None,
                       now: datetime | None = None) -> User:
    """An existing account joins the consultation after proving its password; its role is kept."""
    user = authenticate(invitation.email, password)
    if not user.organisation and invitation.organisation:
        user.organisation = invitation.organisation
    return _join(invitation, user, now, submission_key)


def _join(invitation: AccessToken, user: User, now: datetime | None, submission_key: str | None) -> User:
    db.session.flush()
    add_participant(invitation.consultation, user)
    invitation.used_at = now or utcnow()
    invitation.user_id = user.id
    invitation.submission_key = submission_key
    record(user, "invitation.accept", invitation, consultation_id=invitation.consultation_id)
    log.info("invitation %s accepted by user %s", invitation.id, user.id)
    db.session.flush()
    return user


INVITE_COLUMNS = ("email", "name", "role", "affiliation", "organisation")


MAX_LENGTHS = {"email": 254, "name": 200, "organisation": 200}


def invitations_of(consultation: Consultation) -> list[AccessToken]:
    """The consultation's invitations, newest first."""
    return list(db.session.scalars(
        sa.select(AccessToken).filter_by(purpose=TokenPurpose.INVITE, consultation_id=consultation.id)
        .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
    ))


def invite_from_file(consultation: Consultation, data: bytes, filename: str, actor,
                     submission_key: str | None = None) -> tuple[list, list[str]]:
    """Invite every row of a CSV/XLSX file, or nobody: ImportRefused names each bad row and column.

    Returns the issued links and the emails skipped because they already take part. A repeated post of the
    same form (its one-time key) gets the same links, each row keyed by the form's key and its email.
    """
    table = read_table(data, filename)
    require_columns(table, ["email", "name"])
    issued, skipped = [], []
    for person in _invitation_rows(table):
        row_key = hashlib.sha256(f"{submission_key}\x1f{person['email']}".encode()).hexdigest() \
            if submission_key else None
        try:
            issued.append(create_invitation(consultation, created_by=actor, submission_key=row_key, **person))
        except AlreadyParticipant:
            skipped.append(person["email"])
    return issued, skipped


def invitation_notes(issued: list, skipped: list[str] = ()) -> list[tuple[str, str]]:
    """(category, Persian message) pairs saying what creating these invitations did besides the links."""
    notes = []
    if issued:
        notes.append(("success", f"{fa_digits(len(issued))} دعوت‌نامه ساخته شد."))
    replaced = [each.row.email for each in issued if each.replaced]
    members = [each.account for each in issued if each.account is not None and each.account.password_hash]
    if replaced:
        notes.append(("warning", f"برای {_emails(replaced)} پیش‌تر دعوت‌نامه‌ای در انتظار بود: پیوند تازه جای "
                                 "آن را گرفت و پیوند پیشین دیگر کار نمی‌کند؛ دارندهٔ آن می‌بیند که پیوند "
                                 "تازه‌تری فرستاده شده است."))
    active = [user.email for user in members if user.active]
    inactive = [user.email for user in members if not user.active]
    if active:
        notes.append(("info", f"{_emails(active)} در سامانه حساب دارد؛ با این پیوند و گذرواژهٔ خودش به این دور "
                              "می‌پیوندد و نقش حسابش تغییر نمی‌کند."))
    if inactive:
        notes.append(("warning", f"حساب {_emails(inactive)} غیرفعال است؛ تا آن را در «کاربران» فعال نکنید، "
                                 "پیوند دعوت به کار نمی‌آید."))
    if skipped:
        notes.append(("warning", f"{_emails(skipped)} همین حالا در این دور مشورت مشارکت دارد؛ برایش دعوت‌نامه‌ای "
                                 "ساخته نشد."))
    return notes


def _emails(emails: list[str]) -> str:
    shown = "، ".join(emails[:5])
    return shown if len(emails) <= 5 else f"{shown} و {fa_digits(len(emails) - 5)} نشانی دیگر"


def _invitation_rows(table) -> list[dict]:
    problems, people, seen = [], [], {}
    for number, row in table.rows:
        person, row_problems = _invitation_row(number, row)
        email = person.get("email", "")
        if email and email in seen:
            row_problems.append(Problem(number, "email", f"این نشانی در ردیف {fa_digits(seen[email])} هم آمده است.",
                                        "duplicate email"))
        seen.setdefault(email, number)
        problems += row_problems
        people.append(person)
    if not people and not problems:
        problems.append(Problem(None, None, "پرونده هیچ ردیفی ندارد.", "no rows"))
    if problems:
        raise ImportRefused(problems)
    return people


def _invitation_row(number: int, row: dict) -> tuple[dict, list[Problem]]:
    problems = []
    values = {column: row.get(column, "") for column in INVITE_COLUMNS}
    for column, value in values.items():
        problem = text_problem(value, one_line=True)
        if problem:
            problems.append(Problem(number, column, *problem))
        if len(value) > MAX_LENGTHS.get(column, 200):
            problems.append(Problem(number, column, "بلندتر از حد مجاز است.", "too long"))
    try:
        email = checked_email(values["email"])
    except InvalidEmail as error:
        email = normalize_email(values["email"])
        problems.append(Problem(number, "email", error.message, "invalid email"))
    role = parse_choice(values["role"] or "expert", ROLE_LABELS)
    if role is None:
        problems.append(Problem(number, "role", f"نقش باید یکی از {_choices(ROLE_LABELS)} باشد.",
                                "unknown role"))
    affiliation = parse_choice(values["affiliation"] or "other", AFFILIATION_LABELS)
    if affiliation is None:
        problems.append(Problem(number, "affiliation", f"وابستگی باید یکی از {_choices(AFFILIATION_LABELS)} باشد.",
                                "unknown affiliation"))
    person = dict(email=email, name=values["name"], role=role or Role.EXPERT,
                  affiliation=affiliation or Affiliation.OTHER, organisation=values["organisation"])
    return person, problems


def _choices(labels: dict) -> str:
    names = list(labels.values())
    return "، ".join(names[:-1]) + " یا " + names[-1]
