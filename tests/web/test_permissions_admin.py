"""Who may open every auth and admin route: a table of (method, url, role) -> status, anonymous included."""
import pytest

from consult.auth.models import Role
from consult.auth.permissions import can
from consult.consultations.models import ConsultationState

ANON, EXPERT, SECRETARY, PLANNER, ADMIN = "anonymous", "expert", "secretary", "planner", "admin"
ROLES = (ANON, EXPERT, SECRETARY, PLANNER, ADMIN)


def everyone(status: int, signed_in: int | None = None) -> dict:
    """The same status for every role (signed_in: a different one for signed-in users)."""
    return {role: status if role == ANON or signed_in is None else signed_in for role in ROLES}


def admin_only(admin_status: int) -> dict:
    """Anonymous users are sent to sign in; every role but admin is refused."""
    return {ANON: 302, EXPERT: 403, SECRETARY: 403, PLANNER: 403, ADMIN: admin_status}


# (endpoint, method, url template, expected status per role)
TABLE = [
    ("auth.login", "GET", "/auth/login", everyone(200, signed_in=302)),
    ("auth.login", "POST", "/auth/login", everyone(200)),
    ("auth.logout", "GET", "/auth/logout", everyone(405)),  # POST only: no cross-site sign-out
    ("auth.logout", "POST", "/auth/logout", everyone(302)),
    ("auth.forgot_password", "GET", "/auth/forgot", everyone(200)),
    ("auth.forgot_password", "POST", "/auth/forgot", everyone(200)),
    ("auth.accept_invitation", "GET", "/auth/invite/{invite}", everyone(200)),
    ("auth.accept_invitation", "POST", "/auth/invite/{invite}", everyone(200)),
    ("auth.accept_invitation", "GET", "/auth/invite/unknown-token", everyone(404)),
    ("auth.reset_password", "GET", "/auth/reset/{reset}", everyone(200)),
    ("auth.reset_password", "POST", "/auth/reset/{reset}", everyone(200)),
    ("auth.reset_password", "GET", "/auth/reset/unknown-token", everyone(404)),
    ("admin.index", "GET", "/admin/", admin_only(200)),
    ("auth.users", "GET", "/admin/users", admin_only(200)),
    ("auth.toggle_user", "POST", "/admin/users/{user}/active", admin_only(302)),
    ("auth.issue_reset", "POST", "/admin/users/{user}/reset", admin_only(200)),
    ("auth.change_role", "POST", "/admin/users/{user}/role", admin_only(302)),
    ("consultations.consultations", "GET", "/admin/consultations", admin_only(200)),
    ("consultations.consultations", "POST", "/admin/consultations", admin_only(200)),
    ("consultations.edit_consultation", "GET", "/admin/c/{slug}", admin_only(200)),
    ("consultations.edit_consultation", "POST", "/admin/c/{slug}", admin_only(200)),
    ("consultations.edit_consultation", "GET", "/admin/c/no-such-round", admin_only(404)),
    ("consultations.invitations", "GET", "/admin/c/{slug}/invitations", admin_only(200)),
    ("consultations.participants", "GET", "/admin/c/{slug}/participants", admin_only(200)),
    ("consultations.participants", "GET", "/admin/c/{slug}/participants?q=x&page=9", admin_only(200)),
    ("consultations.invitations", "POST", "/admin/c/{slug}/invitations", admin_only(200)),
    ("consultations.revoke_invitation", "POST", "/admin/invitations/{invitation}/revoke", admin_only(302)),
    ("consultations.add_criterion", "POST", "/admin/c/{slug}/criteria", admin_only(422)),
    ("consultations.rename_criterion", "POST", "/admin/criteria/{criterion}/rename", admin_only(422)),
    ("consultations.move_criterion", "POST", "/admin/criteria/{criterion}/move/down", admin_only(302)),
    ("consultations.remove_criterion", "POST", "/admin/criteria/{criterion}/remove", admin_only(302)),
    ("consultations.remove_criterion", "GET", "/admin/criteria/{criterion}/remove", admin_only(200)),
    ("consultations.questionnaires", "GET", "/admin/c/{slug}/questionnaires", admin_only(200)),
    ("consultations.questionnaires", "POST", "/admin/c/{slug}/questionnaires", admin_only(200)),
    ("consultations.edit_questionnaire", "GET", "/admin/questionnaires/{questionnaire}", admin_only(200)),
    ("consultations.edit_questionnaire", "POST", "/admin/questionnaires/{questionnaire}", admin_only(200)),
    ("consultations.remove_questionnaire", "POST", "/admin/questionnaires/{questionnaire}/remove", admin_only(302)),
    ("consultations.remove_questionnaire", "GET", "/admin/questionnaires/{questionnaire}/remove", admin_only(200)),
    ("consultations.edit_question", "GET", "/admin/questions/{question}", admin_only(200)),
    ("consultations.edit_question", "POST", "/admin/questions/{question}", admin_only(302)),
    ("consultations.move_question", "POST", "/admin/questions/{question}/move/up", admin_only(302)),
    ("consultations.remove_question", "POST", "/admin/questions/{question}/remove", admin_only(302)),
    ("consultations.remove_question", "GET", "/admin/questions/{question}/remove", admin_only(200)),
]

CASES = [
    pytest.param(method, url, role, expected[role], id=f"{method} {url} {role}")
    for _endpoint, method, url, expected in TABLE
    for role in ROLES
]


@pytest.fixture
def world(factory):
    """One of everything the URLs name."""
    from consult.auth.services import issue_reset
    from consult.consultations.questionnaires import add_question, create_questionnaire

    consultation = factory.make_consultation()
    # No passwords: scrypt is slow and these two never sign in.
    builder = factory.make_user(role=Role.ADMIN, password=None)
    target = factory.make_user(name="کاربر هدف", password=None)
    questionnaire = create_questionnaire(consultation, builder, title="پرسش‌نامه")
    question = add_question(questionnaire, builder, kind="short_text", text="پرسش؟")
    invitation = factory.make_invitation(consultation)
    return {
        "slug": consultation.slug, "user": target.id, "criterion": consultation.criteria[0].id,
        "questionnaire": questionnaire.id, "question": question.id, "invitation": invitation.row.id,
        "invite": invitation.token, "reset": issue_reset(target, actor=None).token,
    }


def sign_in_directly(client, user) -> None:
    """A session as Flask-Login keeps it; the sign-in form itself is tested in test_auth.py."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.mark.parametrize(("method", "url", "role", "expected"), CASES)
def test_route_access(client, factory, world, method, url, role, expected):
    if role != ANON:
        sign_in_directly(client, factory.make_user(role=Role(role), password=None))
    response = client.open(url.format(**world), method=method, data={})
    assert response.status_code == expected
    if role == ANON and expected == 302 and url.startswith("/admin"):
        assert "/auth/login" in response.headers["Location"]


def test_table_covers_every_auth_and_admin_route(app):
    covered = {(endpoint, method) for endpoint, method, _url, _expected in TABLE}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("auth", "admin")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes <= covered, sorted(routes - covered)


def test_experts_see_only_consultations_they_take_part_in(factory):
    expert, outsider = factory.make_user(), factory.make_user()
    consultation = factory.make_consultation(participants=[expert])
    draft = factory.make_consultation(state=ConsultationState.DRAFT, participants=[expert])
    assert can(expert, "view_consultation", consultation)
    assert not can(outsider, "view_consultation", consultation)
    assert not can(expert, "view_consultation", draft)
    assert not can(expert, "admin")
    assert can(factory.make_user(role=Role.ADMIN), "admin")


def test_inactive_admin_is_denied(factory):
    assert not can(factory.make_user(role=Role.ADMIN, active=False), "admin")


def test_secretaries_export_only_rounds_they_take_part_in(factory):
    secretary, outsider = factory.make_user(role=Role.SECRETARY), factory.make_user(role=Role.SECRETARY)
    consultation = factory.make_consultation(participants=[secretary])
    assert can(secretary, "export", consultation)
    assert not can(outsider, "export", consultation)
    assert can(factory.make_user(role=Role.PLANNER), "export", consultation)
    assert not can(factory.make_user(), "export", consultation)
