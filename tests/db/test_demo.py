"""The demo consultation: the real plan's shape, realistic Persian, and a gold set for the NLP."""
import csv
import re
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from consult.auth.models import Affiliation, User
from consult.demo import loader
from consult.extensions import db
from consult.feedback.models import Comment, Stance

DATA = Path(loader.__file__).parent / "data"
PERSIAN = re.compile(r"[\u0600-\u06FF]")


def read(name):
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def demo(app):
    return loader.load_demo()


def test_demo_has_the_plans_shape_and_enough_comments(demo):
    assert demo.items == {"goal": 8, "strategy": 29, "policy": 81, "project": 270}
    assert demo.comments >= 400
    authors = db.session.scalars(
        sa.select(User).where(User.id.in_(sa.select(Comment.author_id).distinct()))
    ).all()
    assert len(authors) >= 60
    assert {a.affiliation for a in authors} == set(Affiliation)
    stances = Counter(db.session.scalars(sa.select(Comment.stance)))
    assert set(stances) == set(Stance)
    general = db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.item_id.is_(None)))
    assert general >= 10
    assert loader.is_loaded()


def test_demo_titles_are_distinct_persian_and_not_placeholders():
    rows = read("plan.csv")
    titles = [r["title"] for r in rows]
    assert len(set(titles)) == len(titles) == 388
    for title in titles:
        assert PERSIAN.search(title), title
        assert not re.search(r"(طرح|پروژه|هدف|راهبرد|سیاست)\s*(شماره\s*)?[0-9۰-۹]+$", title), title
    assert all(r["description"].strip() for r in rows)


def test_demo_comments_carry_the_mess_of_real_input():
    bodies = [r["body"] for r in read("comments.csv")]
    text = "\n".join(bodies)
    assert "ي" in text and "ك" in text  # Arabic letters
    assert re.search(r"[0-9]", text) and re.search(r"[۰-۹]", text) and re.search(r"[٠-٩]", text)
    assert re.search(r"[A-Za-z]{2,}", text)
    assert len(set(bodies)) > 0.9 * len(bodies)


def test_demo_gold_set_is_complete():
    topics = {r["slug"] for r in read("topics.csv")}
    codes = {r["code"] for r in read("plan.csv")}
    rows = read("comments.csv")
    assert all(r["gold_topic"] in topics for r in rows)
    assert all(r["gold_item_code"] in codes for r in rows if r["plan_item_code"])
    assert sum(bool(r["campaign"]) for r in rows) >= 10


def test_loading_the_demo_twice_is_one_line_and_status_2(demo, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "already loaded" in result.output
    assert runner.invoke(args=["demo", "load", "--if-empty"]).exit_code == 0


def test_demo_secretaries_sign_in_and_own_different_goals(demo):
    from consult.consultations.models import Consultation
    from consult.plan.models import ItemKind
    from consult.review.scopes import scopes_for

    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=loader.CONSULTATION_SLUG))
    owned = {}
    for email in ("secretary@example.ir", "secretary2@example.ir"):
        user = db.session.scalar(sa.select(User).filter_by(email=email))
        assert user.check_password(loader.DEMO_PASSWORD)
        (scope,) = scopes_for(user, consultation)
        owned[email] = {item.code for item in scope.group.items if item.kind == ItemKind.GOAL}
    assert owned == {"secretary@example.ir": {"1"}, "secretary2@example.ir": {"2"}}
