"""The fixed moment the app-level tests run at, so no test reads the wall clock.

Every test under tests/db and tests/web starts at NOW (the clock then ticks); a test that needs another
day moves the clock with the `clock` fixture. Browser tests keep the real clock: Chromium would treat
cookies from a frozen server clock as expired.
"""
from datetime import UTC, datetime

# 1405/08/29 (Thursday) 12:00 in Tehran: mid-month, mid-week, far from Nowruz and from a month's end.
NOW = datetime(2026, 11, 20, 8, 30)


def utc(moment: datetime) -> datetime:
    """A naive-UTC test moment as the aware value time-machine travels to."""
    return moment.replace(tzinfo=UTC)
