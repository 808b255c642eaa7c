"""Simultaneous and repeated submissions against the app served on a port: one row, one answer, never a 500.

The rolled-back in-memory transaction of tests/conftest.py cannot show contention, so this module builds its
own app on its own database: a SQLite file, or a fresh PostgreSQL database when TEST_DATABASE_URL points
at PostgreSQL (the PostgreSQL pass of scripts/test.sh).
"""
import http.client
import os
import re
import threading
from collections import Counter
from contextlib import contextmanager
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit
from uuid import uuid4

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from consult.auth.models import AccessToken, ReplacedInvitation, Role, TokenPurpose, User
from consult.consultations.models import Consultation, Criterion, Participant, Question, Questionnaire
from consult.core.audit import AuditEvent
from consult.extensions import db
from consult.feedback.models import Answer, Comment, CommentRevision
from tests import factories
from tests.conftest import skip_or_fail

TIMES = 20  # a double click is two; a slow page clicked again and again, or a deadline, is more
RUSH = 30  # experts saving at the same moment before a deadline
NEW_PASSWORD = "a-brand-new-passphrase-7"


def _fresh_postgres(url: str):
    """A database of its own beside the test database, so committed rows never meet the session's tables."""
    base = sa.engine.make_url(url)
    race = base.set(database=f"{base.database}_concurrency_{os.getpid()}")  # parallel runs never meet
    try:
        server = sa.create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{race.database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{race.database}"'))
    except sa.exc.OperationalError as error:
        skip_or_fail(f"PostgreSQL not reachable: {type(error).__name__}")
    yield race.render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{race.database}" WITH (FORCE)'))
    server.dispose()


# The suite's own database decides: SQLite in the first pass of scripts/test.sh, PostgreSQL in the second.
TEST_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKEND = (pytest.param("postgresql", marks=pytest.mark.postgres) if TEST_URL.startswith("postgresql")
           else "sqlite")


@pytest.fixture(scope="module", params=[BACKEND])
def database_url(request, tmp_path_factory):
    if request.param == "postgresql":
        yield from _fresh_postgres(TEST_URL)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('race') / 'consult.db'}"


@pytest.fixture(scope="module")
def served(database_url):
    """The app with the default engine settings for its database, served by threads on a free port."""
    from config import TestingConfig, _engine_options
    from consult import create_app

    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(database_url, lock_timeout_ms=5000),
        TESTING=False,  # a failure is the app's own 500 page, as in production
        SECRET_KEY="concurrency-tests-only",
        LOGIN_RATE_LIMIT="1000 per minute",
        BASE_URL="http://127.0.0.1",  # the port is known once the server listens, below
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, server.server_port
    server.shutdown()
    with app.app_context():
        db.engine.dispose()



@contextmanager
def database(served):
    """The test's own reads and writes, committed at the end of the block.

    Nothing here may stay open while the server works: on SQLite an open write transaction holds the one
    write lock, so values are copied out inside the block and no ORM object is touched after it.
    """
    app, _port = served
    with app.app_context():
        yield
        db.session.commit()


@pytest.fixture
def port(served):
    return served[1]


def request(port: int, method: str, path: str, form: dict | None = None, cookie: str | None = None):
    """One request on its own connection: (status, Location, Set-Cookie)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **({"Cookie": cookie} if cookie else {})}
        conn.request(method, path, body=urlencode(form or {}, doseq=True), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or "", response.getheader("Set-Cookie") or ""
    finally:
        conn.close()


def session_cookie(set_cookie: str) -> str:
    return "session=" + set_cookie.split("session=", 1)[1].split(";", 1)[0]


def signed_in_cookie(port: int, email: str) -> str:
    """The session cookie of a browser that signed in through the login form."""
    status, _location, set_cookie = request(port, "POST", "/auth/login",
                                            {"email": email, "password": factories.PASSWORD})
    assert status == 302
    return session_cookie(set_cookie)


def post_together(port: int, requests: list[tuple[str, dict, str | None]]) -> list[tuple]:
    """Send every (path, form, cookie) at once, each on its own connection: (status, Location, Set-Cookie)."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def send(index: int, path: str, form: dict, cookie: str | None) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.connect()  # connected first, so the posts leave together
            barrier.wait(timeout=30)
            headers = {"Content-Type": "application/x-www-form-urlencoded", **({"Cookie": cookie} if cookie else {})}
            conn.request("POST", path, body=urlencode(form, doseq=True), headers=headers)
            response = conn.getresponse()
            body = response.read()
            results[index] = (response.status, response.getheader("Location") or "",
                              response.getheader("Set-Cookie") or "", body.decode(errors="replace"))
        except Exception as error:  # noqa: BLE001  a dropped connection is a result to report, not a crash
            results[index] = (0, repr(error), "")
        finally:
            conn.close()

    threads = [threading.Thread(target=send, args=(index, *request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results


def post_same(port: int, path: str, form: dict, cookie: str | None = None, times: int = TIMES) -> list[tuple]:
    return post_together(port, [(path, form, cookie)] * times)


def assert_one_redirect(results, path: str) -> None:
    """Every answer is the same redirect to `path` (its query may carry a one-time value)."""
    statuses = Counter(result[0] for result in results)
    assert set(statuses) == {302}, (statuses, shown(result for result in results if result[0] != 302))
    assert {urlsplit(result[1]).path for result in results} == {path}


def shown(results) -> list:
    """A few results for an assertion message, bodies cut short."""
    return [(*result[:3], result[3][:300]) if len(result) > 3 else result for result in list(results)[:2]]


def assert_all_signed_in(port: int, results) -> None:
    """Each answer signed its browser in, as the first one did."""
    statuses = Counter(request(port, "GET", "/me/contributions", cookie=session_cookie(result[2]))[0]
                       for result in results)
    assert statuses == Counter({200: len(results)})


def count(served, model, **where) -> int:
    with database(served):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**where))


def comment_form(**fields) -> dict:
    return {"stance": "agree", "body": "این طرح برای زائران لازم است و باید زودتر انجام شود.",
            "amendment": "", "diagnosis": "", "submission_key": uuid4().hex, **fields}


@pytest.fixture
def round_(served):
    """An open consultation with one expert: plain values, no ORM objects."""
    with database(served):
        expert = factories.make_user()
        consultation = factories.make_consultation(participants=[expert])
        values = SimpleNamespace(slug=consultation.slug, consultation_id=consultation.id,
                                 expert_id=expert.id, email=expert.email)
    return values


# --- comments and answers ------------------------------------------------------------------------

def test_simultaneous_general_comments_store_one(served, port, round_):
    results = post_same(port, f"/c/{round_.slug}/comments/new", comment_form(),
                        signed_in_cookie(port, round_.email))
    assert_one_redirect(results, f"/c/{round_.slug}")
    assert count(served, Comment, consultation_id=round_.consultation_id) == 1


def test_simultaneous_item_comments_store_one_without_revisions(served, port, round_):
    results = post_same(port, f"/c/{round_.slug}/items/1.1.1.1/comment", comment_form(),
                        signed_in_cookie(port, round_.email))
    assert_one_redirect(results, f"/c/{round_.slug}/items/1.1.1.1")
    assert count(served, Comment, consultation_id=round_.consultation_id) == 1
    with database(served):
        comment_id = db.session.scalar(sa.select(Comment.id).filter_by(consultation_id=round_.consultation_id))
    assert count(served, CommentRevision, comment_id=comment_id) == 0


def test_simultaneous_questionnaire_answers_store_one_per_question(served, port, round_):
    with database(served):
        questionnaire = factories.make_questionnaire(db.session.get(Consultation, round_.consultation_id))
        path = f"/c/{round_.slug}/questionnaires/{questionnaire.id}"
        questions = single, multiple, likert, short, long = [question.id for question in questionnaire.questions]
    form = {f"q_{single}": "آب", f"q_{multiple}": ["گردشگری", "حمل‌ونقل"], f"q_{likert}": "4",
            f"q_{short}": "استاد دانشگاه", f"q_{long}": "پیشنهاد من در یک سطر است."}
    results = post_same(port, path, form, signed_in_cookie(port, round_.email))
    assert_one_redirect(results, f"/c/{round_.slug}")
    for question_id in questions:
        assert count(served, Answer, question_id=question_id, user_id=round_.expert_id) == 1


def test_deadline_rush_of_many_experts_on_one_item(served, port):
    """A few dozen experts save their own comments on the same item in the same moment."""
    with database(served):
        experts = [factories.make_user() for _ in range(RUSH)]
        consultation = factories.make_consultation(participants=experts)
        slug, consultation_id, emails = consultation.slug, consultation.id, [expert.email for expert in experts]
    path = f"/c/{slug}/items/1.1.1.1/comment"
    results = post_together(port, [(path, comment_form(), signed_in_cookie(port, email)) for email in emails])
    assert_one_redirect(results, f"/c/{slug}/items/1.1.1.1")
    assert count(served, Comment, consultation_id=consultation_id) == RUSH
# --- single-use links ----------------------------------------------------------------------------

def test_simultaneous_invitation_acceptances_create_one_account(served, port, round_):
    with database(served):
        issued = factories.make_invitation(db.session.get(Consultation, round_.consultation_id), name="مدعو")
        token, token_id, email = issued.token, issued.row.id, issued.row.email
    form = {"name": "مدعو تازه", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "submission_key": uuid4().hex}
    results = post_same(port, f"/auth/invite/{token}", form)
    assert_one_redirect(results, f"/c/{round_.slug}")
    assert_all_signed_in(port, results)
    assert count(served, User, email=email) == 1
    with database(served):
        user_id = db.session.scalar(sa.select(User.id).filter_by(email=email))
    assert count(served, Participant, consultation_id=round_.consultation_id, user_id=user_id) == 1
    assert count(served, AuditEvent, action="invitation.accept", object_id=token_id) == 1
    # The link still works only once: another form (another key) is refused.
    assert request(port, "POST", f"/auth/invite/{token}", {**form, "submission_key": uuid4().hex})[0] == 410


def test_simultaneous_joins_with_an_existing_account_join_once(served, port, round_):
    with database(served):
        member = factories.make_user()
        issued = factories.make_invitation(db.session.get(Consultation, round_.consultation_id), email=member.email)
        token, token_id, member_id = issued.token, issued.row.id, member.id
    form = {"password": factories.PASSWORD, "submission_key": uuid4().hex}
    results = post_same(port, f"/auth/invite/{token}", form)
    assert_one_redirect(results, f"/c/{round_.slug}")
    assert_all_signed_in(port, results)
    assert count(served, Participant, consultation_id=round_.consultation_id, user_id=member_id) == 1
    assert count(served, AuditEvent, action="invitation.accept", object_id=token_id) == 1
    assert request(port, "POST", f"/auth/invite/{token}", {**form, "submission_key": uuid4().hex})[0] == 410


def test_simultaneous_password_resets_spend_the_link_once(served, port, round_):
    from consult.auth.services import issue_reset

    with database(served):
        issued = issue_reset(db.session.get(User, round_.expert_id), actor=None)
        token, token_id = issued.token, issued.row.id
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "submission_key": uuid4().hex}
    results = post_same(port, f"/auth/reset/{token}", form)
    assert_one_redirect(results, "/")
    assert_all_signed_in(port, results)
    assert count(served, AuditEvent, action="password.reset", object_id=round_.expert_id) == 1
    assert count(served, AccessToken, id=token_id, used_at=None) == 0
    assert request(port, "POST", f"/auth/reset/{token}", {**form, "submission_key": uuid4().hex})[0] == 410


# --- admin forms that make something -------------------------------------------------------------

@pytest.fixture
def admin_cookie(served, port):
    with database(served):
        email = factories.make_user(role=Role.ADMIN).email
    return signed_in_cookie(port, email)


def links_shown(results, kind: str) -> set[str]:
    """The one-time links the answers show (reset or invite)."""
    return {match for result in results for match in re.findall(rf"/auth/{kind}/[A-Za-z0-9_-]+", result[3])}


def test_simultaneous_reset_links_show_one_link(served, port, round_, admin_cookie):
    from consult.auth.services import issue_reset

    with database(served):
        issue_reset(db.session.get(User, round_.expert_id), actor=None)  # an unused earlier link, replaced once
    results = post_same(port, f"/admin/users/{round_.expert_id}/reset", {"submission_key": uuid4().hex},
                        admin_cookie)
    assert Counter(result[0] for result in results) == Counter({200: TIMES}), shown(r for r in results if r[0] != 200)
    assert len(links_shown(results, "reset")) == 1
    assert count(served, AccessToken, purpose=TokenPurpose.RESET, user_id=round_.expert_id) == 1
    # the earlier link's event and this one's
    assert count(served, AuditEvent, action="password.reset_issued", object_id=round_.expert_id) == 2


def test_simultaneous_invitations_replacing_a_pending_one_store_one(served, port, round_, admin_cookie):
    with database(served):
        consultation = db.session.get(Consultation, round_.consultation_id)
        factories.make_invitation(consultation, email="pending@example.ir", name="منتظر")
    form = {"one-email": "pending@example.ir", "one-name": "", "one-role": "expert", "one-affiliation": "other",
            "one-organisation": "", "one-submission_key": uuid4().hex, "one-submit": "ساختن دعوت‌نامه"}
    results = post_same(port, f"/admin/c/{round_.slug}/invitations", form, admin_cookie)
    assert Counter(result[0] for result in results) == Counter({200: TIMES}), shown(r for r in results if r[0] != 200)
    assert len(links_shown(results, "invite")) == 1
    assert all("پیوند پیشین دیگر کار نمی‌کند" in result[3] for result in results)  # the same note each time
    assert count(served, AccessToken, purpose=TokenPurpose.INVITE, email="pending@example.ir") == 1
    assert count(served, ReplacedInvitation, email="pending@example.ir") == 1
    with database(served):
        name = db.session.scalar(sa.select(AccessToken.name).filter_by(email="pending@example.ir"))
    assert name == "منتظر"


def test_simultaneous_new_questionnaires_make_one(served, port, round_, admin_cookie):
    form = {"title": "پرسش‌نامهٔ دوباره‌کلیک", "description": "", "submission_key": uuid4().hex, "submit": "ذخیره"}
    results = post_same(port, f"/admin/c/{round_.slug}/questionnaires", form, admin_cookie)
    assert count(served, Questionnaire, title="پرسش‌نامهٔ دوباره‌کلیک") == 1
    with database(served):
        made = db.session.scalar(sa.select(Questionnaire.id).filter_by(title="پرسش‌نامهٔ دوباره‌کلیک"))
    assert_one_redirect(results, f"/admin/questionnaires/{made}")


def test_simultaneous_new_questions_make_one(served, port, round_, admin_cookie):
    with database(served):
        questionnaire = factories.make_questionnaire(db.session.get(Consultation, round_.consultation_id), [])
        path = f"/admin/questionnaires/{questionnaire.id}"
        questionnaire_id = questionnaire.id
    form = {"new-kind": "short_text", "new-text": "یک پرسش تازه", "new-help_text": "", "new-choices": "",
            "new-submission_key": uuid4().hex, "new-submit": "ذخیرهٔ پرسش"}
    results = post_same(port, path, form, admin_cookie)
    assert_one_redirect(results, path)
    assert count(served, Question, questionnaire_id=questionnaire_id) == 1


def test_simultaneous_new_criteria_make_one(served, port, round_, admin_cookie):
    form = {"criterion-slug": "urgency", "criterion-label": "فوریت", "criterion-submission_key": uuid4().hex,
            "criterion-submit": "افزودن معیار"}
    results = post_same(port, f"/admin/c/{round_.slug}/criteria", form, admin_cookie)
    assert_one_redirect(results, f"/admin/c/{round_.slug}")
    assert count(served, Criterion, consultation_id=round_.consultation_id, slug="urgency") == 1


def test_simultaneous_new_consultations_make_one(served, port, round_, admin_cookie):
    with database(served):
        plan_id = db.session.get(Consultation, round_.consultation_id).plan_id
    slug = f"rush-{uuid4().hex[:8]}"
    form = {"plan_id": plan_id, "slug": slug, "title": "دور تازه", "description": "", "opens_on": "1405/09/01",
            "closes_on": "1405/09/30", "state": "draft", "submission_key": uuid4().hex, "submit": "ساختن دور مشورت"}
    results = post_same(port, "/admin/consultations", form, admin_cookie)
    assert_one_redirect(results, f"/admin/c/{slug}")
    assert count(served, Consultation, slug=slug) == 1


def test_simultaneous_bulk_invitations_store_one_per_row(served, port, round_, admin_cookie):
    from tests.web.test_admin import GOOD_CSV

    key = uuid4().hex
    bodies = []
    for _ in range(TIMES):
        body, content_type = multipart({"bulk-submission_key": key, "bulk-submit": "1"},
                                       ("bulk-upload", "people.csv", GOOD_CSV))
        bodies.append(body)
    results = post_raw_together(port, f"/admin/c/{round_.slug}/invitations", bodies, content_type,
                                admin_cookie)
    assert Counter(result[0] for result in results) == Counter({200: TIMES}), shown(r for r in results if r[0] != 200)
    assert len(links_shown(results, "invite")) == 2
    for email in ("a.rezaei@example.ir", "m.karimi@example.ir"):
        assert count(served, AccessToken, purpose=TokenPurpose.INVITE, email=email) == 1


def multipart(fields: dict, upload: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    name, filename, data = upload
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 "Content-Type: text/csv\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post_raw_together(port: int, path: str, bodies: list[bytes], content_type: str, cookie: str) -> list[tuple]:
    """Send each body at once on its own connection: (status, Location, Set-Cookie, body)."""
    barrier = threading.Barrier(len(bodies))
    results: list = [None] * len(bodies)

    def send(index: int, body: bytes) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.connect()
            barrier.wait(timeout=30)
            conn.request("POST", path, body=body, headers={"Content-Type": content_type, "Cookie": cookie})
            response = conn.getresponse()
            results[index] = (response.status, response.getheader("Location") or "", "",
                              response.read().decode(errors="replace"))
        except Exception as error:  # noqa: BLE001  a dropped connection is a result to report, not a crash
            results[index] = (0, repr(error), "", "")
        finally:
            conn.close()

    threads = [threading.Thread(target=send, args=(index, body)) for index, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results
