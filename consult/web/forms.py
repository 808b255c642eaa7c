"""Base form for every Consult form: WTForms' built-in messages in Persian, and the free-text rule."""
from uuid import uuid4

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations
from wtforms.validators import ValidationError

from consult.core.text import text_problem

REQUIRED = "پر کردن این خانه لازم است."
TAB_IN_LINES = "جهش (Tab) در این خانه پذیرفته نیست؛ هر مقدار را در یک سطر جدا بنویسید."


def no_control_characters(form, field) -> None:
    """The free-text rule for text of several lines (consult.core.text.text_problem); ZWNJ is text."""
    _check(field, one_line=False)


def one_line(form, field) -> None:
    """The free-text rule for a one-line field (title, label, name): no tab or line break either."""
    _check(field, one_line=True)


def lines_of_one_line_values(form, field) -> None:
    """The free-text rule for one value a line (a question's choices): line breaks separate, tabs are refused."""
    _check(field, one_line=False)
    if isinstance(field.data, str) and "\t" in field.data:
        raise ValidationError(TAB_IN_LINES)


def _check(field, *, one_line: bool) -> None:
    if field.data and isinstance(field.data, str):
        problem = text_problem(field.data, one_line=one_line)
        if problem:
            raise ValidationError(problem[0])


def clean_submission_key(key: str | None) -> str:
    """A hidden field has no place to show an error: a damaged key is replaced, not refused."""
    return key if key and len(key) <= 64 and key.isascii() and key.isalnum() else uuid4().hex


def submission_key_field() -> HiddenField:
    """A one-time key per rendered form: a double click or a resubmitted page is known as the same post."""
    return HiddenField(default=lambda: uuid4().hex, filters=[clean_submission_key])


class PersianForm(FlaskForm):
    """A FlaskForm whose built-in messages are Persian."""

    class Meta:
        def get_translations(self, form):
            return get_translations(["fa"])


class ActionForm(PersianForm):
    """A button that only needs the CSRF token (toggle, remove, move)."""


def label_choices(labels: dict) -> list[SelectChoice]:
    """Select choices from an {enum member: Persian label} mapping."""
    return [SelectChoice(member.value, label) for member, label in labels.items()]
