"""Background jobs: a `Job` row for every piece of work, run after the caller's commit.

    job = start_job("cluster", "consult.review.runs.execute_run", run.id, requested_by=user)
    db.session.commit()                      # dispatched now; a rollback starts nothing

In-process by default (long jobs in a process of their own, short ones on the "fast" thread), on RQ
workers when REDIS_URL is set, in the caller when JOBS_EAGER is set (tests). Only function paths and job
ids are logged: arguments may carry a mail body or a one-time link.
"""
from consult.core.jobs.dispatch import (
    DIED_MESSAGE,
    JOB_TIMEOUT,
    QUEUE_NAME,
    QUEUES,
    enqueue,
    run_in_app,
    run_job_in_worker,
    shutdown,
    use_worker_app,
    wait,
)
from consult.core.jobs.models import Job, JobState
from consult.core.jobs.runner import (
    current_job_id,
    failure_message,
    heartbeat,
    report_progress,
    resolve,
    run_job,
)
from consult.core.jobs.services import get_job, list_jobs, mark_stale_jobs, start_job

_resolve = resolve  # the name tests and older callers use

__all__ = [
    "DIED_MESSAGE", "JOB_TIMEOUT", "QUEUES", "QUEUE_NAME", "Job", "JobState", "current_job_id", "enqueue",
    "failure_message", "get_job", "heartbeat", "list_jobs", "mark_stale_jobs", "report_progress", "run_in_app",
    "run_job", "run_job_in_worker", "shutdown", "start_job", "use_worker_app", "wait",
]
