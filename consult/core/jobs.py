"""Background work: in-process threads by default, RQ workers when REDIS_URL is set.

A job is a function path plus plain arguments, so the same call runs in a thread or on a worker:

    enqueue("consult.review.jobs.run_clustering", run.id)

Only the function path is ever logged: arguments may carry a mail body with a one-time link.
"""
import importlib
import logging
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app

log = logging.getLogger(__name__)
QUEUE_NAME = "consult"
JOB_TIMEOUT = 60 * 60

# One worker thread: jobs are CPU-bound NLP and the machine has few cores; requests keep the rest.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="consult-job")


def enqueue(function_path: str, *args) -> str | Future:
    """Run function_path(*args) in the background; returns the RQ job id or the thread's future."""
    url = current_app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        # RQ's worker logs a job's description, which by default spells out its arguments.
        job = Queue(QUEUE_NAME, connection=Redis.from_url(url)).enqueue(
            run_in_app, function_path, *args, job_timeout=JOB_TIMEOUT, description=function_path
        )
        log.info("queued %s on RQ as %s", function_path, job.id)
        return job.id
    app = current_app._get_current_object()
    log.info("running %s in-process", function_path)
    return _executor.submit(_run_with_app, app, function_path, args)


def _resolve(function_path: str):
    module, _, name = function_path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _run_with_app(app: Flask, function_path: str, args: tuple):
    with app.app_context():
        try:
            return _resolve(function_path)(*args)
        except Exception:
            log.exception("background job %s failed", function_path)
            raise


def run_in_app(function_path: str, *args):
    """Entry point on an RQ worker: build the app once per worker process, then run the job."""
    return _run_with_app(_worker_app(), function_path, args)


_app: Flask | None = None


def _worker_app() -> Flask:
    global _app
    if _app is None:
        from consult import create_worker_app  # the package's own factory, not a feature: no cycle

        _app = create_worker_app()
    return _app
