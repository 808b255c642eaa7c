"""Reading comments: the review home, a scope's page (filters, search, pages) and the item page for reviewers."""
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from consult.auth.models import Affiliation, Role
from consult.consultations.services import add_participant
from consult.extensions import db
from consult.feedback.models import Rating, Stance
from consult.plan.models import WorkingGroup
from consult.review.models import CommentLink, Decision, LinkSource, Outcome
from consult.review.scopes import group_key


@pytest.fixture
def sign_in(login_as):
    """Sign in as another user within one test (Flask-Login keeps the loaded user in g)."""
    from flask import g

    def switch(user):
        g.pop("_login_user", None)
        return login_as(user)

    return switch


@pytest.fixture
def world(factory):
    plan = factory.make_plan()
    item = {i.code: i for i in plan.items}
    secretary = factory.make_user(Role.SECRETARY, password=None, name="دبیر الف")
    group_a = WorkingGroup(plan=plan, name="کارگروه الف", items=[item["1"]], members=[secretary])
    group_b = WorkingGroup(plan=plan, name="کارگروه ب", items=[item["2"]])
    db.session.add_all([group_a, group_b])
    consultation = factory.make_consultation(plan)
    add_participant(consultation, secretary)
    db.session.flush()
    return SimpleNamespace(plan=plan, item=item, secretary=secretary, a=group_a, b=group_b,
                           consultation=consultation, A=group_key(group_a), B=group_key(group_b),
                           url=f"/review/c/{consultation.slug}/scopes/{group_key(group_a)}")


def comment(factory, world, code, body, *, name="نویسندهٔ نمونه", affiliation=Affiliation.ACADEMIC,
            stance=Stance.AGREE, **fields):
    author = factory.make_user(password=None, name=name, affiliation=affiliation)
    made = factory.make_comment(world.consultation, author, world.item.get(code), stance=stance, body=body)
    for key, value in fields.items():
        setattr(made, key, value)
    db.session.flush()
    return made


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_scope_page_shows_what_reviewers_read_and_names_only_when_allowed(client, factory, sign_in, world):
    made = comment(factory, world, "1.1", "زائرسرا باید ارزان باشد.", name="حسن رضایی",
                   affiliation=Affiliation.SEMINARY, stance=Stance.AMEND, amendment="متن پیشنهادی تازه",
                   diagnosis="در برنامهٔ دوم نیمه‌کاره ماند")
    made.ratings.append(Rating(criterion_id=world.consultation.criteria[0].id, score=4))
    comment(factory, world, "2.1", "نظر دامنهٔ دیگر که نباید دیده شود.")
    db.session.flush()
    sign_in(world.secretary)
    page = text(client.get(world.url))
    for shown in ("زائرسرا باید ارزان باشد.", "متن پیشنهادی تازه", "در برنامهٔ دوم نیمه‌کاره ماند", "حوزوی",
                  "اصلاحی", "اهمیت: ۴ از ۵", "بررسی‌نشده", "<time datetime="):
        assert shown in page, shown
    assert "حسن رضایی" not in page and "نظر دامنهٔ دیگر" not in page
    world.consultation.show_author_names = True
    db.session.flush()
    assert "حسن رضایی" in text(client.get(world.url))


@pytest.mark.parametrize(("query", "found"), [
    ("stance=disagree", {"مخالف"}),
    ("affiliation=executive", {"اجرایی"}),
    ("reviewed=yes", {"تصمیم", "تأییدشده"}),
    ("reviewed=no", {"مخالف", "اجرایی", "پیشنهادی", "فرزند"}),
    ("item=1.1.1", {"فرزند"}),  # the item and its subtree
    ("q=كتابخانه", {"مخالف"}),  # Arabic kaf
    ("q=کتاب‌خانه", {"مخالف"}),  # ZWNJ
    ("q=۱۲", {"اجرایی"}),  # Persian digits find Latin ones
    ("q=مُحَمَّد", {"پیشنهادی"}),  # diacritics
    ("q=نیست‌درمتن", set()),
    ("stance=nonsense&item=9.9&reviewed=maybe", {"مخالف", "اجرایی", "پیشنهادی", "فرزند", "تصمیم", "تأییدشده"}),
])
def test_scope_filters(client, factory, sign_in, world, query, found):
    bodies = {
        "مخالف": ("1", dict(stance=Stance.DISAGREE, body="مخالف: کتابخانهٔ مرکزی لازم نیست.")),
        "اجرایی": ("1.1", dict(affiliation=Affiliation.EXECUTIVE, body="اجرایی: 12 دستگاه درگیرند.")),
        "پیشنهادی": ("1.1", dict(body="پیشنهادی: به نام محمد.")),
        "فرزند": ("1.1.1.2", dict(body="فرزند: پارکینگ کم است.")),
        "تصمیم": ("1.1", dict(body="تصمیم: دربارهٔ این نظر تصمیم گرفته شد.")),
        "تأییدشده": ("2.1", dict(body="تأییدشده: دبیر آن را به بند ۱ برد.")),
    }
    made = {}
    for word, (code, fields) in bodies.items():
        body = fields.pop("body")
        made[word] = comment(factory, world, code, body, **fields)
    db.session.add(Decision(comment=made["تصمیم"], secretary=world.secretary, outcome=Outcome.NOTED))
    db.session.add(CommentLink(comment=made["تأییدشده"], item=world.item["1"], source=LinkSource.CONFIRMED))
    db.session.flush()
    sign_in(world.secretary)
    page = text(client.get(f"{world.url}?{query}"))
    shown = {word for word, row in made.items() if row.body in page}
    assert shown == found


def test_scope_pages_in_sql(client, factory, sign_in, world, clock):
    for n in range(30):
        clock.shift(60)
        comment(factory, world, "1.1", f"نظر شمارهٔ {n:02d} دربارهٔ زائرسرا.")
    sign_in(world.secretary)
    first, second = text(client.get(world.url)), text(client.get(f"{world.url}?page=2"))
    assert "نظر شمارهٔ 29" in first and "نظر شمارهٔ 05" in first and "نظر شمارهٔ 04" not in first
    assert "نظر شمارهٔ 04" in second and "نظر شمارهٔ 00" in second and "نظر شمارهٔ 05" not in second
    assert "۳۰ نظر" in first and "صفحهٔ ۲ از ۲" in second
    assert "page=2" in first
    assert text(client.get(f"{world.url}?page=99")).count("نظر شمارهٔ") == 5  # past the end: the last page


def test_withdrawn_comments_are_not_listed(client, factory, sign_in, world):
    comment(factory, world, "1", "نظری که پس گرفته شد.", is_deleted=True)
    sign_in(world.secretary)
    assert "نظری که پس گرفته شد." not in text(client.get(world.url))


def _count_queries(client, url) -> int:
    from consult.extensions import db as database

    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = database.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_query_count_does_not_grow_with_the_comments(client, factory, sign_in, world):
    sign_in(world.secretary)
    item_url = f"/c/{world.consultation.slug}/items/1"
    counts = []
    for total in (10, 60):
        while (made_so_far := db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("comment")))) < total:
            made = comment(factory, world, ("1", "1.1", "1.1.1.1")[made_so_far % 3], "نظری برای شمردن پرسش‌ها.")
            made.ratings.append(Rating(criterion_id=world.consultation.criteria[1].id, score=3))
            db.session.add(CommentLink(comment=made, item=world.item["1.1"], source=LinkSource.SUGGESTED))
        db.session.flush()
        db.session.expire_all()
        counts.append((_count_queries(client, world.url), _count_queries(client, f"{world.url}?q=نظری&stance=agree"),
                       _count_queries(client, item_url)))
    assert counts[0] == counts[1], counts
    assert all(n < 30 for n in counts[0]), counts


def test_review_home_lists_the_users_scopes_with_counts(client, factory, sign_in, world):
    comment(factory, world, "1.1", "نظر دامنهٔ الف.")
    comment(factory, world, "2", "نظر دامنهٔ ب.")
    comment(factory, world, None, "نظر کلی.")
    sign_in(world.secretary)
    page = text(client.get(f"/review/c/{world.consultation.slug}"))
    assert "کارگروه الف" in page and "کارگروه ب" not in page
    assert f"/scopes/{world.A}" in page and "/scopes/general" in page and "فقط خواندنی" in page
    world.b.members.append(world.secretary)  # a secretary in two groups picks one
    db.session.flush()
    page = text(client.get(f"/review/c/{world.consultation.slug}"))
    assert f"/scopes/{world.A}" in page and f"/scopes/{world.B}" in page
    assert page.count("۱ نظر") == 3
    world.consultation.secretaries_act_in_general = True
    db.session.flush()
    assert "فقط خواندنی" not in text(client.get(f"/review/c/{world.consultation.slug}"))


def test_review_index_lists_rounds_the_user_reviews(client, factory, sign_in, world):
    other = factory.make_consultation()
    sign_in(world.secretary)
    page = text(client.get("/review/"))
    assert f"/review/c/{world.consultation.slug}" in page and f"/review/c/{other.slug}" not in page
    sign_in(factory.make_user(Role.PLANNER, password=None))
    page = text(client.get("/review/"))
    assert f"/review/c/{world.consultation.slug}" in page and f"/review/c/{other.slug}" in page


def test_item_page_shows_reviewers_the_subtree_comments_with_both_counts(client, factory, sign_in, world):
    comment(factory, world, "1.1", "نظر بر خود راهبرد.")
    comment(factory, world, "1.1.1.1", "نظر بر طرحی در زیرشاخه.")
    comment(factory, world, "2.1", "نظر دامنهٔ دیگر.")
    expert = factory.make_user(password=None)
    add_participant(world.consultation, expert)
    sign_in(world.secretary)
    page = text(client.get(f"/c/{world.consultation.slug}/items/1.1"))
    assert "۱ نظر بر همین بند" in page and "۲ نظر با زیرشاخه‌ها" in page
    assert "نظر بر خود راهبرد." in page and "نظر بر طرحی در زیرشاخه." in page and "نظر دامنهٔ دیگر." not in page
    assert "نظرها برای بررسی" not in text(client.get(f"/c/{world.consultation.slug}/items/2.1"))  # B's item
    sign_in(factory.make_user(Role.PLANNER, password=None))
    assert "نظر دامنهٔ دیگر." in text(client.get(f"/c/{world.consultation.slug}/items/2"))
    sign_in(expert)  # experts still see only their own
    page = text(client.get(f"/c/{world.consultation.slug}/items/1.1"))
    assert "نظر بر خود راهبرد." not in page and "نظرها برای بررسی" not in page


def test_a_confirmed_link_moves_a_comment_between_scope_pages(client, factory, sign_in, world):
    moved = comment(factory, world, "2.1", "نظری که دبیر جابه‌جا کرد.")
    sign_in(factory.make_user(Role.PLANNER, password=None))
    b_url = f"/review/c/{world.consultation.slug}/scopes/{world.B}"
    assert moved.body in text(client.get(b_url)) and moved.body not in text(client.get(world.url))
    db.session.add(CommentLink(comment=moved, item=world.item["1.1"], source=LinkSource.CONFIRMED))
    db.session.flush()
    page = text(client.get(world.url))
    assert moved.body in page and "جابه‌جا شده" in page and moved.body not in text(client.get(b_url))
