"""The plan tree, item search in any Persian spelling, and the item page."""
from decimal import Decimal

import pytest

from consult.consultations.models import ConsultationState
from consult.extensions import db
from consult.plan.models import ItemKind, PlanItem
from consult.plan.text import refresh_text


@pytest.fixture
def consultation(factory, expert):
    consultation = factory.make_consultation(participants=[expert])
    plan = consultation.plan
    parent = factory.item(plan, "2.1.1")
    extra = PlanItem(plan=plan, parent=parent, kind=ItemKind.PROJECT, code="2.1.1.2", position=20,
                     title="بوستان امام علی و باغ‌های پیرامون", description="ساخت بوستان در محله")
    refresh_text(extra)
    db.session.add(extra)
    db.session.flush()
    return consultation


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_item_page_counts_its_own_comments_and_its_subtree(client, login_as, factory, expert, consultation):
    plan = consultation.plan
    other = factory.make_consultation(plan=plan, participants=[expert])
    factory.make_comment(consultation, expert, factory.item(plan, "1.1.1.1"))
    factory.make_comment(consultation, factory.make_user(password=None), factory.item(plan, "1.1.1.2"))
    factory.make_comment(other, expert, factory.item(plan, "1.1.1.2"))  # another round does not count
    withdrawn = factory.make_comment(consultation, factory.make_user(password=None), factory.item(plan, "1.1.1.2"))
    withdrawn.is_deleted = True
    factory.make_comment(consultation, expert, factory.item(plan, "2.1.1.1"))  # another branch
    db.session.flush()
    login_as(expert)
    assert "۰ نظر بر همین بند و ۲ نظر با زیرشاخه‌ها." in page(client, f"/c/{consultation.slug}/items/1.1.1")
    assert "۰ نظر بر همین بند و ۲ نظر با زیرشاخه‌ها." in page(client, f"/c/{consultation.slug}/items/1")
    leaf = page(client, f"/c/{consultation.slug}/items/1.1.1.1")
    assert "۱ نظر بر همین بند." in leaf and "با زیرشاخه‌ها" not in leaf

def test_tree_shows_nested_codes_titles_and_rolled_up_counts(client, login_as, factory, expert, consultation):
    plan = consultation.plan
    factory.make_comment(consultation, expert, factory.item(plan, "1.1.1.1"))
    factory.make_comment(consultation, factory.make_user(password=None), factory.item(plan, "1.1.1.2"))
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/plan")
    assert html.count("<details") >= 5
    assert "۱.۱.۱.۱" in html and "ساخت زائرسرای شهری در پردیسان" in html
    assert "۲ نظر" in html  # goal 1 rolls up both project comments
    assert "۱ نظر" in html
    assert f'href="/c/{consultation.slug}/items/1.1.1.1"' in html
    assert 'role="search"' in html and '<label for="plan-q"' in html


@pytest.mark.parametrize("query", ["علي", "علی", "عَلی", "امام علي"])
def test_search_folds_arabic_yeh_and_diacritics(client, login_as, expert, consultation, query):
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/plan/search?q={query}")
    assert "بوستان امام علی و باغ‌های پیرامون" in html
    assert "مدیریت یکپارچه منابع آب" in html  # an ancestor shown as breadcrumb


@pytest.mark.parametrize("query", ["سامان دهی", "ساماندهی", "سامان\u200cدهی", "پارکینگ های", "پاركينگهای",
                                   "پارکینگ\u200cهای حرم"])
def test_search_ignores_zwnj_space_and_joined_spelling(client, login_as, expert, consultation, query):
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/plan/search?q={query}")
    assert "ساماندهی پارکینگ‌های پیرامون حرم" in html


@pytest.mark.parametrize("query", ["1.1.1.2", "۱.۱.۱.۲", "١.١.١.٢"])
def test_search_by_code_in_any_digits(client, login_as, expert, consultation, query):
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/plan/search?q={query}")
    assert "ساماندهی پارکینگ‌های پیرامون حرم" in html
    assert "ساخت زائرسرای شهری در پردیسان" not in html


def test_search_code_prefix_finds_the_subtree_exact_code_first(client, login_as, expert, consultation):
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/plan/search?q=2.1")
    assert html.index("مدیریت یکپارچه منابع آب") < html.index("آبیاری هوشمند بوستان‌های شهری")
    assert "ساماندهی پارکینگ" not in html


def test_search_needs_every_word(client, login_as, expert, consultation):
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/plan/search?q=ساماندهی آبیاری")
    assert "بندی برای" in html
    assert "ساماندهی پارکینگ‌های پیرامون حرم" not in html.split("</form>", 1)[1]


def test_search_query_is_shown_escaped_and_odd_input_is_harmless(client, login_as, expert, consultation):
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/plan/search?q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert client.get(f"/c/{consultation.slug}/plan/search?q=%25_%5C").status_code == 200
    assert client.get(f"/c/{consultation.slug}/plan/search?q=a%00b").status_code == 200
    assert client.get(f"/c/{consultation.slug}/plan/search?q=" + "ب" * 5000).status_code == 200


def test_item_page_shows_breadcrumb_progress_children_and_comment_link(
        client, login_as, factory, expert, consultation):
    policy = factory.item(consultation.plan, "1.1.1")
    policy.previous_progress = Decimal("42.5")
    db.session.flush()
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/items/1.1.1")
    assert 'aria-label="مسیر صفحه"' in html
    assert "قم، شهر زیارت و گردشگری مذهبی" in html and "ارتقای کیفیت خدمات به زائران" in html
    assert 'aria-current="page"' in html
    assert "سیاست" in html and "شرح توسعه زیرساخت‌های اقامتی ارزان‌قیمت" in html
    assert "<progress" in html and 'value="42.5"' in html  # a native progressbar
    assert "۴۲٫۵" in html
    assert "ساخت زائرسرای شهری در پردیسان" in html  # a child
    assert f"/c/{consultation.slug}/items/1.1.1/comment" in html


def test_item_page_without_progress_says_so(client, login_as, expert, consultation):
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/items/2")
    assert "ثبت نشده است" in html and "<progress" not in html


def test_item_page_shows_own_comment_with_edit_and_withdraw(client, login_as, factory, expert, consultation):
    item = factory.item(consultation.plan, "2.1")
    comment = factory.make_comment(consultation, expert, item, body="نظر من <b>درشت</b> نیست")
    factory.make_comment(consultation, factory.make_user(password=None), item, body="نظر کس دیگری دربارهٔ آب")
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/items/2.1")
    assert "نظر من &lt;b&gt;درشت&lt;/b&gt; نیست" in html
    assert "نظر کس دیگری" not in html
    assert "ویرایش نظر" in html
    assert f"/c/{consultation.slug}/comments/{comment.id}/withdraw" in html


def test_unknown_item_is_404(client, login_as, expert, consultation):
    login_as(expert)
    assert client.get(f"/c/{consultation.slug}/items/9.9").status_code == 404


def test_closed_round_item_page_offers_no_comment_link(client, login_as, expert, consultation):
    consultation.state = ConsultationState.CLOSED
    db.session.flush()
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}/items/1.1")
    assert "/items/1.1/comment" not in html
    assert "نظر نمی‌پذیرد" in html


def test_consultation_overview_links_the_ways_in(client, login_as, factory, expert, consultation):
    factory.make_questionnaire(consultation)
    login_as(expert)
    html = page(client, f"/c/{consultation.slug}")
    assert "دور آزمایشی مشورت" in html and "باز" in html
    assert f"/c/{consultation.slug}/plan" in html
    assert f"/c/{consultation.slug}/comments/new" in html
    assert "پرسش‌نامهٔ آزمایشی" in html
    assert "/me/contributions" in html


def test_an_item_address_typed_with_persian_digits_is_the_same_item(client, login_as, expert, consultation):
    login_as(expert)
    ascii_page = page(client, f"/c/{consultation.slug}/items/1.1.1.1")
    assert page(client, f"/c/{consultation.slug}/items/۱.۱.١.1") == ascii_page
    assert client.get(f"/c/{consultation.slug}/items/Ⅰ.1.1.1").status_code == 404
