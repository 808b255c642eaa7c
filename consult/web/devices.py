"""Known browsers: a signed cookie naming the accounts this browser has signed in to.

The per-account and per-address sign-in limits do not apply to such a browser, so failures sent from
elsewhere cannot lock the owner out of an account they use. The cookie holds keyed digests, not emails.
"""
import hashlib
import hmac

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "known_device"
DAYS = 365
MAX_ACCOUNTS = 10  # a shared computer does not grow the cookie without end


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _mark(email: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"known-device:{email.strip().lower()}".encode(), hashlib.sha256).hexdigest()[:24]


def _marks() -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        marks = _serializer().loads(raw, max_age=DAYS * 24 * 3600)
    except BadSignature:  # forged, altered or older than DAYS
        return []
    return [m for m in marks if isinstance(m, str)] if isinstance(marks, list) else []


def is_known(email: str) -> bool:
    """Whether this browser has signed in to the account with this email before."""
    return _mark(email) in _marks()


def remember(response: Response, email: str) -> Response:
    """Add the account to the browser's cookie (newest first); called after a successful sign-in."""
    mark = _mark(email)
    marks = [mark] + [m for m in _marks() if m != mark][: MAX_ACCOUNTS - 1]
    response.set_cookie(COOKIE, _serializer().dumps(marks), max_age=DAYS * 24 * 3600, httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False), samesite="Lax")
    return response
