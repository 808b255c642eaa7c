"""Admin rules: users, bulk invitations, consultation settings and rating criteria."""
import logging
import math
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from consult.auth import services as auth_services
from consult.auth.labels import AFFILIATION_LABELS, ROLE_LABELS, parse_choice
from consult.auth.models import AccessToken, Affiliation, Role, TokenPurpose, User
from consult.consultations.models import Consultation, ConsultationState, Criterion, Participant
from consult.core.audit import record
from consult.core.digits import fa_digits
from consult.core.errors import ConsultError, ValidationFailed
from consult.core.importing import ImportRefused, Problem, read_table, require_columns
from consult.core.text import control_characters
from consult.core.time import day_end, day_start, local_date
from consult.extensions import db
from consult.feedback.tallies import activity_of
from consult.nlp import search_key

log = logging.getLogger(__name__)

INVITE_COLUMNS = ("email", "name", "role", "affiliation", "organisation")
MAX_LENGTHS = {"email": 254, "name": 200, "organisation": 200}


class DatesOutOfOrder(ValidationFailed):
    def __init__(self):
        super().__init__("تاریخ پایان باید پس از تاریخ آغاز باشد.")


class SlugTaken(ValidationFailed):
    def __init__(self):
        super().__init__("این نشانی کوتاه پیش‌تر به کار رفته است.")


class CannotRemove(ConsultError):
    """Removing this would delete what people have already submitted."""


def set_user_active(user: User, active: bool, actor: User) -> None:
    """Allow or stop a user's sign-in; an admin cannot lock themselves out."""
    if user.id == actor.id and not active:
        raise ConsultError("نمی‌توانید حساب خودتان را غیرفعال کنید.")
    user.active = active
    if not active:
        user.end_sessions()  # reactivation must not bring back the sessions it had
    record(actor, "user.activate" if active else "user.deactivate", user)
    log.info("user %s active=%s by %s", user.id, active, actor.id)


PER_PAGE = 25
MAX_QUERY = 200


@dataclass
class Page:
    """One page of a list: its rows, how many matched in all, and which page of how many."""

    rows: list
    total: int
    number: int
    pages: int


def _paginate(rows: list, number: int, per_page: int = PER_PAGE) -> Page:
    pages = max(1, math.ceil(len(rows) / per_page))
    number = min(max(1, number), pages)
    return Page(rows[(number - 1) * per_page:number * per_page], len(rows), number, pages)


def _matching(users: list[User], query: str) -> list[User]:
    """Users whose name, email or organisation holds every word of the query, spelled any way."""
    words = [key for key in (search_key(word) for word in query[:MAX_QUERY].split()) if key]
    if not words:
        return users
    keys = {user.id: search_key(f"{user.display_name} {user.email} {user.organisation}") for user in users}
    return [user for user in users if all(word in keys[user.id] for word in words)]


def users_page(query: str = "", number: int = 1) -> Page:
    """Accounts matching the query (Persian spelling ignored), by role and name, one page of them."""
    users = db.session.scalars(sa.select(User).order_by(User.role, User.display_name, User.id)).all()
    return _paginate(_matching(list(users), query), number)


@dataclass
class ParticipantRow:
    user: User
    participant: Participant
    comments: int
    last_activity: object  # datetime or None


def participants_page(consultation: Consultation, query: str = "", number: int = 1) -> Page:
    """The round's participants matching the query, with comment count and last activity, one page."""
    rows = db.session.execute(
        sa.select(User, Participant).join(Participant, Participant.user_id == User.id)
        .where(Participant.consultation_id == consultation.id)
        .order_by(User.display_name, User.id)).all()
    joined = {user.id: participant for user, participant in rows}
    page = _paginate(_matching([user for user, _ in rows], query), number)
    activity = activity_of(consultation, [user.id for user in page.rows])
    page.rows = [
        ParticipantRow(user, joined[user.id], activity[user.id].comments if user.id in activity else 0,
                       activity[user.id].last if user.id in activity else None)
        for user in page.rows
    ]
    return page


def set_user_role(user: User, role: Role, actor: User) -> None:
    """Change an account's role; an admin cannot change their own."""
    if user.id == actor.id:
        raise ConsultError("نقش حساب خودتان را نمی‌توانید تغییر دهید.")
    if user.role == role:
        return
    old, user.role = user.role, role
    record(actor, "user.role", user, old=old.value, new=role.value)
    log.info("user %s role %s -> %s by %s", user.id, old.value, role.value, actor.id)


def reset_requests(user_ids: list[int]) -> dict[int, object]:
    """When each user last asked for a reset link, for the admin to follow up."""
    from consult.core.audit import AuditEvent

    rows = db.session.execute(
        sa.select(AuditEvent.object_id, sa.func.max(AuditEvent.created_at))
        .where(AuditEvent.action == "password.reset_requested", AuditEvent.object_id.in_(user_ids))
        .group_by(AuditEvent.object_id)
    )
    return dict(rows.all())


def invitations_of(consultation: Consultation) -> list[AccessToken]:
    """The consultation's invitations, newest first."""
    return list(db.session.scalars(
        sa.select(AccessToken).filter_by(purpose=TokenPurpose.INVITE, consultation_id=consultation.id)
        .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
    ))


def invite_from_file(consultation: Consultation, data: bytes, filename: str, actor) -> tuple[list, list[str]]:
    """Invite every row of a CSV/XLSX file, or nobody: ImportRefused names each bad row and column.

    Returns the issued links and the emails skipped because they already take part.
    """
    table = read_table(data, filename)
    require_columns(table, ["email", "name"])
    issued, skipped = [], []
    for person in _invitation_rows(table):
        try:
            issued.append(auth_services.create_invitation(consultation, created_by=actor, **person))
        except auth_services.AlreadyParticipant:
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
        if control_characters(value):
            problems.append(Problem(number, column, "نویسهٔ کنترلی نامجاز دارد.", "control character"))
        if len(value) > MAX_LENGTHS.get(column, 200):
            problems.append(Problem(number, column, "بلندتر از حد مجاز است.", "too long"))
    try:
        email = auth_services.checked_email(values["email"])
    except auth_services.InvalidEmail as error:
        email = auth_services.normalize_email(values["email"])
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


def update_consultation(consultation: Consultation, actor, *, title: str, description: str, opens_on: date,
                        closes_on: date, state: str, show_authors_in_exports: bool) -> Consultation:
    """Change a round's settings; dates are Tehran days, the round takes input through the closing day."""
    opens_at = _keep_or(consultation.opens_at, opens_on, day_start)
    closes_at = _keep_or(consultation.closes_at, closes_on, day_end)
    if closes_at <= opens_at:
        raise DatesOutOfOrder()
    consultation.title, consultation.description = title.strip(), (description or "").strip()
    consultation.opens_at, consultation.closes_at = opens_at, closes_at
    consultation.state = ConsultationState(state)
    consultation.show_authors_in_exports = bool(show_authors_in_exports)
    record(actor, "consultation.update", consultation, state=consultation.state.value,
           opens_at=opens_at.isoformat(), closes_at=closes_at.isoformat())
    db.session.flush()
    log.info("consultation %s updated by %s", consultation.slug, actor.id)
    return consultation


def _keep_or(current, day: date, to_moment):
    # Saving the form unchanged keeps the exact stored time instead of moving it to the day's edge.
    return current if current is not None and local_date(current) == day else to_moment(day)


def new_consultation(actor, *, plan, slug: str, opens_on: date, closes_on: date, **fields) -> Consultation:
    """A new round on a plan, with the default rating criteria."""
    from consult.consultations.services import create_consultation

    if db.session.scalar(sa.select(Consultation.id).filter_by(slug=slug)):
        raise SlugTaken()
    if day_end(closes_on) <= day_start(opens_on):
        raise DatesOutOfOrder()
    consultation = create_consultation(
        plan, slug=slug, opens_at=day_start(opens_on), closes_at=day_end(closes_on),
        title=fields["title"].strip(), description=(fields.get("description") or "").strip(),
        state=ConsultationState(fields["state"]), show_authors_in_exports=bool(fields.get("show_authors_in_exports")),
    )
    record(actor, "consultation.create", consultation, slug=slug)
    return consultation


def add_criterion(consultation: Consultation, actor, *, slug: str, label: str) -> Criterion:
    """A new rating criterion at the end of the list."""
    if any(c.slug == slug for c in consultation.criteria):
        raise ValidationFailed("این شناسه در این دور مشورت پیش‌تر به کار رفته است.")
    criterion = Criterion(slug=slug, label=label.strip(), position=len(consultation.criteria))
    consultation.criteria.append(criterion)
    db.session.flush()
    record(actor, "criterion.create", criterion, slug=slug, consultation=consultation.slug)
    return criterion


def rename_criterion(criterion: Criterion, actor, label: str) -> None:
    """Change the Persian label; the slug stays, so exports and ratings keep their key."""
    old = criterion.label
    criterion.label = label.strip()
    record(actor, "criterion.rename", criterion, old=old, new=criterion.label)


def move_item(items: list, item, step: int) -> bool:
    """Swap item with its neighbour (step -1 up, +1 down) and renumber positions; False at an end."""
    index = items.index(item)
    target = index + step
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, each in enumerate(items):
        each.position = position
    return True


def move_criterion(criterion: Criterion, actor, step: int) -> None:
    """Move a criterion up or down the list."""
    if move_item(list(criterion.consultation.criteria), criterion, step):
        record(actor, "criterion.move", criterion, step=step)
        db.session.flush()


def remove_criterion(criterion: Criterion, actor) -> None:
    """Remove a criterion nobody has rated yet."""
    from consult.feedback.models import Rating

    if db.session.scalar(sa.select(sa.func.count()).select_from(Rating).filter_by(criterion_id=criterion.id)):
        raise CannotRemove("برای این معیار امتیاز ثبت شده است و حذف آن امتیازها را پاک می‌کند؛ به جای حذف، نامش را تغییر دهید.")
    consultation = criterion.consultation
    record(actor, "criterion.remove", criterion, slug=criterion.slug, consultation=consultation.slug)
    consultation.criteria.remove(criterion)
    for position, each in enumerate(consultation.criteria):
        each.position = position
    db.session.flush()
