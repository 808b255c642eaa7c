"""A round's settings and rating criteria, as admins change them."""
import logging
from datetime import date

import sqlalchemy as sa

from consult.consultations.models import Consultation, ConsultationState, Criterion
from consult.consultations.services import create_consultation
from consult.core.audit import record
from consult.core.errors import ConsultError, ValidationFailed
from consult.core.submissions import earlier, settle
from consult.core.time import day_end, day_start, local_date
from consult.core.usage import in_use
from consult.extensions import db

log = logging.getLogger(__name__)


class DatesOutOfOrder(ValidationFailed):
    def __init__(self):
        super().__init__("تاریخ پایان باید پس از تاریخ آغاز باشد.")


class SlugTaken(ValidationFailed):
    def __init__(self):
        super().__init__("این نشانی کوتاه پیش‌تر به کار رفته است.")


class CannotRemove(ConsultError):
    """Removing this would delete what people have already submitted."""


def update_consultation(consultation: Consultation, actor, *, title: str, description: str, opens_on: date,
                        closes_on: date, state: str, show_author_names: bool,
                        secretaries_act_in_general: bool = False) -> Consultation:
    """Change a round's settings; dates are Tehran days, the round takes input through the closing day."""
    opens_at = _keep_or(consultation.opens_at, opens_on, day_start)
    closes_at = _keep_or(consultation.closes_at, closes_on, day_end)
    if closes_at <= opens_at:
        raise DatesOutOfOrder()
    consultation.title, consultation.description = title.strip(), (description or "").strip()
    consultation.opens_at, consultation.closes_at = opens_at, closes_at
    consultation.state = ConsultationState(state)
    consultation.show_author_names = bool(show_author_names)
    consultation.secretaries_act_in_general = bool(secretaries_act_in_general)
    record(actor, "consultation.update", consultation, state=consultation.state.value,
           opens_at=opens_at.isoformat(), closes_at=closes_at.isoformat(),
           show_author_names=consultation.show_author_names,
           secretaries_act_in_general=consultation.secretaries_act_in_general)
    db.session.flush()
    log.info("consultation %s updated by %s", consultation.slug, actor.id)
    return consultation


def _keep_or(current, day: date, to_moment):
    # Saving the form unchanged keeps the exact stored time instead of moving it to the day's edge.
    return current if current is not None and local_date(current) == day else to_moment(day)


def new_consultation(actor, *, plan, slug: str, opens_on: date, closes_on: date, submission_key: str | None = None,
                     **fields) -> Consultation:
    """A new round on a plan, with the default rating criteria; a repeated post of the form gets the same round."""
    made = earlier(submission_key, "consultation.create", Consultation)
    if made is not None:
        return made
    if db.session.scalar(sa.select(Consultation.id).filter_by(slug=slug)):
        raise SlugTaken()
    if day_end(closes_on) <= day_start(opens_on):
        raise DatesOutOfOrder()
    consultation = create_consultation(
        plan, slug=slug, opens_at=day_start(opens_on), closes_at=day_end(closes_on),
        title=fields["title"].strip(), description=(fields.get("description") or "").strip(),
        state=ConsultationState(fields["state"]), show_author_names=bool(fields.get("show_author_names")),
    )
    consultation.secretaries_act_in_general = bool(fields.get("secretaries_act_in_general"))
    settle(submission_key, consultation)
    record(actor, "consultation.create", consultation, slug=slug)
    return consultation


def add_criterion(consultation: Consultation, actor, *, slug: str, label: str,
                  submission_key: str | None = None) -> Criterion:
    """A new rating criterion at the end of the list; a repeated post of the form gets the same one."""
    made = earlier(submission_key, "criterion.create", Criterion)
    if made is not None:
        return made
    if any(c.slug == slug for c in consultation.criteria):
        raise ValidationFailed("این شناسه در این دور مشورت پیش‌تر به کار رفته است.")
    criterion = Criterion(slug=slug, label=label.strip(), position=len(consultation.criteria))
    consultation.criteria.append(criterion)
    db.session.flush()
    settle(submission_key, criterion)
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
    if in_use("criterion", [criterion.id]):
        raise CannotRemove("برای این معیار امتیاز ثبت شده است و حذف آن امتیازها را پاک می‌کند؛ "
                           "به جای حذف، نامش را تغییر دهید.")
    consultation = criterion.consultation
    record(actor, "criterion.remove", criterion, slug=criterion.slug, consultation=consultation.slug)
    consultation.criteria.remove(criterion)
    for position, each in enumerate(consultation.criteria):
        each.position = position
    db.session.flush()
