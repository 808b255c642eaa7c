"""Fixtures the web tests share: one invited expert in one open round, background jobs run at once, fake mail."""
import pytest


@pytest.fixture
def expert(factory):
    return factory.make_user(password=None)


@pytest.fixture
def consultation(factory, expert):
    return factory.make_consultation(participants=[expert])


class FakeSMTP:
    """Stands in for smtplib.SMTP and keeps what would have been sent."""

    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def jobs(app, monkeypatch):
    """Background jobs run at once, in the request; yields the (function path, args) queued, in order."""
    from consult.core import jobs as job_module

    queued = []

    def run_now(function_path, *args):
        queued.append((function_path, args))
        return job_module._resolve(function_path)(*args)

    monkeypatch.setattr(job_module, "enqueue", run_now)
    return queued


@pytest.fixture
def mail(app, monkeypatch, jobs):
    """Mail configured, with a fake SMTP server; yields the list of sent messages."""
    FakeSMTP.sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.ir")
    monkeypatch.setattr("consult.auth.mail.smtplib.SMTP", FakeSMTP)
    return FakeSMTP.sent
