"""Comment and questionnaire forms: shape only (required, lengths, choices); rules live in services."""
from flask import request
from wtforms import RadioField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from consult.consultations.models import QuestionKind
from consult.core.digits import fa_digits, fa_number
from consult.feedback.models import Stance
from consult.feedback.services import BODY_MIN, TEXT_MAX, text_length
from consult.web.forms import PersianForm, no_control_characters, submission_key_field

# 0 lets a rating be taken back: a chosen radio button cannot be unchosen.
SCORES = [SelectChoice(0, "بدون امتیاز")] + [SelectChoice(n, fa_digits(n)) for n in range(1, 6)]
LIKERT = [SelectChoice(n, label) for n, label in enumerate(
    ("۱ · کاملاً مخالف", "۲ · مخالف", "۳ · بی‌نظر", "۴ · موافق", "۵ · کاملاً موافق"), start=1)]
INVALID_CHOICE = "گزینهٔ انتخاب‌شده معتبر نیست."


class TextLength:
    """At most `maximum` characters as the writer sees them (CR LF counts once)."""

    def __init__(self, maximum: int = TEXT_MAX):
        self.maximum = maximum

    def __call__(self, form, field) -> None:
        text = field.data or ""
        length = text_length(text)
        if length > self.maximum:
            raise ValidationError(
                f"این متن {fa_number(length)} نویسه است؛ بیشینه {fa_number(self.maximum)} نویسه است. "
                "آن را کوتاه‌تر کنید."
            )


class CommentForm(PersianForm):
    """Stance, comment, amendment, diagnosis; comment_form() adds one rating field per criterion.

    Shape only: the rules (a minimum length, an amendment for an amend stance) are the service's,
    and the view shows its refusals beside these fields.
    """

    stance = RadioField(
        "موضع شما", choices=[SelectChoice(stance.value, stance.label) for stance in Stance],
        validators=[DataRequired("موضع خود را انتخاب کنید.")], invalid_choice_message=INVALID_CHOICE,
    )
    body = TextAreaField(
        "متن نظر", validators=[DataRequired("متن نظر را بنویسید."), TextLength(), no_control_characters],
        description=f"میان {fa_number(BODY_MIN)} تا {fa_number(TEXT_MAX)} نویسه.",
    )
    amendment = TextAreaField(
        "متن پیشنهادی (اصلاحیه)", validators=[TextLength(), no_control_characters],
        description="اگر موضع شما «اصلاحی» است، متن پیشنهادی خود را بنویسید.",
    )
    diagnosis = TextAreaField(
        "سابقه در برنامه‌های پیشین (اختیاری)", validators=[TextLength(), no_control_characters],
        description="این بند در برنامه‌های پیشین چگونه پیش رفت؟",
    )
    # One-time token: a double click or a resubmitted page stores one comment.
    submission_key = submission_key_field()

    rating_fields: list[tuple[int, str]] = []

    def ratings(self) -> list:
        """The rating fields, in criterion order."""
        return [self[name] for _, name in self.rating_fields]

    def comment_fields(self) -> dict:
        """Keyword arguments for the comment services."""
        return {
            "stance": self.stance.data,
            "body": self.body.data or "",
            "amendment": self.amendment.data or "",
            "diagnosis": self.diagnosis.data or "",
            "ratings": {criterion_id: self[name].data or None for criterion_id, name in self.rating_fields},
            "submission_key": self.submission_key.data or None,
        }


def comment_form(criteria, comment=None, **kwargs) -> CommentForm:
    """A CommentForm with a 1-5 rating per criterion, filled from the posted data or else `comment`."""

    class Form(CommentForm):
        pass

    names = []
    for criterion in criteria:
        name = f"rating_{criterion.id}"
        setattr(Form, name, RadioField(
            criterion.label, choices=SCORES, coerce=int, default=0, validators=[Optional()],
            invalid_choice_message=INVALID_CHOICE, invalid_value_message=INVALID_CHOICE,
        ))
        names.append((criterion.id, name))
    Form.rating_fields = names
    if comment is not None and not _posted():
        kwargs["data"] = {
            "stance": comment.stance.value, "body": comment.body, "amendment": comment.amendment,
            "diagnosis": comment.diagnosis,
            **{name: comment.rating_for(criterion_id) or 0 for criterion_id, name in names},
        }
    return Form(**kwargs)


def _posted() -> bool:
    # Posted data alone fills a submitted form: an unticked box is absent, not "as saved".
    return request.method in ("POST", "PUT", "PATCH", "DELETE")


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuestionnaireForm(PersianForm):
    """Fields are added per question by questionnaire_form()."""

    question_fields: list[tuple[int, str]] = []

    def values(self) -> dict:
        """Question id -> answer, for save_answers()."""
        return {question_id: self[name].data for question_id, name in self.question_fields}


def _question_field(question):
    required = DataRequired("به این پرسش پاسخ دهید.") if question.required else Optional()
    options = dict(description=question.help_text or None)
    if question.kind == QuestionKind.SINGLE:
        return RadioField(question.text, choices=[SelectChoice(c) for c in question.choices], validators=[required],
                          invalid_choice_message=INVALID_CHOICE, **options)
    if question.kind == QuestionKind.MULTIPLE:
        return MultiCheckboxField(question.text, choices=[SelectChoice(c) for c in question.choices],
                                  validators=[required], invalid_choice_message=INVALID_CHOICE, **options)
    if question.kind == QuestionKind.LIKERT:
        return RadioField(question.text, choices=LIKERT, coerce=int, validators=[required],
                          invalid_choice_message=INVALID_CHOICE, invalid_value_message=INVALID_CHOICE, **options)
    if question.kind == QuestionKind.SHORT_TEXT:
        return StringField(question.text, validators=[required, TextLength(maximum=500), no_control_characters],
                           **options)
    return TextAreaField(question.text, validators=[required, TextLength(), no_control_characters], **options)


def questionnaire_form(questionnaire, answers: dict | None = None, **kwargs) -> QuestionnaireForm:
    """A form with one field per question, filled from the posted data or else the saved answers."""

    class Form(QuestionnaireForm):
        pass

    names = []
    for question in questionnaire.questions:
        name = f"q_{question.id}"
        setattr(Form, name, _question_field(question))
        names.append((question.id, name))
    Form.question_fields = names
    if answers and not _posted():
        kwargs["data"] = {f"q_{qid}": _answer_value(answer) for qid, answer in answers.items()}
    return Form(**kwargs)


def _answer_value(answer):
    kind = answer.question.kind
    if kind == QuestionKind.LIKERT:
        return answer.number
    if kind == QuestionKind.MULTIPLE:
        return list(answer.choices or [])
    return answer.text
