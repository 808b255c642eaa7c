"""A browser draft is forgotten only after the server saved it, never because of a link from elsewhere."""
from playwright.sync_api import expect

from tests.browser.helpers import SLUG, comment_url, item_url, new_expert

CODE = "2.1.1"
DRAFTS = "Object.keys(localStorage).filter(key => key.startsWith('consult-draft:')).sort()"


def _leave_a_draft(page, url: str, text: str) -> None:
    page.goto(url)
    page.get_by_label("موافق", exact=True).check()
    page.get_by_label("متن نظر").fill(text)
    page.wait_for_timeout(600)  # drafts.js saves 400 ms after the last keystroke


def test_a_link_with_saved_in_its_query_wipes_no_draft(page, live_server, console_errors):
    new_expert(page, live_server)
    _leave_a_draft(page, comment_url(CODE), "پیش‌نویس نظر دربارهٔ این بند که هنوز ذخیره نشده است.")
    _leave_a_draft(page, f"/c/{SLUG}/comments/new", "پیش‌نویس نظر کلی که هنوز ذخیره نشده است.")
    drafts = page.evaluate(DRAFTS)
    general_scope, item_scope = (key.rsplit(":", 1)[1] for key in drafts)
    assert general_scope == "general-new" and item_scope.startswith("item-")

    # What another site could link to: the pages a save lands on, with ?saved= naming each draft.
    page.goto(f"/c/{SLUG}?saved=general-new")
    page.goto(item_url(CODE) + f"?saved={item_scope}")
    page.wait_for_load_state("load")
    assert page.evaluate(DRAFTS) == drafts

    # A real save forgets exactly the draft it saved.
    page.goto(f"/c/{SLUG}/comments/new")
    expect(page.locator("[data-draft-notice]")).to_be_visible()
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="نظر شما ذخیره شد.")).to_be_visible()
    assert page.evaluate(DRAFTS) == [drafts[1]]
