"""What experts contribute: comments with stance and ratings, their revisions, and answers."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.db_types import enum_type
from consult.core.time import utcnow
from consult.extensions import db


class Stance(enum.StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    AMEND = "amend"

    @property
    def label(self) -> str:
        return STANCE_LABELS[self]


STANCE_LABELS = {Stance.AGREE: "موافق", Stance.DISAGREE: "مخالف", Stance.AMEND: "اصلاحی"}


class Comment(db.Model):
    """An expert's comment on a plan item, or a general comment when item_id is null."""

    __table_args__ = (
        # One comment per expert per item per consultation, so each rating is one person's vote.
        sa.Index(
            "uq_comment_one_per_item",
            "consultation_id",
            "author_id",
            "item_id",
            unique=True,
            sqlite_where=sa.text("item_id IS NOT NULL"),
            postgresql_where=sa.text("item_id IS NOT NULL"),
        ),
        sa.Index(
            "ix_comment_search_key_trgm",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_item.id", ondelete="RESTRICT"), index=True
    )
    stance: Mapped[Stance] = mapped_column(enum_type(Stance, "stance"))
    body: Mapped[str] = mapped_column(sa.Text)
    body_normalized: Mapped[str] = mapped_column(sa.Text, default="")
    search_key: Mapped[str] = mapped_column(sa.Text, default="")
    normalizer_version: Mapped[int] = mapped_column(default=0)
    amendment: Mapped[str] = mapped_column(sa.Text, default="")
    diagnosis: Mapped[str] = mapped_column(sa.Text, default="")
    # The form's one-time token: a double click or a resubmitted page finds the same row.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    source: Mapped[str] = mapped_column(sa.String(20), default="web")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    reviewed_at: Mapped[datetime | None]
    is_deleted: Mapped[bool] = mapped_column(default=False)

    consultation: Mapped["Consultation"] = relationship()  # noqa: F821
    author: Mapped["User"] = relationship()  # noqa: F821
    item: Mapped["PlanItem | None"] = relationship()  # noqa: F821
    ratings: Mapped[list["Rating"]] = relationship(
        back_populates="comment", cascade="all, delete-orphan"
    )
    revisions: Mapped[list["CommentRevision"]] = relationship(
        back_populates="comment", cascade="all, delete-orphan", order_by="CommentRevision.id"
    )

    def rating_for(self, criterion_id: int) -> int | None:
        return next((r.score for r in self.ratings if r.criterion_id == criterion_id), None)

    def __repr__(self) -> str:
        return f"<Comment {self.id} by {self.author_id} on {self.item_id}>"


class Rating(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("comment_id", "criterion_id"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("criterion.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int]

    comment: Mapped[Comment] = relationship(back_populates="ratings")
    criterion: Mapped["Criterion"] = relationship()  # noqa: F821


class CommentRevision(db.Model):
    """A comment as it was before an edit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    stance: Mapped[Stance] = mapped_column(enum_type(Stance, "stance"))
    body: Mapped[str] = mapped_column(sa.Text)
    amendment: Mapped[str] = mapped_column(sa.Text, default="")
    diagnosis: Mapped[str] = mapped_column(sa.Text, default="")
    ratings: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="revisions")


class Answer(db.Model):
    """One expert's answer to one question; revised in place until the round closes."""

    __table_args__ = (sa.UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # Text answers and chosen options as text; Likert as 1..5; multiple choice as a JSON list.
    text: Mapped[str] = mapped_column(sa.Text, default="")
    number: Mapped[int | None]
    choices: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    question: Mapped["Question"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821
