"""Rules about comments, ratings and answers."""
import sqlalchemy as sa

from consult.extensions import db
from consult.feedback.models import Comment


def comment_counts(consultation) -> dict[int, int]:
    """Live comments per plan item id in a consultation."""
    rows = db.session.execute(
        sa.select(Comment.item_id, sa.func.count())
        .where(Comment.consultation_id == consultation.id, Comment.is_deleted.is_(False),
               Comment.item_id.is_not(None))
        .group_by(Comment.item_id)
    )
    return dict(rows.all())
