"""Review forms: shape only; the rules live in the review services."""
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from consult.review.runs import MAX_TOPICS, MIN_TOPICS
from consult.web.forms import PersianForm


class RunForm(PersianForm):
    """Start a clustering run; an empty number of topics lets the comments decide."""

    k = IntegerField(
        "شمار موضوع‌ها (اختیاری)",
        validators=[Optional(), NumberRange(MIN_TOPICS, MAX_TOPICS, "عددی از ۲ تا ۶۰ بنویسید.")],
        description="خالی بگذارید تا شمار موضوع‌ها از خود نظرها برگزیده شود.",
    )
