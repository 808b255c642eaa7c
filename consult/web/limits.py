"""Rate limits on password checks and reset requests, and the Persian message a 429 shows.

Every view that checks a password (sign-in, joining by invitation with an existing account) shares
three counters of password tries, each held to LOGIN_RATE_LIMIT:

- per account and address: always, so nobody guesses one account's password quickly from anywhere;
- per address: all accounts tried from one address;
- per account: all addresses trying one account.

The last two do not apply to a browser that signed in to the typed account before (consult.web.devices),
so failures sent from elsewhere cannot lock the owner out.

A try is counted before the password is checked, in one atomic step of the storage (an increment that
answers the new count, in memory or in Redis), so however many tries arrive together, no more than the
limit are checked; the rest get 429 unchecked. A success then gives its try back: only failures use up
the limit. Nothing waits.

Accounts are keyed by a keyed digest of the typed email, so whatever was typed (a password, by mistake)
never reaches a log line or a storage key name.
"""
import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from flask import abort, current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import HTTPException

from consult.auth import services
from consult.auth.models import TokenPurpose
from consult.consultations import invitations
from consult.core.digits import fa_digits
from consult.extensions import limiter
from consult.web import devices

log = logging.getLogger(__name__)

REFUSED = "consult.limits_refused"  # request.environ: the counters that refused this request


class Counter(NamedTuple):
    scope: str  # names the counter in storage and in logs
    key: str  # digests and addresses only
    limit: str  # Flask-Limiter syntax, e.g. "5 per minute;20 per hour"


def login_limit() -> str:
    """The configured limit, e.g. "5 per minute;20 per hour"."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_key(email: str) -> str:
    """A keyed digest of the normalised email: stable per account, never the typed text."""
    secret = current_app.config["SECRET_KEY"].encode()
    normalised = services.normalize_email(email or "")
    return "account:" + hmac.new(secret, f"limits:{normalised}".encode(), hashlib.sha256).hexdigest()[:24]


def address_key() -> str:
    return f"address:{get_remote_address() or '-'}"


def typed_email() -> str:
    return request.form.get("email") or ""


def invitation_account() -> str | None:
    """The email of the existing account an invitation asks to prove its password, or None (nothing checked)."""
    try:
        invitation = services.load_token((request.view_args or {}).get("token", ""), TokenPurpose.INVITE)
    except services.TokenInvalid:
        return None
    account = invitations.existing_account(invitation)
    return account.email if account else None


# --- counting ------------------------------------------------------------------------------------

def _strategy() -> FixedWindowRateLimiter:
    # Fixed windows whatever RATELIMIT_STRATEGY says: their counters can give a try back.
    return FixedWindowRateLimiter(limiter.storage)


def _items(counters: list[Counter]) -> list[tuple[RateLimitItem, Counter]]:
    return [(item, counter) for counter in counters for item in parse_many(counter.limit)]


def take(counters: list[Counter]) -> list[tuple[RateLimitItem, Counter]]:
    """Count one try on every counter, or refuse the request with 429.

    A plain look first, so a try refused outright counts nowhere; then each hit counts and compares in one
    step, so tries arriving together cannot all pass. A try that loses that race may stay counted on the
    counters it passed, which only errs towards refusing.
    """
    if not limiter.enabled:
        return []
    strategy, items = _strategy(), _items(counters)
    refused = [(item, counter) for item, counter in items if not strategy.test(item, counter.scope, counter.key)]
    if not refused:
        refused = [(item, counter) for item, counter in items if not strategy.hit(item, counter.scope, counter.key)]
    if refused:
        request.environ[REFUSED] = refused
        log.info("too many tries on %s: %s", request.endpoint, ", ".join(sorted({c.scope for _, c in refused})))
        abort(429)
    return items


def give_back(taken: list[tuple[RateLimitItem, Counter]]) -> None:
    """Uncount a try (a success): only failures use up the limit."""
    storage = limiter.storage
    for item, counter in taken:
        key = item.key_for(counter.scope, counter.key)
        if storage.get(key) > 0:  # never below zero, nor into a window that has just begun
            storage.incr(key, item.get_expiry(), amount=-1)


def succeeded(response) -> bool:
    """A password check that passed redirects; a wrong one shows the form again."""
    return response.status_code == 302


def limit_password_checks(account_of: Callable[[], str | None]):
    """Count a view's POSTs on the three shared counters of password tries.

    account_of gives the email whose password the request checks, or None when it checks none.
    """

    def decorate(view):
        @wraps(view)
        def limited(*args, **kwargs):
            email = account_of() if request.method == "POST" else None
            if email is None:
                return view(*args, **kwargs)
            account, address = account_key(email), address_key()
            counters = [Counter("password_pair", f"{account}|{address}", login_limit())]
            if not devices.is_known(email):
                counters += [Counter("password_address", address, login_limit()),
                             Counter("password_account", account, login_limit())]
            taken = take(counters)
            response = current_app.make_response(view(*args, **kwargs))
            if succeeded(response):
                give_back(taken)
            return response

        return limited

    return decorate


limit_logins = limit_password_checks(typed_email)


# Reset requests: each one may mail someone's inbox. Every POST counts, known email or not. The per-email
# ceiling is higher than one address may send, and a browser that signed in to the account before is
# exempt from it, so a flood from elsewhere cannot keep the owner from asking.
RESET_PAIR_LIMIT = "3 per hour"
RESET_ADDRESS_LIMIT = "10 per hour"
RESET_ACCOUNT_LIMIT = "10 per hour"


def limit_reset_requests(view):
    """Count a view's POSTs on the reset-request counters."""

    @wraps(view)
    def limited(*args, **kwargs):
        if request.method == "POST":
            email = typed_email()
            account, address = account_key(email), address_key()
            counters = [Counter("reset_pair", f"{account}|{address}", RESET_PAIR_LIMIT),
                        Counter("reset_address", address, RESET_ADDRESS_LIMIT)]
            if not devices.is_known(email):
                counters.append(Counter("reset_account", account, RESET_ACCOUNT_LIMIT))
            take(counters)
        return view(*args, **kwargs)

    return limited


# --- the 429 page ----------------------------------------------------------------------------------

def retry_message(error: HTTPException) -> str:
    """Persian text for a 429: how many minutes until the next try."""
    minutes = max(1, math.ceil(seconds_to_wait() / 60))
    what = ("درخواست‌های بازیابی گذرواژه" if request.endpoint == "auth.forgot_password"
            else "تلاش‌های ناموفق")
    return (
        f"تعداد {what} بیش از حد مجاز است. "
        f"لطفاً {fa_digits(minutes)} دقیقهٔ دیگر دوباره تلاش کنید."
    )


def seconds_to_wait() -> float:
    try:
        refused = request.environ.get(REFUSED) or []
        if not refused:
            return 60
        strategy = _strategy()
        resets = [strategy.get_window_stats(item, counter.scope, counter.key).reset_time for item, counter in refused]
        return max(0, max(resets) - time.time())
    except Exception:  # the wait is a courtesy; never fail the error page over it
        return 60
