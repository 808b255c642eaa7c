"""The secretaries' workspace: clustering runs, topics that outlive runs, links and decisions."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.db_types import enum_type
from consult.core.time import utcnow
from consult.extensions import db


class RunState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class TopicOrigin(enum.StrEnum):
    RUN = "run"
    SECRETARY = "secretary"


class MembershipSource(enum.StrEnum):
    MACHINE = "machine"
    MANUAL = "manual"


class LinkSource(enum.StrEnum):
    AUTHOR = "author"
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY = "partly"
    REJECTED = "rejected"
    NOTED = "noted"


class ClusterRun(db.Model):
    """One background clustering of a consultation's comments within a scope."""

    __table_args__ = (
        # At most one queued or running run per scope.
        sa.Index(
            "uq_cluster_run_active",
            "consultation_id",
            "scope",
            unique=True,
            sqlite_where=sa.text("state IN ('queued', 'running')"),
            postgresql_where=sa.text("state IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    # "all", or "item:<code>" for one subtree.
    scope: Mapped[str] = mapped_column(sa.String(100), default="all")
    parameters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    state: Mapped[RunState] = mapped_column(enum_type(RunState, "run_state"), default=RunState.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # The fitted model, under the app's instance folder (relative), for placing later comments.
    model_path: Mapped[str | None] = mapped_column(sa.String(300))
    comment_count: Mapped[int | None]
    topic_count: Mapped[int | None]

    consultation: Mapped["Consultation"] = relationship()  # noqa: F821

    @property
    def is_active(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RUNNING)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class Topic(db.Model):
    """A group of comments; a secretary's label, merge or noise mark survives later runs."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(sa.String(100), default="all")
    machine_label: Mapped[str] = mapped_column(sa.String(300), default="")
    keywords: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    label: Mapped[str] = mapped_column(sa.String(300), default="")  # the secretary's
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id", ondelete="SET NULL"))
    is_noise: Mapped[bool] = mapped_column(default=False)
    # The run's "other" group: comments that fit none of its topics.
    is_other: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    origin: Mapped[TopicOrigin] = mapped_column(enum_type(TopicOrigin, "topic_origin"))
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cluster_run.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    merged_into: Mapped["Topic | None"] = relationship(remote_side=[id])
    memberships: Mapped[list["TopicMembership"]] = relationship(
        back_populates="topic", cascade="all, delete-orphan"
    )

    @property
    def display_label(self) -> str:
        return self.label or self.machine_label


class TopicMembership(db.Model):
    __table_args__ = (sa.UniqueConstraint("comment_id", "topic_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    source: Mapped[MembershipSource] = mapped_column(
        enum_type(MembershipSource, "membership_source"), default=MembershipSource.MACHINE
    )
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cluster_run.id", ondelete="SET NULL"))
    is_representative: Mapped[bool] = mapped_column(default=False)
    # Placed by the stored model after its run: "new since the last run".
    is_new: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship(back_populates="memberships")
    comment: Mapped["Comment"] = relationship()  # noqa: F821


duplicate_group_member = sa.Table(
    "duplicate_group_member",
    db.metadata,
    sa.Column("group_id", sa.ForeignKey("duplicate_group.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("comment_id", sa.ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True),
)


class DuplicateGroup(db.Model):
    """Comments that are copies of one text (a campaign or copy-paste)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cluster_run.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comments: Mapped[list["Comment"]] = relationship(secondary=duplicate_group_member)  # noqa: F821

    @property
    def size(self) -> int:
        return len(self.comments)


class CommentLink(db.Model):
    """A comment's link to a plan item: the author's own, a suggestion, or a secretary's verdict."""

    __table_args__ = (sa.UniqueConstraint("comment_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)
    source: Mapped[LinkSource] = mapped_column(enum_type(LinkSource, "link_source"))
    score: Mapped[float | None]
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cluster_run.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    comment: Mapped["Comment"] = relationship()  # noqa: F821
    item: Mapped["PlanItem"] = relationship()  # noqa: F821


class Decision(db.Model):
    """A secretary's decision on a comment or a topic, with the response sent back."""

    __table_args__ = (
        sa.CheckConstraint(
            "(comment_id IS NULL) <> (topic_id IS NULL)", name="comment_xor_topic"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    secretary_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome, "decision_outcome"))
    response: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    comment: Mapped["Comment | None"] = relationship()  # noqa: F821
    topic: Mapped[Topic | None] = relationship()
    secretary: Mapped["User"] = relationship()  # noqa: F821
