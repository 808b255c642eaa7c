"""`flask --app run nlp renormalize`: refresh machine copies after the normaliser changes."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup

from consult.extensions import db
from consult.feedback.models import Comment
from consult.feedback.text import refresh_text as refresh_comment
from consult.nlp import NORMALIZER_VERSION
from consult.plan.models import PlanItem
from consult.plan.text import refresh_text as refresh_item

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
