"""Reading the comments of a scope or of an item's subtree: filters, search and pages, all in SQL.

A comment counts as reviewed when a secretary has recorded a decision on it or confirmed its link to an
item; a topic-level decision does not mark its comments one by one.
"""
import math
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from consult.auth.models import Affiliation, User
from consult.core.pages import MAX_QUERY, PER_PAGE, Page  # noqa: F401  MAX_QUERY for the views
from consult.extensions import db
from consult.feedback.models import Comment, Stance
from consult.plan.models import PlanItem
from consult.plan.search import contains_key, query_words
from consult.review.models import CommentLink, Decision, LinkSource
from consult.review.scopes import (
    GENERAL,
    comments_in_scope,
    effective_item,
    item_owners,
    key_for_item,
    plan_shape,
    subtree_ids,
)


@dataclass(frozen=True)
class CommentFilter:
    """What a reader narrowed the list to; None or "" means no narrowing."""

    item_id: int | None = None  # this item and everything below it
    stance: Stance | None = None
    affiliation: Affiliation | None = None
    reviewed: bool | None = None
    query: str = ""

    @property
    def active(self) -> bool:
        return any(value not in (None, "") for value in
                   (self.item_id, self.stance, self.affiliation, self.reviewed, self.query.strip()))


@dataclass(frozen=True)
class CommentRow:
    """One listed comment with its effective item and whether it was reviewed."""

    comment: Comment
    item: PlanItem | None
    reviewed: bool
    moved: bool  # a confirmed link placed it on another item than its author chose


def reviewed_expression():
    """SQL: the comment has a decision of its own or a confirmed link."""
    decided = sa.exists().where(Decision.comment_id == Comment.id)
    confirmed = sa.exists().where(CommentLink.comment_id == Comment.id, CommentLink.source == LinkSource.CONFIRMED)
    return sa.or_(decided, confirmed)


def apply_filter(statement: sa.Select, consultation, narrow: CommentFilter, shape: list | None = None) -> sa.Select:
    """The statement narrowed by item subtree, stance, author's affiliation, reviewed or not, and search words."""
    if narrow.item_id is not None:
        shape = plan_shape(consultation.plan) if shape is None else shape
        statement = statement.where(effective_item().in_(sorted(subtree_ids(shape, narrow.item_id))))
    if narrow.stance is not None:
        statement = statement.where(Comment.stance == narrow.stance)
    if narrow.affiliation is not None:
        statement = statement.where(
            Comment.author_id.in_(sa.select(User.id).where(User.affiliation == narrow.affiliation)))
    if narrow.reviewed is not None:
        reviewed = reviewed_expression()
        statement = statement.where(reviewed if narrow.reviewed else sa.not_(reviewed))
    for word in query_words(narrow.query):
        statement = statement.where(contains_key(Comment.search_key, word))
    return statement


def page_of(statement: sa.Select, number: int, per_page: int = PER_PAGE, total: int | None = None) -> Page:
    """One page of CommentRow, newest first, in five queries whatever the count: the count (unless given), the
    page's ids, its comments with authors, their ratings and their items."""
    if total is None:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number), pages)
    # Sort ids only, then load the page's rows: the sorter never carries thousands of comment bodies.
    ids = db.session.scalars(
        statement.with_only_columns(Comment.id).order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(per_page).offset((number - 1) * per_page)).all()
    effective = effective_item().label("effective")
    found = {comment.id: (comment, item_id, reviewed) for comment, item_id, reviewed in db.session.execute(
        sa.select(Comment, effective, reviewed_expression().label("reviewed")).where(Comment.id.in_(ids))
        .options(joinedload(Comment.author), selectinload(Comment.ratings))).unique().all()} if ids else {}
    rows = [found[comment_id] for comment_id in ids if comment_id in found]
    item_ids = {item_id for _comment, item_id, _reviewed in rows if item_id is not None}
    items = {item.id: item for item in db.session.scalars(sa.select(PlanItem).where(PlanItem.id.in_(item_ids)))} \
        if item_ids else {}
    listed = [CommentRow(comment, items.get(item_id), bool(reviewed), item_id != comment.item_id)
              for comment, item_id, reviewed in rows]
    return Page(listed, total, number, pages)


def items_in_scope(consultation, scope_key: str, owners: dict[int, int]) -> list[PlanItem]:
    """The plan items whose comments fall in the scope, in plan order (for the item filter)."""
    statement = sa.select(PlanItem).where(PlanItem.plan_id == consultation.plan_id)
    if scope_key == GENERAL:
        statement = statement.where(PlanItem.id.not_in(sorted(owners)))
    else:
        statement = statement.where(PlanItem.id.in_(sorted(i for i in owners if key_for_item(i, owners) == scope_key)))
    return list(db.session.scalars(statement.order_by(PlanItem.position, PlanItem.id)))


def scope_page(consultation, scope_key: str, narrow: CommentFilter, number: int) -> Page:
    """A page of the scope's live comments, narrowed."""
    statement = comments_in_scope(consultation, scope_key)
    return page_of(apply_filter(statement, consultation, narrow), number)


@dataclass(frozen=True)
class ItemComments:
    """What a reader sees of an item's comments: counts on the item and with its subtree, and one page."""

    own: int
    subtree: int
    page: Page


def item_comments(consultation, item, readable_keys: set[str], number: int) -> ItemComments | None:
    """Live comments whose effective item is the item or below it, limited to the scopes the reader may read;
    None when no part of the subtree lies in those scopes."""
    shape = plan_shape(consultation.plan)
    owners = item_owners(consultation.plan, shape)
    allowed = sorted(i for i in subtree_ids(shape, item.id) if key_for_item(i, owners) in readable_keys)
    if not allowed:
        return None
    effective = effective_item()
    statement = sa.select(Comment).where(Comment.consultation_id == consultation.id,
                                         Comment.is_deleted.is_(False), effective.in_(allowed))
    own, subtree = db.session.execute(
        sa.select(sa.func.count(sa.case((effective == item.id, Comment.id))), sa.func.count(Comment.id))
        .where(Comment.consultation_id == consultation.id, Comment.is_deleted.is_(False),
               effective.in_(allowed))).one()
    return ItemComments(own, subtree, page_of(statement, number, total=subtree))
