"""Management forms of a round: settings, criteria, questionnaires, invitations. Shape only; rules live in services."""
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from consult.auth.labels import AFFILIATION_LABELS, ROLE_LABELS
from consult.consultations.models import STATE_LABELS, QuestionKind
from consult.core.time import format_jalali, parse_jalali
from consult.web.forms import (
    REQUIRED,
    PersianForm,
    label_choices,
    lines_of_one_line_values,
    no_control_characters,
    one_line,
    submission_key_field,
)

TOO_LONG = "متن بلندتر از حد مجاز است."

KIND_LABELS = {
    QuestionKind.SINGLE: "یک گزینه از چند گزینه",
    QuestionKind.MULTIPLE: "چند گزینه از چند گزینه",
    QuestionKind.LIKERT: "طیف لیکرت (۱ تا ۵)",
    QuestionKind.SHORT_TEXT: "پاسخ کوتاه",
    QuestionKind.LONG_TEXT: "پاسخ بلند",
}


class JalaliDateField(StringField):
    """A date typed in the Jalali calendar, Persian or Latin digits; `data` is a Gregorian date."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_jalali(valuelist[0])  # a ValueError becomes the field's error

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format_jalali(self.data)


class InviteForm(PersianForm):
    email = EmailField("نشانی رایانامه", validators=[DataRequired(REQUIRED), Length(max=254, message=TOO_LONG)],
                       render_kw={"dir": "ltr"})
    name = StringField("نام و نام خانوادگی", validators=[Optional(), Length(max=200, message=TOO_LONG),
                                                         one_line])
    role = SelectField("نقش", choices=label_choices(ROLE_LABELS), default="expert")
    affiliation = SelectField("وابستگی", choices=label_choices(AFFILIATION_LABELS), default="other")
    organisation = StringField("سازمان یا نهاد", validators=[Optional(), Length(max=200, message=TOO_LONG),
                                                          one_line])
    send = BooleanField("پیوند با رایانامه فرستاده شود", default=True)
    submission_key = submission_key_field()
    submit = SubmitField("ساختن دعوت‌نامه")


class BulkInviteForm(PersianForm):
    upload = FileField("پروندهٔ CSV یا XLSX", validators=[
        FileRequired("یک پرونده برگزینید."), FileAllowed(["csv", "xlsx"], "فقط پروندهٔ CSV یا XLSX پذیرفته می‌شود.")],
        description="ردیف نخست نام ستون‌هاست؛ نام ستون‌ها و معنای هر یک در راهنمای بالا آمده است.",
        render_kw={"accept": ".csv,.xlsx"})
    send = BooleanField("پیوندها با رایانامه فرستاده شوند", default=True)
    submission_key = submission_key_field()
    submit = SubmitField("بارگذاری و ساختن دعوت‌نامه‌ها")


class ConsultationForm(PersianForm):
    title = StringField("عنوان", validators=[DataRequired(REQUIRED), Length(max=300, message=TOO_LONG),
                                             one_line])
    description = TextAreaField("شرح", validators=[Optional(), Length(max=10000, message=TOO_LONG),
                                                  no_control_characters],
                                render_kw={"rows": 4})
    opens_on = JalaliDateField("تاریخ آغاز", validators=[InputRequired(REQUIRED)],
                               description="مانند ۱۴۰۵/۰۹/۱۰", render_kw={"dir": "ltr", "inputmode": "numeric"})
    closes_on = JalaliDateField("تاریخ پایان (خود این روز هم پذیرفته می‌شود)", validators=[InputRequired(REQUIRED)],
                                description="مانند ۱۴۰۵/۰۹/۳۰", render_kw={"dir": "ltr", "inputmode": "numeric"})
    state = SelectField("وضعیت", choices=label_choices(STATE_LABELS),
                        description="پیش‌نویس از خبرگان پنهان است؛ باز نظر می‌پذیرد؛ بسته فقط خواندنی است.")
    show_author_names = BooleanField(
        "نام نویسندگان نظرها به دبیران و برنامه‌ریزان نشان داده شود",
        description="در صفحه‌های بررسی و در خروجی‌ها؛ وابستگی نویسنده همیشه نشان داده می‌شود.")
    secretaries_act_in_general = BooleanField(
        "دبیران کارگروه‌ها در دامنهٔ «عمومی» هم کار کنند",
        description="دامنهٔ عمومی نظرهای کلی و نظرهای بندهایی است که هیچ کارگروهی ندارند؛ "
                    "برنامه‌ریزان و مدیران همیشه در آن کار می‌کنند.")
    submit = SubmitField("ذخیره")


class NewConsultationForm(ConsultationForm):
    plan_id = SelectField("برنامه", coerce=int, validators=[DataRequired(REQUIRED)])
    slug = StringField("نشانی کوتاه (لاتین)", validators=[
        DataRequired(REQUIRED), Length(max=100, message=TOO_LONG),
        Regexp(r"^[a-z0-9][a-z0-9-]*\Z", message="فقط حروف کوچک لاتین، رقم و خط تیره.")], render_kw={"dir": "ltr"})
    submission_key = submission_key_field()
    submit = SubmitField("ساختن دور مشورت")


class CriterionForm(PersianForm):
    slug = StringField("شناسه (لاتین)", validators=[
        DataRequired(REQUIRED), Length(max=50, message=TOO_LONG),
        Regexp(r"^[a-z0-9][a-z0-9_-]*\Z", message="فقط حروف کوچک لاتین، رقم، _ و خط تیره.")], render_kw={"dir": "ltr"})
    label = StringField("عنوان فارسی", validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG),
                                                  one_line])
    submission_key = submission_key_field()
    submit = SubmitField("افزودن معیار")


class RenameCriterionForm(PersianForm):
    label = StringField("عنوان فارسی", validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG),
                                                  one_line])
    submit = SubmitField("تغییر نام")


class QuestionnaireForm(PersianForm):
    title = StringField("عنوان پرسش‌نامه", validators=[DataRequired(REQUIRED), Length(max=300, message=TOO_LONG),
                                                       one_line])
    description = TextAreaField("شرح", validators=[Optional(), Length(max=5000, message=TOO_LONG),
                                                  no_control_characters],
                                render_kw={"rows": 3})
    submission_key = submission_key_field()
    submit = SubmitField("ذخیره")


class QuestionForm(PersianForm):
    kind = SelectField("نوع پرسش", choices=label_choices(KIND_LABELS))
    text = TextAreaField("متن پرسش", validators=[DataRequired(REQUIRED), Length(max=2000, message=TOO_LONG),
                                                 no_control_characters],
                         render_kw={"rows": 2})
    help_text = StringField("راهنما (اختیاری)", validators=[Optional(), Length(max=500, message=TOO_LONG),
                                                           one_line])
    choices = TextAreaField("گزینه‌ها (هر گزینه در یک سطر)", validators=[Optional(), Length(max=5000, message=TOO_LONG),
                                                                       lines_of_one_line_values],
                            description="برای پرسش‌های چندگزینه‌ای لازم است؛ برای لیکرت می‌توانید پنج عنوان بنویسید.",
                            render_kw={"rows": 4})
    required = BooleanField("پاسخ به این پرسش لازم است")
    submission_key = submission_key_field()
    submit = SubmitField("ذخیرهٔ پرسش")
