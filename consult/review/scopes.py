"""Scopes partition a consultation's comments: one per working group of its plan, plus "general".

A comment's effective item is the item of its confirmed link (the latest, should there be several), else the
item its author chose. A plan item belongs to the group assigned to it or to its nearest assigned ancestor (a
deeper assignment wins). A group's scope holds the comments whose effective item it owns; "general" holds
general comments and comments on items no group owns. So every comment lies in exactly one scope.
"""
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from consult.auth.models import Role
from consult.consultations.permissions import is_participant
from consult.core.errors import ConsultError
from consult.extensions import db
from consult.feedback.models import Comment
from consult.plan.models import PlanItem, WorkingGroup, working_group_item, working_group_member
from consult.review.models import CommentLink, LinkSource

GENERAL = "general"
GROUP_PREFIX = "group-"
GENERAL_LABEL = "عمومی (نظرهای کلی و بندهای بی‌کارگروه)"


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    group: WorkingGroup | None

    @property
    def is_general(self) -> bool:
        return self.group is None


class UnknownScope(ConsultError):
    """A scope key that names no scope of the consultation."""

    message = "چنین حوزه‌ای در این دور مشورت نیست."


def group_key(group: WorkingGroup | int) -> str:
    """The scope key of a working group (or of a group id)."""
    return f"{GROUP_PREFIX}{getattr(group, 'id', group)}"


def group_id_of(scope_key: str) -> int | None:
    """The group id a scope key names; None for "general" and for anything malformed."""
    number = scope_key.removeprefix(GROUP_PREFIX) if scope_key.startswith(GROUP_PREFIX) else ""
    return int(number) if number.isascii() and number.isdigit() and len(number) < 10 else None


def plan_shape(plan) -> list[tuple[int, int | None]]:
    """(item id, parent id) of every item of the plan, parents before children is not guaranteed."""
    return db.session.execute(sa.select(PlanItem.id, PlanItem.parent_id).where(PlanItem.plan_id == plan.id)).all()


def item_owners(plan, shape: list | None = None) -> dict[int, int]:
    """Plan item id -> id of the working group of its nearest assigned ancestor-or-self; unowned items absent."""
    shape = plan_shape(plan) if shape is None else shape
    # An item assigned to two groups (the table allows it) goes to the older group, so the answer is stable.
    assigned = dict(db.session.execute(
        sa.select(working_group_item.c.plan_item_id, sa.func.min(working_group_item.c.working_group_id))
        .join(WorkingGroup, WorkingGroup.id == working_group_item.c.working_group_id)
        .where(WorkingGroup.plan_id == plan.id)
        .group_by(working_group_item.c.plan_item_id)).all())
    children = defaultdict(list)
    for item_id, parent_id in shape:
        children[parent_id].append(item_id)
    owners: dict[int, int] = {}
    stack = [(item_id, None) for item_id in children[None]]
    while stack:
        item_id, inherited = stack.pop()
        owner = assigned.get(item_id, inherited)
        if owner is not None:
            owners[item_id] = owner
        stack.extend((child, owner) for child in children[item_id])
    return owners


def subtree_ids(shape: list, root_id: int) -> set[int]:
    """The item and every item below it, from plan_shape()."""
    children = defaultdict(list)
    for item_id, parent_id in shape:
        children[parent_id].append(item_id)
    found, stack = set(), [root_id]
    while stack:
        item_id = stack.pop()
        found.add(item_id)
        stack.extend(children[item_id])
    return found


def key_for_item(item_id: int | None, owners: dict[int, int]) -> str:
    """The scope key of an effective item (None for a general comment)."""
    owner = owners.get(item_id) if item_id is not None else None
    return GENERAL if owner is None else group_key(owner)


def confirmed_item():
    """A correlated scalar subquery: the item of the comment's latest confirmed link, or NULL."""
    return (
        sa.select(CommentLink.item_id)
        .where(CommentLink.comment_id == Comment.id, CommentLink.source == LinkSource.CONFIRMED)
        .order_by(CommentLink.updated_at.desc(), CommentLink.id.desc())
        .limit(1)
        .correlate(Comment)
        .scalar_subquery()
    )


def effective_item():
    """SQL for a comment's effective item: its confirmed link's item, else the item its author chose."""
    return sa.func.coalesce(confirmed_item(), Comment.item_id)


def scope_condition(scope_key: str, owners: dict[int, int], effective=None):
    """A WHERE clause on Comment that keeps the comments of one scope."""
    effective = effective_item() if effective is None else effective
    if scope_key == GENERAL:
        return sa.or_(effective.is_(None), effective.not_in(sorted(owners)))
    group_id = group_id_of(scope_key)
    if group_id is None:
        raise UnknownScope(scope_key)
    return effective.in_(sorted(item for item, owner in owners.items() if owner == group_id))


def scopes_of(consultation) -> list[Scope]:
    """Every working group of the consultation's plan (by name), then general."""
    groups = db.session.scalars(
        sa.select(WorkingGroup).where(WorkingGroup.plan_id == consultation.plan_id)
        .order_by(WorkingGroup.name, WorkingGroup.id)).all()
    return [Scope(group_key(group), group.name, group) for group in groups] + [Scope(GENERAL, GENERAL_LABEL, None)]


def scope_by_key(consultation, scope_key: str) -> Scope | None:
    """The consultation's scope with this key, or None."""
    if scope_key == GENERAL:
        return Scope(GENERAL, GENERAL_LABEL, None)
    group_id = group_id_of(scope_key)
    group = db.session.get(WorkingGroup, group_id) if group_id is not None else None
    if group is None or group.plan_id != consultation.plan_id:
        return None
    return Scope(scope_key, group.name, group)


def scope_of(comment: Comment) -> str:
    """The scope key of one comment."""
    confirmed = db.session.scalar(
        sa.select(CommentLink.item_id)
        .where(CommentLink.comment_id == comment.id, CommentLink.source == LinkSource.CONFIRMED)
        .order_by(CommentLink.updated_at.desc(), CommentLink.id.desc()).limit(1))
    item_id = confirmed if confirmed is not None else comment.item_id
    if item_id is None:
        return GENERAL
    return key_for_item(item_id, item_owners(comment.consultation.plan))


def comments_in_scope(consultation, scope_key: str, *, include_withdrawn: bool = False,
                      owners: dict[int, int] | None = None) -> sa.Select:
    """SELECT of the consultation's comments in one scope, as one SQL query (callers filter, order and page)."""
    owners = item_owners(consultation.plan) if owners is None else owners
    statement = sa.select(Comment).where(Comment.consultation_id == consultation.id,
                                         scope_condition(scope_key, owners))
    return statement if include_withdrawn else statement.where(Comment.is_deleted.is_(False))


def counts_by_scope(consultation, owners: dict[int, int] | None = None) -> dict[str, int]:
    """Live comments per scope key (every scope of the consultation, zeros included), in one grouped query."""
    owners = item_owners(consultation.plan) if owners is None else owners
    effective = effective_item().label("effective")
    rows = db.session.execute(
        sa.select(effective, sa.func.count())
        .where(Comment.consultation_id == consultation.id, Comment.is_deleted.is_(False))
        .group_by(effective)).all()
    counts = {scope.key: 0 for scope in scopes_of(consultation)}
    for item_id, count in rows:
        key = key_for_item(item_id, owners)
        counts[key] = counts.get(key, 0) + count
    return counts


def _member_groups(user, consultation) -> list[WorkingGroup]:
    return db.session.scalars(
        sa.select(WorkingGroup)
        .join(working_group_member, working_group_member.c.working_group_id == WorkingGroup.id)
        .where(working_group_member.c.user_id == user.id, WorkingGroup.plan_id == consultation.plan_id)
        .order_by(WorkingGroup.name, WorkingGroup.id)).all()


def _is_staff(user) -> bool:
    return user.role in (Role.ADMIN, Role.PLANNER)


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _secretary_of_round(user, consultation, groups: list) -> bool:
    # A planner's grant either way: an invitation to the round, or a seat in one of its plan's groups.
    return bool(groups) or is_participant(user, consultation)


def scopes_for(user, consultation) -> list[Scope]:
    """The scopes the user may act in: planners and admins all; a secretary their groups' scopes (groups of the
    round's plan), and general when the consultation allows it and they belong to the round (they take part in
    it or sit in one of its groups); nobody else any."""
    if not _active(user):
        return []
    if _is_staff(user):
        return scopes_of(consultation)
    if user.role != Role.SECRETARY:
        return []
    groups = _member_groups(user, consultation)
    scopes = [Scope(group_key(group), group.name, group) for group in groups]
    if consultation.secretaries_act_in_general and _secretary_of_round(user, consultation, groups):
        scopes.append(Scope(GENERAL, GENERAL_LABEL, None))
    return scopes


def readable_scopes(user, consultation) -> list[Scope]:
    """The scopes the user may read: those they act in, and general for every secretary of the round
    (read-only unless the consultation lets secretaries act there)."""
    scopes = scopes_for(user, consultation)
    if (_active(user) and user.role == Role.SECRETARY and all(scope.key != GENERAL for scope in scopes)
            and _secretary_of_round(user, consultation, [s for s in scopes if s.group is not None])):
        scopes.append(Scope(GENERAL, GENERAL_LABEL, None))
    return scopes
