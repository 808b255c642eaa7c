"""Attacks on sign-in and its links: forged Host headers, leaked tokens, guessing, lockouts, stale sessions."""
import logging

import pytest
import sqlalchemy as sa
from flask import g

from consult.auth.models import Role
from consult.extensions import db
from tests.factories import PASSWORD
from tests.web.conftest import FakeSMTP
from tests.web.test_auth import GOOD_PASSWORD, post_login, signed_in

BASE_URL = "https://consult.example.ir"


@pytest.fixture
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)
    return BASE_URL


# --- links follow BASE_URL, never the Host header ---------------------------------------------------

def test_reset_mail_links_to_base_url_and_a_forged_host_is_refused(client, factory, mail, base_url):
    user = factory.make_user(email="victim@example.ir")
    forged = client.post("/auth/forgot", data={"email": user.email}, headers={"Host": "evil.example"})
    assert forged.status_code == 400
    assert mail == []
    assert client.post("/auth/forgot", data={"email": user.email}).status_code == 302
    [message] = mail
    assert f"{BASE_URL}/auth/reset/" in message.get_content()


def test_admin_issued_links_start_with_base_url(client, factory, login, base_url):
    expert = factory.make_user()
    consultation = factory.make_consultation()
    login(factory.make_user(role=Role.ADMIN))
    page = client.post(f"/admin/users/{expert.id}/reset").get_data(as_text=True)
    assert f'value="{BASE_URL}/auth/reset/' in page
    page = client.post(f"/admin/c/{consultation.slug}/invitations",
                       data={"one-email": "new@example.ir", "one-name": "نام", "one-role": "expert",
                             "one-affiliation": "academic", "one-submit": "y"}).get_data(as_text=True)
    assert f"{BASE_URL}/auth/invite/" in page


# --- nothing secret in the log ----------------------------------------------------------------------

@pytest.fixture
def log(caplog, monkeypatch):
    """Every record at DEBUG and above; Alembic's fileConfig (the migration test) disables existing loggers."""
    for name in ("consult.core.jobs", "consult.auth.mail", "consult.auth.services"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)
    caplog.set_level(logging.DEBUG)
    return caplog


def test_reset_mail_job_logs_no_token_or_body(client, factory, app, monkeypatch, log):
    """The default in-process job: the log names the job, never its arguments."""
    from consult.core import jobs as job_module

    FakeSMTP.sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.ir")
    monkeypatch.setattr("consult.auth.mail.smtplib.SMTP", FakeSMTP)
    futures, real_enqueue = [], job_module.enqueue
    monkeypatch.setattr(job_module, "enqueue", lambda *args: futures.append(real_enqueue(*args)))
    user = factory.make_user(email="logged@example.ir")
    client.post("/auth/forgot", data={"email": user.email})
    for future in futures:
        future.result(timeout=10)
    [message] = FakeSMTP.sent
    body = message.get_content()
    token = body.split("/auth/reset/")[1].split()[0]
    assert "consult.auth.mail.send_mail" in log.text  # the job itself is logged
    assert token not in log.text and "/auth/reset/" not in log.text
    assert body.splitlines()[0] not in log.text


def test_rq_job_description_and_log_carry_no_arguments(app, monkeypatch, log):
    """RQ's worker logs a job's description: it is the function path alone."""
    import rq

    from consult.core import jobs as job_module

    queued = {}

    class FakeQueue:
        def __init__(self, name, connection):
            pass

        def enqueue(self, function, *args, **options):
            queued.update(args=args, **options)
            return type("Job", (), {"id": "job-1"})()

    monkeypatch.setattr(rq, "Queue", FakeQueue)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/15")
    body = "secret body https://consult.example.ir/auth/reset/TOKEN123"
    job_module.enqueue("consult.auth.mail.send_mail", "to@example.ir", "subject", body)
    assert queued["description"] == "consult.auth.mail.send_mail"
    assert queued["args"][-1] == body  # the worker still gets the message
    assert "TOKEN123" not in log.text and "job-1" in log.text


def test_failed_job_log_names_the_job_only(app, log):
    from consult.core import jobs as job_module

    future = job_module.enqueue("tests.web.test_auth_security.explode", "password=hunter2-TOKEN")
    with pytest.raises(RuntimeError):
        future.result(timeout=10)
    assert "tests.web.test_auth_security.explode" in log.text
    assert "hunter2-TOKEN" not in log.text


def explode(secret):
    """A job that fails."""
    raise RuntimeError("job failed")


# --- sign-out and deactivation end the session on the server ------------------------------------------

def test_session_cookie_saved_before_logout_stops_working(client, factory):
    user = factory.make_user()
    post_login(client, user.email, PASSWORD)
    saved = client.get_cookie("session").value
    assert client.get("/me/contributions").status_code == 200
    client.post("/auth/logout")
    client.set_cookie("session", saved)  # replayed by whoever copied it
    assert not signed_in(client)
    assert client.get("/me/contributions").status_code == 302


def test_remember_cookie_saved_before_logout_stops_working(app, client, factory):
    user = factory.make_user()
    post_login(client, user.email, PASSWORD, remember="y")
    saved = client.get_cookie("remember_token").value
    client.post("/auth/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", saved)
    assert not signed_in(replay)
    assert post_login(client, user.email, PASSWORD).status_code == 302  # signing in again still works


def test_deactivated_session_does_not_return_on_reactivation(app, client, factory, login):
    expert = factory.make_user()
    theirs = app.test_client()
    post_login(theirs, expert.email, PASSWORD, remember="y")
    assert signed_in(theirs)
    login(factory.make_user(role=Role.ADMIN))
    assert client.post(f"/admin/users/{expert.id}/active").status_code == 302
    assert not expert.active and not signed_in(theirs)
    g.pop("_login_user", None)  # requests share the test's app context: let the admin's cookie count again
    assert client.post(f"/admin/users/{expert.id}/active").status_code == 302
    assert expert.active
    assert not signed_in(theirs)
    theirs.delete_cookie("session")  # only the remember cookie left: refused too
    assert not signed_in(theirs)


# --- every password check is limited, and nobody can lock the owner out ------------------------------

def post_from(client, address, path="/auth/login", **data):
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def joining(factory):
    """An invitation for an email that already has an account, which proves its password to join."""
    user = factory.make_user(email="member@example.ir")
    return user, f"/auth/invite/{factory.make_invitation(factory.make_consultation(), email=user.email).token}"


def test_invitation_password_is_limited_like_login(client, joining):
    user, path = joining
    for _ in range(5):
        assert post_from(client, "10.7.0.1", path, password="wrong-password").status_code == 200
    refused = post_from(client, "10.7.0.1", path, password=PASSWORD)
    assert refused.status_code == 429
    assert "تلاش‌های ناموفق بیش از حد مجاز است" in refused.get_data(as_text=True)
    assert not any(p.consultation_id for p in user.participations)


def test_invitation_and_login_share_the_counters(client, joining):
    user, path = joining
    for _ in range(3):
        post_from(client, "10.7.0.2", email=user.email, password="wrong-password")
    for _ in range(2):
        post_from(client, "10.7.0.2", path, password="wrong-password")
    assert post_from(client, "10.7.0.2", path, password=PASSWORD).status_code == 429
    assert post_from(client, "10.7.0.2", email=user.email, password=PASSWORD).status_code == 429


def test_invitation_without_an_account_checks_no_password_and_is_not_limited(client, factory):
    issued = factory.make_invitation(factory.make_consultation(), email="brand.new@example.ir")
    path = f"/auth/invite/{issued.token}"
    for _ in range(7):  # weak choices are refused by the rules, not by a limit
        assert post_from(client, "10.7.0.3", path, name="نام", password="short", confirm="short").status_code == 200
    ok = post_from(client, "10.7.0.3", path, name="نام", password=GOOD_PASSWORD, confirm=GOOD_PASSWORD)
    assert ok.status_code == 302


def test_failures_from_elsewhere_do_not_lock_the_owner_out(app, client, clock, factory):
    from datetime import timedelta

    from tests.clock import NOW, utc

    owner = factory.make_user(email="admin.owner@example.ir", role=Role.ADMIN)
    assert post_from(client, "10.8.0.1", email=owner.email, password=PASSWORD).status_code == 302
    client.post("/auth/logout")
    attacker = app.test_client()
    # Wrong passwords for the owner's account from many addresses, minute after minute, until the hourly
    # ceiling is full too: the lockout that used to last for good.
    for minute in range(6):
        clock.move_to(utc(NOW + timedelta(minutes=minute, seconds=5 * minute)))
        for n in range(5):
            post_from(attacker, f"10.66.{minute}.{n}", email=owner.email, password="wrong-password")
    assert post_from(attacker, "10.66.9.9", email=owner.email, password="wrong-password").status_code == 429
    # A browser that never signed in to the account meets the account's ceiling, right password or not...
    assert post_from(app.test_client(), "10.8.0.2", email=owner.email, password=PASSWORD).status_code == 429
    # ...but the owner's own browser signs in, from their usual address or another one.
    assert post_from(client, "10.8.0.1", email=owner.email, password=PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert post_from(client, "10.8.0.9", email=owner.email, password=PASSWORD).status_code == 302


def test_five_failures_from_one_address_leave_the_owners_browser_alone(app, client, factory):
    owner = factory.make_user(email="owner.two@example.ir")
    assert post_from(client, "10.8.1.1", email=owner.email, password=PASSWORD).status_code == 302
    client.post("/auth/logout")
    attacker = app.test_client()
    for _ in range(5):
        post_from(attacker, "10.66.1.1", email=owner.email, password="wrong-password")
    assert post_from(attacker, "10.66.1.1", email=owner.email, password=PASSWORD).status_code == 429
    assert post_from(client, "10.8.1.2", email=owner.email, password=PASSWORD).status_code == 302


def test_known_browser_still_has_its_own_limit(app, client, factory):
    """The cookie lifts the per-account and per-address ceilings, never the per-(account, address) one."""
    owner = factory.make_user(email="owner.three@example.ir")
    assert post_from(client, "10.8.2.1", email=owner.email, password=PASSWORD).status_code == 302
    client.post("/auth/logout")
    for _ in range(5):
        post_from(client, "10.8.2.1", email=owner.email, password="wrong-password")
    assert post_from(client, "10.8.2.1", email=owner.email, password=PASSWORD).status_code == 429


def test_known_browser_cookie_is_per_account_and_signed(app, client, factory):
    owner, other = factory.make_user(email="owner.four@example.ir"), factory.make_user(email="other@example.ir")
    assert post_from(client, "10.8.3.1", email=owner.email, password=PASSWORD).status_code == 302
    client.post("/auth/logout")
    cookie = client.get_cookie("known_device").value
    assert owner.email not in cookie
    for n in range(5):
        post_from(app.test_client(), f"10.66.3.{n}", email=other.email, password="wrong-password")
    # Known to owner's account only: the other account's ceiling applies to this browser.
    assert post_from(client, "10.8.3.1", email=other.email, password=PASSWORD).status_code == 429
    forged = app.test_client()
    forged.set_cookie("known_device", cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"))
    for n in range(5):
        post_from(app.test_client(), f"10.66.4.{n}", email=owner.email, password="wrong-password")
    assert post_from(forged, "10.8.3.5", email=owner.email, password=PASSWORD).status_code == 429
    assert post_from(client, "10.8.3.1", email=owner.email, password=PASSWORD).status_code == 302


# --- a reset request does the same work whoever asked ---------------------------------------------------

def trace_forgot(client, email: str) -> list:
    """The SQL statements, templates and jobs one POST /auth/forgot runs, in order (values left out)."""
    from consult.auth import views
    from consult.core import jobs as job_module

    calls = []
    real_render = views.render_template

    def on_sql(conn, cursor, statement, parameters, context, executemany):
        if statement.split()[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            calls.append(("sql", statement))

    def render(name, **context):
        calls.append(("template", name))
        return real_render(name, **context)

    def enqueue(path, to, *args):
        calls.append(("job", path, to == email, len(args)))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "render_template", render)
        patch.setattr(job_module, "enqueue", enqueue)
        sa.event.listen(db.engine, "before_cursor_execute", on_sql)
        try:
            assert client.post("/auth/forgot", data={"email": email}).status_code == 302
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", on_sql)
    return calls


@pytest.mark.parametrize("with_mail", [True, False])
def test_reset_request_does_the_same_work_for_known_and_unknown_emails(client, factory, app, monkeypatch,
                                                                      with_mail):
    from consult.auth.models import AccessToken
    from consult.core.audit import AuditEvent

    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.ir" if with_mail else "")
    user = factory.make_user(email="known@example.ir")
    db.session.flush()
    known = trace_forgot(client, user.email)
    unknown = trace_forgot(client, "stranger@example.ir")
    assert known == unknown
    assert any(call[0] == "sql" and call[1].startswith("INSERT INTO audit_event") for call in known)
    assert (("job", "consult.auth.mail.send_mail", True, 2) in known) is with_mail
    # The same rows: one audit event each, and with mail one token each (the stranger's already spent).
    requested = sa.select(sa.func.count()).select_from(AuditEvent).filter_by(action="password.reset_requested")
    assert db.session.scalar(requested) == 2
    tokens = db.session.scalars(sa.select(AccessToken)).all()
    assert len(tokens) == (2 if with_mail else 0)
    assert all((t.used_at is None) == (t.email == user.email) for t in tokens)


def test_reset_request_for_an_unknown_email_mails_nobody(client, factory, mail):
    client.post("/auth/forgot", data={"email": "stranger@example.ir"})
    assert mail == []

