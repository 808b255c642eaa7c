"""Answers to questionnaires: one per person per question, revised in place until the round closes."""
import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from consult.consultations.models import Question, QuestionKind, Questionnaire
from consult.core import audit
from consult.core.errors import ValidationFailed
from consult.extensions import db
from consult.feedback.models import Answer
from consult.feedback.services import check_text, check_writable

log = logging.getLogger(__name__)

SHORT_TEXT_MAX = 500


def answers_of(questionnaire: Questionnaire, user) -> dict[int, Answer]:
    """The user's answers to the questionnaire by question id."""
    rows = db.session.scalars(
        sa.select(Answer).join(Question)
        .where(Question.questionnaire_id == questionnaire.id, Answer.user_id == user.id)
    )
    return {answer.question_id: answer for answer in rows}


def answered_questionnaires(consultation, user) -> dict[int, datetime]:
    """Questionnaire ids of the consultation the user answered, with the time of the last change."""
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = db.session.execute(
        sa.select(Question.questionnaire_id, sa.func.max(Answer.updated_at))
        .join(Answer, Answer.question_id == Question.id)
        .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
        .where(Questionnaire.consultation_id == consultation.id, Answer.user_id == user.id)
        .group_by(Question.questionnaire_id)
    )
    return dict(rows.all())


def questionnaires_answered_by(user) -> list[tuple[Questionnaire, int, datetime]]:
    """Every questionnaire the user answered: (questionnaire, answers, last change), newest first."""
    rows = db.session.execute(
        sa.select(Questionnaire, sa.func.count(Answer.id), sa.func.max(Answer.updated_at))
        .join(Question, Question.questionnaire_id == Questionnaire.id)
        .join(Answer, Answer.question_id == Question.id)
        .where(Answer.user_id == user.id)
        .group_by(Questionnaire.id)
        .order_by(sa.func.max(Answer.updated_at).desc())
    )
    return [tuple(row) for row in rows.all()]


def _shape(question: Question, value) -> tuple[str, int | None, list[str]]:
    """(text, number, choices) for the Answer row; ValidationFailed when the value does not fit."""
    if question.kind == QuestionKind.LIKERT:
        if value in (None, ""):
            return "", None, []
        if not 1 <= int(value) <= 5:
            raise ValidationFailed(f"پاسخ «{question.text}» باید عددی از ۱ تا ۵ باشد.")
        return "", int(value), []
    if question.kind == QuestionKind.MULTIPLE:
        chosen = set(value or [])
        if chosen - set(question.choices):
            raise ValidationFailed(f"گزینهٔ انتخاب‌شده برای «{question.text}» معتبر نیست.")
        return "", None, [choice for choice in question.choices if choice in chosen]
    value = value or ""
    if question.kind == QuestionKind.SINGLE:
        if value and value not in question.choices:
            raise ValidationFailed(f"گزینهٔ انتخاب‌شده برای «{question.text}» معتبر نیست.")
        return value, None, []
    check_text(value, question.text)
    if question.kind == QuestionKind.SHORT_TEXT and len(value) > SHORT_TEXT_MAX:
        raise ValidationFailed(f"پاسخ «{question.text}» نباید بیش از ۵۰۰ نویسه باشد.")
    return value, None, []


def save_answers(questionnaire: Questionnaire, user, values: dict[int, object],
                 now: datetime | None = None) -> list[Answer]:
    """Store the user's answers (question id -> value); an empty optional answer removes the old one."""
    check_writable(questionnaire.consultation, user, now)
    wanted: dict[int, tuple | None] = {}
    for question in questionnaire.questions:
        text, number, choices = _shape(question, values.get(question.id))
        empty = not text.strip() and number is None and not choices
        if empty and question.required:
            raise ValidationFailed(f"به پرسش «{question.text}» پاسخ دهید.")
        wanted[question.id] = None if empty else (text, number, choices)
    try:
        with db.session.begin_nested():
            saved, changed = _store(questionnaire, user, wanted)
    except IntegrityError:
        # A simultaneous first submission stored its rows first: revise those, as a second submission would.
        with db.session.begin_nested():
            saved, changed = _store(questionnaire, user, wanted)
    if changed:
        log.info("answers to questionnaire %s saved by user %s (%d)", questionnaire.id, user.id, len(saved))
        audit.record(user, "questionnaire.answer", questionnaire, answers=len(saved),
                     consultation_id=questionnaire.consultation_id)
    return saved


def _store(questionnaire: Questionnaire, user, wanted: dict[int, tuple | None]) -> tuple[list[Answer], bool]:
    """Write the wanted (text, number, choices) per question id; also whether any row changed."""
    existing = answers_of(questionnaire, user)
    saved, changed = [], False
    for question_id, value in wanted.items():
        answer = existing.get(question_id)
        if value is None:
            if answer is not None:
                db.session.delete(answer)
                changed = True
            continue
        if answer is None:
            answer = Answer(question_id=question_id, user_id=user.id)
            db.session.add(answer)
        if answer.id is None or (answer.text, answer.number, answer.choices) != value:
            answer.text, answer.number, answer.choices = value
            changed = True
        saved.append(answer)
    db.session.flush()
    return saved, changed
