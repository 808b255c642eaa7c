"""Comments on items and general comments: create, edit with revisions, withdraw, and no lost text."""
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from consult.auth.models import Role
from consult.consultations.models import ConsultationState
from consult.consultations.services import add_participant
from consult.core.audit import AuditEvent
from consult.core.time import utcnow
from consult.extensions import db
from consult.feedback.models import Comment, Stance

BODY = "  این طرح برای زائران لازم است،\nولی هزینهٔ آن باید بازبینی شود.  "


@pytest.fixture
def signed_in(login_as, expert):
    return login_as(expert)


def comment_url(consultation, code="1.1.1.1"):
    return f"/c/{consultation.slug}/items/{code}/comment"


def form(**fields) -> dict:
    data = {"stance": "agree", "body": BODY, "amendment": "", "diagnosis": "", "submission_key": "k" * 32}
    data.update(fields)
    return data


def comments(consultation) -> list[Comment]:
    return list(db.session.scalars(
        sa.select(Comment).filter_by(consultation_id=consultation.id).order_by(Comment.id)))


def main_part(html: str) -> str:
    """The page's own content, without the navbar (whose sign-out button is a form too)."""
    return html[html.index("<main"):html.index("</main>")]


def textarea(html: str, name: str) -> str:
    """The text inside a textarea as the browser would show it (WTForms adds one leading newline)."""
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    import html as html_module

    return html_module.unescape(match.group(1))


# --- create, edit, withdraw, restore -----------------------------------------------------------

def test_get_shows_an_empty_form_with_a_fresh_submission_key(client, consultation, signed_in):
    html = client.get(comment_url(consultation)).get_data(as_text=True)
    assert 'name="stance"' in html and 'name="body"' in html and 'name="amendment"' in html
    assert "موافق" in html and "مخالف" in html and "اصلاحی" in html
    assert "اهمیت" in html and "تحقق‌پذیری" in html  # one rating row per criterion
    key = re.search(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', html)
    assert key
    assert 'data-draft-key="consult-draft:' in html and "js/drafts.js" in html


def test_create_stores_text_exactly_as_written_with_ratings(client, consultation, expert, signed_in):
    importance, feasibility = consultation.criteria
    response = client.post(comment_url(consultation), data=form(
        stance="amend", amendment="«زائرسرای» به «زائرسراهای کوچک» تغییر کند.",
        diagnosis="در برنامهٔ دوم نیمه‌کاره ماند.",
        **{f"rating_{importance.id}": "4", f"rating_{feasibility.id}": "0"}))
    assert response.status_code == 302
    item = next(i for i in consultation.plan.items if i.code == "1.1.1.1")
    assert f"/c/{consultation.slug}/items/1.1.1.1?saved=item-{item.id}" in response.location
    [comment] = comments(consultation)
    assert comment.body == BODY
    assert comment.stance == Stance.AMEND and comment.author_id == expert.id and comment.item_id == item.id
    assert comment.amendment.startswith("«زائرسرای»") and comment.diagnosis
    assert comment.rating_for(importance.id) == 4 and comment.rating_for(feasibility.id) is None
    assert comment.submission_key == "k" * 32
    assert comment.body_normalized and comment.search_key  # refresh_text ran
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action="comment.create", object_id=comment.id))
    html = client.get(response.location).get_data(as_text=True)
    assert "نظر شما ذخیره شد." in html
    assert f'data-draft-saved="consult-draft:{expert.id}:{consultation.id}:item-{item.id}"' in html


def test_get_shows_the_existing_comment_to_edit(client, factory, consultation, expert, signed_in):
    factory.make_comment(consultation, expert, factory.item(consultation.plan, "1.1.1.1"), body=BODY,
                         stance=Stance.DISAGREE)
    html = client.get(comment_url(consultation)).get_data(as_text=True)
    assert textarea(html, "body") == BODY
    assert re.search(r'<input checked[^>]*value="disagree"', html)


def test_edit_keeps_the_previous_version_and_one_row(client, consultation, signed_in):
    importance = consultation.criteria[0]
    client.post(comment_url(consultation), data=form(**{f"rating_{importance.id}": "2"}))
    response = client.post(comment_url(consultation), data=form(
        stance="disagree", body="نظرم عوض شد: این طرح اولویت ندارد.", submission_key="e" * 32,
        **{f"rating_{importance.id}": "5"}))
    assert response.status_code == 302
    [comment] = comments(consultation)
    assert comment.body == "نظرم عوض شد: این طرح اولویت ندارد." and comment.stance == Stance.DISAGREE
    assert comment.rating_for(importance.id) == 5
    [revision] = comment.revisions
    assert revision.body == BODY and revision.stance == Stance.AGREE
    assert revision.ratings == {str(importance.id): 2}
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action="comment.update", object_id=comment.id))


def test_ratings_only_edit_moves_the_last_change_time(client, consultation, signed_in):
    importance = consultation.criteria[0]
    client.post(comment_url(consultation), data=form(**{f"rating_{importance.id}": "2"}))
    [comment] = comments(consultation)
    long_ago = datetime(2020, 1, 1)
    comment.created_at = comment.updated_at = long_ago
    db.session.flush()
    # the same page sent again with another score: no column of the comment row itself changes
    response = client.post(comment_url(consultation), data=form(**{f"rating_{importance.id}": "4"}))
    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.rating_for(importance.id) == 4 and len(comment.revisions) == 1
    assert comment.updated_at > long_ago and comment.created_at == long_ago


def test_the_service_refusal_shows_beside_its_field(client, consultation, signed_in):
    # Shape passes (present, not too long), the rule refuses: the message still sits by the field.
    response = client.post(comment_url(consultation), data=form(stance="amend", body="کوتاه"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="body-error"[^>]*>[^<]*دست‌کم ۱۰ نویسه', html)
    assert re.search(r'id="amendment-error"[^>]*>برای نظر اصلاحی، متن پیشنهادی را بنویسید', html)
    assert 'id="form-notice"' not in html
    assert comments(consultation) == []


def test_saving_unchanged_text_adds_no_revision(client, consultation, signed_in):
    client.post(comment_url(consultation), data=form())
    client.post(comment_url(consultation), data=form(submission_key="f" * 32))
    [comment] = comments(consultation)
    assert comment.revisions == []


def test_withdraw_then_comment_again_restores_the_same_row(client, factory, consultation, expert, signed_in):
    client.post(comment_url(consultation), data=form())
    [comment] = comments(consultation)
    response = client.post(f"/c/{consultation.slug}/comments/{comment.id}/withdraw")
    assert response.status_code == 302 and response.location.endswith("/items/1.1.1.1")
    db.session.refresh(comment)
    assert comment.is_deleted
    html = client.get(f"/c/{consultation.slug}/items/1.1.1.1").get_data(as_text=True)
    assert "پس گرفته‌اید" in html and "ثبت دوبارهٔ نظر" in html
    # the withdrawn text is offered again in the form
    html = client.get(comment_url(consultation)).get_data(as_text=True)
    assert textarea(html, "body") == BODY and "پس گرفته‌اید" in html
    response = client.post(comment_url(consultation), data=form(body="دوباره نظر می‌دهم با متنی تازه.",
                                                                 submission_key="r" * 32))
    assert response.status_code == 302
    [again] = comments(consultation)
    assert again.id == comment.id and not again.is_deleted
    assert again.body == "دوباره نظر می‌دهم با متنی تازه." and len(again.revisions) == 1
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action="comment.withdraw", object_id=comment.id))


def test_withdraw_is_refused_for_someone_else_and_after_closing(client, factory, consultation, expert, login_as):
    other = factory.make_user(password=None)
    factory.make_comment(consultation, other, factory.item(consultation.plan, "1.1"))
    theirs = comments(consultation)[0]
    login_as(expert)
    assert client.post(f"/c/{consultation.slug}/comments/{theirs.id}/withdraw").status_code == 403
    mine = factory.make_comment(consultation, expert, factory.item(consultation.plan, "1.1"))
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    consultation.opens_at = utcnow() - timedelta(days=2)
    db.session.flush()
    response = client.post(f"/c/{consultation.slug}/comments/{mine.id}/withdraw", follow_redirects=True)
    assert "بسته است" in response.get_data(as_text=True)
    db.session.refresh(mine)
    assert not mine.is_deleted


def test_secretary_taking_part_may_comment(client, factory, consultation, login_as):
    secretary = factory.make_user(Role.SECRETARY, password=None)
    add_participant(consultation, secretary)
    login_as(secretary)
    assert client.post(comment_url(consultation), data=form()).status_code == 302
    assert comments(consultation)[0].author_id == secretary.id


# --- general comments ------------------------------------------------------------------------------

def test_general_comments_many_allowed_edit_and_withdraw(client, consultation, expert, signed_in):
    url = f"/c/{consultation.slug}/comments/new"
    assert "نظر کلی تازه" in client.get(url).get_data(as_text=True)
    first = client.post(url, data=form(body="نظر کلی نخست دربارهٔ کل برنامه.", submission_key="1" * 32))
    assert first.status_code == 302 and first.location.endswith(f"/c/{consultation.slug}?saved=general-new")
    client.post(url, data=form(body="نظر کلی دوم دربارهٔ هماهنگی دستگاه‌ها.", submission_key="2" * 32))
    one, two = comments(consultation)
    assert one.item_id is None and two.item_id is None
    html = client.get(f"/c/{consultation.slug}").get_data(as_text=True)
    assert "نظر کلی نخست" in html and "نظر کلی دوم" in html
    edit_url = f"/c/{consultation.slug}/comments/{one.id}/edit"
    assert textarea(client.get(edit_url).get_data(as_text=True), "body") == "نظر کلی نخست دربارهٔ کل برنامه."
    response = client.post(edit_url, data=form(body="نظر کلی نخست، ویراسته و کامل‌تر.", submission_key="3" * 32))
    assert response.status_code == 302
    db.session.refresh(one)
    assert one.body == "نظر کلی نخست، ویراسته و کامل‌تر." and one.revisions[0].body.startswith("نظر کلی نخست")
    assert len(comments(consultation)) == 2
    client.post(f"/c/{consultation.slug}/comments/{two.id}/withdraw")
    db.session.refresh(two)
    assert two.is_deleted


def test_general_comment_edit_of_an_item_comment_redirects_to_the_item_form(
        client, factory, consultation, expert, signed_in):
    comment = factory.make_comment(consultation, expert, factory.item(consultation.plan, "2"))
    response = client.get(f"/c/{consultation.slug}/comments/{comment.id}/edit")
    assert response.status_code == 302 and response.location.endswith("/items/2/comment")


def test_double_submit_stores_one_general_comment(client, consultation, signed_in):
    url = f"/c/{consultation.slug}/comments/new"
    data = form(body="یک نظر که دو بار فرستاده شد.", submission_key="d" * 32)
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    [comment] = comments(consultation)
    assert comment.revisions == []


def test_a_twin_general_comment_committed_meanwhile_is_not_stored_again(consultation, expert, monkeypatch):
    from consult.feedback import services

    fields = dict(stance="agree", body="یک نظر که هم‌زمان دو بار فرستاده شد.", submission_key="t" * 32)
    first = services.save_general_comment(consultation, expert, **fields)
    # The twin post looked the key up before the first one committed (PostgreSQL): it found nothing.
    real, calls = services._by_key, []

    def stale_once(key):
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(services, "_by_key", stale_once)
    assert services.save_general_comment(consultation, expert, **fields) is first
    assert comments(consultation) == [first]


def test_double_submit_stores_one_item_comment_without_revision(client, consultation, signed_in):
    data = form(submission_key="x" * 32)
    client.post(comment_url(consultation), data=data)
    client.post(comment_url(consultation), data=data)
    [comment] = comments(consultation)
    assert comment.revisions == []


# --- refusals keep the text -------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"body": "کوتاه"}, "body", "دست‌کم ۱۰ نویسه"),
    ({"body": "   \n  "}, "body", "متن نظر را بنویسید"),
    ({"body": "ب" * 5001}, "body", "بیشینه ۵٬۰۰۰ نویسه"),
    ({"stance": "amend", "amendment": "  "}, "amendment", "متن پیشنهادی را بنویسید"),
    ({"stance": ""}, "stance", "موضع خود را انتخاب کنید"),
    ({"stance": "maybe"}, "stance", "معتبر نیست"),
    ({"body": "متنی با نویسهٔ کنترلی\x07 در میان"}, "body", "نویسهٔ کنترلی"),
    ({"diagnosis": "سابقه\x00ای پنهان"}, "diagnosis", "نویسهٔ کنترلی"),
    ({"body": "متنی که نمایشش \u202eوارونه\u202c می‌شود"}, "body", "نویسهٔ کنترلی"),  # bidi override
    ({"amendment": "پ" * 5001}, "amendment", "بیشینه ۵٬۰۰۰ نویسه"),
])
def test_each_refusal_keeps_every_typed_field(client, consultation, signed_in, fields, field, message):
    data = {**form(diagnosis="یادداشت سابقه که نباید گم شود."), **fields}
    response = client.post(comment_url(consultation), data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', html, re.S)
    assert error and message in error.group(1)
    for name in ("body", "amendment", "diagnosis"):
        assert textarea(html, name) == data[name]
    assert 'value="' + data["submission_key"] + '"' in html
    assert "متن شما حفظ شده است" in html
    assert comments(consultation) == []


@pytest.mark.parametrize("score", ["²", "①", "1" * 5000, "9"])
def test_a_rating_that_is_no_choice_is_refused_in_persian(client, consultation, signed_in, score):
    name = f"rating_{consultation.criteria[0].id}"
    response = client.post(comment_url(consultation), data=form(**{name: score}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "گزینهٔ انتخاب‌شده معتبر نیست" in html
    assert "coerce" not in html and "valid choice" not in html
    assert comments(consultation) == []


def test_5000_characters_with_line_breaks_are_accepted(client, consultation, signed_in):
    body = ("ب" * 99 + "\r\n") * 50  # 5,000 as the writer sees it; 5,050 with CR LF
    assert client.post(comment_url(consultation), data=form(body=body)).status_code == 302


def test_persian_format_characters_are_text_not_control(client, consultation, signed_in):
    body = "نیم\u200cفاصله و اتصال\u200d و نشانهٔ راست‌به‌چپ\u200f و \u202bجاسازی\u202c\tبا جدول"
    assert client.post(comment_url(consultation), data=form(body=body)).status_code == 302
    assert comments(consultation)[0].body == body


def test_html_in_a_comment_is_shown_as_text(client, consultation, signed_in):
    body = '<script>alert("x")</script> <img src=x onerror=alert(1)> متن'
    client.post(comment_url(consultation), data=form(body=body))
    for url in (f"/c/{consultation.slug}/items/1.1.1.1", comment_url(consultation), "/me/contributions"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize("how", ["state", "dates"])
def test_closed_round_refuses_with_a_message_and_keeps_the_text(client, consultation, signed_in, how):
    if how == "state":
        consultation.state = ConsultationState.CLOSED
    else:
        consultation.opens_at, consultation.closes_at = utcnow() - timedelta(days=9), utcnow() - timedelta(days=1)
    db.session.flush()
    get = client.get(comment_url(consultation)).get_data(as_text=True)
    assert "نظر نمی‌پذیرد" in get and 'type="submit"' not in main_part(get)
    response = client.post(comment_url(consultation), data=form(amendment="پیشنهاد من"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "این دور مشورت بسته است" in html and "در همین صفحه مانده است" in html
    assert textarea(html, "body") == BODY and textarea(html, "amendment") == "پیشنهاد من"
    assert comments(consultation) == []


def test_draft_round_is_invisible_to_experts(client, consultation, signed_in):
    consultation.state = ConsultationState.DRAFT
    db.session.flush()
    for url in (comment_url(consultation), f"/c/{consultation.slug}/plan", f"/c/{consultation.slug}"):
        assert client.get(url).status_code == 403
    assert client.post(comment_url(consultation), data=form()).status_code == 403
    assert comments(consultation) == []


def test_expired_session_redirects_to_login_instead_of_failing(client, consultation):
    response = client.post(comment_url(consultation), data=form())
    assert response.status_code == 302 and "/auth/login" in response.location


# --- CSRF: refused before the view runs, yet the text comes back -----------------------------------

@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_stale_csrf_token_rerenders_the_form_with_text_and_a_fresh_token(
        client, consultation, signed_in, csrf_on):
    importance = consultation.criteria[0]
    data = form(stance="amend", amendment="متن پیشنهادی من", csrf_token="stale-token",
                **{f"rating_{importance.id}": "3"})
    response = client.post(comment_url(consultation), data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "منقضی شده بود" in html and "متن شما در همین صفحه مانده است" in html
    assert textarea(html, "body") == BODY and textarea(html, "amendment") == "متن پیشنهادی من"
    assert re.search(r'<input checked[^>]*value="amend"', html)
    assert re.search(rf'<input checked[^>]*name="rating_{importance.id}"[^>]*value="3"', html)
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert fresh != "stale-token"
    assert comments(consultation) == []
    # pressing save again with the fresh token stores it
    assert client.post(comment_url(consultation), data={**data, "csrf_token": fresh}).status_code == 302
    assert len(comments(consultation)) == 1


def test_csrf_failure_without_a_session_shows_the_text_and_a_login_link(client, consultation, csrf_on):
    response = client.post(comment_url(consultation), data=form(body="متنی که نباید گم شود <b>!</b>"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "نشست شما به پایان رسیده است" in html
    assert "متنی که نباید گم شود &lt;b&gt;!&lt;/b&gt;" in html
    assert "/auth/login?next=" in html


def test_csrf_failure_on_general_comment_keeps_text(client, consultation, signed_in, csrf_on):
    response = client.post(f"/c/{consultation.slug}/comments/new", data=form(body="نظر کلی که منقضی شد."))
    assert response.status_code == 400
    assert textarea(response.get_data(as_text=True), "body") == "نظر کلی که منقضی شد."


def test_csrf_failure_elsewhere_is_a_persian_400(client, factory, consultation, expert, signed_in, csrf_on):
    comment = factory.make_comment(consultation, expert, factory.item(consultation.plan, "1"))
    response = client.post(f"/c/{consultation.slug}/comments/{comment.id}/withdraw")
    assert response.status_code == 400 and "منقضی" in response.get_data(as_text=True)


# --- my contributions -------------------------------------------------------------------------------

def test_my_contributions_lists_comments_with_jalali_dates(client, factory, consultation, expert, signed_in):
    item_comment = factory.make_comment(consultation, expert, factory.item(consultation.plan, "2.1"),
                                        body="نظر من دربارهٔ منابع آب")
    item_comment.created_at = datetime(2026, 11, 25, 8, 0)  # 4 Azar 1405 in Tehran
    general = factory.make_comment(consultation, expert, None, body="نظر کلی من دربارهٔ برنامه")
    general.is_deleted = True
    other = factory.make_consultation(participants=[expert])
    factory.make_comment(other, expert, factory.item(other.plan, "1"), body="نظری در دور دیگر")
    factory.make_comment(consultation, factory.make_user(password=None), None, body="نظر شخص دیگر")
    db.session.flush()
    html = client.get("/me/contributions").get_data(as_text=True)
    assert "نظر من دربارهٔ منابع آب" in html and "نظر کلی من" in html and "نظری در دور دیگر" in html
    assert "نظر شخص دیگر" not in html
    assert "۴ آذر ۱۴۰۵" in html
    assert "پس گرفته شده" in html
    assert not re.search(r">[^<]*\b20\d\d\b", html)  # no Gregorian years shown to people
