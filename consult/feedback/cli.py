"""`flask --app run feedback import FILE --consultation SLUG` and `flask --app run nlp renormalize`."""
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from consult.consultations.models import Consultation
from consult.core.cli import fail, one_line_errors
from consult.extensions import db
from consult.feedback import importer
from consult.feedback.models import Comment
from consult.feedback.text import refresh_text as refresh_comment
from consult.nlp import NORMALIZER_VERSION
from consult.plan.models import PlanItem
from consult.plan.text import refresh_text as refresh_item

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


nlp_group = AppGroup("nlp", help="Text processing maintenance.")


@nlp_group.command("renormalize")
@click.option("--all", "everything", is_flag=True, help="Recompute rows already at the current version too.")
def renormalize_command(everything: bool) -> None:
    """Recompute normalised and search-key columns of plan items and comments."""
    counts = {}
    for model, refresh in ((PlanItem, refresh_item), (Comment, refresh_comment)):
        query = sa.select(model)
        if not everything:
            query = query.where(model.normalizer_version != NORMALIZER_VERSION)
        rows = db.session.scalars(query.execution_options(yield_per=500)).all()
        for row in rows:
            refresh(row)
        counts[model.__tablename__] = len(rows)
    db.session.commit()
    click.echo(f"renormalized to version {NORMALIZER_VERSION}: "
               + ", ".join(f"{n} {table}" for table, n in counts.items()))


GROUPS = (feedback_group, nlp_group)
