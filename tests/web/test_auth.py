"""Sign-in, sign-out, invitations, password reset and login rate limits."""
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa
from flask import g

from consult.auth import services
from consult.auth.models import AccessToken, Role, TokenPurpose, User
from consult.core.time import utcnow
from consult.extensions import db
from tests.factories import PASSWORD
from tests.web.conftest import FakeSMTP

GOOD_PASSWORD = "Qom-shahr-1405-baran"
WRONG_LOGIN = "نشانی رایانامه یا گذرواژه درست نیست."


def post_login(client, email, password, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def signed_in(client) -> bool:
    """Whether the client's cookies sign it in: the login page sends signed-in visitors on."""
    # Requests share the test's app context, and Flask-Login caches the user in g: load it afresh.
    g.pop("_login_user", None)
    return client.get("/auth/login").status_code == 302


# --- login and logout -------------------------------------------------------------------------

def test_login_page_is_persian_with_labelled_fields(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'for="email"' in html and 'for="password"' in html and "ورود به سامانه" in html


def test_login_and_logout(client, factory):
    user = factory.make_user()
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session.permanent and session["_user_id"] == user.get_id()
    response = client.post("/auth/logout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_logout_ends_the_remember_cookie_too(client, factory):
    user = factory.make_user()
    post_login(client, user.email, PASSWORD, remember="y")
    assert client.get_cookie("remember_token") is not None
    response = client.post("/auth/logout")
    assert any(h.startswith("remember_token=;") for h in response.headers.getlist("Set-Cookie"))
    assert client.get_cookie("remember_token") is None
    assert not signed_in(client)


def test_logout_by_get_is_refused(client, factory):
    # A link or image on another site must not sign people out.
    user = factory.make_user()
    post_login(client, user.email, PASSWORD)
    assert client.get("/auth/logout").status_code == 405
    assert signed_in(client)
    assert client.post("/auth/logout").status_code == 302
    assert not signed_in(client)


def test_nav_signs_out_with_a_post_form(client, factory, login):
    login(factory.make_user())
    html = client.get("/").get_data(as_text=True)
    assert '<form method="post" action="/auth/logout"' in html
    assert 'href="/auth/logout"' not in html


def test_login_ignores_email_case_and_spaces(client, factory):
    user = factory.make_user(email="Case@Example.ir")
    assert post_login(client, "  case@example.IR ", PASSWORD).status_code == 302
    assert user.id


def test_wrong_password_and_unknown_email_get_the_same_answer(client, factory):
    user = factory.make_user()
    wrong = post_login(client, user.email, "not-the-password")
    unknown = post_login(client, "nobody@example.ir", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert WRONG_LOGIN in wrong.get_data(as_text=True)
    assert WRONG_LOGIN in unknown.get_data(as_text=True)
    assert user.email in wrong.get_data(as_text=True)  # the typed email stays in the form


def test_inactive_user_cannot_log_in(client, factory):
    user = factory.make_user(active=False)
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "غیرفعال" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_deactivated_user_loses_their_session(client, factory, login):
    user = login(factory.make_user(role=Role.ADMIN))
    user.active = False
    db.session.flush()
    assert client.get("/admin/").status_code == 302


def test_remember_cookie_lasts_at_most_14_days(client, factory):
    user = factory.make_user()
    response = post_login(client, user.email, PASSWORD, remember="y")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0]).replace(tzinfo=None)
    assert timedelta(days=13) < expires - utcnow() <= timedelta(days=14, minutes=1)


def test_no_remember_cookie_unless_asked(client, factory):
    user = factory.make_user()
    response = post_login(client, user.email, PASSWORD)
    assert not any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize(("next_url", "expected"), [
    ("/admin/users", "/admin/users"),
    ("https://evil.example.com/", "/"),
    ("//evil.example.com/", "/"),
    ("/\\evil.example.com", "/"),
    ("/%0d%0aX:1", "/"),  # a line break would split the Location header
    ("/admin%00", "/"),
])
def test_next_only_to_local_paths(client, factory, next_url, expected):
    user = factory.make_user()
    response = client.post(f"/auth/login?next={next_url}", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_line_break_in_next_is_ignored(client, factory, login):
    assert client.get("/auth/login?next=/%0d%0aX:1").status_code == 200
    login(factory.make_user())
    response = client.get("/auth/login?next=/%0d%0aX:1")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_signed_in_user_visiting_login_is_sent_on(client, factory, login):
    login(factory.make_user())
    assert client.get("/auth/login").status_code == 302


# --- rate limits ----------------------------------------------------------------------------

def test_sixth_failed_attempt_is_refused_with_minutes_in_persian(client, factory):
    user = factory.make_user()
    for _ in range(5):
        assert post_login(client, user.email, "wrong-password").status_code == 200
    response = post_login(client, user.email, "wrong-password")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "دقیقهٔ دیگر دوباره تلاش کنید" in html
    assert "۱ دقیقهٔ دیگر" in html
    # Even the right password waits until the window passes.
    assert post_login(client, user.email, PASSWORD).status_code == 429


def test_limit_per_account_holds_across_addresses(client, factory):
    user = factory.make_user()
    for n in range(5):
        client.post("/auth/login", data={"email": user.email, "password": "wrong-password"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"})
    response = client.post("/auth/login", data={"email": user.email, "password": "wrong-password"},
                           environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert response.status_code == 429


def test_limit_per_address_holds_across_accounts(client, factory):
    for n in range(5):
        client.post("/auth/login", data={"email": f"guess{n}@example.ir", "password": "wrong-password"},
                    environ_base={"REMOTE_ADDR": "10.1.1.1"})
    user = factory.make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "wrong-password"},
                           environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert response.status_code == 429
    # Another address may still sign in to that account.
    other = client.post("/auth/login", data={"email": user.email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.2.2.2"})
    assert other.status_code == 302


def test_successful_logins_do_not_count(client, factory):
    user = factory.make_user()
    for _ in range(8):
        assert post_login(client, user.email, PASSWORD).status_code == 302
        client.post("/auth/logout")


# --- invitations -----------------------------------------------------------------------------

def test_invitation_stores_only_a_hash(factory):
    issued = factory.make_invitation(factory.make_consultation())
    assert issued.row.token_hash == services.hash_token(issued.token) != issued.token
    assert len(issued.token) >= 40
    assert issued.row.expires_at - utcnow() > timedelta(days=13, hours=23)


def test_accepting_an_invitation_creates_the_account_and_signs_in(client, factory):
    consultation = factory.make_consultation()
    issued = factory.make_invitation(consultation, email="new.expert@example.ir", name="زهرا احمدی",
                                     role=Role.SECRETARY, organisation="شهرداری قم")
    page = client.get(f"/auth/invite/{issued.token}")
    assert page.status_code == 200 and "زهرا احمدی" in page.get_data(as_text=True)
    response = client.post(f"/auth/invite/{issued.token}", data={
        "name": "زهرا احمدی", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    assert consultation.slug in response.headers["Location"] or response.headers["Location"] == "/"
    from consult.consultations.models import Participant

    user = db.session.scalar(sa.select(User).filter_by(email="new.expert@example.ir"))
    assert user.role == Role.SECRETARY and user.organisation == "شهرداری قم" and user.check_password(GOOD_PASSWORD)
    assert db.session.scalar(sa.select(Participant).filter_by(user_id=user.id, consultation_id=consultation.id))
    assert issued.row.used_at is not None
    with client.session_transaction() as session:
        assert session["_user_id"] == user.get_id()


@pytest.mark.parametrize(("password", "message"), [
    ("short-1", "دست‌کم ۱۰ نویسه"),
    ("my.name.is.sara-2024", "نشانی رایانامه"),
    ("1234567890", "رایج"),
    ("aaaaaaaaaaaa", "رایج"),
])
def test_weak_password_is_refused_keeping_the_typed_name(client, factory, password, message):
    issued = factory.make_invitation(factory.make_consultation(), email="sara@example.ir")
    response = client.post(f"/auth/invite/{issued.token}", data={
        "name": "سارا کریمی", "password": password, "confirm": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'value="سارا کریمی"' in html
    assert issued.row.used_at is None
    assert db.session.scalar(sa.select(User).filter_by(email="sara@example.ir")) is None


@pytest.mark.parametrize("name", ["سارا\x00کریمی", "سارا\x07کریمی", "سارا\x9bکریمی", "سارا\u202dکریمی"])
def test_invitee_name_with_control_characters_is_refused(client, factory, name):
    issued = factory.make_invitation(factory.make_consultation(), email="sara@example.ir")
    response = client.post(f"/auth/invite/{issued.token}", data={
        "name": name, "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 200 and "نویسهٔ کنترلیِ نامرئی" in response.get_data(as_text=True)
    assert issued.row.used_at is None
    assert db.session.scalar(sa.select(User).filter_by(email="sara@example.ir")) is None


@pytest.mark.parametrize("url", ["/auth/login", "/auth/forgot"])
def test_email_with_a_nul_is_refused_by_the_form(client, url):
    # PostgreSQL refuses NUL in a query parameter: it must not reach the user lookup.
    response = client.post(url, data={"email": "a\x00@example.ir", "password": "x"})
    assert response.status_code == 200 and "نویسهٔ کنترلیِ نامرئی" in response.get_data(as_text=True)


def test_invitee_name_keeps_zwnj(client, factory):
    issued = factory.make_invitation(factory.make_consultation(), email="sara@example.ir")
    response = client.post(f"/auth/invite/{issued.token}", data={
        "name": "سارا حسینی\u200cنژاد", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(User.display_name).filter_by(email="sara@example.ir")) == "سارا حسینی\u200cنژاد"


def test_password_must_not_contain_the_email_local_part(client, factory):
    issued = factory.make_invitation(factory.make_consultation(), email="hosseini@example.ir")
    response = client.post(f"/auth/invite/{issued.token}", data={
        "name": "حسینی", "password": "Hosseini-Qom-99", "confirm": "Hosseini-Qom-99"})
    assert "نشانی رایانامه" in response.get_data(as_text=True)


def test_confirmation_must_match(client, factory):
    issued = factory.make_invitation(factory.make_consultation())
    response = client.post(f"/auth/invite/{issued.token}", data={
        "name": "نام", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD + "x"})
    assert "یکی نیست" in response.get_data(as_text=True)


def test_used_invitation_refuses_a_second_use(client, factory):
    issued = factory.make_invitation(factory.make_consultation())
    data = {"name": "نام", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
    assert client.post(f"/auth/invite/{issued.token}", data=data).status_code == 302
    client.post("/auth/logout")
    again = client.get(f"/auth/invite/{issued.token}")
    assert again.status_code == 410
    assert "پیش‌تر یک بار استفاده شده" in again.get_data(as_text=True)
    assert client.post(f"/auth/invite/{issued.token}", data=data).status_code == 410


@pytest.mark.parametrize("purpose", ["invite", "reset"])
def test_a_repeat_of_the_post_that_spent_a_link_gets_its_answer_and_nothing_else(app, factory, purpose):
    """A double click: the second post of the same form arrives after the first spent the link."""
    from consult.core.audit import AuditEvent

    consultation = factory.make_consultation()
    if purpose == "invite":
        issued = factory.make_invitation(consultation)
        path, target, action = f"/auth/invite/{issued.token}", f"/c/{consultation.slug}", "invitation.accept"
    else:
        issued = services.issue_reset(factory.make_user(), actor=None)
        path, target, action = f"/auth/reset/{issued.token}", "/", "password.reset"
    data = {"name": "نام", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "submission_key": "s" * 32}
    browsers = [app.test_client(), app.test_client()]
    assert 'name="submission_key"' in browsers[0].get(path).get_data(as_text=True)
    answers = [browser.post(path, data=data) for browser in browsers]
    assert [(answer.status_code, answer.location) for answer in answers] == [(302, target)] * 2
    assert [browser.get("/me/contributions").status_code for browser in browsers] == [200, 200]  # signed in
    assert len(db.session.scalars(sa.select(AuditEvent).filter_by(action=action)).all()) == 1
    # Another form, or the same form with another password, still finds the link spent.
    assert app.test_client().post(path, data={**data, "submission_key": "o" * 32}).status_code == 410
    other_password = {**data, "password": GOOD_PASSWORD + "x", "confirm": GOOD_PASSWORD + "x"}
    assert app.test_client().post(path, data=other_password).status_code == 410


def test_expired_invitation_is_refused(client, factory):
    issued = factory.make_invitation(factory.make_consultation())
    issued.row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    response = client.get(f"/auth/invite/{issued.token}")
    assert response.status_code == 410
    assert "مهلت استفاده از این پیوند" in response.get_data(as_text=True)


def test_unknown_invitation_is_404_in_persian(client):
    response = client.get("/auth/invite/not-a-real-token")
    assert response.status_code == 404
    assert "این پیوند معتبر نیست" in response.get_data(as_text=True)


def test_existing_account_joins_with_its_password(client, factory):
    user = factory.make_user(role=Role.PLANNER, email="planner.one@example.ir")
    consultation = factory.make_consultation()
    issued = factory.make_invitation(consultation, email="planner.one@example.ir", role=Role.EXPERT)
    assert "گذرواژهٔ فعلی" in client.get(f"/auth/invite/{issued.token}").get_data(as_text=True)
    refused = client.post(f"/auth/invite/{issued.token}", data={"password": "wrong-password"})
    assert WRONG_LOGIN in refused.get_data(as_text=True)
    assert client.post(f"/auth/invite/{issued.token}", data={"password": PASSWORD}).status_code == 302
    assert user.role == Role.PLANNER  # an invitation never changes an existing account's role
    assert any(p.consultation_id == consultation.id for p in user.participations)


def test_new_invitation_replaces_the_pending_one(factory):
    consultation = factory.make_consultation()
    first = factory.make_invitation(consultation, email="twice@example.ir")
    first_id = first.row.id
    factory.make_invitation(consultation, email="twice@example.ir")
    assert db.session.get(AccessToken, first_id) is None


# --- password reset --------------------------------------------------------------------------

def test_forgot_password_answers_the_same_for_unknown_and_known_emails(client, factory):
    user = factory.make_user()
    known = client.post("/auth/forgot", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/auth/forgot", data={"email": "nobody@example.ir"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    message = "اگر این نشانی در سامانه ثبت شده باشد"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    # Without mail, no link is made for whoever asked; an admin issues one.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccessToken)
                             .filter_by(purpose=TokenPurpose.RESET)) == 0


def test_forgot_password_with_mail_sends_a_single_use_link(client, factory, mail):
    user = factory.make_user(email="mailed@example.ir")
    response = client.post("/auth/forgot", data={"email": user.email})
    assert response.status_code == 302
    client.post("/auth/forgot", data={"email": "nobody@example.ir"})
    assert len(mail) == 1 and mail[0]["To"] == "mailed@example.ir"
    body = mail[0].get_content()
    path = "/auth/reset/" + body.split("/auth/reset/")[1].split()[0]
    assert path.split("/")[-1] not in client.get("/auth/login").get_data(as_text=True)
    assert client.get(path).status_code == 200
    data = {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
    assert client.post(path, data=data).status_code == 302
    assert user.check_password(GOOD_PASSWORD)
    assert client.get(path).status_code == 410


def test_forgot_password_without_mail_is_noted_for_the_admin(client, factory):
    from consult.core.audit import AuditEvent

    user = factory.make_user()
    client.post("/auth/forgot", data={"email": user.email})
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="password.reset_requested"))
    assert event is not None and event.object_id == user.id


def test_forgot_password_mail_is_queued_after_the_commit(client, factory, app, monkeypatch):
    """The request never waits for the mail server, and never mails a link that was not saved."""
    from consult.core import jobs as job_module

    events = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.ir")
    real_commit = db.session.commit
    monkeypatch.setattr(db.session, "commit", lambda: (events.append("commit"), real_commit())[1])
    monkeypatch.setattr(job_module, "enqueue", lambda path, *args: events.append((path, args[0])))
    user = factory.make_user(email="queued@example.ir")
    assert client.post("/auth/forgot", data={"email": user.email}).status_code == 302
    assert events == ["commit", ("consult.auth.mail.send_mail", "queued@example.ir")]


def test_forgot_password_mail_runs_in_the_background(client, factory, app, monkeypatch):
    """The default in-process job sends the message with an app context of its own."""
    from consult.core import jobs as job_module

    FakeSMTP.sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.ir")
    monkeypatch.setattr("consult.auth.mail.smtplib.SMTP", FakeSMTP)
    futures, real_enqueue = [], job_module.enqueue
    monkeypatch.setattr(job_module, "enqueue", lambda *args: futures.append(real_enqueue(*args)))
    user = factory.make_user(email="background@example.ir")
    client.post("/auth/forgot", data={"email": user.email})
    [future] = futures
    assert future.result(timeout=10) is True
    assert [m["To"] for m in FakeSMTP.sent] == ["background@example.ir"]


def test_forgot_password_is_rate_limited_per_email_and_address(client, factory):
    user = factory.make_user()
    for _ in range(3):
        response = client.post("/auth/forgot", data={"email": user.email}, environ_base={"REMOTE_ADDR": "10.3.0.1"})
        assert response.status_code == 302
    refused = client.post("/auth/forgot", data={"email": user.email}, environ_base={"REMOTE_ADDR": "10.3.0.1"})
    assert refused.status_code == 429
    assert "درخواست‌های بازیابی گذرواژه بیش از حد مجاز است" in refused.get_data(as_text=True)
    # Unknown emails count the same way, so the limit says nothing about who has an account.
    for _ in range(3):
        client.post("/auth/forgot", data={"email": "nobody@example.ir"}, environ_base={"REMOTE_ADDR": "10.4.0.1"})
    assert client.post("/auth/forgot", data={"email": "nobody@example.ir"},
                       environ_base={"REMOTE_ADDR": "10.4.0.1"}).status_code == 429


def test_forgot_password_has_a_ceiling_per_email(client, factory):
    user = factory.make_user()
    for n in range(10):
        response = client.post("/auth/forgot", data={"email": user.email},
                               environ_base={"REMOTE_ADDR": f"10.3.1.{n + 1}"})
        assert response.status_code == 302
    assert client.post("/auth/forgot", data={"email": user.email},
                       environ_base={"REMOTE_ADDR": "10.3.1.99"}).status_code == 429


def test_forgot_password_is_rate_limited_per_address(client):
    for n in range(10):
        client.post("/auth/forgot", data={"email": f"guess{n}@example.ir"}, environ_base={"REMOTE_ADDR": "10.5.5.5"})
    refused = client.post("/auth/forgot", data={"email": "other@example.ir"}, environ_base={"REMOTE_ADDR": "10.5.5.5"})
    assert refused.status_code == 429


def test_password_reset_signs_out_other_browsers(app, client, factory):
    user = factory.make_user()
    other = app.test_client()
    post_login(other, user.email, PASSWORD, remember="y")
    remembered_only = app.test_client()
    post_login(remembered_only, user.email, PASSWORD, remember="y")
    remembered_only.delete_cookie("session")  # a browser restarted: only the remember cookie is left
    assert signed_in(other) and signed_in(remembered_only)

    issued = services.issue_reset(user, actor=None)
    response = client.post(f"/auth/reset/{issued.token}", data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)  # the browser that chose the new password stays in
    assert not signed_in(other) and not signed_in(remembered_only)


def test_admin_issued_reset_link_works_once(client, factory, login):
    expert = factory.make_user(email="forgetful@example.ir")
    login(factory.make_user(role=Role.ADMIN))
    page = client.post(f"/admin/users/{expert.id}/reset")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    path = "/auth/reset/" + html.split("/auth/reset/")[1].split('"')[0]
    client.post("/auth/logout")
    weak = client.post(path, data={"password": "forgetful-1", "confirm": "forgetful-1"})
    assert "نشانی رایانامه" in weak.get_data(as_text=True)
    response = client.post(path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    assert expert.check_password(GOOD_PASSWORD)
    client.post("/auth/logout")
    assert client.post(path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}).status_code == 410
    assert post_login(client, expert.email, GOOD_PASSWORD).status_code == 302


def test_reset_link_expires(client, factory):
    issued = services.issue_reset(factory.make_user(), actor=None)
    issued.row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert client.get(f"/auth/reset/{issued.token}").status_code == 410


def test_reset_link_expiry_is_short(app, factory):
    issued = services.issue_reset(factory.make_user(), actor=None)
    assert issued.row.expires_at - utcnow() <= timedelta(hours=app.config["RESET_HOURS"])


def test_mail_failure_does_not_break_the_answer(client, factory, app, monkeypatch, jobs):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.invalid")

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("consult.auth.mail.smtplib.SMTP", refuse)
    user = factory.make_user()
    response = client.post("/auth/forgot", data={"email": user.email}, follow_redirects=True)
    assert "اگر این نشانی در سامانه ثبت شده باشد" in response.get_data(as_text=True)


# --- stale CSRF token --------------------------------------------------------------------------

@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_login_with_stale_token_keeps_the_typed_email(client, factory, csrf_on):
    response = client.post("/auth/login", data={"email": "typed@example.ir", "password": "x", "csrf_token": "stale"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "منقضی شده بود" in html and 'value="typed@example.ir"' in html


def test_invitation_with_stale_token_keeps_the_typed_name(client, factory, csrf_on):
    issued = factory.make_invitation(factory.make_consultation())
    response = client.post(f"/auth/invite/{issued.token}", data={
        "name": "نام نوشته‌شده", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "csrf_token": "stale"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "منقضی شده بود" in html and 'value="نام نوشته‌شده"' in html
    assert GOOD_PASSWORD not in html
