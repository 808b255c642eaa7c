"""Login and reset-request rate limits, per account and per address, and the Persian message a 429 shows."""
import math
import time

from flask import current_app, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException

from consult.extensions import limiter
from consult.filters import fa_digits


def login_limit() -> str:
    """The configured limit, e.g. "5 per minute;20 per hour"."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_key() -> str:
    """The email being tried, so one account is protected whichever address the attempts come from."""
    email = (request.form.get("email") or "").strip().lower()
    return f"account:{email or '-'}"


def address_key() -> str:
    return f"address:{get_remote_address() or '-'}"


def failed(response) -> bool:
    """Only failed sign-ins count: a successful one redirects (302)."""
    return response.status_code != 302


def limit_logins(view):
    """Apply both login limits to a view; only POSTs are counted."""
    for key in (account_key, address_key):
        view = limiter.limit(login_limit, key_func=key, methods=["POST"], deduct_when=failed,
                             scope=key.__name__)(view)
    return view


# Reset requests: each one may mail someone's inbox, so a few per hour for an email and per address.
RESET_LIMITS = {"account_key": "3 per hour", "address_key": "10 per hour"}


def limit_reset_requests(view):
    """Apply both reset-request limits to a view; every POST counts, known email or not."""
    for key in (account_key, address_key):
        view = limiter.limit(RESET_LIMITS[key.__name__], key_func=key, methods=["POST"],
                             scope=f"reset_{key.__name__}")(view)
    return view


def retry_message(error: HTTPException) -> str:
    """Persian text for a 429: how many minutes until the next try."""
    minutes = max(1, math.ceil(_seconds_to_wait() / 60))
    what = ("درخواست‌های بازیابی گذرواژه" if request.endpoint == "auth.forgot_password"
            else "تلاش‌های ناموفق")
    return (
        f"تعداد {what} بیش از حد مجاز است. "
        f"لطفاً {fa_digits(minutes)} دقیقهٔ دیگر دوباره تلاش کنید."
    )


def _seconds_to_wait() -> float:
    try:
        breached = [limit for limit in limiter.current_limits if limit.breached]
        if not breached:
            return 60
        return max(0, max(limit.window[0] for limit in breached) - time.time())
    except Exception:  # the wait is a courtesy; never fail the error page over it
        return 60
