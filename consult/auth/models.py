"""People and their access tokens."""
import enum
import hashlib
import hmac
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from consult.core.db_types import enum_type
from consult.core.time import utcnow
from consult.extensions import db


class Role(enum.StrEnum):
    EXPERT = "expert"
    SECRETARY = "secretary"
    PLANNER = "planner"
    ADMIN = "admin"


class Affiliation(enum.StrEnum):
    SEMINARY = "seminary"
    ACADEMIC = "academic"
    EXECUTIVE = "executive"
    SECRETARIAT = "secretariat"
    OTHER = "other"


class TokenPurpose(enum.StrEnum):
    INVITE = "invite"
    RESET = "reset"


def password_method() -> str:
    """Werkzeug's scrypt; the test config lowers its cost so hundreds of logins stay fast."""
    from flask import current_app, has_app_context

    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


def session_stamp(password_hash: str | None, generation: int | None = 0) -> str:
    """A keyed digest of the password hash and session generation: changes with either, reveals neither."""
    from flask import current_app

    key = current_app.config["SECRET_KEY"].encode()
    message = f"{generation or 0}:{password_hash or ''}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:20]


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    # None until the person accepts an invitation (imported authors have none).
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"), default=Role.EXPERT)
    affiliation: Mapped[Affiliation] = mapped_column(
        enum_type(Affiliation, "affiliation"), default=Affiliation.OTHER
    )
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Raised on sign-out, deactivation and a new password: every session and remember cookie
    # issued before then names an older generation and is refused (see get_id).
    session_generation: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participations: Mapped[list["Participant"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        """Hash with Werkzeug's default (scrypt); sessions signed in with the old password end."""
        self.password_hash = generate_password_hash(password, method=password_method())
        self.end_sessions()

    def end_sessions(self) -> None:
        """Make every session and remember cookie issued so far stop working."""
        self.session_generation = (self.session_generation or 0) + 1

    def check_password(self, password: str) -> bool:
        """True when the password matches; False for users without one."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session and remember cookie, tied to the password and generation.

        A new password, a sign-out or a deactivation changes it, so the sessions and remember cookies
        issued before stop working, even a copy of the cookie kept from before.
        """
        return f"{self.id}-{session_stamp(self.password_hash, self.session_generation)}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class AccessToken(db.Model):
    """A single-use invitation or password-reset link; only the token's hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_type(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"), default=Role.EXPERT)
    affiliation: Mapped[Affiliation] = mapped_column(
        enum_type(Affiliation, "affiliation"), default=Affiliation.OTHER
    )
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # The key of the form that spent the token: a double click's second post gets the first one's answer.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64))

    consultation: Mapped["Consultation | None"] = relationship()  # noqa: F821
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class ReplacedInvitation(db.Model):
    """The hash of an invitation link that a newer one replaced, so the old link can say so."""

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
