"""Shared fixtures: one app per test session, each test inside a transaction rolled back at its end."""
import os
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI") == "true"


def skip_or_fail(reason: str) -> None:
    """Skip outside CI; in CI a missing database or browser is a failure, not a skip."""
    if IN_CI:
        pytest.fail(f"CI requires this test to run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app():
    from config import TestingConfig
    from consult import create_app
    from consult.extensions import db

    app = create_app(TestingConfig)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


@pytest.fixture(autouse=True)
def clock(request):
    """Tests outside tests/browser run at tests.clock.NOW, ticking; `clock.move_to(...)` changes the day."""
    if "tests/browser" in str(request.node.fspath) or "tests/nlp" in str(request.node.fspath):
        yield None
        return
    import time_machine

    from tests.clock import NOW, utc

    with time_machine.travel(utc(NOW), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _transaction(request, monkeypatch):
    """Each test that uses the app runs in an outer transaction; the app's commits become savepoints."""
    if "app" not in request.fixturenames:
        yield
        return
    from consult.extensions import db, limiter

    app = request.getfixturevalue("app")
    with app.app_context(), db.engine.connect() as conn, conn.begin() as outer:
        session = scoped_session(sessionmaker(bind=conn, join_transaction_mode="create_savepoint"))
        monkeypatch.setattr(db, "session", session)
        limiter.reset()
        yield
        session.remove()
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    """Builders for users, plans and consultations (tests/factories.py)."""
    from tests import factories

    return factories


@pytest.fixture
def login(client):
    """Sign a user in through the real login form."""

    def log_in(user, password=None):
        from tests.factories import PASSWORD

        response = client.post(
            "/auth/login", data={"email": user.email, "password": password or PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return log_in


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser or PostgreSQL test is a failure, whatever skipped it."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and any(item.get_closest_marker(m) for m in ("browser", "postgres")):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run it: {report.longrepr}"


@pytest.fixture
def login_as(client):
    """Sign a user in by setting the Flask-Login session directly (no login form involved)."""

    def log_in(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return log_in
