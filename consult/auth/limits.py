"""Rate-limit messages that tell people when to try again."""
import math

from flask import g
from persiantools import digits
from werkzeug.exceptions import HTTPException


def retry_message(error: HTTPException) -> str:
    """Persian text for a 429: how many minutes until the next try."""
    seconds = _retry_after(error)
    minutes = max(1, math.ceil(seconds / 60)) if seconds else 1
    return f"تعداد تلاش‌های ورود بیش از حد مجاز است. لطفاً {digits.en_to_fa(str(minutes))} دقیقه دیگر دوباره تلاش کنید."


def _retry_after(error: HTTPException) -> int:
    limit = getattr(g, "view_rate_limit", None)
    if limit is not None:
        try:
            from consult.extensions import limiter

            reset_at, _remaining = limiter.limiter.get_window_stats(limit[0], *limit[1])
            import time

            return max(0, int(reset_at - time.time()))
        except Exception:  # stats are a courtesy; never fail the error page
            return 0
    return 0
