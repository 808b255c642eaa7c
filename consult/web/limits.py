"""Rate limits on password checks and reset requests, and the Persian message a 429 shows.

Every view that checks a password (sign-in, joining by invitation with an existing account) shares
three counters of failed checks, each held to LOGIN_RATE_LIMIT:

- per account and address: always, so nobody guesses one account's password quickly from anywhere;
- per address: all accounts tried from one address;
- per account: all addresses trying one account.

The last two do not apply to a browser that signed in to the typed account before (consult.auth.devices),
so failures sent from elsewhere cannot lock the owner out. Successes are not counted, and nothing waits.
"""
import math
import time
from collections.abc import Callable

from flask import current_app, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException

from consult.auth import services
from consult.auth.models import TokenPurpose
from consult.consultations import invitations
from consult.core.digits import fa_digits
from consult.extensions import limiter
from consult.web import devices


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
    """Only failed password checks count: a success redirects (302); a refused try (429) checked nothing."""
    return response.status_code not in (302, 429)


def invitation_account() -> str | None:
    """The existing account an invitation asks to prove its password, or None (no password is checked)."""
    try:
        invitation = services.load_token((request.view_args or {}).get("token", ""), TokenPurpose.INVITE)
    except services.TokenInvalid:
        return None
    account = invitations.existing_account(invitation)
    return f"account:{account.email.lower()}" if account else None


CACHE_KEY = "consult.password_account"


def limit_password_checks(account_of: Callable[[], str | None]):
    """Apply the three shared counters of failed password checks to a view; only POSTs count.

    account_of names the account whose password the request checks ("account:<email>"), or None.
    """

    def account() -> str | None:
        # Once per request (the counters ask before and after the view); kept in the WSGI environ,
        # which, unlike g, never outlives the request.
        if CACHE_KEY not in request.environ:
            request.environ[CACHE_KEY] = account_of()
        return request.environ[CACHE_KEY]

    def unchecked() -> bool:
        return account() is None

    def known_browser() -> bool:
        return unchecked() or devices.is_known(account().removeprefix("account:"))

    counters = (
        ("pair", lambda: f"{account()}|{address_key()}", unchecked),
        ("address", address_key, known_browser),
        ("account", lambda: account() or "-", known_browser),
    )

    def decorate(view):
        for name, key, exempt in counters:
            view = limiter.shared_limit(login_limit, scope=f"password_{name}", key_func=key, methods=["POST"],
                                        deduct_when=failed, exempt_when=exempt)(view)
        return view

    return decorate


limit_logins = limit_password_checks(account_key)


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
