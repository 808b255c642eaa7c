"""Password tries sent at the same moment against the app served on a port: no more than the limit are checked.

The app, its database and the helpers are those of test_concurrent_submissions (a SQLite file, or a fresh
PostgreSQL database on the PostgreSQL pass), with the real sign-in limit.
"""
import threading
from collections import Counter
from uuid import uuid4

import pytest

from consult.auth.models import User
from consult.consultations.models import Consultation, Participant
from consult.extensions import db, limiter
from tests import factories
from tests.web import test_concurrent_submissions as races
from tests.web.test_concurrent_submissions import count, database, post_together, request

# The same fixtures, so this module serves its own app on its own database.
database_url = races.database_url
served = races.served

LIMIT = 5  # "5 per minute;20 per hour"
BURST = 30


@pytest.fixture
def checks(served, monkeypatch):
    """The real sign-in limit, fresh counters, and a record of every password the app checked."""
    app, _port = served
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", f"{LIMIT} per minute;20 per hour")
    limiter.reset()
    checked: list[str] = []
    lock = threading.Lock()
    check = User.check_password

    def counted(user, password):
        with lock:
            checked.append(password)
        return check(user, password)

    monkeypatch.setattr(User, "check_password", counted)
    yield checked
    limiter.reset()


def assert_refused_unchecked(results, checked) -> None:
    """No 500; at most LIMIT wrong passwords checked (a right one checked gives its try back)."""
    statuses = Counter(result[0] for result in results)
    assert not [result for result in results if not 200 <= result[0] < 500], statuses
    wrong = [password for password in checked if password != factories.PASSWORD]
    assert len(wrong) <= LIMIT and len(checked) <= LIMIT + 1, statuses
    assert statuses[429] >= len(results) - LIMIT - 1, statuses


def test_simultaneous_wrong_passwords_check_no_more_than_the_limit(served, checks):
    _app, port = served
    with database(served):
        email = factories.make_user().email
    wrong = [("/auth/login", {"email": email, "password": f"wrong-{n}"}, None) for n in range(BURST)]
    results = post_together(port, [*wrong, ("/auth/login", {"email": email, "password": factories.PASSWORD}, None)])
    assert_refused_unchecked(results, checks)
    # A burst of wrong ones alone fills the limit: the right password after it is refused unchecked.
    limiter.reset()
    checks.clear()
    assert_refused_unchecked(post_together(port, wrong), checks)
    assert request(port, "POST", "/auth/login", {"email": email, "password": factories.PASSWORD})[0] == 429
    assert len(checks) <= LIMIT


def test_simultaneous_wrong_passwords_on_an_invitation_check_no_more_than_the_limit(served, checks):
    _app, port = served
    with database(served):
        member = factories.make_user()
        consultation = factories.make_consultation()
        token = factories.make_invitation(db.session.get(Consultation, consultation.id), email=member.email).token
        member_id, consultation_id = member.id, consultation.id
    path = f"/auth/invite/{token}"
    results = post_together(port, [(path, {"password": f"wrong-{n}", "submission_key": uuid4().hex}, None)
                                   for n in range(BURST)])
    assert_refused_unchecked(results, checks)
    right = {"password": factories.PASSWORD, "submission_key": uuid4().hex}
    assert request(port, "POST", path, right)[0] == 429
    assert count(served, Participant, consultation_id=consultation_id, user_id=member_id) == 0
