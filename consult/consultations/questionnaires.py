"""Building questionnaires: questions of each kind, their choices, order and required flag."""
import logging

from consult.consultations.models import Consultation, Question, QuestionKind, Questionnaire
from consult.consultations.settings import CannotRemove, move_item
from consult.core.audit import record
from consult.core.errors import ValidationFailed
from consult.core.submissions import earlier, settle
from consult.core.usage import in_use
from consult.extensions import db

log = logging.getLogger(__name__)

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
LIKERT_POINTS = 5
MAX_CHOICES = 30


class BadChoices(ValidationFailed):
    """The choices do not fit the question's kind."""


def create_questionnaire(consultation: Consultation, actor, *, title: str, description: str = "",
                         submission_key: str | None = None) -> Questionnaire:
    """A new, empty questionnaire at the end of the consultation's list; a repeated post gets the same one."""
    made = earlier(submission_key, "questionnaire.create", Questionnaire)
    if made is not None:
        return made
    questionnaire = Questionnaire(title=title.strip(), description=(description or "").strip(),
                                  position=len(consultation.questionnaires))
    consultation.questionnaires.append(questionnaire)
    settle(submission_key, questionnaire)
    record(actor, "questionnaire.create", questionnaire, consultation=consultation.slug)
    log.info("questionnaire %s created in %s by %s", questionnaire.id, consultation.slug, actor.id)
    return questionnaire


def update_questionnaire(questionnaire: Questionnaire, actor, *, title: str, description: str = "") -> None:
    """Change a questionnaire's title and description."""
    questionnaire.title, questionnaire.description = title.strip(), (description or "").strip()
    record(actor, "questionnaire.update", questionnaire)


def remove_questionnaire(questionnaire: Questionnaire, actor) -> None:
    """Remove a questionnaire nobody has answered."""
    for question in questionnaire.questions:
        _refuse_if_answered(question, "این پرسش‌نامه پاسخ دارد و حذف آن پاسخ‌ها را پاک می‌کند.")
    record(actor, "questionnaire.remove", questionnaire, title=questionnaire.title)
    db.session.delete(questionnaire)
    db.session.flush()


def parse_choices(kind: QuestionKind, text: str) -> list[str]:
    """Choices one per line, checked against the kind: 2+ for choice questions, 0 or 5 labels for Likert."""
    lines = list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))
    if kind in CHOICE_KINDS and not 2 <= len(lines) <= MAX_CHOICES:
        raise BadChoices("برای این نوع پرسش دست‌کم دو گزینه، هر کدام در یک سطر، بنویسید.")
    if kind == QuestionKind.LIKERT and lines and len(lines) != LIKERT_POINTS:
        raise BadChoices("برای طیف لیکرت یا هیچ عنوانی ننویسید یا دقیقاً پنج عنوان، هر کدام در یک سطر.")
    if kind not in CHOICE_KINDS and kind != QuestionKind.LIKERT:
        return []
    return lines


def add_question(questionnaire: Questionnaire, actor, *, kind: str, text: str, help_text: str = "",
                 choices: str = "", required: bool = False, submission_key: str | None = None) -> Question:
    """A new question at the end of the questionnaire; a repeated post of the form gets the same one."""
    made = earlier(submission_key, "question.create", Question)
    if made is not None:
        return made
    kind = QuestionKind(kind)
    question = Question(kind=kind, text=text.strip(), help_text=(help_text or "").strip(),
                        choices=parse_choices(kind, choices), required=bool(required),
                        position=len(questionnaire.questions))
    questionnaire.questions.append(question)
    settle(submission_key, question)
    record(actor, "question.create", question, kind=kind.value)
    return question


def update_question(question: Question, actor, *, kind: str, text: str, help_text: str = "",
                    choices: str = "", required: bool = False) -> None:
    """Edit a question; its kind cannot change once someone has answered it."""
    kind = QuestionKind(kind)
    if kind != question.kind:
        _refuse_if_answered(question, "به این پرسش پاسخ داده شده است و نوع آن دیگر تغییر نمی‌کند.")
    question.choices = parse_choices(kind, choices)
    question.kind, question.text = kind, text.strip()
    question.help_text, question.required = (help_text or "").strip(), bool(required)
    record(actor, "question.update", question, kind=kind.value)


def move_question(question: Question, actor, step: int) -> None:
    """Move a question up or down its questionnaire."""
    if move_item(list(question.questionnaire.questions), question, step):
        record(actor, "question.move", question, step=step)
        db.session.flush()


def remove_question(question: Question, actor) -> None:
    """Remove a question nobody has answered."""
    _refuse_if_answered(question, "به این پرسش پاسخ داده شده است و حذف آن پاسخ‌ها را پاک می‌کند.")
    questionnaire = question.questionnaire
    record(actor, "question.remove", question, text=question.text[:100])
    questionnaire.questions.remove(question)
    for position, each in enumerate(questionnaire.questions):
        each.position = position
    db.session.flush()


def _refuse_if_answered(question: Question, message: str) -> None:
    if in_use("question", [question.id]):
        raise CannotRemove(message)


def choices_text(question: Question) -> str:
    """A question's choices as the one-per-line text the form shows."""
    return "\n".join(question.choices or [])
