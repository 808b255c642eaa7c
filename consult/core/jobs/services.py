"""Starting jobs and reading them; a job whose process died is marked failed before anyone reads it."""
import json
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from consult.core.jobs.dispatch import DIED_MESSAGE, QUEUES, schedule
from consult.core.jobs.models import ACTIVE, Job, JobState
from consult.core.time import utcnow
from consult.extensions import db

log = logging.getLogger("consult.core.jobs")


def start_job(kind: str, function_path: str, *args, requested_by=None, queue: str = "default") -> Job:
    """Store a queued job (flushed; the caller commits); it is dispatched after the commit, never before.

    `args` must be JSON values: they are stored for the worker (and never logged).
    """
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    try:
        json.dumps(args)
    except (TypeError, ValueError):
        raise TypeError(f"arguments of job {function_path} must be JSON values") from None
    mark_stale_jobs(kind=kind)
    job = Job(kind=kind, queue=queue, function=function_path, arguments=list(args),
              requested_by_id=getattr(requested_by, "id", None))
    db.session.add(job)
    db.session.flush()
    schedule(job)
    log.info("job %s (%s: %s) queued on %s by user %s", job.id, kind, function_path, queue, job.requested_by_id)
    return job


def mark_stale_jobs(now: datetime | None = None, *, kind: str | None = None) -> list[int]:
    """Mark failed every queued or running job silent past JOB_HEARTBEAT_SECONDS; returns their ids.

    Silent means no heartbeat (nor start, nor creation) since the limit: a worker that was killed, a server
    restarted with jobs in its queue. Flushes in the caller's transaction, so a page that reads jobs commits.
    """
    now = now or utcnow()
    cutoff = now - timedelta(seconds=current_app.config["JOB_HEARTBEAT_SECONDS"])
    last_sign = sa.func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)
    query = sa.select(Job.id).where(Job.state.in_(ACTIVE), last_sign < cutoff)
    if kind is not None:
        query = query.where(Job.kind == kind)
    ids = list(db.session.scalars(query))
    if ids:
        db.session.execute(
            sa.update(Job).where(Job.id.in_(ids), Job.state.in_(ACTIVE))
            .values(state=JobState.FAILED, error=DIED_MESSAGE, finished_at=now),
            execution_options={"synchronize_session": "fetch"},
        )
        log.warning("jobs %s marked failed: silent past the heartbeat limit", ids)
    return ids


def get_job(job_id: int) -> Job | None:
    """One job, with dead jobs marked failed first."""
    mark_stale_jobs()
    return db.session.get(Job, job_id)


def list_jobs(kind: str | None = None, *, limit: int = 50) -> list[Job]:
    """The latest jobs (of one kind), newest first, with dead jobs marked failed first."""
    mark_stale_jobs(kind=kind)
    query = sa.select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(Job.kind == kind)
    return list(db.session.scalars(query))
