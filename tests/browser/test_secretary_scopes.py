"""A secretary signs in, picks their scope, reads and filters its comments, and cannot open another group's scope."""
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.helpers import SLUG, sign_in


def _group_keys(live_server) -> dict[str, str]:
    from consult.auth.models import User
    from consult.consultations.models import Consultation
    from consult.extensions import db
    from consult.review.scopes import scopes_for

    with live_server["app"].app_context():
        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=SLUG))
        keys = {}
        for email in ("secretary@example.ir", "secretary2@example.ir"):
            user = db.session.scalar(sa.select(User).filter_by(email=email))
            keys[email] = scopes_for(user, consultation)[0].key
        return keys


def test_secretary_reads_own_scope_and_not_another(page, live_server, console_errors, axe, screenshot):
    from consult.demo.loader import DEMO_PASSWORD

    keys = _group_keys(live_server)
    page.goto("/auth/login")
    sign_in(page, "secretary@example.ir", DEMO_PASSWORD)
    page.get_by_role("link", name="بررسی نظرها").first.click()
    page.get_by_role("link", name="نظرخواهی از خبرگان").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("دامنه‌های بررسی شما")
    assert axe() == []
    screenshot("secretary-scopes")
    page.locator(f"a[href$='/scopes/{keys['secretary@example.ir']}']").click()
    expect(page.locator(".review-comments > li").first).to_be_visible()
    page.get_by_label("موضع").select_option("disagree")
    page.get_by_role("button", name="پالایش").click()
    expect(page.locator(".review-comments .badge", has_text="مخالف").first).to_be_visible()
    expect(page.locator(".review-comments .badge", has_text="موافق")).to_have_count(0)
    assert axe() == []
    screenshot("secretary-scope-page")
    response = page.goto(f"/review/c/{SLUG}/scopes/{keys['secretary2@example.ir']}")
    assert response.status == 403
    screenshot("secretary-other-scope-refused")
