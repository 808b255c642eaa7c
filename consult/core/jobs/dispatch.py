"""Where committed work runs: in the caller (JOBS_EAGER), in this server's own process and thread, or on RQ.

In-process, long jobs ("default" queue) run one at a time in a separate, non-daemonic process (started by
forkserver or spawn, never a fork of the web server), so the tokeniser may still fork workers of its own;
short ones ("fast") run one at a time in a thread of their own, so they never wait behind a long run. With
REDIS_URL the same two queues are RQ's "consult" and "consult-fast", served by `flask --app run worker`.
"""
import logging
import multiprocessing
import pickle
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from consult.core.jobs.models import Job, JobState
from consult.core.jobs.runner import resolve, run_job
from consult.core.time import utcnow
from consult.extensions import db

log = logging.getLogger("consult.core.jobs")

QUEUES = {"default": "consult", "fast": "consult-fast"}
QUEUE_NAME = QUEUES["default"]
JOB_TIMEOUT = 60 * 60
DIED_MESSAGE = "کار متوقف شد: فرایند آن از کار افتاد."
_PENDING = "consult_jobs_pending"


# --- after the caller's commit ------------------------------------------------------------------------

def schedule(job: Job) -> None:
    """Dispatch the job when the session's transaction commits; a rollback drops it."""
    pending = db.session.info.setdefault(_PENDING, [])
    pending.append((current_app._get_current_object(), job.id, job.queue))


@sa.event.listens_for(Session, "after_commit")
def _dispatch_pending(session: Session) -> None:
    for app, job_id, queue in session.info.pop(_PENDING, []):
        try:
            dispatch(app, job_id, queue)
        except Exception:  # the row stays queued; the heartbeat limit marks it failed
            log.exception("job %s could not be dispatched", job_id)


@sa.event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed (already dispatched) or rolled back
        session.info.pop(_PENDING, None)


def dispatch(app: Flask, job_id: int, queue: str) -> None:
    """Send a committed job to where it runs."""
    url = app.config.get("REDIS_URL")
    if not url and app.config.get("JOBS_EAGER"):
        # A thread of its own, waited for: the committing session cannot run SQL inside its commit.
        thread = threading.Thread(target=_run_with_app, args=(app, job_id, False), name=f"consult-eager-{job_id}")
        thread.start()
        thread.join()
        return
    if url:
        from redis import Redis
        from rq import Queue

        # RQ's worker logs a job's description: the job id alone, never the arguments.
        rq_job = Queue(QUEUES[queue], connection=Redis.from_url(url)).enqueue(
            run_job_in_worker, job_id, job_timeout=JOB_TIMEOUT, description=f"consult job {job_id}"
        )
        log.info("job %s queued on RQ %s as %s", job_id, QUEUES[queue], rq_job.id)
        return
    settled = _in_flight[job_id] = Future()  # set once the job and its aftermath are over
    if queue == "fast":
        future = _executors(app)["fast"].submit(_run_with_app, app, job_id, True)
        future.add_done_callback(lambda _done: _settle(job_id, settled))
        return
    pool = _process_pool(app)
    future = pool.submit(_run_in_process, job_id)
    future.add_done_callback(lambda done: _after_process(app, pool, job_id, done, settled))


def _run_with_app(app: Flask, job_id: int, beat: bool) -> None:
    with app.app_context():
        try:
            run_job(job_id, beat=beat)
        except Exception:
            log.exception("job %s could not run", job_id)


# --- in-process executors -----------------------------------------------------------------------------

_in_flight: dict[int, Future] = {}
_lock = threading.Lock()


def _executors(app: Flask) -> dict:
    with _lock:
        return app.extensions.setdefault("consult_jobs", {
            "fast": ThreadPoolExecutor(max_workers=1, thread_name_prefix="consult-fast"),
        })


def _start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _process_pool(app: Flask) -> ProcessPoolExecutor:
    executors = _executors(app)
    with _lock:
        if executors.get("default") is None:
            # A process of its own, kept for the next job; never a fork of the web server's threads.
            executors["default"] = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context(_start_method()),
                initializer=_start_worker_process, initargs=(_portable_config(app),),
            )
        return executors["default"]


def _portable_config(app: Flask) -> dict:
    """The app's settings that can cross to another process, so the worker's app matches this one."""
    config = {}
    for key, value in app.config.items():
        try:
            pickle.dumps(value)
        except Exception:  # noqa: BLE001  anything that cannot be pickled stays behind
            continue
        config[key] = value
    return config


def _start_worker_process(config: dict) -> None:
    global _app
    from consult import create_worker_app  # the package's own factory, not a feature: no cycle

    _app = create_worker_app(**config)


def _run_in_process(job_id: int) -> None:
    _run_with_app(_worker_app(), job_id, True)


def _settle(job_id: int, settled: Future) -> None:
    _in_flight.pop(job_id, None)
    settled.set_result(None)


def _after_process(app: Flask, pool: ProcessPoolExecutor, job_id: int, future: Future, settled: Future) -> None:
    try:
        if isinstance(future.exception(), BrokenProcessPool):
            _process_died(app, pool, job_id)
    finally:
        _settle(job_id, settled)


def _process_died(app: Flask, pool: ProcessPoolExecutor, job_id: int) -> None:
    # The process died (killed, out of memory): the next job gets a new one, and this job is marked failed.
    with _lock:
        if app.extensions.get("consult_jobs", {}).get("default") is pool:
            app.extensions["consult_jobs"]["default"] = None
            pool.shutdown(wait=False, cancel_futures=True)
    with app.app_context():
        db.session.execute(sa.update(Job).where(Job.id == job_id, Job.state.in_((JobState.QUEUED, JobState.RUNNING)))
                           .values(state=JobState.FAILED, error=DIED_MESSAGE, finished_at=utcnow()))
        db.session.commit()
    log.error("job %s: its process died", job_id)


def wait(job_id: int, timeout: float | None = None) -> None:
    """Wait for a job sent to this server's job process or fast thread (at once if it is not there)."""
    settled = _in_flight.get(job_id)
    if settled is not None:
        settled.result(timeout=timeout)


def shutdown(app: Flask) -> None:
    """Stop this app's job process and thread once their work is done."""
    executors = app.extensions.pop("consult_jobs", {})
    for executor in executors.values():
        if executor is not None:
            executor.shutdown(wait=True)


# --- work without a row (mail) ------------------------------------------------------------------------

def enqueue(function_path: str, *args) -> str | Future:
    """Run function_path(*args) on the fast queue, without a job row; returns the RQ job id or a future.

    For mail: its arguments carry one-time links, which are sent but never stored or logged.
    """
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        # RQ's worker logs a job's description, which by default spells out its arguments.
        job = Queue(QUEUES["fast"], connection=Redis.from_url(url)).enqueue(
            run_in_app, function_path, *args, job_timeout=JOB_TIMEOUT, description=function_path
        )
        log.info("queued %s on RQ as %s", function_path, job.id)
        return job.id
    log.info("running %s in-process", function_path)
    # JOBS_EAGER is for job rows only: work without a row keeps its thread, in tests too.
    return _executors(app)["fast"].submit(_call_with_app, app, function_path, args)


def _call_with_app(app: Flask, function_path: str, args: tuple):
    with app.app_context():
        try:
            return resolve(function_path)(*args)
        except Exception:
            log.exception("background job %s failed", function_path)
            raise


# --- on an RQ worker ----------------------------------------------------------------------------------

def run_in_app(function_path: str, *args):
    """Entry point on an RQ worker for work without a row: build the app once per worker, then run it."""
    return _call_with_app(_worker_app(), function_path, args)


def run_job_in_worker(job_id: int) -> None:
    """Entry point on an RQ worker for a job row."""
    _run_with_app(_worker_app(), job_id, True)


_app: Flask | None = None


def use_worker_app(app: Flask | None) -> None:
    """The app jobs in this process run in (the worker command builds it before RQ forks)."""
    global _app
    _app = app


def _worker_app() -> Flask:
    global _app
    if _app is None:
        from consult import create_worker_app  # the package's own factory, not a feature: no cycle

        _app = create_worker_app()
    return _app
