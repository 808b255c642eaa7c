"""Sign-in, invitation and reset forms: shape only; password rules live in services."""
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from consult.auth.labels import ROLE_LABELS
from consult.core.digits import fa_digits
from consult.web.forms import REQUIRED, PersianForm, label_choices, one_line, submission_key_field


def at_most(characters: int) -> Length:
    """A length limit whose message has Persian digits (WTForms' own prints Latin ones)."""
    return Length(max=characters, message=f"این خانه حداکثر {fa_digits(characters)} نویسه می‌پذیرد.")


class LoginForm(PersianForm):
    email = EmailField("نشانی رایانامه", validators=[DataRequired(REQUIRED), at_most(254), one_line],
                       render_kw={"autocomplete": "username", "dir": "ltr"})
    password = PasswordField("گذرواژه", validators=[DataRequired(REQUIRED), at_most(200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("مرا به خاطر بسپار (تا ۱۴ روز)")
    submit = SubmitField("ورود")


class NewPasswordMixin:
    password = PasswordField("گذرواژهٔ تازه", validators=[DataRequired(REQUIRED), at_most(200)],
                             description="دست‌کم ده نویسه، غیر از نشانی رایانامه و گذرواژه‌های رایج.",
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("تکرار گذرواژه", validators=[
        DataRequired(REQUIRED), EqualTo("password", "تکرار گذرواژه با خود گذرواژه یکی نیست.")],
        render_kw={"autocomplete": "new-password"})


class AcceptInvitationForm(NewPasswordMixin, PersianForm):
    submission_key = submission_key_field()
    name = StringField("نام و نام خانوادگی",
                       validators=[DataRequired(REQUIRED), at_most(200), one_line],
                       render_kw={"autocomplete": "name"})
    submit = SubmitField("ساختن حساب و ورود")


class JoinForm(PersianForm):
    """An invited person who already has an account proves it with their password."""

    password = PasswordField("گذرواژهٔ فعلی شما", validators=[DataRequired(REQUIRED), at_most(200)],
                             render_kw={"autocomplete": "current-password"})
    submission_key = submission_key_field()
    submit = SubmitField("پیوستن به این دور مشورت")


class ForgotPasswordForm(PersianForm):
    email = EmailField("نشانی رایانامه", validators=[DataRequired(REQUIRED), at_most(254), one_line],
                       render_kw={"autocomplete": "username", "dir": "ltr"})
    submit = SubmitField("درخواست پیوند بازیابی")


class ResetPasswordForm(NewPasswordMixin, PersianForm):
    submission_key = submission_key_field()
    submit = SubmitField("ذخیرهٔ گذرواژهٔ تازه")


class ResetLinkForm(PersianForm):
    """The users list's reset button: a double click shows the same link."""

    submission_key = submission_key_field()


class RoleForm(PersianForm):
    """An account's role, changed from the users or participants list."""

    role = SelectField("نقش", choices=label_choices(ROLE_LABELS))
    next = HiddenField()
