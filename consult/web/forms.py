"""Base form for every Consult form: WTForms' built-in messages in Persian, and the free-text rule."""
from uuid import uuid4

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations
from wtforms.validators import ValidationError

from consult.core.text import control_characters

REQUIRED = "پر کردن این خانه لازم است."
CONTROL_CHARACTERS = (
    "این متن نویسهٔ کنترلیِ نامرئی دارد (معمولاً از چسباندن متن از جای دیگر). "
    "آن را پاک کنید و دوباره ذخیره کنید."
)


def no_control_characters(form, field) -> None:
    """The free-text rule: no control characters (tab and line breaks aside) nor bidi overrides; ZWNJ is text."""
    if field.data and isinstance(field.data, str) and control_characters(field.data):
        raise ValidationError(CONTROL_CHARACTERS)


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
