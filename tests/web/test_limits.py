"""Sign-in and reset limits behind a proxy, with typed text kept out of logs and keys; tokens out of request logs."""
import logging

import pytest

from consult.extensions import limiter
from tests.factories import PASSWORD
from tests.web.test_auth import post_login

TYPED_BY_MISTAKE = "hunter2-secret-pw"


def post_from(client, address, path="/auth/login", headers=None, **data):
    return client.post(path, data=data, headers=headers or {}, environ_base={"REMOTE_ADDR": address})


# --- behind a reverse proxy -------------------------------------------------------------------------

def app_with(**overrides):
    from config import TestingConfig
    from consult import create_app

    return create_app(TestingConfig, **overrides)


def fill_address_counter(client, client_address: str) -> None:
    """Five failures for five accounts from one client, all through the proxy at 10.9.0.1."""
    for n in range(5):
        post_from(client, "10.9.0.1", headers={"X-Forwarded-For": client_address},
                  email=f"guess{n}@example.ir", password="wrong-password")


def test_behind_a_proxy_each_client_has_its_own_address_counter(app, factory):
    proxied = app_with(PROXY_FIX_X_FOR=1)
    client = proxied.test_client()
    fill_address_counter(client, "203.0.113.7")
    user = factory.make_user()
    other_client = post_from(client, "10.9.0.1", headers={"X-Forwarded-For": "203.0.113.8"},
                             email=user.email, password=PASSWORD)
    assert other_client.status_code == 302
    same_client = post_from(proxied.test_client(), "10.9.0.1", headers={"X-Forwarded-For": "203.0.113.7"},
                            email=user.email, password=PASSWORD)
    assert same_client.status_code == 429


def test_without_the_setting_a_forwarded_address_is_ignored(client, factory):
    fill_address_counter(client, "203.0.113.7")
    user = factory.make_user()
    # Anyone can send the header: without a trusted proxy every try counts against the real peer.
    forged = post_from(client, "10.9.0.1", headers={"X-Forwarded-For": "203.0.113.8"},
                       email=user.email, password=PASSWORD)
    assert forged.status_code == 429


def test_proxy_setting_defaults_to_none():
    from config import Config

    assert Config.PROXY_FIX_X_FOR == 0


@pytest.fixture
def log(caplog, monkeypatch):
    """Every record at DEBUG and above; Alembic's fileConfig (the migration test) disables existing loggers."""
    for name in ("werkzeug", "flask_limiter", "consult.web.limits", "consult.auth.services"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)
    caplog.set_level(logging.DEBUG)
    return caplog


# --- whatever was typed as an email stays out of logs and storage keys --------------------------------

def limiter_keys() -> list[str]:
    storage = limiter.storage
    return [str(key) for table in (storage.storage, storage.expirations, storage.events) for key in table]


def test_typed_email_reaches_no_log_record_and_no_limiter_key(client, log):
    for _ in range(6):
        post_login(client, TYPED_BY_MISTAKE, "wrong-password")
        post_from(client, "10.9.1.1", "/auth/forgot", email=TYPED_BY_MISTAKE)
    assert post_login(client, TYPED_BY_MISTAKE, "wrong-password").status_code == 429
    keys = limiter_keys()
    assert keys and not [key for key in keys if TYPED_BY_MISTAKE in key]
    assert [key for key in keys if "account:" in key]  # the account counters exist, under a digest
    assert not [record for record in log.records if TYPED_BY_MISTAKE in record.getMessage()]
    assert [record for record in log.records if record.name == "consult.web.limits"]  # refusals were logged


def test_account_digest_follows_the_normalised_email(app):
    from consult.web.limits import account_key

    with app.test_request_context():
        assert account_key(" Owner@Example.IR ") == account_key("owner@example.ir")
        assert account_key("owner@example.ir") != account_key("other@example.ir")
        assert "owner" not in account_key("owner@example.ir")


# --- nobody can block the owner's reset request -------------------------------------------------------

def test_reset_requests_from_elsewhere_do_not_block_the_owners_request(client, factory):
    owner = factory.make_user(email="reset.owner@example.ir")
    for _ in range(4):
        post_from(client, "10.66.5.1", "/auth/forgot", email=owner.email)
    assert post_from(client, "10.66.5.1", "/auth/forgot", email=owner.email).status_code == 429
    # The flood from one address ends there; the owner, elsewhere, still asks.
    assert post_from(client, "10.8.5.1", "/auth/forgot", email=owner.email).status_code == 302


def test_a_known_browser_passes_the_per_email_reset_ceiling(app, client, factory):
    owner = factory.make_user(email="reset.known@example.ir")
    assert post_from(client, "10.8.6.1", email=owner.email, password=PASSWORD).status_code == 302
    client.post("/auth/logout")
    for n in range(12):  # from many addresses, until the per-email ceiling is full
        post_from(app.test_client(), f"10.66.6.{n}", "/auth/forgot", email=owner.email)
    assert post_from(app.test_client(), "10.8.6.2", "/auth/forgot", email=owner.email).status_code == 429
    assert post_from(client, "10.8.6.2", "/auth/forgot", email=owner.email).status_code == 302


# --- a successful sign-in gives its try back ------------------------------------------------------------

def test_successes_between_failures_do_not_use_up_the_limit(client, factory):
    user = factory.make_user()
    for _ in range(4):
        assert post_from(client, "10.9.2.1", email=user.email, password="wrong-password").status_code == 200
    for _ in range(3):
        assert post_from(client, "10.9.2.1", email=user.email, password=PASSWORD).status_code == 302
        client.post("/auth/logout")
    assert post_from(client, "10.9.2.1", email=user.email, password="wrong-password").status_code == 200
    assert post_from(client, "10.9.2.1", email=user.email, password="wrong-password").status_code == 429


def test_many_people_behind_one_address_sign_in(client, factory):
    """An office behind one address: successes never fill the per-address counter."""
    for _ in range(21):  # past both the minute's 5 and the hour's 20
        assert post_from(client, "10.9.3.1", email=factory.make_user().email, password=PASSWORD).status_code == 302
        client.post("/auth/logout")


# --- tokens stay out of the request log --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/auth/invite/AbC-123_xyz", "/auth/reset/AbC-123_xyz?next=/x"])
def test_request_log_hides_link_tokens(app, log, path):
    """A record as Werkzeug's development server writes it: the request line is an argument."""
    logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s %s', "127.0.0.1", "01/Dec/2026 10:00:00",
                                       f"POST {path} HTTP/1.1", "302", "-")
    [record] = [record for record in log.records if record.name == "werkzeug"]
    message = record.getMessage()
    assert "AbC-123_xyz" not in message
    assert path.split("AbC")[0] + "…" in message and '" 302 -' in message


def test_request_log_filter_is_installed_once(app):
    from consult.web.logs import RedactTokens, register

    register(app)  # as a second create_app() would
    assert sum(isinstance(f, RedactTokens) for f in logging.getLogger("werkzeug").filters) == 1


def test_other_request_lines_are_untouched(app, log):
    logging.getLogger("werkzeug").info('"%s" %s %s', "GET /auth/login?next=/c/x HTTP/1.1", "200", "-")
    assert log.records[-1].getMessage() == '"GET /auth/login?next=/c/x HTTP/1.1" 200 -'


# --- Persian digits in length errors ---------------------------------------------------------------------

def test_sign_in_length_errors_use_persian_digits(client):
    import re

    page = post_login(client, "a" * 250 + "@x.ir", "p" * 201).get_data(as_text=True)
    errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]*)<', page)
    assert any("حداکثر ۲۵۴ نویسه" in error for error in errors) and any("۲۰۰" in error for error in errors)
    assert not [error for error in errors if re.search("[0-9]", error)]


# --- the counters themselves, in memory and in Redis ------------------------------------------------------

def storage_uris() -> list:
    import os

    return ["memory://", pytest.param(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"), id="redis")]


@pytest.fixture(params=storage_uris())
def counters_in(request, app, monkeypatch):
    """consult.web.limits counting on a storage of its own."""
    from types import SimpleNamespace

    from limits.storage import storage_from_string

    from consult.web import limits
    from tests.conftest import skip_or_fail

    storage = storage_from_string(request.param)
    if not storage.check():
        skip_or_fail(f"{request.param.split(':')[0]} storage not reachable")
    monkeypatch.setattr(limits, "limiter", SimpleNamespace(enabled=True, storage=storage))
    return limits


def test_counters_refuse_past_the_limit_however_many_arrive_together(app, counters_in):
    import threading
    from uuid import uuid4

    from werkzeug.exceptions import TooManyRequests

    counters = [counters_in.Counter("test_pair", uuid4().hex, "3 per minute"),
                counters_in.Counter("test_address", uuid4().hex, "3 per minute;10 per hour")]
    barrier, passed, taken = threading.Barrier(12), [], []

    def try_once():
        with app.test_request_context(method="POST"):
            barrier.wait(timeout=30)
            try:
                taken.append(counters_in.take(counters))
            except TooManyRequests:
                return
            passed.append(True)

    threads = [threading.Thread(target=try_once) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(passed) <= 3


def test_a_success_gives_its_try_back_and_a_refused_try_counts_nothing(app, counters_in):
    from uuid import uuid4

    from werkzeug.exceptions import TooManyRequests

    counters = [counters_in.Counter("test_pair", uuid4().hex, "3 per minute")]
    with app.test_request_context(method="POST"):
        taken = [counters_in.take(counters) for _ in range(3)]
        for _ in range(3):
            with pytest.raises(TooManyRequests):
                counters_in.take(counters)
        counters_in.give_back(taken[0])
        counters_in.take(counters)
        with pytest.raises(TooManyRequests):
            counters_in.take(counters)


def test_refusal_says_when_to_retry(client, factory):
    user = factory.make_user()
    for _ in range(5):
        post_from(client, "10.9.4.1", email=user.email, password="wrong-password")
    refused = post_from(client, "10.9.4.1", email=user.email, password="wrong-password")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
