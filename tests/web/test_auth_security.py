"""Attacks on sign-in and its links: forged Host headers, leaked tokens, guessing, lockouts, stale sessions."""
import pytest

from consult.auth import services
from consult.auth.models import Role
from consult.extensions import db
from tests.factories import PASSWORD
from tests.web.test_auth import GOOD_PASSWORD, FakeSMTP, jobs, mail, post_login, signed_in  # noqa: F401

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

def test_reset_mail_job_logs_no_token_or_body(client, factory, app, monkeypatch, caplog):
    """The default in-process job: the log names the job, never its arguments."""
    import logging

    from consult import jobs as job_module

    caplog.set_level(logging.DEBUG)
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
    assert "consult.auth.mail.send_mail" in caplog.text  # the job itself is logged
    assert token not in caplog.text and "/auth/reset/" not in caplog.text
    assert body.splitlines()[0] not in caplog.text


def test_rq_job_description_and_log_carry_no_arguments(app, monkeypatch, caplog):
    """RQ's worker logs a job's description: it is the function path alone."""
    import logging

    import rq

    from consult import jobs as job_module

    queued = {}

    class FakeQueue:
        def __init__(self, name, connection):
            pass

        def enqueue(self, function, *args, **options):
            queued.update(args=args, **options)
            return type("Job", (), {"id": "job-1"})()

    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(rq, "Queue", FakeQueue)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/15")
    body = "secret body https://consult.example.ir/auth/reset/TOKEN123"
    job_module.enqueue("consult.auth.mail.send_mail", "to@example.ir", "subject", body)
    assert queued["description"] == "consult.auth.mail.send_mail"
    assert queued["args"][-1] == body  # the worker still gets the message
    assert "TOKEN123" not in caplog.text and "job-1" in caplog.text


def test_failed_job_log_names_the_job_only(app, caplog):
    import logging

    from consult import jobs as job_module

    caplog.set_level(logging.DEBUG)
    future = job_module.enqueue("tests.web.test_auth_security.explode", "password=hunter2-TOKEN")
    with pytest.raises(RuntimeError):
        future.result(timeout=10)
    assert "tests.web.test_auth_security.explode" in caplog.text
    assert "hunter2-TOKEN" not in caplog.text


def explode(secret):
    """A job that fails."""
    raise RuntimeError("job failed")
