"""Security headers on every route and error page, and templates the Content-Security-Policy accepts."""
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import g, render_template_string, url_for

from consult.auth.models import Role
from consult.auth.services import issue_reset
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.plan.models import PlanItem, WorkingGroup

TEMPLATES = Path(__file__).resolve().parents[2] / "consult" / "templates"
ROLES = ("anonymous", "expert", "secretary", "planner", "admin")
# Pages that show or carry a one-time link (admin-issued reset and invitation links, the links themselves).
NO_STORE = {"auth.issue_reset", "consultations.invitations", "auth.accept_invitation", "auth.reset_password"}


@pytest.fixture
def world(factory):
    # No passwords: sessions are set directly, and hashing one per role is slow.
    users = {role: factory.make_user(Role(role), password=None) for role in ROLES if role != "anonymous"}
    consultation = factory.make_consultation(participants=[users["expert"], users["secretary"]])
    comment = factory.make_comment(consultation, users["expert"], None, body="نظر کلی دربارهٔ کل برنامه.")
    target = factory.make_user(password=None)
    group = WorkingGroup(plan=consultation.plan, name="کارگروه نمونه", items=[consultation.plan.items[0]])
    db.session.add(group)
    db.session.flush()
    questionnaire = factory.make_questionnaire(consultation)
    invitation = factory.make_invitation(consultation)
    return SimpleNamespace(
        users=users, target=target,
        # A sample value for each URL argument name, so a new GET route is walked without an edit here.
        args={
            "slug": consultation.slug, "code": "1.1.1", "comment_id": comment.id,
            "questionnaire_id": questionnaire.id, "question_id": questionnaire.questions[0].id,
            "criterion_id": consultation.criteria[0].id, "user_id": target.id, "token_id": invitation.row.id,
            "direction": "up", "filename": "css/app.css", "group_id": group.id, "scope_key": f"group-{group.id}",
        },
        tokens={
            "auth.accept_invitation": invitation.token,
            "auth.reset_password": issue_reset(target, actor=None).token,
        },
    )


def get_routes(app, world) -> list[tuple[str, str]]:
    """(endpoint, url) for every GET route, its arguments filled with the world's sample values."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        missing = rule.arguments - set(world.args) - {"token"}
        assert not missing, f"add a sample value for {sorted(missing)} of {rule.endpoint} to world.args"
        values = {name: world.tokens[rule.endpoint] if name == "token" else world.args[name]
                  for name in rule.arguments}
        with app.test_request_context():
            routes.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return routes


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_security_headers(response, where: str, no_store: bool = False) -> None:
    directives = policy(response)
    assert directives, f"{where}: no Content-Security-Policy"
    assert directives.get("default-src") == ["'self'"], where
    for name in ("script-src", "style-src"):
        assert "'self'" in directives.get(name, []), (where, name)
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(directives[name]), (where, name)
    assert directives.get("object-src") == ["'none'"], where
    assert directives.get("frame-ancestors") == ["'none'"], where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    if no_store:
        assert response.headers.get("Cache-Control") == "no-store", where


NOT_PAGES = {"static", "main.favicon", "main.healthz"}


def test_every_get_route_sends_the_security_headers_to_every_role(app, world):
    routes = get_routes(app, world)
    rendered = set()  # endpoints some role saw as a page (200, HTML), not only as a redirect or refusal
    for role in ROLES:
        # Flask-Login keeps the loaded user in g, which lives as long as this test's app context.
        g.pop("_login_user", None)
        client = app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = world.users[role].get_id()
                session["_fresh"] = True
        for endpoint, url in routes:
            response = client.get(url)
            assert_security_headers(response, f"{role} GET {url}", no_store=endpoint in NO_STORE)
            if response.status_code == 200 and response.mimetype == "text/html":
                rendered.add(endpoint)
    assert {endpoint for endpoint, _url in routes} - NOT_PAGES - rendered == set(), "pages no role could open"
    assert {"auth.reset_password", "consultations.invitations", "feedback.edit_general_comment"} <= rendered


@pytest.mark.parametrize(("url", "status"), [
    ("/no-such-page", 404),
    ("/c/no-such-round", 404),
    ("/auth/reset/not-a-real-token", 404),
    ("/auth/logout", 405),
])
def test_error_pages_send_the_security_headers(client, login_as, world, url, status):
    login_as(world.users["expert"])
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response, url, no_store=url.startswith("/auth/reset/"))


def test_forbidden_page_sends_the_security_headers(client, login_as, world):
    login_as(world.users["expert"])
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert_security_headers(response, "403")


def test_server_error_page_sends_the_security_headers(app, client, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "main.healthz", broken)
    monkeypatch.setattr(app, "testing", False)  # the error handler answers instead of re-raising
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/healthz")
    assert response.status_code == 500
    assert "خطای داخلی" in response.get_data(as_text=True)
    assert_security_headers(response, "500")


def test_pages_that_show_a_one_time_link_are_not_stored(client, login_as, world):
    login_as(world.users["admin"])
    reset = client.post(f"/admin/users/{world.target.id}/reset")
    assert reset.status_code == 200 and "/auth/reset/" in reset.get_data(as_text=True)
    assert_security_headers(reset, "issued reset link", no_store=True)
    invited = client.post(f"/admin/c/{world.args['slug']}/invitations", data={
        "one-email": "new-expert@example.ir", "one-name": "خبرهٔ تازه", "one-role": "expert",
        "one-affiliation": "academic", "one-submit": "1"})
    assert invited.status_code == 200 and "/auth/invite/" in invited.get_data(as_text=True)
    assert_security_headers(invited, "issued invitation link", no_store=True)
    # Ordinary pages may be cached by the browser as before.
    assert "no-store" not in client.get("/admin/users").headers.get("Cache-Control", "")


def test_a_nonce_allows_one_inline_script_on_its_own_page(app):
    nonces = []
    for _ in range(2):
        with app.test_request_context("/"):
            html = render_template_string('<script nonce="{{ csp_nonce() }}">let x = 1;</script>')
            response = app.process_response(app.make_response(html))
        nonce = re.search(r'nonce="([^"]+)"', html)[1]
        assert f"'nonce-{nonce}'" in policy(response)["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 16
    with app.test_request_context("/"):
        response = app.process_response(app.make_response("no inline script"))
    assert policy(response)["script-src"] == ["'self'"]  # no nonce is offered to a page that used none


# Everything a Content-Security-Policy without 'unsafe-inline' refuses.
INLINE = {
    "style attribute": re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S),
    "<style> without nonce": re.compile(r"<style\b(?![^>]*\bnonce=)[^>]*>", re.I),
    "inline <script> without nonce": re.compile(r"<script\b(?![^>]*\b(?:src|nonce)=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_holds_inline_style_or_script():
    found = [
        f"{path.relative_to(TEMPLATES)}: {kind}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for kind, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(("snippet", "kind"), [
    ('<div class="progress-bar" style="width: 5%"></div>', "style attribute"),
    ("<style>p { color: red; }</style>", "<style> without nonce"),
    ("<script>alert(1)</script>", "inline <script> without nonce"),
    ('<button type="button" onclick="go()">', "event handler attribute"),
])
def test_the_template_check_sees_each_kind(snippet, kind):
    assert INLINE[kind].search(snippet)
    assert not INLINE["inline <script> without nonce"].search('<script src="/static/js/drafts.js"></script>')
    assert not INLINE["<style> without nonce"].search('<style nonce="{{ csp_nonce() }}">')


def test_progress_bar_is_a_native_progress_element(client, login_as, world):
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=world.args["slug"]))
    item = db.session.scalar(sa.select(PlanItem).filter_by(plan_id=consultation.plan_id, code="1.1.1"))
    item.previous_progress = Decimal("42.6")
    db.session.flush()
    login_as(world.users["expert"])
    html = client.get(f"/c/{world.args['slug']}/items/1.1.1").get_data(as_text=True)
    assert '<progress class="previous-progress" max="100" value="42.6"' in html
