"""Shared steps of the browser journeys: inviting an expert and signing in through the real pages."""
import re
import uuid

from playwright.sync_api import Page, expect

SLUG = "third-plan"
PASSWORD = "Zaer-sara-Qom-1405"
PHONE = {"width": 360, "height": 740}
# Arabic ي and no ZWNJ on purpose: the plan writes «زائرسرای».
ARABIC_YEH_QUERY = "زائرسراي"
ITEM_CODE = "1.1.1.1"
ITEM_TITLE = "احداث زائرسرای اقتصادی در ورودی جاده قدیم تهران"
PERSIAN_DIGIT = re.compile("[۰-۹]")
LATIN_DIGIT = re.compile("[0-9]")


def invite(live_server, name: str = "خبرهٔ آزمون مرورگر") -> tuple[str, str]:
    """A fresh invitation to the demo consultation; returns (email, acceptance path)."""
    import sqlalchemy as sa

    from consult.consultations import invitations as services
    from consult.consultations.models import Consultation
    from consult.extensions import db

    email = f"expert-{uuid.uuid4().hex[:10]}@example.ir"
    with live_server["app"].app_context():
        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=SLUG))
        issued = services.create_invitation(consultation, email=email, name=name)
        db.session.commit()
        return email, f"/auth/invite/{issued.token}"


def accept_invitation(page: Page, path: str, name: str = "خبرهٔ آزمون مرورگر") -> None:
    """Open the invitation link, choose a password and land signed in."""
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("دعوت به")
    page.get_by_label("نام و نام خانوادگی").fill(name)
    page.get_by_label("گذرواژهٔ تازه").fill(PASSWORD)
    page.get_by_label("تکرار گذرواژه").fill(PASSWORD)
    page.get_by_role("button", name="ساختن حساب و ورود").click()
    expect(page.get_by_text("به این دور مشورت خوش آمدید.")).to_be_visible()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill the login form already on screen and submit it."""
    page.get_by_label("نشانی رایانامه").fill(email)
    page.get_by_label("گذرواژه", exact=True).fill(password)
    page.get_by_role("button", name="ورود", exact=True).click()


def new_expert(page: Page, live_server) -> str:
    """An invited expert who has accepted and is signed in; returns the email."""
    email, path = invite(live_server)
    accept_invitation(page, path)
    return email


def item_url(code: str = ITEM_CODE) -> str:
    return f"/c/{SLUG}/items/{code}"


def comment_url(code: str = ITEM_CODE) -> str:
    return f"/c/{SLUG}/items/{code}/comment"


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
