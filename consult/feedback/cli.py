"""`flask --app run feedback import FILE --consultation SLUG`."""
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from consult.consultations.models import Consultation
from consult.core.cli import fail, one_line_errors
from consult.extensions import db
from consult.feedback import importer

feedback_group = AppGroup("feedback", help="Comments and answers.")


@feedback_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--consultation", "slug", required=True, help="Consultation slug.")
@one_line_errors
def import_command(path: Path, slug: str) -> None:
    """Import comments from CSV or XLSX; every row is checked before any is stored."""
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=slug))
    if consultation is None:
        fail(f"error: no consultation {slug!r} — دور مشورتی با شناسهٔ «{slug}» نیست")
    rows = importer.parse_comment_file(consultation, path, path.name)
    comments = importer.import_comments(consultation, rows)
    db.session.commit()
    click.echo(f"imported {len(comments)} comments into {slug}")
