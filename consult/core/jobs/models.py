"""The row every piece of background work leaves: what it is, where it stands, what came of it."""
import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.db_types import enum_type
from consult.core.time import utcnow
from consult.extensions import db


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE = (JobState.QUEUED, JobState.RUNNING)


class Job(db.Model):
    """One background job: a function path and JSON arguments, run once, with progress and a heartbeat."""

    __tablename__ = "job"
    __table_args__ = (sa.Index("ix_job_state_kind", "state", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    queue: Mapped[str] = mapped_column(sa.String(20), default="default")
    state: Mapped[JobState] = mapped_column(enum_type(JobState, "job_state"), default=JobState.QUEUED)
    progress: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    # Arguments may carry private text: they are stored for the worker, never logged.
    function: Mapped[str] = mapped_column(sa.String(200))
    arguments: Mapped[list] = mapped_column(sa.JSON, default=list)
    result: Mapped[Any] = mapped_column(sa.JSON(none_as_null=True), nullable=True)
    # Persian, for people; the traceback goes to the log only.
    error: Mapped[str] = mapped_column(sa.Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        """Queued or running."""
        return self.state in ACTIVE
