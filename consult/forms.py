"""Base form for every Consult form: WTForms' built-in messages in Persian."""
from flask_wtf import FlaskForm
from wtforms.i18n import get_translations

REQUIRED = "پر کردن این خانه لازم است."


class PersianForm(FlaskForm):
    """A FlaskForm whose built-in messages are Persian."""

    class Meta:
        def get_translations(self, form):
            return get_translations(["fa"])
