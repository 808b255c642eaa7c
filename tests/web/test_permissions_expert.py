"""Who may open each expert-facing route: a table of (route, role) -> status, anonymous included."""
from types import SimpleNamespace

import pytest

from consult.auth.models import Role
from consult.consultations.models import ConsultationState
from consult.consultations.services import add_participant
from consult.extensions import db

ROLES = ("anonymous", "expert", "co_expert", "outsider", "secretary", "planner", "admin")

# route -> (method, url template, data kind)
ROUTES = {
    "overview": ("GET", "/c/{slug}", None),
    "tree": ("GET", "/c/{slug}/plan", None),
    "search": ("GET", "/c/{slug}/plan/search?q=آب", None),
    "item": ("GET", "/c/{slug}/items/1.1", None),
    "comment_form": ("GET", "/c/{slug}/items/1.1/comment", None),
    "comment_save": ("POST", "/c/{slug}/items/1.1/comment", "comment"),
    "general_form": ("GET", "/c/{slug}/comments/new", None),
    "general_save": ("POST", "/c/{slug}/comments/new", "comment"),
    "general_edit": ("GET", "/c/{slug}/comments/{comment_id}/edit", None),
    "general_edit_save": ("POST", "/c/{slug}/comments/{comment_id}/edit", "comment"),
    "withdraw": ("POST", "/c/{slug}/comments/{comment_id}/withdraw", None),
    "withdraw_confirm": ("GET", "/c/{slug}/comments/{comment_id}/withdraw", None),
    "questionnaire": ("GET", "/c/{slug}/questionnaires/{questionnaire_id}", None),
    "questionnaire_save": ("POST", "/c/{slug}/questionnaires/{questionnaire_id}", "answers"),
    "my_contributions": ("GET", "/me/contributions", None),
}

LOGIN = 302  # anonymous visitors are sent to the login page
VIEW = {"anonymous": LOGIN, "expert": 200, "co_expert": 200, "outsider": 403, "secretary": 200,
        "planner": 200, "admin": 200}
CONTRIBUTE = {"anonymous": LOGIN, "expert": 200, "co_expert": 200, "outsider": 403, "secretary": 200,
              "planner": 403, "admin": 403}
SAVE = {**CONTRIBUTE, "expert": 302, "co_expert": 302, "secretary": 302}
AUTHOR_ONLY = {role: 403 for role in ROLES} | {"anonymous": LOGIN, "expert": 200}
AUTHOR_SAVE = AUTHOR_ONLY | {"expert": 302}
ANY_SIGNED_IN = {role: 200 for role in ROLES} | {"anonymous": LOGIN}

EXPECTED = {
    "overview": VIEW, "tree": VIEW, "search": VIEW, "item": VIEW,
    "comment_form": CONTRIBUTE, "comment_save": SAVE,
    "general_form": CONTRIBUTE, "general_save": SAVE,
    "general_edit": AUTHOR_ONLY, "general_edit_save": AUTHOR_SAVE, "withdraw": AUTHOR_SAVE,
    "withdraw_confirm": AUTHOR_ONLY,
    "questionnaire": CONTRIBUTE, "questionnaire_save": SAVE,
    "my_contributions": ANY_SIGNED_IN,
}

# A draft round: staff see it, nobody may write to it, experts and secretaries do not see it at all.
DRAFT_EXPECTED = {
    route: {role: (LOGIN if role == "anonymous" else
                   200 if role in ("planner", "admin") and expected is VIEW else
                   200 if route == "my_contributions" else 403)
            for role in ROLES}
    for route, expected in EXPECTED.items()
}


@pytest.fixture
def world(factory):
    # No passwords: login_as sets the session, and hashing six passwords per case is slow.
    expert, co_expert = factory.make_user(password=None), factory.make_user(password=None)
    secretary = factory.make_user(Role.SECRETARY, password=None)
    consultation = factory.make_consultation(participants=[expert, co_expert, secretary])
    users = {
        "expert": expert, "co_expert": co_expert, "secretary": secretary,
        "outsider": factory.make_user(password=None), "planner": factory.make_user(Role.PLANNER, password=None),
        "admin": factory.make_user(Role.ADMIN, password=None),
    }
    factory.make_consultation(participants=[users["outsider"]])  # takes part elsewhere only
    comment = factory.make_comment(consultation, expert, None, body="نظر کلی نویسندهٔ اصلی دربارهٔ برنامه.")
    questionnaire = factory.make_questionnaire(consultation)
    return SimpleNamespace(consultation=consultation, users=users, comment=comment, questionnaire=questionnaire)


def _data(kind, world) -> dict | None:
    if kind == "comment":
        return {"stance": "agree", "body": "متن آزمون دسترسی که به اندازهٔ کافی بلند است."}
    if kind == "answers":
        q = world.questionnaire.questions
        return {f"q_{q[0].id}": "آب", f"q_{q[2].id}": "3"}
    return None


def _request(client, login_as, world, route, role):
    if role != "anonymous":
        login_as(world.users[role])
    method, template, kind = ROUTES[route]
    url = template.format(slug=world.consultation.slug, comment_id=world.comment.id,
                          questionnaire_id=world.questionnaire.id)
    return client.open(url, method=method, data=_data(kind, world))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES)
def test_open_round(client, login_as, world, route, role):
    response = _request(client, login_as, world, route, role)
    assert response.status_code == EXPECTED[route][role]
    if role == "anonymous":
        assert "/auth/login" in response.location


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES)
def test_draft_round(client, login_as, world, route, role):
    world.consultation.state = ConsultationState.DRAFT
    db.session.flush()
    assert _request(client, login_as, world, route, role).status_code == DRAFT_EXPECTED[route][role]


@pytest.mark.parametrize("route", [r for r in ROUTES if "{slug}" in ROUTES[r][1]])
def test_unknown_consultation_is_404(client, login_as, world, route):
    login_as(world.users["admin"])
    method, template, _ = ROUTES[route]
    url = template.format(slug="no-such-round", comment_id=world.comment.id,
                          questionnaire_id=world.questionnaire.id)
    assert client.open(url, method=method).status_code == 404


def test_comment_of_another_consultation_is_404(client, factory, login_as, world):
    expert = world.users["expert"]
    other = factory.make_consultation(participants=[expert])
    foreign = factory.make_comment(other, expert, None, body="نظری در دوری دیگر که نباید از این نشانی باز شود.")
    login_as(expert)
    slug = world.consultation.slug
    assert client.get(f"/c/{slug}/comments/{foreign.id}/edit").status_code == 404
    assert client.post(f"/c/{slug}/comments/{foreign.id}/withdraw").status_code == 404


def test_inactive_participant_is_treated_as_signed_out(client, login_as, world):
    expert = world.users["expert"]
    expert.active = False
    db.session.flush()
    login_as(expert)
    assert client.get(f"/c/{world.consultation.slug}/plan").status_code == LOGIN


def test_secretary_who_does_not_take_part_is_refused(client, factory, login_as, world):
    login_as(factory.make_user(Role.SECRETARY, password=None))
    assert client.get(f"/c/{world.consultation.slug}/plan").status_code == 403


def test_participant_added_later_gets_in(client, login_as, world):
    outsider = world.users["outsider"]
    add_participant(world.consultation, outsider)
    db.session.expire(outsider)
    login_as(outsider)
    assert client.get(f"/c/{world.consultation.slug}/items/1.1/comment").status_code == 200
