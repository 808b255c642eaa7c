"""Background jobs: a Job row run after the caller's commit, in-process (eager in tests, a real process
below) or on a real RQ worker; failures and dead processes end as failed rows with a Persian message."""
import logging
import multiprocessing
import os
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.core import jobs
from consult.core.errors import ConsultError
from consult.core.jobs import Job, JobState
from consult.core.jobs.runner import _beat, own_transaction
from consult.core.time import utcnow
from consult.extensions import db
from tests.conftest import skip_or_fail

CALLS = []


# --- job functions the tests start -------------------------------------------------------------------

def remember(value):
    """A job whose result shows it ran."""
    CALLS.append(value)
    return value * 2


def with_id(job_id, value):
    return {"job_id": job_id, "current": jobs.current_job_id(), "value": value}


def halfway(job_id):
    jobs.report_progress(job_id, 40)
    return db.session.get(Job, job_id).progress


def explode(secret):
    raise ValueError("no such thing")


def refuse():
    raise ConsultError("این دور هیچ نظری ندارد.")


def overtaken(job_id):
    """Marked failed by a reader while it runs (as when its heartbeat was late): its result is dropped."""
    with own_transaction() as session:
        session.execute(sa.update(Job).where(Job.id == job_id).values(state=JobState.FAILED, error="x"))
    return "late"


def observe_state(job_id, value):
    return {"seen": db.session.get(Job, job_id).state.value, "value": value * 2}


def in_a_process():
    """Where it ran, and whether it may fork workers of its own (as the tokeniser does above 0.5 M characters)."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply(os.getpid)
    return {"pid": os.getpid(), "daemon": multiprocessing.current_process().daemon, "child": child}


def on_the_fast_queue():
    return {"pid": os.getpid(), "thread": threading.current_thread().name}


@pytest.fixture(autouse=True)
def _forget_calls():
    CALLS.clear()


@pytest.fixture
def log(caplog):
    logging.getLogger("consult.core.jobs").disabled = False  # Alembic's fileConfig (migration test) disables it
    caplog.set_level(logging.DEBUG)
    return caplog


# --- starting, running, failing (JOBS_EAGER: the job runs right after the commit) ----------------------

def test_a_job_runs_after_the_commit_with_its_id(app, factory):
    user = factory.make_user()
    job = jobs.start_job("test", "tests.web.test_jobs.with_id", 7, requested_by=user)
    assert job.state == JobState.QUEUED and job.requested_by_id == user.id
    db.session.commit()
    assert job.state == JobState.DONE and job.progress == 100
    assert job.result == {"job_id": job.id, "current": job.id, "value": 7}
    assert job.started_at is not None and job.finished_at is not None and job.error == ""


def test_a_function_without_job_id_gets_its_arguments_only(app):
    job = jobs.start_job("test", "tests.web.test_jobs.remember", 21)
    db.session.commit()
    assert (job.state, job.result, CALLS) == (JobState.DONE, 42, [21])


def test_a_rolled_back_job_starts_nothing(app):
    jobs.start_job("test", "tests.web.test_jobs.remember", 1)
    db.session.rollback()
    db.session.commit()
    assert CALLS == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_nothing_runs_before_the_commit(app):
    jobs.start_job("test", "tests.web.test_jobs.remember", 1)
    db.session.flush()
    assert CALLS == []
    db.session.commit()
    assert CALLS == [1]


def test_progress_is_stored_and_a_finished_job_is_at_100(app):
    job = jobs.start_job("test", "tests.web.test_jobs.halfway")
    db.session.commit()
    assert job.result == 40 and job.progress == 100


def test_a_raised_exception_marks_the_job_failed_in_persian(app, log):
    job = jobs.start_job("test", "tests.web.test_jobs.explode", "password=hunter2-TOKEN")
    db.session.commit()
    assert job.state == JobState.FAILED and job.finished_at is not None
    assert job.error == "کار با خطا متوقف شد (ValueError)."
    assert "Traceback" in log.text and "no such thing" in log.text  # the traceback goes to the log
    assert "tests.web.test_jobs.explode" in log.text and "hunter2-TOKEN" not in log.text


def test_a_domain_error_keeps_its_own_message(app):
    job = jobs.start_job("test", "tests.web.test_jobs.refuse")
    db.session.commit()
    assert (job.state, job.error) == (JobState.FAILED, "این دور هیچ نظری ندارد.")


def test_a_job_marked_failed_while_it_ran_stays_failed(app):
    job = jobs.start_job("test", "tests.web.test_jobs.overtaken")
    db.session.commit()
    assert job.state == JobState.FAILED and job.result is None


def test_a_job_that_is_not_queued_is_not_run(app):
    job = make_job(JobState.FAILED)
    assert jobs.run_job(job.id, beat=False) is None


def test_arguments_must_be_json(app):
    with pytest.raises(TypeError):
        jobs.start_job("test", "tests.web.test_jobs.remember", object())
    with pytest.raises(ValueError):
        jobs.start_job("test", "tests.web.test_jobs.remember", 1, queue="slow")


def test_start_log_names_the_function_not_its_arguments(app, log):
    jobs.start_job("mail", "tests.web.test_jobs.remember", "secret-body-TOKEN")
    db.session.commit()
    assert "tests.web.test_jobs.remember" in log.text and "secret-body-TOKEN" not in log.text


# --- a job whose process died is marked failed --------------------------------------------------------

def make_job(state, *, kind="cluster", queue="default", started=False):
    now = utcnow()
    job = Job(kind=kind, queue=queue, function="tests.web.test_jobs.remember", arguments=[1], state=state,
              started_at=now if started else None, heartbeat_at=now if started else None)
    db.session.add(job)
    db.session.flush()
    return job


def past_the_limit(app, clock, seconds=1):
    clock.shift(timedelta(seconds=app.config["JOB_HEARTBEAT_SECONDS"] + seconds))


def test_a_running_job_silent_past_the_limit_is_marked_failed(app, clock):
    job = make_job(JobState.RUNNING, started=True)
    past_the_limit(app, clock)
    assert jobs.mark_stale_jobs() == [job.id]
    assert job.state == JobState.FAILED and job.error == jobs.DIED_MESSAGE
    assert job.error == "کار متوقف شد: فرایند آن از کار افتاد."


def test_a_queued_job_never_started_is_marked_failed(app, clock):
    job = make_job(JobState.QUEUED)
    past_the_limit(app, clock)
    jobs.mark_stale_jobs()
    assert job.state == JobState.FAILED and job.started_at is None


def test_a_fresh_job_is_not_marked(app, clock):
    running, queued = make_job(JobState.RUNNING, started=True), make_job(JobState.QUEUED)
    done = make_job(JobState.DONE)
    past_the_limit(app, clock, seconds=-10)
    assert jobs.mark_stale_jobs() == []
    assert (running.state, queued.state, done.state) == (JobState.RUNNING, JobState.QUEUED, JobState.DONE)
    past_the_limit(app, clock)
    assert done.state == JobState.DONE and sorted(jobs.mark_stale_jobs()) == sorted([running.id, queued.id])


def test_a_heartbeat_keeps_the_job_and_those_queued_behind_it_alive(app, clock):
    running, waiting = make_job(JobState.RUNNING, started=True), make_job(JobState.QUEUED)
    elsewhere = make_job(JobState.QUEUED, queue="fast")
    past_the_limit(app, clock, seconds=-10)
    _beat(running.id, "default")
    clock.shift(timedelta(seconds=20))
    assert jobs.mark_stale_jobs() == [elsewhere.id]
    assert (running.state, waiting.state) == (JobState.RUNNING, JobState.QUEUED)


def test_report_progress_beats_the_heartbeat(app, clock):
    job = make_job(JobState.RUNNING, started=True)
    past_the_limit(app, clock, seconds=-10)
    jobs.report_progress(job.id, 130)
    clock.shift(timedelta(seconds=20))
    db.session.expire(job)
    assert jobs.mark_stale_jobs() == [] and job.progress == 100


def test_starting_a_job_marks_dead_ones_of_its_kind(app, clock):
    dead, other_kind = make_job(JobState.RUNNING, started=True), make_job(JobState.RUNNING, kind="export", started=True)
    past_the_limit(app, clock)
    jobs.start_job("cluster", "tests.web.test_jobs.remember", 1)
    assert dead.state == JobState.FAILED and other_kind.state == JobState.RUNNING


def test_reading_jobs_marks_dead_ones_first(app, clock):
    dead = make_job(JobState.QUEUED)
    past_the_limit(app, clock)
    assert [job.state for job in jobs.list_jobs("cluster")] == [JobState.FAILED]
    assert jobs.get_job(dead.id).state == JobState.FAILED


# --- work without a row (mail) ------------------------------------------------------------------------

def test_in_process_job_runs_with_an_app_context(app):
    with app.app_context():
        future = jobs.enqueue("tests.web.test_jobs.remember", 21)
    assert future.result(timeout=10) == 42


# --- a real process of its own ------------------------------------------------------------------------

def test_long_jobs_run_in_a_process_of_their_own_and_short_ones_in_a_thread(tmp_path):
    from config import TestingConfig
    from consult import create_app

    # A file both processes open (the suite's own database lives inside one connection's transaction).
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'jobs.db'}",
                     SQLALCHEMY_ENGINE_OPTIONS={}, JOBS_EAGER=False)
    with app.app_context():
        db.create_all()
        try:
            long = jobs.start_job("test", "tests.web.test_jobs.in_a_process")
            short = jobs.start_job("test", "tests.web.test_jobs.on_the_fast_queue", queue="fast")
            ids = long.id, short.id
            db.session.commit()  # reading an expired row now would take SQLite's write lock while the jobs run
            jobs.wait(ids[0], timeout=300)
            jobs.wait(ids[1], timeout=60)
            long, short = db.session.get(Job, ids[0]), db.session.get(Job, ids[1])
            assert long.state == JobState.DONE, long.error
            assert long.result["pid"] != os.getpid() and long.result["daemon"] is False
            assert long.result["child"] not in (os.getpid(), long.result["pid"])  # the job could fork
            assert short.state == JobState.DONE, short.error
            assert short.result["pid"] == os.getpid() and short.result["thread"].startswith("consult-fast")
        finally:
            jobs.shutdown(app)
            db.session.remove()
            db.engine.dispose()


# --- a real RQ worker ---------------------------------------------------------------------------------

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def reachable_redis():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except RedisConnectionError:
        skip_or_fail(f"Redis not reachable at {REDIS_URL} (set TEST_REDIS_URL)")
    return redis


@pytest.fixture
def rq_app(app):
    from config import TestingConfig
    from consult import create_app

    rq_app = create_app(TestingConfig, REDIS_URL=REDIS_URL, JOBS_EAGER=False)
    jobs.use_worker_app(rq_app)  # the worker reuses this app instead of building one from the environment
    yield rq_app
    jobs.use_worker_app(None)


def test_rq_worker_runs_a_job_row(rq_app):
    from rq import Queue, SimpleWorker

    redis = reachable_redis()
    queue = Queue(jobs.QUEUES["default"], connection=redis)
    queue.empty()
    with rq_app.app_context():
        job_id = jobs.start_job("test", "tests.web.test_jobs.observe_state", 5).id
        assert queue.count == 0  # nothing before the commit
        db.session.commit()
    assert db.session.get(Job, job_id).state == JobState.QUEUED
    [rq_job] = queue.jobs
    assert rq_job.args == (job_id,) and rq_job.description == f"consult job {job_id}"  # no arguments in Redis
    try:
        SimpleWorker([queue], connection=redis).work(burst=True)
    finally:
        queue.empty()
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == JobState.DONE and job.result == {"seen": "running", "value": 10}


def test_rq_worker_runs_work_without_a_row_on_the_fast_queue(rq_app):
    from rq import Queue, SimpleWorker

    redis = reachable_redis()
    queue = Queue(jobs.QUEUES["fast"], connection=redis)
    queue.empty()
    with rq_app.app_context():
        job_id = jobs.enqueue("tests.web.test_jobs.remember", 5)
    try:
        SimpleWorker([queue], connection=redis).work(burst=True)
        rq_job = queue.fetch_job(job_id)
        assert rq_job.is_finished and rq_job.return_value() == 10
    finally:
        queue.empty()


def test_worker_command_needs_redis(runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 2 and "REDIS_URL is not set" in result.output


def test_worker_command_serves_the_chosen_queue(rq_app):
    reachable_redis()
    with rq_app.app_context():
        result = rq_app.test_cli_runner().invoke(args=["worker", "--queue", "fast", "--burst"])
    assert result.exit_code == 0, result.output
    assert "worker on consult-fast" in result.output
