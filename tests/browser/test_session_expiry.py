"""A session that ends while the expert is typing costs no text: the browser draft brings it back."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import comment_url, item_url, new_expert, sign_in

CODE = "1.1.1.2"
PARAGRAPH = ("ثبت خانه‌های مسافر بدون سامانهٔ یکپارچهٔ رزرو به کاهش اقامت غیرمجاز نمی‌انجامد؛ "
             "«پيشنهاد» می‌شود بازرسی دوره‌ای با همکاری اتحادیه‌ها انجام شود و نرخ‌ها شفاف اعلام گردد. ")
LONG_BODY = "\n".join([PARAGRAPH] * 12)  # about 2,000 characters, several lines
TAIL = "جمع‌بندی: نخست ۵۰۰ واحد."
DRAFTS = "Object.keys(localStorage).filter(key => key.startsWith('consult-draft:'))"


def _type_comment(page, stance: str = "مخالف") -> str:
    """Fill the comment form as someone typing would; returns the text as it stands."""
    page.goto(comment_url(CODE))
    page.get_by_label(stance, exact=True).check()
    body = page.get_by_label("متن نظر")
    body.fill(LONG_BODY)
    body.press("Control+End")
    body.press_sequentially(TAIL)
    expect(body).to_have_value(LONG_BODY + TAIL)
    return LONG_BODY + TAIL


def test_text_typed_before_the_session_expired_comes_back_after_signing_in(page, live_server, console_errors):
    email = new_expert(page, live_server)
    text = _type_comment(page)

    page.context.clear_cookies()  # the session ends while the form is open
    page.get_by_role("button", name="ذخیره", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("نشست شما به پایان رسیده است")
    expect(page.get_by_label("متن نظر")).to_have_value(re.compile(re.escape(TAIL) + "$"))
    page.get_by_role("link", name="ورود دوباره").click()
    expect(page).to_have_url(re.compile(r"/auth/login\?next="))
    sign_in(page, email)

    expect(page).to_have_url(re.compile(re.escape(comment_url(CODE)) + "$"))
    expect(page.locator("[data-draft-notice]")).to_contain_text("بازگردانده شد")
    expect(page.get_by_label("متن نظر")).to_have_value(text)
    expect(page.get_by_label("مخالف", exact=True)).to_be_checked()
    assert len(page.evaluate(DRAFTS)) == 1

    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(item_url(CODE)) + r"\?saved="))
    own = page.get_by_role("region", name="نظر شما")
    expect(own).to_contain_text(TAIL)
    expect(own).to_contain_text("مخالف")
    page.wait_for_function(f"() => ({DRAFTS}).length === 0", timeout=5000)  # drafts.js clears it on load

    # Coming back to the form shows the saved comment, with no stale draft offered.
    page.goto(comment_url(CODE))
    expect(page.get_by_label("متن نظر")).to_have_value(re.compile(re.escape(TAIL) + "$"))
    expect(page.locator("[data-draft-notice]")).to_have_count(0)


def test_stale_form_after_signing_in_elsewhere_is_shown_again_with_the_text(page, live_server, console_errors):
    """A fresh sign-in in another tab renews the session; the older tab's save is refused, nothing lost."""
    email = new_expert(page, live_server)
    text = _type_comment(page, stance="موافق")

    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name="خروج").click()
    expect(other).to_have_url(re.compile(r"/auth/login$"))
    sign_in(other, email)
    expect(other).to_have_url(re.compile(r"/$"))
    other.close()

    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.locator("#form-notice")).to_contain_text("متن شما در همین صفحه مانده است")
    expect(page.get_by_label("متن نظر")).to_have_value(text)
    expect(page.get_by_label("موافق", exact=True)).to_be_checked()

    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(item_url(CODE)) + r"\?saved="))
    expect(page.get_by_role("region", name="نظر شما")).to_contain_text(TAIL)
    page.wait_for_function(f"() => ({DRAFTS}).length === 0", timeout=5000)  # drafts.js clears it on load
