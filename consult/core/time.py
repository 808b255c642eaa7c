"""One clock for the whole app: naive UTC in the database, Tehran time and Jalali dates for people."""
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from persiantools import digits
from persiantools.jdatetime import JalaliDate

from consult.core.digits import latin_digits

TEHRAN = ZoneInfo("Asia/Tehran")

# Jalali years 1300-1499 only: a Gregorian 2026/11/20 is refused rather than read as a Jalali date.
_DATE = r"(1[34]\d\d)\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})"
DATE_PATTERN = re.compile(rf"^\s*{_DATE}\s*$")
MOMENT_PATTERN = re.compile(rf"^\s*{_DATE}(?:\s*[\sT]\s*(\d{{1,2}}):(\d{{2}}))?\s*$")
FORMAT_HINT = "تاریخ را به شکل سال/ماه/روز خورشیدی بنویسید، مانند ۱۴۰۵/۰۹/۱۰."


def utcnow() -> datetime:
    """The current UTC time, naive, as every DateTime column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored naive-UTC time as Tehran wall-clock time."""
    return moment.replace(tzinfo=UTC).astimezone(TEHRAN)


def _jalali_day(year: str, month: str, day: str) -> date:
    try:
        return JalaliDate(int(year), int(month), int(day)).to_gregorian()
    except ValueError:
        raise ValueError("این تاریخ در تقویم خورشیدی وجود ندارد.") from None


def parse_jalali(text: str) -> date:
    """The Gregorian date of a typed Jalali date (۱۴۰۵/۰۹/۱۰ or 1405-9-10); ValueError in Persian otherwise."""
    match = DATE_PATTERN.match(latin_digits(text))
    if not match:
        raise ValueError(FORMAT_HINT)
    return _jalali_day(*match.groups())


def parse_moment(text: str) -> datetime | None:
    """A Jalali date with an optional HH:MM (Tehran time) or an ISO date/time, as naive UTC; None if unreadable."""
    latin = latin_digits(text).strip()
    # Jalali first: fromisoformat would read 1405-08-20 as a Gregorian date six centuries ago.
    match = MOMENT_PATTERN.match(latin)
    try:
        if match:
            year, month, day, hour, minute = match.groups()
            moment = datetime.combine(_jalali_day(year, month, day), time(int(hour or 0), int(minute or 0)))
        else:
            moment = datetime.fromisoformat(latin)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TEHRAN)
        return _utc(moment)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 shifted past the calendar's ends
        return None


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
