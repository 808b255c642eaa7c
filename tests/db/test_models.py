"""Database constraints that keep the data honest, on SQLite and PostgreSQL alike."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from consult.auth.models import User
from consult.extensions import db
from consult.feedback.models import Comment, Rating, Stance
from consult.plan.models import ItemKind, PlanItem
from consult.review.models import ClusterRun, Decision, Outcome, RunState


def expect_integrity_error(callback):
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            callback()
            db.session.flush()


def test_email_is_unique(factory):
    factory.make_user(email="same@example.ir")
    expect_integrity_error(lambda: db.session.add(User(email="same@example.ir", display_name="x")))


def test_one_comment_per_expert_per_item_but_many_general(factory):
    consultation = factory.make_consultation()
    expert = factory.make_user()
    item = factory.item(consultation.plan, "1.1.1.1")
    factory.make_comment(consultation, expert, item)
    expect_integrity_error(lambda: db.session.add(
        Comment(consultation=consultation, author=expert, item=item, stance=Stance.AGREE, body="دوباره")))
    factory.make_comment(consultation, expert, None)
    factory.make_comment(consultation, expert, None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 3


def test_rating_is_between_1_and_5(factory):
    consultation = factory.make_consultation()
    comment = factory.make_comment(consultation, factory.make_user())
    expect_integrity_error(lambda: db.session.add(Rating(comment=comment, criterion=consultation.criteria[0], score=6)))


def test_plan_code_unique_within_plan(factory):
    plan = factory.make_plan()
    expect_integrity_error(lambda: db.session.add(PlanItem(plan=plan, code="1", kind=ItemKind.GOAL, title="x")))
    other = factory.make_plan()
    assert factory.item(other, "1").plan_id == other.id


def test_foreign_keys_are_enforced(factory):
    consultation = factory.make_consultation()
    expect_integrity_error(lambda: db.session.add(
        Comment(consultation_id=consultation.id, author_id=999999, stance=Stance.AGREE, body="x")))


def test_at_most_one_active_run_per_scope(factory):
    consultation = factory.make_consultation()
    db.session.add(ClusterRun(consultation=consultation, scope="all", state=RunState.RUNNING))
    db.session.flush()
    expect_integrity_error(lambda: db.session.add(ClusterRun(consultation=consultation, scope="all")))
    db.session.add(ClusterRun(consultation=consultation, scope="all", state=RunState.DONE))
    db.session.add(ClusterRun(consultation=consultation, scope="item:1"))
    db.session.flush()


def test_decision_needs_exactly_one_target(factory):
    secretary = factory.make_user()
    expect_integrity_error(lambda: db.session.add(Decision(secretary=secretary, outcome=Outcome.NOTED)))


def test_consultation_closes_after_it_opens(factory):
    consultation = factory.make_consultation()
    consultation.closes_at = consultation.opens_at
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.flush()


def test_user_passwords_are_scrypt(factory):
    user = factory.make_user()
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password(factory.PASSWORD) and not user.check_password("wrong")
    assert not User(email="x@example.ir", display_name="x").check_password("")
