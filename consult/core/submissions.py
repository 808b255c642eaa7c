"""One-time keys of create forms: a double click or a resubmitted page gets the first post's answer.

The key is claimed before anything is made, so on PostgreSQL a simultaneous second post waits on the
key's unique index until the first commits, then finds what it made (SQLite lets one writer in at a time).
"""
import base64
import hashlib
import hmac
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import utcnow
from consult.extensions import db


class FormSubmission(db.Model):
    """A submitted form's one-time key and the row it made."""

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    action: Mapped[str] = mapped_column(sa.String(50))
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def earlier(key: str | None, action: str, model):
    """The row an earlier post of this form made; None (and the key now held by this post) for a first post.

    Without a key every post is a first post. A key whose row was deleted since makes a new one.
    """
    if not key:
        return None
    claimed = db.session.get(FormSubmission, key)
    if claimed is None:
        try:
            with db.session.begin_nested():
                db.session.add(FormSubmission(key=key, action=action))
        except sa.exc.IntegrityError:  # a simultaneous post holds the key and has committed: use its row
            claimed = db.session.get(FormSubmission, key)
        else:
            return None
    if claimed is None or claimed.action != action or claimed.object_id is None:
        return None
    return db.session.get(model, claimed.object_id)


def settle(key: str | None, obj) -> None:
    """Note what this post made under its key (after earlier() returned None)."""
    if key:
        db.session.flush()
        submission = db.session.get(FormSubmission, key)
        if submission is not None:
            submission.object_id = obj.id


def derived_secret(secret_key: str, *parts) -> str:
    """A link's secret computed from the form's key, so a repeated post can show the same link again.

    As unguessable as a random token while SECRET_KEY stays secret; only the hash is stored.
    """
    digest = hmac.new(secret_key.encode(), "\x1f".join(map(str, parts)).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
