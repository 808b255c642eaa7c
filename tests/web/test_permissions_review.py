"""Who may open each review and working-group route: a table of (method, url, role) -> status, URL guessing included."""
from types import SimpleNamespace

import pytest

from consult.auth.models import Role
from consult.consultations.services import add_participant
from consult.extensions import db
from consult.plan.models import WorkingGroup
from consult.review.scopes import group_key

# secretary_outsider sits in group A without an invitation to the round; secretary_stranger has neither.
ROLES = ("anonymous", "expert", "secretary_a", "secretary_b", "secretary_outsider", "secretary_stranger", "planner",
         "admin")
LOGIN = 302


def by_role(default: int, **statuses) -> dict:
    """`default` for every signed-in role unless named; anonymous visitors are sent to sign in."""
    return {role: LOGIN if role == "anonymous" else statuses.get(role, default) for role in ROLES}


REVIEWERS = by_role(200, expert=403, secretary_stranger=403)
SCOPE_A = by_role(403, secretary_a=200, secretary_outsider=200, planner=200, admin=200)
SCOPE_B = by_role(403, secretary_b=200, planner=200, admin=200)
# Every secretary of the round reads general (read-only while the round keeps them out of it).
SCOPE_GENERAL = by_role(200, expert=403, secretary_stranger=403)
STAFF = by_role(403, planner=200, admin=200)
STAFF_REDIRECT = by_role(403, planner=302, admin=302)
STAFF_REFUSED_FORM = by_role(403, planner=422, admin=422)

TABLE = [
    ("review.index", "GET", "/review/", by_role(200, expert=403)),
    ("review.home", "GET", "/review/c/{slug}", REVIEWERS),
    ("review.home", "GET", "/review/c/no-such-round", by_role(404, expert=404)),
    ("review.scope", "GET", "/review/c/{slug}/scopes/{A}", SCOPE_A),
    ("review.scope", "GET", "/review/c/{slug}/scopes/{A}?item=1.1&stance=agree&affiliation=academic&reviewed=no"
                            "&q=%D8%A2%D8%A8&page=3", SCOPE_A),
    ("review.scope", "GET", "/review/c/{slug}/scopes/{B}", SCOPE_B),
    ("review.scope", "GET", "/review/c/{slug}/scopes/general", SCOPE_GENERAL),
    ("review.scope", "GET", "/review/c/{slug}/scopes/group-999999", by_role(404)),
    ("review.scope", "GET", "/review/c/{slug}/scopes/{foreign}", by_role(404)),  # a group of another plan
    ("review.scope", "GET", "/review/c/{slug}/scopes/nonsense", by_role(404)),
    ("review.group_rounds", "GET", "/admin/groups", STAFF),
    ("review.groups", "GET", "/admin/c/{slug}/groups", STAFF),
    ("review.groups", "POST", "/admin/c/{slug}/groups", STAFF),  # empty name: the form again
    ("review.edit_group", "GET", "/admin/c/{slug}/groups/{a_id}", STAFF),
    ("review.edit_group", "GET", "/admin/c/{slug}/groups/{foreign_id}", by_role(403, planner=404, admin=404)),
    ("review.edit_group", "POST", "/admin/c/{slug}/groups/{a_id}", STAFF_REFUSED_FORM),
    ("review.assign_item", "POST", "/admin/c/{slug}/groups/{a_id}/items", STAFF_REFUSED_FORM),
    ("review.unassign_item", "POST", "/admin/c/{slug}/groups/{a_id}/items/{item_id}/remove", STAFF_REDIRECT),
    ("review.add_secretary", "POST", "/admin/c/{slug}/groups/{a_id}/secretaries", STAFF_REFUSED_FORM),
    ("review.remove_secretary", "POST", "/admin/c/{slug}/groups/{a_id}/secretaries/{sec_a_id}/remove",
     STAFF_REDIRECT),
]

CASES = [pytest.param(method, url, role, expected[role], id=f"{method} {url} {role}")
         for _endpoint, method, url, expected in TABLE for role in ROLES]


@pytest.fixture
def world(factory):
    """Groups A (goal 1) and B (goal 2) of one plan, a secretary in each, comments in every scope."""
    plan = factory.make_plan()
    item = {i.code: i for i in plan.items}
    users = {
        "expert": factory.make_user(password=None),
        "secretary_a": factory.make_user(Role.SECRETARY, password=None),
        "secretary_b": factory.make_user(Role.SECRETARY, password=None),
        "secretary_outsider": factory.make_user(Role.SECRETARY, password=None),
        "secretary_stranger": factory.make_user(Role.SECRETARY, password=None),
        "planner": factory.make_user(Role.PLANNER, password=None),
        "admin": factory.make_user(Role.ADMIN, password=None),
    }
    group_a = WorkingGroup(plan=plan, name="کارگروه الف", items=[item["1"]],
                           members=[users["secretary_a"], users["secretary_outsider"]])
    group_b = WorkingGroup(plan=plan, name="کارگروه ب", items=[item["2"]], members=[users["secretary_b"]])
    foreign = WorkingGroup(plan=factory.make_plan(), name="کارگروه برنامهٔ دیگر")
    db.session.add_all([group_a, group_b, foreign])
    consultation = factory.make_consultation(plan, participants=[users["expert"]])
    for role in ("secretary_a", "secretary_b"):
        add_participant(consultation, users[role])
    for code in ("1.1", "2.1", None):
        factory.make_comment(consultation, users["expert"], item.get(code),
                             body=f"نظر خبره دربارهٔ {code or 'کل برنامه'} که باید خوانده شود.")
    db.session.flush()
    return SimpleNamespace(consultation=consultation, users=users, item=item, a=group_a, b=group_b,
                           args={"slug": consultation.slug, "A": group_key(group_a), "B": group_key(group_b),
                                 "foreign": group_key(foreign), "a_id": group_a.id, "foreign_id": foreign.id,
                                 "item_id": item["1"].id, "sec_a_id": users["secretary_a"].id})


@pytest.mark.parametrize(("method", "url", "role", "expected"), CASES)
def test_route_access(client, login_as, world, method, url, role, expected):
    if role != "anonymous":
        login_as(world.users[role])
    response = client.open(url.format(**world.args), method=method, data={})
    assert response.status_code == expected
    if expected == LOGIN and role == "anonymous":
        assert "/auth/login" in response.location


def test_table_covers_every_review_route(app):
    covered = {(endpoint, method) for endpoint, method, _url, _expected in TABLE}
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("review.") for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert {r for r in routes if r[0] in {e for e, *_ in TABLE}} <= covered
    mine = {"review.index", "review.home", "review.scope", "review.group_rounds", "review.groups",
            "review.edit_group", "review.assign_item", "review.unassign_item", "review.add_secretary",
            "review.remove_secretary"}
    assert {endpoint for endpoint, _ in routes} >= mine


def _filled(rule, world, scope_key):
    values = {}
    for name in rule.arguments:
        if name == "scope_key":
            values[name] = scope_key
        elif name == "slug":
            values[name] = world.consultation.slug
        else:
            values[name] = 1
    return values


@pytest.mark.parametrize("general_on", [False, True])
def test_a_secretary_of_group_a_reaches_no_url_of_group_b(app, client, login_as, world, general_on):
    """Every route with a scope in its URL, now and later (runs, topics), refuses B's scope to A's secretary."""
    from flask import url_for

    world.consultation.secretaries_act_in_general = general_on
    db.session.flush()
    login_as(world.users["secretary_a"])
    rules = [rule for rule in app.url_map.iter_rules() if "scope_key" in rule.arguments]
    assert rules
    for rule in rules:
        with app.test_request_context():
            url = url_for(rule.endpoint, **_filled(rule, world, world.args["B"]))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            status = client.open(url, method=method, data={}).status_code
            assert status in (403, 404), (method, url, status)
    page = client.get(f"/review/c/{world.consultation.slug}/scopes/{world.args['A']}").get_data(as_text=True)
    assert "دربارهٔ 1.1" in page and "دربارهٔ 2.1" not in page
