"""Review forms: shape only; the rules live in the review services (groups, runs)."""
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from consult.review.runs import MAX_TOPICS, MIN_TOPICS
from consult.web.forms import REQUIRED, PersianForm, one_line


class GroupForm(PersianForm):
    name = StringField("نام کارگروه", validators=[
        DataRequired(REQUIRED), Length(max=200, message="نام بلندتر از ۲۰۰ نویسه است."), one_line])
    submit = SubmitField("ذخیره")


class AssignItemForm(PersianForm):
    item_id = SelectField("بند برنامه", coerce=int, validators=[DataRequired(REQUIRED)],
                          description="کارگروه همهٔ زیرشاخه‌های این بند را هم دارد، "
                                      "مگر آنچه به کارگروه دیگری سپرده شده باشد.")
    submit = SubmitField("سپردن بند")


class AddSecretaryForm(PersianForm):
    user_id = SelectField("دبیر", coerce=int, validators=[DataRequired(REQUIRED)],
                          description="کاربرانی با نقش دبیر کارگروه؛ دبیر افزوده‌شده مشارکت‌کنندهٔ این دور هم می‌شود.")
    submit = SubmitField("افزودن دبیر")


class RunForm(PersianForm):
    """Start a clustering run; an empty number of topics lets the comments decide."""

    k = IntegerField(
        "شمار موضوع‌ها (اختیاری)",
        validators=[Optional(), NumberRange(MIN_TOPICS, MAX_TOPICS, "عددی از ۲ تا ۶۰ بنویسید.")],
        description="خالی بگذارید تا شمار موضوع‌ها از خود نظرها برگزیده شود.",
    )
