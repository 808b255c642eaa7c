"""axe-core finds no serious or critical problem on the expert pages; the comment form works by keyboard."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    PASSWORD,
    PHONE,
    SLUG,
    accept_invitation,
    comment_url,
    invite,
    item_url,
    new_expert,
)

# Form controls a person can reach with no label, aria-label or aria-labelledby.
UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => !el.hidden && el.getAttribute('aria-hidden') !== 'true')
  .filter(el => !(el.labels && Array.from(el.labels).some(l => l.textContent.trim()))
             && !(el.getAttribute('aria-label') || '').trim()
             && !(el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => {
                  const target = id && document.getElementById(id);
                  return target && target.textContent.trim();
                }))
  .map(el => el.outerHTML.slice(0, 120))"""

FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id || '',
          text: (el.textContent || '').trim().slice(0, 40), value: el.value === undefined ? '' : String(el.value)};
}"""


def test_expert_pages_pass_axe(page, live_server, console_errors, axe):
    found: dict[str, list] = {}

    def check(name: str, context: str = "document") -> None:
        found[name] = axe(context)
        found[f"{name}: unlabelled inputs"] = page.evaluate(UNLABELLED)

    # Signed out.
    page.goto("/auth/login")
    check("login")
    page.get_by_role("button", name="ورود", exact=True).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check("login with errors")
    page.goto("/auth/forgot")
    check("forgot password")
    email, path = invite(live_server)
    page.goto(path)
    check("invitation")
    page.get_by_label("گذرواژهٔ تازه").fill(PASSWORD)
    page.get_by_label("تکرار گذرواژه").fill(PASSWORD + "x")
    page.get_by_role("button", name="ساختن حساب و ورود").click()
    expect(page.locator("#confirm-error")).to_be_visible()
    check("invitation with errors")
    page.goto("/auth/invite/not-a-real-token")
    check("invitation link not valid")

    # Signed in as the invited expert.
    accept_invitation(page, path)
    check("consultation")
    page.goto(f"/c/{SLUG}/plan")
    check("tree")
    # One goal opened all the way down stands for the rest: every level is the same macro.
    page.evaluate("document.querySelectorAll('.plan-tree > ul > li:first-child details')"
                  ".forEach(d => { d.open = true; })")
    check("tree, a goal opened to its projects", "document.querySelector('.plan-tree > ul > li')")
    page.goto(f"/c/{SLUG}/plan/search?q=" + "زائرسراي")
    check("search results")
    page.goto(item_url())
    check("item")
    page.goto(comment_url())
    check("comment form")
    page.get_by_label("اصلاحی", exact=True).check()
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.locator("#body-error")).to_be_visible()
    check("comment form with errors")
    page.get_by_label("متن نظر").fill("طرح باید در دو مرحله اجرا شود تا بودجه برسد.")
    page.get_by_label("متن پیشنهادی (اصلاحیه)").fill("اجرای مرحله‌ای در دو فاز.")
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.get_by_role("region", name="نظر شما")).to_contain_text("اصلاحی")
    check("item with own comment")
    page.goto(f"/c/{SLUG}/comments/new")
    check("general comment form")
    page.goto(f"/c/{SLUG}")
    page.get_by_role("link", name="پرسش‌نامه اولویت‌های برنامه سوم").click()
    check("questionnaire")
    page.get_by_role("button", name="ذخیرهٔ پاسخ‌ها").click()
    expect(page.get_by_text("به این پرسش پاسخ دهید.").first).to_be_visible()
    check("questionnaire with errors")
    # Withdrawing asks first; the withdrawn comment's card keeps readable contrast.
    page.goto(item_url())
    page.get_by_role("button", name="پس گرفتن نظر").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("پس گرفتن نظر")
    check("withdraw confirmation")
    page.get_by_role("button", name="بله، پس بگیر").click()
    expect(page.get_by_role("region", name="نظر شما")).to_contain_text("پس گرفته‌اید")
    page.goto("/me/contributions")
    expect(page.locator(".comment-withdrawn")).to_have_count(1)
    check("my contributions")
    check("my contributions, withdrawn comment", "document.querySelector('.comment-withdrawn')")

    page.set_viewport_size(PHONE)  # the navigation folds into a menu button
    page.goto(comment_url())
    check("comment form on a phone")

    # The page that answers a save after the session ended.
    page.context.clear_cookies()
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("نشست شما به پایان رسیده است")
    check("session expired")

    assert {name: problems for name, problems in found.items() if problems} == {}


def test_comment_form_by_keyboard_alone(page, live_server, console_errors):
    """Tab reaches the stance, the texts, the ratings and the save button in reading order; no mouse needed."""
    new_expert(page, live_server)
    page.goto(comment_url("1.2.1.2"))

    order = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        order.append(focused)
        if focused["tag"] == "button" and focused["text"] == "ذخیره":
            break
    names = [f["name"] or f["text"] for f in order]
    assert names[0] == "پرش به محتوا", names
    assert "ذخیره" in names, names
    wanted = ["stance", "body", "amendment", "diagnosis", "ذخیره"]
    positions = [names.index(name) for name in wanted]
    assert positions == sorted(positions), names
    assert any(name.startswith("rating_") for name in names[positions[2]:positions[3]]), names
    # A radio group is one Tab stop; arrow keys move within it.
    assert names.count("stance") == 1, names

    # Fill and send the form with the keyboard only.
    page.goto(comment_url("1.2.1.2"))
    while page.evaluate(FOCUSED)["name"] != "stance":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    stance = page.evaluate(FOCUSED)["value"]
    assert stance == "agree"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(FOCUSED)["value"] == "amend"
    expect(page.get_by_label("اصلاحی", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] == "body"
    page.keyboard.type("پیاده‌راه خیابان موزه به سایه‌بان و نیمکت بیشتری نیاز دارد.")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] == "amendment"
    page.keyboard.type("افزودن سایه‌بان در هر ۱۰۰ متر.")
    while not (page.evaluate(FOCUSED)["tag"] == "button" and page.evaluate(FOCUSED)["text"] == "ذخیره"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(item_url("1.2.1.2")) + r"\?saved="))
    expect(page.get_by_role("region", name="نظر شما")).to_contain_text("افزودن سایه‌بان")

    # Focus is visible where it lands: Bootstrap's ring on a text field.
    page.goto(comment_url("1.2.1.2"))
    page.get_by_label("متن نظر").focus()
    ring = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring != "none" or outline != "none"
