"""Jalali dates for the admin forms; they live in consult.time, which the imports share."""
from consult.time import day_end, day_start, format_jalali, local_date, parse_jalali  # noqa: F401
