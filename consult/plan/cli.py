"""`flask --app run plan import FILE`."""
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from consult.core.cli import one_line_errors
from consult.extensions import db
from consult.plan import importer
from consult.plan.models import Plan

plan_group = AppGroup("plan", help="The strategic plan tree.")

DEFAULT_PLAN = "qom-third-plan"


@plan_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan", "slug", default=DEFAULT_PLAN, show_default=True, help="Plan slug.")
@click.option("--title", default=None, help="Plan title (new plans).")
@click.option("--prune", is_flag=True, help="Delete items missing from the file unless they have comments.")
@one_line_errors
def import_command(path: Path, slug: str, title: str | None, prune: bool) -> None:
    """Import or update a plan from CSV, XLSX or JSON (code,parent_code,kind,title,description)."""
    rows = importer.parse_plan_file(path, path.name)
    existing = list(db.session.scalars(sa.select(Plan.slug).order_by(Plan.slug)))
    plan = importer.get_or_create_plan(slug, title)
    if slug not in existing:  # a mistyped --plan (or a round's slug) must not pass silently as a new plan
        others = f"; existing plans: {', '.join(existing)}" if existing else ""
        click.echo(f"new plan {slug!r} created{others}")
    result = importer.import_plan(plan, rows, prune=prune)
    db.session.commit()
    click.echo(
        f"plan {slug}: {result.created} created, {result.updated} updated, "
        f"{result.kept} kept, {result.deleted} deleted"
    )


GROUPS = (plan_group,)
