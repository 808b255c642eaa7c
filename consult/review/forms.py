"""Forms of the working-group screens. Shape only; rules live in consult.review.groups."""
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from consult.web.forms import REQUIRED, PersianForm, no_control_characters


class GroupForm(PersianForm):
    name = StringField("نام کارگروه", validators=[
        DataRequired(REQUIRED), Length(max=200, message="نام بلندتر از ۲۰۰ نویسه است."), no_control_characters])
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
