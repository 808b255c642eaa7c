"""An invited expert's whole first visit, in Chromium: link, password, search, comment, edit, questionnaire."""
import re

import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.helpers import (
    ARABIC_YEH_QUERY,
    ITEM_CODE,
    ITEM_TITLE,
    LATIN_DIGIT,
    PERSIAN_DIGIT,
    PHONE,
    SLUG,
    accept_invitation,
    comment_url,
    horizontal_overflow,
    invite,
    item_url,
)

FIRST_BODY = "ظرفیت ۶۰۰ تخت برای ورودی جاده قدیم کم است و زمین شهرداری جای توسعه دارد.\nمرحله‌بندی ساخت روشن نیست."
AMENDMENT = "ساخت در دو مرحلهٔ ۳۰۰ تختی، با واگذاری بهره‌برداری به بخش خصوصی پس از مرحلهٔ نخست."
EDITED_TAIL = "\nافزوده: پارکینگ اتوبوس زائران هم در طرح دیده شود."
MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
          "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
JALALI_DATE = re.compile(rf"[۰-۹]{{1,2}} ({'|'.join(MONTHS)}) ۱۴[۰-۹]{{2}}")


def test_invited_expert_journey(page, live_server, console_errors, screenshot):
    email, path = invite(live_server)

    # The invitation link: choose a password, land signed in on the consultation.
    accept_invitation(page, path)
    expect(page).to_have_url(re.compile(rf"/c/{SLUG}$"))
    expect(page.get_by_role("navigation", name="ناوبری اصلی")).to_contain_text("خبرهٔ آزمون مرورگر")

    # Find the item by a word typed with Arabic ي (the plan spells it with Persian ی).
    page.get_by_role("link", name="درخت برنامه و نظر بر بندها").click()
    expect(page.get_by_role("heading", name="درخت برنامه", exact=True)).to_be_visible()
    page.get_by_label("جست‌وجو در بندهای برنامه").fill(ARABIC_YEH_QUERY)
    page.get_by_label("جست‌وجو در بندهای برنامه").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("پیدا شد")
    page.get_by_role("link", name=ITEM_TITLE).click()
    expect(page).to_have_url(re.compile(re.escape(item_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ITEM_TITLE)
    expect(page.get_by_role("navigation", name="مسیر صفحه")).to_contain_text("توسعه ظرفیت اقامتی اقتصادی")
    screenshot("item-page")

    # Stance "amend" without an amendment: the error sits by the field and the text stays.
    page.get_by_role("link", name="نظر دادن دربارهٔ این بند").click()
    expect(page).to_have_url(re.compile(re.escape(comment_url()) + "$"))
    page.get_by_label("اصلاحی", exact=True).check()
    page.get_by_label("متن نظر").fill(FIRST_BODY)
    page.get_by_role("group", name="اهمیت").get_by_label("۴", exact=True).check()
    page.get_by_role("button", name="ذخیره", exact=True).click()
    amendment = page.get_by_label("متن پیشنهادی (اصلاحیه)")
    field_box = page.locator("div.mb-3").filter(has=page.locator("textarea#amendment"))
    expect(field_box.locator(".invalid-feedback")).to_have_text("برای نظر اصلاحی، متن پیشنهادی را بنویسید.")
    expect(amendment).to_have_attribute("aria-invalid", "true")
    expect(amendment).to_have_attribute("aria-describedby", re.compile(r"\bamendment-error\b"))
    expect(page.get_by_label("متن نظر")).to_have_value(FIRST_BODY)
    expect(page.get_by_label("اصلاحی", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name="اهمیت").get_by_label("۴", exact=True)).to_be_checked()

    # With the amendment it saves, and the item page shows it.
    amendment.fill(AMENDMENT)
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(item_url()) + r"\?saved="))
    expect(page.get_by_role("alert").filter(has_text="نظر شما ذخیره شد.")).to_be_visible()
    own = page.get_by_role("region", name="نظر شما")
    expect(own).to_contain_text("اصلاحی")
    expect(own).to_contain_text("مرحله‌بندی ساخت روشن نیست.")
    expect(own).to_contain_text(AMENDMENT)
    expect(own).to_contain_text("اهمیت: ۴ از ۵")

    # Editing keeps the earlier version.
    own.get_by_role("link", name="ویرایش نظر").click()
    body = page.get_by_label("متن نظر")
    expect(body).to_have_value(FIRST_BODY)
    body.press("Control+End")
    body.type(EDITED_TAIL)
    page.get_by_role("button", name="ذخیره", exact=True).click()
    own = page.get_by_role("region", name="نظر شما")
    expect(own).to_contain_text("پارکینگ اتوبوس زائران")
    expect(own).to_contain_text("۱ نسخهٔ پیشین نگه داشته شده")
    assert _stored(live_server, email) == (FIRST_BODY + EDITED_TAIL, [FIRST_BODY])

    # The questionnaire: required questions refuse an empty form, then the answers save.
    page.get_by_role("navigation", name="مسیر صفحه").get_by_role("link").first.click()
    page.get_by_role("link", name="پرسش‌نامه اولویت‌های برنامه سوم").click()
    page.get_by_role("button", name="ذخیرهٔ پاسخ‌ها").click()
    expect(page.get_by_text("به این پرسش پاسخ دهید.")).to_have_count(2)
    page.get_by_label("خدمات زائران").check()
    page.get_by_label("۴ · موافق").check()
    page.get_by_label("سامانه‌های برخط").check()
    page.get_by_label("یک شاخص کلیدی برای سنجش پیشرفت برنامه پیشنهاد کنید.").fill("مدت اقامت زائران")
    page.get_by_role("button", name="ذخیرهٔ پاسخ‌ها").click()
    expect(page.get_by_role("alert").filter(has_text="پاسخ‌های شما ذخیره شد.")).to_be_visible()
    expect(page.get_by_role("region", name="پرسش‌نامه‌ها")).to_contain_text("پاسخ داده‌اید")

    # "My contributions" lists both, dated in Jalali with Persian digits.
    page.get_by_role("navigation", name="ناوبری اصلی").get_by_role("link", name="مشارکت‌های من").click()
    comments = page.get_by_role("region", name=re.compile("^نظرها"))
    expect(comments.get_by_role("heading")).to_have_text("نظرها (۱)")
    expect(comments).to_contain_text(ITEM_TITLE)
    expect(comments).to_contain_text("اصلاحی")
    expect(comments).to_contain_text("پارکینگ اتوبوس زائران")
    expect(comments.get_by_role("link", name=ITEM_TITLE)).to_have_attribute("href", item_url())
    answers = page.get_by_role("region", name=re.compile("^پرسش‌نامه‌ها"))
    expect(answers).to_contain_text("پرسش‌نامه اولویت‌های برنامه سوم")
    expect(answers).to_contain_text("۴ پاسخ")
    dates = page.locator("main time").all_inner_texts()
    assert len(dates) >= 3, dates  # comment saved, comment edited, questionnaire answered
    for text in dates:
        assert JALALI_DATE.search(text), text
        assert PERSIAN_DIGIT.search(text) and not LATIN_DIGIT.search(text), text
    assert not LATIN_DIGIT.search(page.locator("main").inner_text())

    # On a 360 px phone the pages fit the screen; the tree is photographed as an expert sees it.
    page.set_viewport_size(PHONE)
    for url in (f"/c/{SLUG}", item_url(), comment_url(), "/me/contributions"):
        page.goto(url)
        assert horizontal_overflow(page) <= 1, url
    page.goto(f"/c/{SLUG}/plan")
    expect(page.locator(".plan-tree")).to_be_visible()
    screenshot("tree-phone")
    assert horizontal_overflow(page) <= 1
    page.locator(".plan-tree details:not([open])").first.wait_for()
    page.evaluate("document.querySelectorAll('.plan-tree details').forEach(d => { d.open = true; })")
    assert horizontal_overflow(page) <= 1, "the fully opened tree is wider than a phone"


def _stored(live_server, email):
    """The comment body in the database and the bodies of its kept versions."""
    from consult.auth.models import User
    from consult.extensions import db
    from consult.feedback.models import Comment
    from consult.plan.models import PlanItem

    with live_server["app"].app_context():
        user = db.session.scalar(sa.select(User).filter_by(email=email))
        comment = db.session.scalar(
            sa.select(Comment).join(PlanItem).filter(Comment.author_id == user.id, PlanItem.code == ITEM_CODE))
        # A browser posts a textarea's line breaks as CR LF (HTML form encoding); the text is otherwise as typed.
        return _lf(comment.body), [_lf(revision.body) for revision in comment.revisions]


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")
