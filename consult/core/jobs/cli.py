"""`flask --app run worker [--queue fast|default|all]`: an RQ worker for the jobs (needs REDIS_URL)."""
import click
from flask import current_app
from flask.cli import with_appcontext

from consult.core.cli import fail
from consult.core.jobs import dispatch

QUEUE_CHOICES = {"fast": ["fast"], "default": ["default"], "all": ["fast", "default"]}


@click.command("worker")
@click.option("--queue", "which", type=click.Choice(sorted(QUEUE_CHOICES)), default="all", show_default=True,
              help="fast: short per-comment work; default: long runs; all: both, fast first.")
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
@with_appcontext
def worker_command(which: str, burst: bool) -> None:
    """Run an RQ worker for Consult's background jobs."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        fail("error: REDIS_URL is not set; jobs run inside the web server and need no worker")
    from redis import Redis
    from rq import Worker

    from consult import create_worker_app  # the package's own factory, not a feature: no cycle

    # Built once here, before RQ forks a work horse for each job; it opens no connection yet.
    dispatch.use_worker_app(create_worker_app())
    connection = Redis.from_url(url)
    names = [dispatch.QUEUES[q] for q in QUEUE_CHOICES[which]]
    click.echo(f"worker on {', '.join(names)}")
    Worker(names, connection=connection).work(burst=burst)


GROUPS = (worker_command,)
