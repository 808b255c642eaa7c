"""Jalali dates as admins type them (۱۴۰۵/۰۹/۱۰ or 1405/9/10) and as the stored UTC times they mean."""
import re
from datetime import UTC, date, datetime, time, timedelta

from persiantools import digits
from persiantools.jdatetime import JalaliDate

from consult.time import TEHRAN, to_local

DATE_PATTERN = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")
FORMAT_HINT = "تاریخ را به شکل سال/ماه/روز خورشیدی بنویسید، مانند ۱۴۰۵/۰۹/۱۰."


def parse_jalali(text: str) -> date:
    """The Gregorian date of a typed Jalali date; ValueError with a Persian message otherwise."""
    latin = digits.fa_to_en(digits.ar_to_fa(text or ""))
    match = DATE_PATTERN.match(latin)
    if not match:
        raise ValueError(FORMAT_HINT)
    year, month, day = (int(part) for part in match.groups())
    try:
        return JalaliDate(year, month, day).to_gregorian()
    except ValueError:
        raise ValueError("این تاریخ در تقویم خورشیدی وجود ندارد.") from None


def format_jalali(day: date | None) -> str:
    """A Gregorian date as ۱۴۰۵/۰۹/۱۰."""
    if day is None:
        return ""
    return digits.en_to_fa(JalaliDate(day).strftime("%Y/%m/%d"))


def local_date(moment: datetime) -> date:
    """The Tehran calendar day of a stored UTC time."""
    return to_local(moment).date()


def day_start(day: date) -> datetime:
    """Midnight in Tehran at the start of the day, as naive UTC."""
    return _utc(datetime.combine(day, time.min, TEHRAN))


def day_end(day: date) -> datetime:
    """The last second of the day in Tehran, as naive UTC: a round "until ۳۰ آذر" takes input all that day."""
    return _utc(datetime.combine(day + timedelta(days=1), time.min, TEHRAN) - timedelta(seconds=1))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)
