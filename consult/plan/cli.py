"""`flask --app run plan import FILE`."""
from pathlib import Path

import click
from flask.cli import AppGroup

from consult.core.cli import one_line_errors
from consult.extensions import db
from consult.plan import importer

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
    plan = importer.get_or_create_plan(slug, title)
    result = importer.import_plan(plan, rows, prune=prune)
    db.session.commit()
    click.echo(
        f"plan {slug}: {result.created} created, {result.updated} updated, "
        f"{result.kept} kept, {result.deleted} deleted"
    )


GROUPS = (plan_group,)
