"""Accounts and access: sign-in, invitation and reset tokens, passwords."""
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from consult.auth.models import AccessToken, ReplacedInvitation, TokenPurpose, User
from consult.auth.passwords import password_problems
from consult.core.audit import record
from consult.core.errors import ConsultError, ValidationFailed
from consult.core.submissions import derived_secret, earlier, settle
from consult.core.time import utcnow
from consult.extensions import db

log = logging.getLogger(__name__)


class LoginFailed(ConsultError):
    """Wrong email or password; the message never says which."""

    message = "نشانی رایانامه یا گذرواژه درست نیست."


class AccountInactive(ConsultError):
    message = "حساب کاربری شما غیرفعال شده است. با مدیر سامانه تماس بگیرید."


class TokenInvalid(ConsultError):
    """No token with this value; `status` is the HTTP status of the page that says so."""

    message = "این پیوند معتبر نیست. نشانی را کامل و بدون تغییر در مرورگر وارد کنید."
    status = 404


class TokenExpired(TokenInvalid):
    message = "مهلت استفاده از این پیوند به پایان رسیده است. از مدیر سامانه پیوند تازه بخواهید."
    status = 410


class TokenUsed(TokenInvalid):
    message = "این پیوند پیش‌تر یک بار استفاده شده است و دوباره کار نمی‌کند. اگر حساب دارید وارد شوید."
    status = 410


class TokenReplaced(TokenInvalid):
    message = ("برای همین نشانی دعوت‌نامهٔ تازه‌تری فرستاده شده و این پیوند دیگر کار نمی‌کند. "
               "پیوند تازه‌تر را در رایانامه یا پیام‌های خود بجویید؛ اگر با آن حساب ساخته‌اید، وارد شوید.")
    status = 410


class InvalidEmail(ValidationFailed):
    def __init__(self):
        super().__init__("نشانی رایانامه درست نیست؛ نمونهٔ درست: name@example.ir")


class ResetRefused(ConsultError):
    message = "برای حساب غیرفعال پیوند بازیابی صادر نمی‌شود؛ نخست آن را فعال کنید."


class InvitationAccepted(ConsultError):
    message = "دعوت‌نامهٔ پذیرفته‌شده را نمی‌توان باطل کرد."


class WeakPassword(ValidationFailed):
    """The password breaks a rule; `problems` lists the Persian reasons."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0], problems)


@dataclass(frozen=True)
class IssuedToken:
    """A stored token row and the one copy of its secret value, for the link."""

    row: AccessToken
    token: str
    replaced: bool = False  # a pending invitation to the same email stopped working
    account: User | None = None  # the invited email already has an account
    repeated: bool = False  # a repeated post of the form that issued it: shown again, not sent again


def normalize_email(email: str) -> str:
    """Emails are compared and stored trimmed and lowercased."""
    return email.strip().lower()


def checked_email(email: str) -> str:
    """The email trimmed and lowercased, or InvalidEmail when it is not a mail address."""
    try:
        return validate_email(normalize_email(email), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise InvalidEmail() from None


def find_user(email: str) -> User | None:
    """The user with this email, if any."""
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == normalize_email(email)))


# A hash to check against when no user matches, so both answers take the same time.
_DUMMY_HASH = generate_password_hash("never-a-real-password")


def authenticate(email: str, password: str) -> User:
    """The active user with this email and password, or LoginFailed / AccountInactive."""
    user = find_user(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        raise LoginFailed()
    if not user.check_password(password):
        raise LoginFailed()
    if not user.active:
        raise AccountInactive()
    return user


def sign_out(user: User) -> None:
    """End the user's sessions on the server: a copy of the session or remember cookie no longer works."""
    user.end_sessions()
    log.info("user %s signed out", user.id)
    db.session.flush()


def hash_token(token: str) -> str:
    """Only this hash of a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(purpose: TokenPurpose, expires_in: timedelta, now: datetime | None, *, token: str | None = None,
                **fields) -> IssuedToken:
    token = token or secrets.token_urlsafe(32)
    row = AccessToken(purpose=purpose, token_hash=hash_token(token),
                      expires_at=(now or utcnow()) + expires_in, **fields)
    db.session.add(row)
    db.session.flush()
    return IssuedToken(row, token)


def _token_row(token: str, purpose: TokenPurpose, *, for_update: bool = False) -> AccessToken | None:
    query = sa.select(AccessToken).filter_by(token_hash=hash_token(token), purpose=purpose)
    return db.session.scalar(query.with_for_update() if for_update else query)


def load_token(token: str, purpose: TokenPurpose, now: datetime | None = None, *,
               for_update: bool = False) -> AccessToken:
    """The usable token row for this value, or TokenInvalid / TokenExpired / TokenUsed.

    for_update: the caller may spend it. On PostgreSQL a simultaneous post waits here for this one to
    commit, then finds the token used (SQLite lets one writer in at a time anyway).
    """
    row = _token_row(token, purpose, for_update=for_update)
    if row is None:
        if purpose == TokenPurpose.INVITE and db.session.get(ReplacedInvitation, hash_token(token)):
            raise TokenReplaced()
        raise TokenInvalid()
    if row.used_at is not None:
        raise TokenUsed()
    if (now or utcnow()) >= row.expires_at:
        raise TokenExpired()
    return row


def token_status(row: AccessToken, now: datetime | None = None) -> str:
    """pending, used or expired."""
    if row.used_at is not None:
        return "used"
    return "pending" if (now or utcnow()) < row.expires_at else "expired"


def check_password_rules(password: str, email: str) -> None:
    """Raise WeakPassword when the password breaks a rule."""
    problems = password_problems(password, email)
    if problems:
        raise WeakPassword(problems)


@dataclass(frozen=True)
class ResetRequest:
    """What a reset request left behind: the address to mail, its token (with mail) and whether to send it."""

    email: str
    issued: IssuedToken | None
    deliver: bool


def request_reset(email: str, *, issue_link: bool, now: datetime | None = None) -> ResetRequest:
    """Note the request for the admins; with issue_link (mail works) also store a reset token to mail.

    Known and unknown emails do the same work, so neither the answer nor its timing tells them apart: an
    unknown or inactive email gets a token that is spent as it is made, and deliver=False (nothing is mailed).
    """
    user = find_user(email)
    account = user if user is not None and user.active else None
    address = account.email if account else normalize_email(email)  # mail goes to the stored address
    record(account, "password.reset_requested", account)
    issued = _issue_reset(address, account, actor=None, now=now) if issue_link else None
    log.info("password reset requested for %s", f"user {account.id}" if account else "an unknown or inactive email")
    return ResetRequest(address, issued, deliver=account is not None)


def form_token(submission_key: str | None, *parts) -> str | None:
    """The link's secret for a post of this form (its one-time key), the same when repeated; None without a key."""
    return derived_secret(current_app.config["SECRET_KEY"], *parts, submission_key) if submission_key else None


def repeated_issue(submission_key: str | None, action: str, token: str | None) -> IssuedToken | None:
    """The link an earlier post of the same form issued, shown again; None for a first post (the key is held)."""
    row = earlier(submission_key, action, AccessToken)
    if row is not None and token and hmac.compare_digest(row.token_hash, hash_token(token)):
        return IssuedToken(row, token, repeated=True)
    return None


def lock_user(user: User) -> None:
    """Serialise writers of this user's tokens on PostgreSQL (SQLite lets one writer in at a time anyway)."""
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())


def issue_reset(user: User, *, actor, submission_key: str | None = None, now: datetime | None = None) -> IssuedToken:
    """A fresh single-use reset link for an active user (else ResetRefused); earlier unused ones stop working.

    A repeated post of the same form (its one-time key) gets the same link again and stores nothing.
    """
    if not user.active:
        raise ResetRefused()
    lock_user(user)
    token = form_token(submission_key, "reset", user.id)
    repeated = repeated_issue(submission_key, "password.reset_issued", token)
    if repeated is not None:
        return repeated
    issued = _issue_reset(user.email, user, actor=actor, now=now, token=token)
    settle(submission_key, issued.row)
    record(actor, "password.reset_issued", user, token_id=issued.row.id)
    log.info("reset link %s issued for user %s", issued.row.id, user.id)
    return issued


def _issue_reset(email: str, user: User | None, *, actor, now: datetime | None,
                 token: str | None = None) -> IssuedToken:
    """A reset token for the user; without one (unknown email) the same row, already spent."""
    _drop_unused_resets(email)
    return issue_token(TokenPurpose.RESET, timedelta(hours=current_app.config["RESET_HOURS"]), now, token=token,
                  email=email, name=getattr(user, "display_name", ""), user_id=getattr(user, "id", None),
                  created_by_id=getattr(actor, "id", None), used_at=None if user else (now or utcnow()))


def _drop_unused_resets(email: str) -> None:
    for row in db.session.scalars(sa.select(AccessToken).filter_by(
            purpose=TokenPurpose.RESET, email=email, used_at=None)):
        db.session.delete(row)


def reset_password(reset: AccessToken, password: str, *, submission_key: str | None = None,
                   now: datetime | None = None) -> User:
    """Set the new password and spend the reset link."""
    user = reset.user
    if user is None or not user.active:
        raise AccountInactive()
    check_password_rules(password, user.email)
    user.set_password(password)
    reset.used_at = now or utcnow()
    reset.submission_key = submission_key
    record(user, "password.reset", user)
    log.info("password reset by user %s", user.id)
    db.session.flush()
    return user


def repeated_use(token: str, purpose: TokenPurpose, *, submission_key: str,
                 password: str) -> tuple[AccessToken, User] | None:
    """The spent token and its account when this post repeats the one that spent it; else None.

    A double click's second post finds the token spent by the first: with the same form (its one-time
    key) and the same password it gets the first one's answer. Anything else finds None, so the token
    still sets a password or joins a consultation only once.
    """
    row = _token_row(token, purpose)
    if row is None or row.used_at is None or not row.submission_key or not submission_key:
        return None
    if not hmac.compare_digest(row.submission_key.encode(), submission_key.encode()):
        return None
    user = row.user
    if user is None or not user.active or not user.check_password(password):
        return None
    log.info("repeated post of spent token %s answered for user %s", row.id, user.id)
    return row, user
