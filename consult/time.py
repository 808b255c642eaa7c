"""One clock for the whole app: naive UTC in the database, Tehran time for people."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")


def utcnow() -> datetime:
    """The current UTC time, naive, as every DateTime column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored naive-UTC time as Tehran wall-clock time."""
    return moment.replace(tzinfo=UTC).astimezone(TEHRAN)
