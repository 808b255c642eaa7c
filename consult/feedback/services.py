"""Rules about comments and ratings: who may write, until when, and what is kept of each edit."""
import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.auth.permissions import can
from consult.core import audit
from consult.core.digits import fa_number
from consult.core.errors import ConsultError, ValidationFailed
from consult.core.importing import Problem
from consult.core.text import text_problem
from consult.core.time import utcnow
from consult.extensions import db
from consult.feedback.models import Comment, CommentRevision, Rating, Stance
from consult.feedback.text import refresh_text

log = logging.getLogger(__name__)

BODY_MIN = 10
TEXT_MAX = 5000


class ConsultationClosed(ConsultError):
    """The consultation no longer (or not yet) accepts input."""

    message = "این دور مشورت بسته است و نظر یا پاسخ تازه نمی‌پذیرد؛ متن شما ثبت نشد ولی در همین صفحه مانده است."


class NotAllowed(ConsultError):
    """The user may not do this here."""

    message = "شما اجازهٔ این کار را در این دور مشورت ندارید."


def text_length(text: str) -> int:
    """Length as the writer sees it: a browser sends each line break as CR LF."""
    return len(text.replace("\r\n", "\n"))


def check_writable(consultation, user, now: datetime | None = None) -> None:
    """Raise unless the user may contribute to the consultation and it takes input now."""
    if not can(user, "contribute", consultation):
        raise NotAllowed()
    if not consultation.accepts_input(now or utcnow()):
        raise ConsultationClosed()


def own_comment(consultation, item, user) -> Comment | None:
    """The user's comment on the item, withdrawn or not."""
    return db.session.scalar(
        sa.select(Comment).filter_by(consultation_id=consultation.id, author_id=user.id, item_id=item.id)
    )


def general_comments_of(consultation, user) -> list[Comment]:
    """The user's general comments in the consultation, newest first, withdrawn ones included."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        sa.select(Comment)
        .filter_by(consultation_id=consultation.id, author_id=user.id, item_id=None)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    ))


def count_item_comments_of(consultation, user) -> int:
    """How many live item comments the user has in the consultation."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Comment).where(
            Comment.consultation_id == consultation.id, Comment.author_id == user.id,
            Comment.item_id.is_not(None), Comment.is_deleted.is_(False))
    ) or 0


def comments_of(user) -> list[Comment]:
    """Every comment the user wrote, in any consultation, most recently changed first."""
    return list(db.session.scalars(
        sa.select(Comment).where(Comment.author_id == user.id)
        .options(selectinload(Comment.ratings).selectinload(Rating.criterion))
        .order_by(Comment.updated_at.desc(), Comment.id.desc())
    ))


TEXT_LABELS = {"body": "متن نظر", "amendment": "متن پیشنهادی", "diagnosis": "سابقه در برنامه‌های پیشین"}


def text_problems(text: str, field: str, label: str, *, required_min: int = 0) -> list[Problem]:
    """Control characters, over-long or too-short text; ZWNJ and bidi marks are text (Cf, not Cc)."""
    problem = text_problem(text)
    if problem:
        return [Problem(None, field, *problem)]
    if text_length(text) > TEXT_MAX:
        return [Problem(None, field, f"«{label}» نباید بیش از {fa_number(TEXT_MAX)} نویسه باشد.",
                        f"longer than {TEXT_MAX:,} characters")]
    if required_min and text_length(text.strip()) < required_min:
        return [Problem(None, field, f"«{label}» باید دست‌کم {fa_number(required_min)} نویسه باشد.",
                        f"shorter than {required_min} characters")]
    return []


def check_text(text: str, label: str, *, required_min: int = 0) -> None:
    """Raise ValidationFailed when text_problems() finds anything."""
    problems = text_problems(text, "", label, required_min=required_min)
    if problems:
        raise ValidationFailed(problems[0].fa, problems)


def content_problems(stance: Stance | None, body: str, amendment: str, diagnosis: str) -> list[Problem]:
    """Every rule a comment's text breaks, by field: the web and the import check the same rules."""
    problems = text_problems(body, "body", TEXT_LABELS["body"], required_min=BODY_MIN)
    problems += text_problems(amendment, "amendment", TEXT_LABELS["amendment"])
    problems += text_problems(diagnosis, "diagnosis", TEXT_LABELS["diagnosis"])
    if stance == Stance.AMEND and not amendment.strip() and not problems_for(problems, "amendment"):
        problems.append(Problem(None, "amendment", "برای نظر اصلاحی، متن پیشنهادی را بنویسید.",
                                "an amend stance needs an amendment"))
    return problems


def problems_for(problems: list[Problem], field: str) -> list[Problem]:
    """The problems about one field."""
    return [problem for problem in problems if problem.column == field]


def comment_problems(stance, body: str, amendment: str = "", diagnosis: str = "") -> list[Problem]:
    """Every rule a posted comment breaks, the stance and each text at once, so a form shows them together."""
    try:
        stance, problems = Stance(stance), []
    except ValueError:
        stance, problems = None, [Problem(None, "stance", "موضع را انتخاب کنید.", "unknown stance")]
    return problems + content_problems(stance, body or "", amendment or "", diagnosis or "")


def _check_content(consultation, stance, body: str, amendment: str, diagnosis: str,
                   ratings: dict | None) -> tuple[Stance, dict[int, int | None]]:
    problems = comment_problems(stance, body, amendment, diagnosis)
    if problems:
        raise ValidationFailed(problems[0].fa, problems)
    stance = Stance(stance)
    known = {criterion.id for criterion in consultation.criteria}
    clean = {}
    for criterion_id, score in (ratings or {}).items():
        if criterion_id not in known or (score is not None and not 1 <= int(score) <= 5):
            raise ValidationFailed("امتیاز باید عددی از ۱ تا ۵ برای یکی از معیارهای همین دور باشد.")
        clean[criterion_id] = None if score is None else int(score)
    return stance, clean


def _scores(comment: Comment) -> dict[int, int]:
    return {rating.criterion_id: rating.score for rating in comment.ratings}


def _apply(comment: Comment, *, stance: Stance, body: str, amendment: str, diagnosis: str,
           ratings: dict[int, int | None]) -> bool:
    """Write new content, keeping the previous version first; False when nothing changed."""
    wanted = {**_scores(comment), **ratings}
    wanted = {key: score for key, score in wanted.items() if score is not None}
    unchanged = (comment.stance == stance and comment.body == body and comment.amendment == amendment
                 and comment.diagnosis == diagnosis and _scores(comment) == wanted)
    if comment.id is not None and unchanged and not comment.is_deleted:
        return False
    if comment.id is not None:
        comment.revisions.append(CommentRevision(
            stance=comment.stance, body=comment.body, amendment=comment.amendment,
            diagnosis=comment.diagnosis, saved_at=utcnow(),
            ratings={str(key): score for key, score in _scores(comment).items()},
        ))
    comment.stance, comment.body = stance, body
    comment.amendment, comment.diagnosis = amendment, diagnosis
    comment.is_deleted = False
    # A ratings-only edit changes no column of the comment row, so onupdate alone would not fire.
    comment.updated_at = utcnow()
    by_criterion = {rating.criterion_id: rating for rating in comment.ratings}
    for criterion_id, score in ratings.items():
        if score is None:
            if criterion_id in by_criterion:
                comment.ratings.remove(by_criterion[criterion_id])
        elif criterion_id in by_criterion:
            by_criterion[criterion_id].score = score
        else:
            comment.ratings.append(Rating(criterion_id=criterion_id, score=score))
    refresh_text(comment)
    return True


def _by_key(submission_key: str | None) -> Comment | None:
    if not submission_key:
        return None
    return db.session.scalar(sa.select(Comment).filter_by(submission_key=submission_key))


def _claim_key(comment: Comment, submission_key: str | None) -> None:
    # A key already on another row (a tampered form) is simply not stored again.
    holder = _by_key(submission_key)
    if submission_key and (holder is None or holder is comment):
        comment.submission_key = submission_key


def _insert(comment: Comment, find_existing) -> tuple[Comment, bool]:
    """Add the comment; if a parallel request stored it first, return that row instead."""
    try:
        with db.session.begin_nested():
            db.session.add(comment)
            db.session.flush()
    except IntegrityError:
        existing = find_existing()
        if existing is None:
            raise
        return existing, False
    return comment, True


def _record(author, action: str, comment: Comment) -> None:
    log.info("%s %s on item %s by user %s", action, comment.id, comment.item_id, author.id)
    audit.record(author, action, comment, consultation_id=comment.consultation_id, item_id=comment.item_id)


def save_item_comment(consultation, item, author, *, stance, body: str, amendment: str = "",
                      diagnosis: str = "", ratings: dict | None = None, submission_key: str | None = None,
                      now: datetime | None = None) -> Comment:
    """Create or edit the author's one comment on a plan item (a withdrawn one comes back)."""
    check_writable(consultation, author, now)
    if item.plan_id != consultation.plan_id:
        raise NotAllowed("این بند در برنامهٔ این دور مشورت نیست.")
    stance, ratings = _check_content(consultation, stance, body, amendment, diagnosis, ratings)
    content = dict(stance=stance, body=body, amendment=amendment, diagnosis=diagnosis, ratings=ratings)
    comment = own_comment(consultation, item, author)
    if comment is None:
        comment = Comment(consultation=consultation, author=author, item=item, stance=stance, body=body)
        _apply(comment, **content)
        _claim_key(comment, submission_key)
        comment, created = _insert(comment, lambda: own_comment(consultation, item, author))
        if created:
            _record(author, "comment.create", comment)
        return comment
    return _update(comment, author, submission_key, content)


def _update(comment: Comment, author, submission_key: str | None, content: dict) -> Comment:
    """Apply an edit (or restore a withdrawn comment) and log it, when anything changed."""
    restored = comment.is_deleted
    if _apply(comment, **content):
        _claim_key(comment, submission_key)
        db.session.flush()
        _record(author, "comment.restore" if restored else "comment.update", comment)
    return comment


def save_general_comment(consultation, author, *, stance, body: str, amendment: str = "",
                         diagnosis: str = "", ratings: dict | None = None, submission_key: str | None = None,
                         comment: Comment | None = None, now: datetime | None = None) -> Comment:
    """Add a general comment, or edit `comment`; a resubmitted form edits the row it created."""
    check_writable(consultation, author, now)
    stance, ratings = _check_content(consultation, stance, body, amendment, diagnosis, ratings)
    content = dict(stance=stance, body=body, amendment=amendment, diagnosis=diagnosis, ratings=ratings)
    holder = None
    if comment is None:
        holder = _by_key(submission_key)
        if holder is not None and _is_general_of(holder, consultation, author):
            comment = holder
    if comment is not None:
        if not _is_general_of(comment, consultation, author):
            raise NotAllowed()
        return _update(comment, author, submission_key, content)
    comment = Comment(consultation=consultation, author=author, item=None, stance=stance, body=body)
    _apply(comment, **content)
    # Looked up once: a twin post that committed since then is found by the unique key's IntegrityError,
    # never by a second look that would store this one again without its key. A key already on another
    # row (a tampered form) is simply not stored again.
    if holder is None:
        comment.submission_key = submission_key

    def twin():
        found = _by_key(submission_key)
        return found if found is not None and _is_general_of(found, consultation, author) else None

    comment, created = _insert(comment, twin)
    if created:
        _record(author, "comment.create", comment)
    return comment


def _is_general_of(comment: Comment, consultation, author) -> bool:
    return (comment.author_id == author.id and comment.item_id is None
            and comment.consultation_id == consultation.id)


def withdraw_comment(comment: Comment, actor, now: datetime | None = None) -> Comment:
    """Soft-delete the actor's own comment while the round is open."""
    if comment.author_id != actor.id:
        raise NotAllowed("فقط نویسندهٔ نظر می‌تواند آن را پس بگیرد.")
    check_writable(comment.consultation, actor, now)
    if not comment.is_deleted:
        comment.is_deleted = True
        db.session.flush()
        _record(actor, "comment.withdraw", comment)
    return comment
