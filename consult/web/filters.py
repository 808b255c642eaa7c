"""Template filters: Jalali dates and Persian digits for people."""
from datetime import datetime

from flask import Flask
from markupsafe import Markup
from persiantools.jdatetime import JalaliDateTime

from consult.core.digits import fa_digits, fa_number
from consult.core.time import to_local

MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)


def jalali(moment: datetime | None, with_time: bool = False) -> str:
    """A stored UTC time as a Jalali date (and Tehran time) in Persian digits: ۴ آذر ۱۴۰۵."""
    if moment is None:
        return ""
    local = JalaliDateTime(to_local(moment))
    text = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
    if with_time:
        text += f"، ساعت {local.hour:02d}:{local.minute:02d}"
    return fa_digits(text)


def jalali_numeric(moment: datetime | None) -> str:
    """A stored UTC time as ۱۴۰۵/۰۹/۰۴."""
    if moment is None:
        return ""
    return fa_digits(JalaliDateTime(to_local(moment)).strftime("%Y/%m/%d"))


def time_tag(moment: datetime | None, with_time: bool = False) -> Markup:
    """A <time> element with the ISO value for machines and the Jalali text for people."""
    if moment is None:
        return Markup("")
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat() + "Z", jalali(moment, with_time))


def register(app: Flask) -> None:
    app.add_template_filter(fa_digits, "fa")
    app.add_template_filter(fa_number, "fa_number")
    app.add_template_filter(jalali, "jalali")
    app.add_template_filter(jalali_numeric, "jalali_numeric")
    app.add_template_filter(time_tag, "time_tag")

