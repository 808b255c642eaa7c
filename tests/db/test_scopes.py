"""Scopes partition the comments: the deeper assignment wins, a confirmed link moves a comment, the rest is general."""
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from consult.auth.models import Role
from consult.auth.permissions import can
from consult.extensions import db
from consult.plan.models import WorkingGroup
from consult.review import scopes
from consult.review.models import CommentLink, LinkSource
from consult.review.scopes import GENERAL, group_key


@pytest.fixture
def world(factory):
    plan = factory.make_plan()
    item = {i.code: i for i in plan.items}
    group_a = WorkingGroup(plan=plan, name="کارگروه الف", items=[item["1"]])
    group_b = WorkingGroup(plan=plan, name="کارگروه ب", items=[item["1.1.1"]])  # inside A's subtree
    db.session.add_all([group_a, group_b])
    consultation = factory.make_consultation(plan)
    db.session.flush()
    return SimpleNamespace(plan=plan, item=item, a=group_a, b=group_b, consultation=consultation,
                           A=group_key(group_a), B=group_key(group_b))


def test_item_owners_deeper_assignment_wins_and_unowned_items_are_absent(world):
    owners = scopes.item_owners(world.plan)
    expected = {"1": world.a.id, "1.1": world.a.id, "1.1.1": world.b.id, "1.1.1.1": world.b.id,
                "1.1.1.2": world.b.id}
    assert {code: owners.get(item.id) for code, item in world.item.items()} == {
        code: expected.get(code) for code in world.item}


# (author's item, confirmed link's item, other links, withdrawn) -> expected scope ("A", "B" or general)
PARTITION = [
    ("1", None, (), "A"),
    ("1.1", None, (), "A"),
    ("1.1.1", None, (), "B"),  # a deeper assignment wins
    ("1.1.1.2", None, (), "B"),
    ("2.1", None, (), GENERAL),  # no group owns goal 2
    (None, None, (), GENERAL),  # a general comment
    ("1.1", "2.1.1", (), GENERAL),  # a confirmed link moves the comment out of A
    ("2.1", "1.1.1.1", (), "B"),  # and into B
    (None, "1.1", (), "A"),  # a general comment placed on an item
    ("1", None, (("1.1.1", LinkSource.SUGGESTED), ("2", LinkSource.REJECTED)), "A"),  # only confirmed counts
]


def _make(factory, world, rows):
    comments = []
    for index, (own, confirmed, others, _expected) in enumerate(rows):
        author = factory.make_user(password=None)
        comment = factory.make_comment(world.consultation, author, world.item.get(own),
                                       body=f"نظر شمارهٔ {index} دربارهٔ این بند از برنامه.")
        links = list(others) + ([(confirmed, LinkSource.CONFIRMED)] if confirmed else [])
        for code, source in links:
            db.session.add(CommentLink(comment=comment, item=world.item[code], source=source))
        comments.append(comment)
    db.session.flush()
    return comments


def _key(world, expected):
    return {"A": world.A, "B": world.B}.get(expected, expected)


@pytest.mark.parametrize("row", PARTITION, ids=[f"{r[0]}->{r[1]}:{r[3]}" for r in PARTITION])
def test_scope_of_each_comment(factory, world, row):
    (comment,) = _make(factory, world, [row])
    assert scopes.scope_of(comment) == _key(world, row[3])


def test_every_comment_lies_in_exactly_one_scope(factory, world):
    comments = _make(factory, world, PARTITION)
    withdrawn = factory.make_comment(world.consultation, factory.make_user(password=None), world.item["1"],
                                     body="نظری که نویسنده‌اش پس گرفته است.")
    withdrawn.is_deleted = True
    db.session.flush()
    found = {}
    for scope in scopes.scopes_of(world.consultation):
        for comment in db.session.scalars(scopes.comments_in_scope(world.consultation, scope.key)):
            assert comment.id not in found, "a comment in two scopes"
            found[comment.id] = scope.key
    assert found == {c.id: _key(world, row[3]) for c, row in zip(comments, PARTITION, strict=True)}
    with_withdrawn = scopes.comments_in_scope(world.consultation, world.A, include_withdrawn=True)
    assert withdrawn in db.session.scalars(with_withdrawn).all()
    assert scopes.counts_by_scope(world.consultation) == {world.A: 4, world.B: 3, GENERAL: 3}


def test_latest_confirmed_link_decides(factory, world, clock):
    (comment,) = _make(factory, world, [("1", "2.1", (), GENERAL)])
    clock.shift(60)
    db.session.add(CommentLink(comment=comment, item=world.item["1.1.1"], source=LinkSource.CONFIRMED))
    db.session.flush()
    assert scopes.scope_of(comment) == world.B
    assert comment in db.session.scalars(scopes.comments_in_scope(world.consultation, world.B)).all()


def test_scopes_of_lists_groups_then_general_and_other_plans_scopes_are_unknown(factory, world):
    assert [s.key for s in scopes.scopes_of(world.consultation)] == [world.A, world.B, GENERAL]
    other = WorkingGroup(plan=factory.make_plan(), name="کارگروه دیگر")
    db.session.add(other)
    db.session.flush()
    assert scopes.scope_by_key(world.consultation, group_key(other)) is None
    assert scopes.scope_by_key(world.consultation, "group-x") is None
    assert scopes.scope_by_key(world.consultation, world.A).group == world.a
    with pytest.raises(scopes.UnknownScope):
        scopes.comments_in_scope(world.consultation, "nonsense")


def test_a_group_without_items_has_an_empty_scope(factory, world):
    empty = WorkingGroup(plan=world.plan, name="کارگروه بی‌بند")
    db.session.add(empty)
    db.session.flush()
    _make(factory, world, PARTITION)
    assert db.session.scalars(scopes.comments_in_scope(world.consultation, group_key(empty))).all() == []


def test_scope_query_is_one_statement(factory, world):
    statement = scopes.comments_in_scope(world.consultation, world.A)
    assert isinstance(statement, sa.Select)
    assert "coalesce" in str(statement).lower()


# --- who reads and acts where -------------------------------------------------------------------------------

ROLES = ("secretary_a", "secretary_a_elsewhere", "secretary_no_group", "secretary_ab", "secretary_stranger",
         "expert", "planner", "admin", "inactive_admin")
# role -> (own/A, other/B, general with the setting off, general with it on) for read_scope and act_in_scope
READ = {
    "secretary_a": (True, False, True, True),
    "secretary_a_elsewhere": (True, False, True, True),  # a seat in a group is enough without an invitation
    "secretary_no_group": (False, False, True, True),
    "secretary_ab": (True, True, True, True),
    "secretary_stranger": (False, False, False, False),  # neither invited nor in a group of this plan
    "expert": (False, False, False, False),
    "planner": (True, True, True, True),
    "admin": (True, True, True, True),
    "inactive_admin": (False, False, False, False),
}
ACT = {
    "secretary_a": (True, False, False, True),
    "secretary_a_elsewhere": (True, False, False, True),
    "secretary_no_group": (False, False, False, True),
    "secretary_ab": (True, True, False, True),
    "secretary_stranger": (False, False, False, False),
    "expert": (False, False, False, False),
    "planner": (True, True, True, True),
    "admin": (True, True, True, True),
    "inactive_admin": (False, False, False, False),
}


@pytest.fixture
def people(factory, world):
    from consult.consultations.services import add_participant

    users = {
        "secretary_a": factory.make_user(Role.SECRETARY, password=None),
        "secretary_a_elsewhere": factory.make_user(Role.SECRETARY, password=None),
        "secretary_no_group": factory.make_user(Role.SECRETARY, password=None),
        "secretary_ab": factory.make_user(Role.SECRETARY, password=None),
        "secretary_stranger": factory.make_user(Role.SECRETARY, password=None),
        "expert": factory.make_user(password=None),
        "planner": factory.make_user(Role.PLANNER, password=None),
        "admin": factory.make_user(Role.ADMIN, password=None),
        "inactive_admin": factory.make_user(Role.ADMIN, password=None, active=False),
    }
    world.a.members = [users["secretary_a"], users["secretary_a_elsewhere"], users["secretary_ab"]]
    world.b.members = [users["secretary_ab"]]
    for role in ("secretary_a", "secretary_no_group", "secretary_ab", "expert"):
        add_participant(world.consultation, users[role])
    db.session.flush()
    return users


@pytest.mark.parametrize("general_on", [False, True], ids=["general-off", "general-on"])
@pytest.mark.parametrize("role", ROLES)
def test_read_and_act_table(world, people, role, general_on):
    world.consultation.secretaries_act_in_general = general_on
    db.session.flush()
    user = people[role]
    keys = (world.A, world.B, GENERAL, GENERAL)
    columns = (0, 1, 3 if general_on else 2)
    for action, table in (("read_scope", READ), ("act_in_scope", ACT)):
        for column in columns:
            assert can(user, action, (world.consultation, keys[column])) == table[role][column], (action, column)
        assert not can(user, action, (world.consultation, "group-999999"))
    expected = [k for k, column in zip((world.A, world.B, GENERAL), columns, strict=True) if ACT[role][column]]
    assert [s.key for s in scopes.scopes_for(user, world.consultation)] == expected


def test_nobody_signed_in_reads_nothing(world):
    assert not can(None, "read_scope", (world.consultation, GENERAL))
    assert scopes.scopes_for(None, world.consultation) == []


def test_manage_groups_is_for_planners_and_admins(factory):
    for role, allowed in ((Role.EXPERT, False), (Role.SECRETARY, False), (Role.PLANNER, True), (Role.ADMIN, True)):
        assert can(factory.make_user(role, password=None), "manage_groups") is allowed


# --- confirming a link hands a comment over ------------------------------------------------------------------

def test_confirming_a_link_outside_the_scope_hands_the_comment_over(factory, world, people):
    from consult.core.audit import AuditEvent
    from consult.review.links import NotInYourScope, confirm_link

    (comment,) = _make(factory, world, [("1.1", None, (), "A")])
    secretary = people["secretary_a"]
    link = confirm_link(comment, world.item["2.1"], secretary)
    assert scopes.scope_of(comment) == GENERAL and link.decided_by_id == secretary.id
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="comment_link.confirm"))
    assert event.details == {"item": "2.1", "scope_before": world.A, "scope_after": GENERAL, "handed_over": True}
    with pytest.raises(NotInYourScope):  # it left A: A's secretary no longer acts on it
        confirm_link(comment, world.item["1"], secretary)
    confirm_link(comment, world.item["1.1.1"], people["planner"])
    sources = dict(db.session.execute(sa.select(CommentLink.item_id, CommentLink.source)
                                      .where(CommentLink.comment_id == comment.id)).all())
    assert sources == {world.item["2.1"].id: LinkSource.REJECTED, world.item["1.1.1"].id: LinkSource.CONFIRMED}
    assert scopes.scope_of(comment) == world.B


def test_a_secretary_of_another_group_cannot_confirm(factory, world, people):
    from consult.review.links import NotInYourScope, confirm_link

    (comment,) = _make(factory, world, [("1.1.1", None, (), "B")])
    with pytest.raises(NotInYourScope):
        confirm_link(comment, world.item["1"], people["secretary_a"])
    assert scopes.scope_of(comment) == world.B
