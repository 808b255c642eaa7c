"""Counts over the feedback: comments per plan item (own and with the subtree) and per person."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from consult.consultations.models import Question, Questionnaire
from consult.extensions import db
from consult.feedback.models import Answer, Comment
from consult.plan.models import PlanItem


@dataclass(frozen=True)
class CommentTally:
    """Live comments on an item itself and on the item with everything below it."""

    own: int = 0
    subtree: int = 0
    leaf: bool = True


def comment_tallies(consultation, item_ids: list[int] | None = None) -> dict[int, CommentTally]:
    """Per plan item of the consultation's plan (or only `item_ids`): its tally, in one recursive query."""
    # (ancestor, item) for every asked item (or every item) and each item below it, itself included.
    roots = sa.select(PlanItem.id.label("ancestor"), PlanItem.id.label("item")).where(
        PlanItem.plan_id == consultation.plan_id)
    if item_ids is not None:
        roots = roots.where(PlanItem.id.in_(item_ids))
    closure = roots.cte("closure", recursive=True)
    closure = closure.union_all(
        sa.select(closure.c.ancestor, PlanItem.id).join(closure, PlanItem.parent_id == closure.c.item))
    # Joined on the item alone, so the comment table's item index serves the join (with the round in the join,
    # SQLite picks the round's index and reads every comment of the round once per item); the round and the
    # withdrawn mark are checked in the counts instead.
    live = sa.and_(Comment.consultation_id == consultation.id, Comment.is_deleted.is_(False))
    query = (
        sa.select(closure.c.ancestor,
                  sa.func.count(sa.case((sa.and_(live, Comment.item_id == closure.c.ancestor), Comment.id))),
                  sa.func.count(sa.case((live, Comment.id))),
                  sa.func.count(sa.distinct(closure.c.item)))
        .select_from(closure).outerjoin(Comment, Comment.item_id == closure.c.item)
        .group_by(closure.c.ancestor)
    )
    return {ancestor: CommentTally(own, subtree, size == 1)
            for ancestor, own, subtree, size in db.session.execute(query)}


@dataclass(frozen=True)
class Activity:
    """What one person did in a round: live comments and when they last wrote anything."""

    comments: int = 0
    last: datetime | None = None


def activity_of(consultation, user_ids: list[int]) -> dict[int, Activity]:
    """Comment count and last comment or answer time per user id, in two grouped queries."""
    comments = db.session.execute(
        sa.select(Comment.author_id,
                  sa.func.count(sa.case((Comment.is_deleted.is_(False), Comment.id))),
                  sa.func.max(Comment.updated_at))
        .where(Comment.consultation_id == consultation.id, Comment.author_id.in_(user_ids))
        .group_by(Comment.author_id)).all()
    answers = dict(db.session.execute(
        sa.select(Answer.user_id, sa.func.max(Answer.updated_at))
        .join(Question, Answer.question_id == Question.id)
        .join(Questionnaire, Question.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.consultation_id == consultation.id, Answer.user_id.in_(user_ids))
        .group_by(Answer.user_id)).all())
    result = {user_id: Activity(0, answered) for user_id, answered in answers.items()}
    for user_id, count, written in comments:
        answered = answers.get(user_id)
        result[user_id] = Activity(count, max(filter(None, (written, answered)), default=None))
    return result
