"""Comment counts mean the same everywhere, labelled; the home page's plan tree leads to the items."""
import re

import pytest

from consult.auth.models import Role
from consult.extensions import db
from consult.feedback.tallies import CommentTally, comment_tallies


@pytest.fixture
def counted(factory, expert, consultation):
    """Policy 1.1.1: one comment on itself, two on its projects; one withdrawn; one in another round."""
    plan = consultation.plan
    others = [factory.make_user(password=None) for _ in range(3)]
    factory.make_comment(consultation, expert, factory.item(plan, "1.1.1"))
    factory.make_comment(consultation, others[0], factory.item(plan, "1.1.1"))
    factory.make_comment(consultation, expert, factory.item(plan, "1.1.1.1"))
    factory.make_comment(consultation, others[1], factory.item(plan, "1.1.1.1"))
    withdrawn = factory.make_comment(consultation, others[2], factory.item(plan, "1.1.1.1"))
    withdrawn.is_deleted = True
    factory.make_comment(factory.make_consultation(plan=plan), expert, factory.item(plan, "1.1.1"))
    factory.make_comment(consultation, expert)  # a general comment counts for no item
    db.session.flush()
    return consultation


def test_tallies_come_from_one_query(counted, factory):
    plan = counted.plan
    ids = {code: factory.item(plan, code).id for code in ("1", "1.1.1", "1.1.1.1", "2")}
    tallies = comment_tallies(counted)
    assert tallies[ids["1.1.1"]] == CommentTally(own=2, subtree=4, leaf=False)
    assert tallies[ids["1.1.1.1"]] == CommentTally(own=2, subtree=2, leaf=True)
    assert tallies[ids["1"]] == CommentTally(own=0, subtree=4, leaf=False)
    assert tallies[ids["2"]].subtree == 0
    assert comment_tallies(counted, [ids["1.1.1"]]) == {ids["1.1.1"]: CommentTally(2, 4, False)}


def test_tree_and_search_show_the_same_labelled_counts(client, login_as, expert, counted):
    login_as(expert)
    both = "۲ نظر بر خود بند · ۴ نظر با زیرشاخه‌ها"
    tree = client.get(f"/c/{counted.slug}/plan").get_data(as_text=True)
    assert both in tree and "۰ نظر بر خود بند · ۴ نظر با زیرشاخه‌ها" in tree
    assert "۲ نظر بر خود بند</span>" in tree  # the project 1.1.1.1, a leaf
    found = client.get(f"/c/{counted.slug}/plan/search", query_string={"q": "1.1.1"}).get_data(as_text=True)
    assert both in found
    item = client.get(f"/c/{counted.slug}/items/1.1.1").get_data(as_text=True)
    assert "۲ نظر بر همین بند و ۴ نظر با زیرشاخه‌ها." in item
    home = client.get("/").get_data(as_text=True)
    assert both in home


def tree_links(html: str) -> list[str]:
    tree = html.split('class="plan-tree"')[1]
    return re.findall(r'<a href="([^"]+)">', tree)


def test_home_tree_links_items_for_those_who_may_view(client, login_as, expert, consultation):
    login_as(expert)
    links = tree_links(client.get("/").get_data(as_text=True))
    assert f"/c/{consultation.slug}/items/1.1.1.1" in links


def test_home_tree_sends_visitors_to_sign_in_then_to_the_item(client, consultation):
    links = tree_links(client.get("/").get_data(as_text=True))
    assert f"/auth/login?next=/c/{consultation.slug}/items/1.1.1.1" in links
    response = client.get(f"/auth/login?next=/c/{consultation.slug}/items/1.1.1.1")
    assert response.status_code == 200


def test_home_tree_links_for_planners(client, login_as, factory, consultation):
    login_as(factory.make_user(role=Role.PLANNER))
    assert f"/c/{consultation.slug}/items/1" in tree_links(client.get("/").get_data(as_text=True))


def test_tree_help_is_persian(client, login_as, expert, consultation):
    login_as(expert)
    html = client.get(f"/c/{consultation.slug}/plan").get_data(as_text=True)
    help_text = html.split('<p class="text-muted small">')[1].split("</p>")[0]
    assert "Enter" not in help_text and "«اینتر»" in help_text
    assert not re.search("[A-Za-z]", help_text)
