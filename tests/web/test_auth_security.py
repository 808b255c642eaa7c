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
