"""Who may open the runs page of a scope and start a run: a table of (route, role) -> status."""
import pytest

from consult.auth.models import Role

ROLES = ("anonymous", "expert", "secretary", "outside_secretary", "planner", "admin")
LOGIN = 302
PAGE = {"anonymous": LOGIN, "expert": 403, "secretary": 200, "outside_secretary": 403, "planner": 200, "admin": 200}
START = {**PAGE, "secretary": 302, "planner": 302, "admin": 302}


@pytest.fixture
def world(factory, monkeypatch, app, tmp_path):
    from consult.review import runs

    monkeypatch.setattr(runs, "_dispatch", lambda run, requested_by=None: None)
    expert, secretary = factory.make_user(password=None), factory.make_user(Role.SECRETARY, password=None)
    consultation = factory.make_consultation(participants=[expert, secretary])
    consultation.secretaries_act_in_general = True  # the round lets its secretaries act in the general scope
    factory.make_comment(consultation, expert, None, body="نظری کلی دربارهٔ کل برنامهٔ سوم شهر.")
    users = {"expert": expert, "secretary": secretary,
             "outside_secretary": factory.make_user(Role.SECRETARY, password=None),
             "planner": factory.make_user(Role.PLANNER, password=None),
             "admin": factory.make_user(Role.ADMIN, password=None)}
    return consultation, users


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "expected"), [("GET", PAGE), ("POST", START)])
def test_runs_routes(client, login_as, world, role, method, expected):
    consultation, users = world
    if role != "anonymous":
        login_as(users[role])
    response = client.open(f"/review/c/{consultation.slug}/scopes/general/runs", method=method, data={})
    assert response.status_code == expected[role]
    if role == "anonymous":
        assert "/auth/login" in response.location
