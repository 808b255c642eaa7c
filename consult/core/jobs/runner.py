"""Running one job wherever it landed: the state it goes through, progress, the heartbeat, the result."""
import contextvars
import importlib
import inspect
import json
import logging
import threading
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, current_app

from consult.core.errors import ConsultError
from consult.core.jobs.models import Job, JobState
from consult.core.time import utcnow
from consult.extensions import db

log = logging.getLogger("consult.core.jobs")

FAILED_MESSAGE = "کار با خطا متوقف شد ({name})."
_current = contextvars.ContextVar("consult_job_id", default=None)


def current_job_id() -> int | None:
    """The id of the job this code runs in, for functions that do not take it as an argument."""
    return _current.get()


def resolve(function_path: str):
    """The function a dotted path names."""
    module, _, name = function_path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def wants_job_id(function) -> bool:
    """Whether the function declares the job id as its first parameter."""
    parameters = list(inspect.signature(function).parameters)
    return bool(parameters) and parameters[0] == "job_id"


@contextmanager
def own_transaction():
    """A session of its own, committed at once: progress is seen while the job's own work is still open."""
    session = db.session.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def report_progress(job_id: int, percent: int) -> None:
    """Store a running job's progress (0-100); it also beats the heartbeat."""
    percent = max(0, min(100, int(percent)))
    with own_transaction() as session:
        session.execute(sa.update(Job).where(Job.id == job_id, Job.state == JobState.RUNNING)
                        .values(progress=percent, heartbeat_at=utcnow()))


def heartbeat(job_id: int) -> None:
    """Say that a running job is alive (the runner also beats on its own while the function works)."""
    _beat(job_id, None)


def _beat(job_id: int, queue: str | None) -> None:
    now = utcnow()
    with own_transaction() as session:
        session.execute(sa.update(Job).where(Job.id == job_id, Job.state == JobState.RUNNING)
                        .values(heartbeat_at=now))
        if queue:
            # Jobs waiting behind this one on its queue are alive too: their queue is busy, not dead.
            session.execute(sa.update(Job).where(Job.queue == queue, Job.state == JobState.QUEUED)
                            .values(heartbeat_at=now))


def _heartbeat_thread(app: Flask, job_id: int, queue: str) -> threading.Event:
    stop = threading.Event()
    interval = max(1.0, app.config["JOB_HEARTBEAT_SECONDS"] / 4)

    def beat() -> None:
        with app.app_context():
            while not stop.wait(interval):
                try:
                    _beat(job_id, queue)
                except sa.exc.SQLAlchemyError as error:
                    log.warning("job %s: heartbeat not stored: %s", job_id, type(error).__name__)

    threading.Thread(target=beat, name=f"consult-heartbeat-{job_id}", daemon=True).start()
    return stop


def failure_message(error: Exception) -> str:
    """What people read about a failed job: a domain error's own Persian message, else the error's class."""
    if isinstance(error, ConsultError):
        return error.message
    return FAILED_MESSAGE.format(name=type(error).__name__)


def _jsonable(value):
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        log.warning("job result of type %s is not JSON: not stored", type(value).__name__)
        return None
    return value


def _set_state(job_id: int, from_state: JobState, **values) -> bool:
    """Move the job on only if it is still in from_state: a job marked failed meanwhile stays failed."""
    result = db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.state == from_state).values(**values),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def run_job(job_id: int, *, beat: bool = True) -> JobState | None:
    """Run a queued job once, in the current app context; returns its final state (None if it did not run).

    The function gets the job id first when its first parameter is `job_id` (else `current_job_id()`).
    What it leaves flushed is committed with its done state, in one transaction; an exception rolls it
    back and marks the job failed with a Persian message, the traceback going to the log only.
    """
    job = db.session.get(Job, job_id)
    if job is None or job.state != JobState.QUEUED:
        log.warning("job %s not run: it is %s", job_id, job.state if job else "gone")
        db.session.rollback()
        return None
    function_path, args, queue = job.function, list(job.arguments or []), job.queue
    now = utcnow()
    _set_state(job_id, JobState.QUEUED, state=JobState.RUNNING, started_at=now, heartbeat_at=now)
    db.session.commit()
    log.info("job %s (%s) running", job_id, function_path)
    stop = _heartbeat_thread(current_app._get_current_object(), job_id, queue) if beat else None
    token = _current.set(job_id)
    try:
        function = resolve(function_path)
        result = function(job_id, *args) if wants_job_id(function) else function(*args)
    except Exception as error:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, function_path)
        _set_state(job_id, JobState.RUNNING, state=JobState.FAILED, error=failure_message(error),
                   finished_at=utcnow())
        db.session.commit()
        return JobState.FAILED
    finally:
        _current.reset(token)
        if stop is not None:
            stop.set()
    if not _set_state(job_id, JobState.RUNNING, state=JobState.DONE, progress=100, result=_jsonable(result),
                      finished_at=utcnow()):
        db.session.rollback()  # marked failed while it ran: what it left unsaved is dropped
        log.warning("job %s (%s) finished after it was marked failed: its result is dropped", job_id, function_path)
        return JobState.FAILED
    db.session.commit()
    log.info("job %s (%s) done", job_id, function_path)
    return JobState.DONE
