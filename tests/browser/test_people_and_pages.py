"""In Chromium: the admin's participants and re-invitations, the clickable home tree, and errors shown at once."""
import re
import uuid

from playwright.sync_api import expect

from tests.browser.helpers import ITEM_CODE, SLUG, accept_invitation, comment_url, invite, item_url, sign_in

ADMIN = "admin@example.ir"
DEMO_PASSWORD = "Qom-1414-demo"
GOAL = "ارتقای جایگاه قم به‌عنوان پایتخت معنوی"
STRATEGY = "ارتقای کیفیت اسکان و خدمات رفاهی"


def test_admin_finds_participants_changes_a_role_and_reinvites(page, live_server, console_errors, screenshot):
    page.goto("/auth/login")
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.goto(f"/admin/c/{SLUG}/invitations")
    expect(page.get_by_text("هنوز دعوتی ساخته نشده است")).to_have_count(0)
    page.get_by_role("link", name="مشارکت‌کنندگان", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("نفر")
    expect(page.locator("tbody tr")).to_have_count(25)  # the first page of the demo's 70

    # Arabic ي and a space where the name has a ZWNJ: still found.
    page.get_by_label("جست‌وجو در نام، رایانامه یا سازمان").fill("حسيني نژاد")
    page.get_by_role("button", name="جست‌وجو", exact=True).click()
    row = page.locator("tbody tr").filter(has_text="حسینی‌نژاد")
    expect(row).to_have_count(1)
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(row).to_contain_text("حوزوی")
    row.get_by_label(re.compile("^نقش ")).select_option("secretary")
    row.get_by_role("button", name=re.compile("^تغییر نقش")).click()
    expect(page.get_by_text(re.compile("«دبیر کارگروه» شد"))).to_be_visible()
    expect(page.get_by_label("جست‌وجو در نام، رایانامه یا سازمان")).to_have_value("حسيني نژاد")
    screenshot("admin-participants-search")

    # Invite someone twice: the page says what happened and the first link says a newer one was sent.
    email = f"twice-{uuid.uuid4().hex[:8]}@example.ir"
    page.goto(f"/admin/c/{SLUG}/invitations")
    one = page.get_by_role("region", name="دعوت یک نفر")
    one.get_by_label("نشانی رایانامه").fill(email)
    one.get_by_label("نام و نام خانوادگی").fill("فاطمه موسوی")
    one.get_by_role("button", name="ساختن دعوت‌نامه").click()
    old_link = page.locator("code.user-select-all").first.inner_text()
    one = page.get_by_role("region", name="دعوت یک نفر")
    one.get_by_label("نشانی رایانامه").fill(email)
    one.get_by_role("button", name="ساختن دعوت‌نامه").click()
    expect(page.get_by_text(re.compile("پیش‌تر دعوت‌نامه‌ای در انتظار بود"))).to_be_visible()
    listed = page.get_by_role("region", name="همهٔ دعوت‌نامه‌های این دور").locator("tbody tr").filter(has_text=email)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("فاطمه موسوی")
    screenshot("admin-reinvite")
    page.goto(old_link)
    expect(page.get_by_text(re.compile("دعوت‌نامهٔ تازه‌تری فرستاده شده"))).to_be_visible()
    screenshot("replaced-invitation-link")


def test_visitor_clicks_the_home_tree_signs_in_and_lands_on_the_item(page, live_server, console_errors, screenshot):
    email, path = invite(live_server)
    accept_invitation(page, path)
    page.get_by_role("button", name="خروج").click()  # a late request could bring back cleared cookies
    expect(page).to_have_url(re.compile("/auth/login"))
    page.goto("/")
    tree = page.locator(".plan-tree")
    expect(tree.get_by_role("link").first).to_be_visible()
    screenshot("home-tree-links")
    tree.get_by_role("link", name=GOAL).click()
    expect(page).to_have_url(re.compile(r"/auth/login\?next="))
    sign_in(page, email)
    expect(page).to_have_url(re.compile(rf"/c/{SLUG}/items/1$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(GOAL)
    # Signed in, the home tree leads straight to the items.
    page.goto("/")
    page.get_by_text("۴ زیرشاخه در هدف ۱").click()  # open goal 1
    page.locator(".plan-tree").get_by_role("link", name=STRATEGY).click()
    expect(page).to_have_url(re.compile(rf"/c/{SLUG}/items/1\.1$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(STRATEGY)


def test_comment_form_shows_every_problem_at_once(page, live_server, console_errors, screenshot):
    email, path = invite(live_server)
    accept_invitation(page, path)
    page.goto(comment_url("1.2.1.1"))
    page.get_by_label("متن نظر").fill("خو")
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.locator("#stance-error")).to_contain_text("موضع خود را انتخاب کنید.")
    expect(page.locator("#body-error")).to_contain_text("دست‌کم ۱۰ نویسه")
    expect(page.get_by_label("متن نظر")).to_have_value("خو")
    screenshot("comment-errors-at-once")


def test_withdrawing_asks_first(page, live_server, console_errors, screenshot):
    email, path = invite(live_server)
    accept_invitation(page, path)
    page.goto(comment_url(ITEM_CODE))
    page.get_by_label("موافق", exact=True).check()
    page.get_by_label("متن نظر").fill("این طرح برای زائران کم‌درآمد لازم است.")
    page.get_by_role("button", name="ذخیره", exact=True).click()
    page.get_by_role("button", name="پس گرفتن نظر").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("پس گرفتن نظر")
    screenshot("withdraw-confirmation")
    page.get_by_role("link", name="انصراف").click()
    expect(page).to_have_url(re.compile(re.escape(item_url()) + "$"))
    expect(page.get_by_role("region", name="نظر شما")).to_contain_text("زائران کم‌درآمد")
    page.get_by_role("button", name="پس گرفتن نظر").click()
    page.get_by_role("button", name="بله، پس بگیر").click()
    expect(page.get_by_text("نظر شما پس گرفته شد.", exact=False)).to_be_visible()
    page.goto("/me/contributions")
    expect(page.locator(".comment-withdrawn")).to_contain_text("پس گرفته شده")
    screenshot("my-contributions-withdrawn")
