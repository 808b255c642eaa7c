"""What feedback holds of earlier features' rows: items with comments, rated criteria, answered questions."""
from collections.abc import Collection

import sqlalchemy as sa

from consult.core.usage import holds
from consult.extensions import db
from consult.feedback.models import Answer, Comment, Rating


def _held(column, ids: Collection[int]) -> set[int]:
    return set(db.session.scalars(sa.select(column).where(column.in_(list(ids))).distinct()))


@holds("plan_item")
def commented_items(ids: Collection[int]) -> set[int]:
    return _held(Comment.item_id, ids)


@holds("criterion")
def rated_criteria(ids: Collection[int]) -> set[int]:
    return _held(Rating.criterion_id, ids)


@holds("question")
def answered_questions(ids: Collection[int]) -> set[int]:
    return _held(Answer.question_id, ids)
