"""The main pages of every role work under the app's Content-Security-Policy, enforced (no bypass_csp)."""
import re

import pytest
from playwright.sync_api import expect

from consult.demo.loader import DEMO_PASSWORD
from tests.browser.helpers import PHONE, SLUG, accept_invitation, comment_url, invite, item_url, sign_in

# Chromium logs each refusal ("... violates the following Content Security Policy directive ...");
# the event is reported too, in case a refusal is ever not logged.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", event =>
  console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`));"""

enforced = pytest.mark.browser_context_args(bypass_csp=False)


@pytest.fixture
def csp(page, console_errors):
    """Opens pages and collects every CSP message and every document served without the policy."""
    found: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: "Content Security Policy" in message.text
            and found.append(f"{page.url}: {message.text}"))

    def on_response(response):
        if response.request.resource_type == "document" and \
                "frame-ancestors 'none'" not in (response.headers.get("content-security-policy") or ""):
            found.append(f"{response.url}: served without the Content-Security-Policy")

    page.on("response", on_response)

    def visit(path: str) -> None:
        page.goto(path)
        page.wait_for_load_state("load")

    visit.found = found
    yield visit
    assert found == []


def sign_in_as(page, email: str) -> None:
    """Sign out through the page (cleared cookies race a late response that sets them again), then in."""
    page.get_by_role("button", name="خروج").click()
    expect(page.get_by_role("button", name="خروج")).to_have_count(0)
    page.goto("/auth/login")
    sign_in(page, email, DEMO_PASSWORD)
    expect(page.get_by_role("button", name="خروج")).to_be_attached()


@enforced
def test_pages_of_every_role_run_under_the_policy(page, live_server, csp):
    # Signed out.
    for path in ("/", "/auth/login", "/auth/forgot", "/no-such-page"):
        csp(path)
    _email, invitation = invite(live_server)
    csp(invitation)

    # The invited expert: tree, search, item (with its progress bar), forms, drafts, contributions.
    accept_invitation(page, invitation)
    csp(f"/c/{SLUG}")
    csp(f"/c/{SLUG}/plan")
    page.locator(".plan-tree details").first.evaluate("d => { d.open = true; }")
    csp(f"/c/{SLUG}/plan/search?q=زائرسرای")
    csp(item_url())
    bar = page.locator("progress.previous-progress")
    assert bar.evaluate("e => e.position") == pytest.approx(0.8)  # demo item 1.1.1.1 was 80% done
    assert bar.bounding_box()["width"] > 100
    csp(comment_url())
    page.get_by_label("متن نظر").fill("پیش‌نویسی که در این مرورگر می‌ماند تا ذخیره شود.")
    page.wait_for_timeout(600)  # drafts.js saves after 400 ms
    csp(comment_url())
    expect(page.locator("[data-draft-notice]")).to_be_visible()  # built by drafts.js under the policy
    csp(f"/c/{SLUG}/comments/new")
    page.goto(f"/c/{SLUG}")
    page.locator(f"a[href*='/c/{SLUG}/questionnaires/']").first.click()
    page.wait_for_load_state("load")
    csp("/me/contributions")
    page.set_viewport_size(PHONE)
    csp("/")
    page.get_by_role("button", name="نمایش فهرست").click()  # Bootstrap's collapse animates by script
    expect(page.get_by_role("button", name="خروج")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})

    for role in ("secretary", "planner"):
        sign_in_as(page, f"{role}@example.ir")
        for path in ("/", f"/c/{SLUG}", f"/c/{SLUG}/plan", item_url(), "/me/contributions"):
            csp(path)

    sign_in_as(page, "admin@example.ir")
    for path in ("/admin/", "/admin/users", "/admin/consultations", f"/admin/c/{SLUG}",
                 f"/admin/c/{SLUG}/invitations", f"/admin/c/{SLUG}/questionnaires"):
        csp(path)
    page.locator("a[href*='/admin/questionnaires/']").first.click()
    page.wait_for_load_state("load")
    csp("/admin/users?q=expert@example.ir")  # the list is paged: find the account first
    page.get_by_role("button", name="پیوند بازیابی برای خبره نمونه").click()
    expect(page.get_by_label("پیوند")).to_have_value(re.compile("/auth/reset/"))
    assert csp.found == []


INLINE_SCRIPT_RUNS = """() => {
  const script = document.createElement("script");
  script.textContent = "window.inlineScriptRan = true;";
  document.head.appendChild(script);
  return window.inlineScriptRan === true;
}"""


@enforced
def test_the_policy_is_enforced_in_these_tests(page, live_server):
    """Guards the test above: its context does not bypass the policy, so a refusal would be seen."""
    page.goto("/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        ran = page.evaluate(INLINE_SCRIPT_RUNS)
    assert ran is False
