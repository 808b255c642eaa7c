"""Background jobs run in-process by default and on a real RQ worker when REDIS_URL is set."""
import os

from consult.core import jobs
from tests.conftest import skip_or_fail


def remember(value):
    """A job whose result shows it ran."""
    return value * 2


def test_in_process_job_runs_with_an_app_context(app):
    with app.app_context():
        future = jobs.enqueue("tests.web.test_jobs.remember", 21)
    assert future.result(timeout=10) == 42


def test_rq_worker_runs_the_job():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rq import Queue, SimpleWorker

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis = Redis.from_url(url)
    try:
        redis.ping()
    except RedisConnectionError:
        skip_or_fail("Redis not reachable")
    from config import TestingConfig
    from consult import create_app

    app = create_app(TestingConfig, REDIS_URL=url)
    queue = Queue(jobs.QUEUE_NAME, connection=redis)
    queue.empty()
    with app.app_context():
        job_id = jobs.enqueue("tests.web.test_jobs.remember", 5)
    jobs._app = app  # the worker reuses this app instead of building one from the environment
    try:
        SimpleWorker([queue], connection=redis).work(burst=True)
    finally:
        jobs._app = None
    job = queue.fetch_job(job_id)
    assert job.is_finished and job.return_value() == 10
    queue.empty()
