"""`flask --app run review cluster --consultation SLUG [--scope KEY] [--k N]`: a clustering run in the foreground."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup

from consult.consultations.models import Consultation
from consult.core.cli import fail, one_line_errors
from consult.extensions import db
from consult.review import runs
from consult.review.models import RunState

review_group = AppGroup("review", help="Topics, links and clustering runs.")


@review_group.command("cluster")
@click.option("--consultation", "slug", required=True, help="Consultation slug.")
@click.option("--scope", "scope_key", default=None, help='"general" or "group-<id>"; every scope if left out.')
@click.option("--k", type=int, default=None, help="Number of topics (default: chosen from the comments).")
@one_line_errors
def cluster_command(slug: str, scope_key: str | None, k: int | None) -> None:
    """Compute duplicates, topics and item links for a scope's comments, as the background job does."""
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
    if consultation is None:
        fail(f"error: no consultation {slug!r} — دور مشورتی با شناسهٔ «{slug}» نیست")
    keys = [scope_key] if scope_key else runs.scope_keys(consultation)
    if scope_key:
        runs.check_scope(consultation, scope_key)
    elif k is not None:
        for key in keys:  # every scope checked before the first run starts
            if runs.scope_comment_count(consultation, key) and not (runs.MIN_TOPICS <= k <= runs.MAX_TOPICS):
                raise runs.BadTopicCount()
    failed = False
    for key in keys:
        if not scope_key and runs.scope_comment_count(consultation, key) == 0:
            click.echo(f"{key}: no comments, skipped")
            continue
        run = runs.start_run(consultation, key, None, k, dispatch=False)
        db.session.commit()
        run_id = run.id
        click.echo(f"{key}: run {run_id} started")
        run = runs.execute_run(run_id, echo=lambda percent, key=key: click.echo(f"{key}: {percent}%"))
        if run.state == RunState.DONE:
            click.echo(f"{key}: {run.topic_count} topics over {run.comment_count} comments "
                       f"in {run.duration.total_seconds():.1f} s")
        else:
            failed = True
            click.echo(f"{key}: run {run_id} failed: {run.error}", err=True)
    if failed:
        raise SystemExit(1)


GROUPS = (review_group,)
