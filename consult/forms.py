"""Base form for every Consult form: WTForms' built-in messages in Persian, and the free-text rule."""
from flask_wtf import FlaskForm
from wtforms.i18n import get_translations
from wtforms.validators import ValidationError

from consult.importing import control_characters

REQUIRED = "پر کردن این خانه لازم است."
CONTROL_CHARACTERS = (
    "این متن نویسهٔ کنترلیِ نامرئی دارد (معمولاً از چسباندن متن از جای دیگر). "
    "آن را پاک کنید و دوباره ذخیره کنید."
)


def no_control_characters(form, field) -> None:
    """The free-text rule: no control characters (tab and line breaks aside) nor bidi overrides; ZWNJ is text."""
    if field.data and isinstance(field.data, str) and control_characters(field.data):
        raise ValidationError(CONTROL_CHARACTERS)


class PersianForm(FlaskForm):
    """A FlaskForm whose built-in messages are Persian."""

    class Meta:
        def get_translations(self, form):
            return get_translations(["fa"])
