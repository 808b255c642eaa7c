"""The admin area: invitations, users, consultation settings, criteria and questionnaires."""
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.auth.models import AccessToken, Affiliation, Role, TokenPurpose
from consult.core.audit import AuditEvent
from consult.core.time import to_local, utcnow
from consult.extensions import db

GOOD_CSV = (
    "email,name,role,affiliation,organisation\n"
    "a.rezaei@example.ir,علی رضایی,expert,seminary,حوزه علمیه قم\n"
    "m.karimi@example.ir,مریم کریمی,secretary,دانشگاهی,دانشگاه قم\n"
).encode()
BAD_CSV = (
    "email,name,role,affiliation,organisation\n"
    "ok@example.ir,درست,expert,academic,\n"
    "not-an-email,بد,expert,academic,\n"
    "x@example.ir,نقش بد,boss,academic,\n"
    "ok@example.ir,تکراری,expert,academic,\n"
).encode()


@pytest.fixture
def admin(factory, login):
    return login(factory.make_user(role=Role.ADMIN))


def invitations(consultation=None):
    query = sa.select(AccessToken).filter_by(purpose=TokenPurpose.INVITE)
    if consultation is not None:
        query = query.filter_by(consultation_id=consultation.id)
    return db.session.scalars(query).all()


def audit_actions():
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def upload(client, consultation, data: bytes, filename: str):
    return client.post(f"/admin/c/{consultation.slug}/invitations", content_type="multipart/form-data",
                       data={"bulk-upload": (io.BytesIO(data), filename), "bulk-submit": "1"})


# --- dashboard and users ---------------------------------------------------------------------

def test_dashboard_lists_consultations_in_persian(client, factory, admin):
    consultation = factory.make_consultation()
    html = client.get("/admin/").get_data(as_text=True)
    assert consultation.title in html and "پیشخوان مدیریت" in html and 'dir="rtl"' in html


def test_users_page_shows_roles_and_affiliations(client, factory, admin):
    factory.make_user(role=Role.SECRETARY, affiliation=Affiliation.SEMINARY, name="دبیر نمونه")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "دبیر نمونه" in html and "دبیر کارگروه" in html and "حوزوی" in html


def test_toggle_user_active(client, factory, admin):
    user = factory.make_user()
    client.post(f"/admin/users/{user.id}/active")
    assert user.active is False
    client.post(f"/admin/users/{user.id}/active")
    assert user.active is True
    assert audit_actions()[-2:] == ["user.deactivate", "user.activate"]


def test_admin_cannot_deactivate_themselves(client, admin):
    response = client.post(f"/admin/users/{admin.id}/active", follow_redirects=True)
    assert admin.active is True
    assert "نمی‌توانید حساب خودتان" in response.get_data(as_text=True)


def test_reset_request_without_mail_shows_on_users_page(app, client, factory, admin):
    # Without mail no link is made, so the admin is the one who must hear of the request.
    user = factory.make_user()
    assert "درخواست بازیابی" not in client.get("/admin/users").get_data(as_text=True)
    assert app.test_client().post("/auth/forgot", data={"email": user.email}).status_code == 302
    assert "درخواست بازیابی" in client.get("/admin/users").get_data(as_text=True)


def test_no_reset_link_for_an_inactive_account(client, factory, admin):
    user = factory.make_user(active=False)
    response = client.post(f"/admin/users/{user.id}/reset", follow_redirects=True)
    assert "برای حساب غیرفعال پیوند بازیابی صادر نمی‌شود" in response.get_data(as_text=True)
    assert "password.reset_issued" not in audit_actions()


def test_issue_reset_shows_the_link_once_and_records_it(client, factory, admin):
    user = factory.make_user()
    html = client.post(f"/admin/users/{user.id}/reset").get_data(as_text=True)
    assert "/auth/reset/" in html and "فقط همین یک بار" in html
    assert "password.reset_issued" in audit_actions()
    assert "/auth/reset/" not in client.get("/admin/users").get_data(as_text=True)


# --- invitations -----------------------------------------------------------------------------

def test_single_invitation_shows_the_link_without_mail(client, factory, admin):
    consultation = factory.make_consultation()
    response = client.post(f"/admin/c/{consultation.slug}/invitations", data={
        "one-email": "New.Person@Example.ir", "one-name": "فرد تازه", "one-role": "expert",
        "one-affiliation": "academic", "one-organisation": "دانشگاه قم", "one-submit": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    [row] = invitations(consultation)
    assert row.email == "new.person@example.ir" and row.affiliation == Affiliation.ACADEMIC
    token = html.split("/auth/invite/")[1].split("<")[0]
    assert row.token_hash != token and len(row.token_hash) == 64
    assert "invitation.create" in audit_actions()
    # Shown once: the list afterwards has the status, not the link.
    again = client.get(f"/admin/c/{consultation.slug}/invitations").get_data(as_text=True)
    assert "/auth/invite/" not in again and "در انتظار" in again


def test_single_invitation_keeps_typed_values_on_error(client, factory, admin):
    consultation = factory.make_consultation()
    response = client.post(f"/admin/c/{consultation.slug}/invitations", data={
        "one-email": "", "one-name": "نام تایپ‌شده", "one-role": "planner", "one-affiliation": "executive",
        "one-submit": "1"})
    html = response.get_data(as_text=True)
    assert "پر کردن این خانه لازم است" in html
    assert 'value="نام تایپ‌شده"' in html
    assert '<option selected value="planner">' in html or 'value="planner" selected' in html
    assert invitations(consultation) == []


@pytest.fixture
def queued(app, monkeypatch):
    """Mail configured; records commits and queued jobs in order instead of running the jobs."""
    from consult.core import jobs

    events = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.ir")
    real_commit = db.session.commit
    monkeypatch.setattr(db.session, "commit", lambda: (events.append("commit"), real_commit())[1])
    monkeypatch.setattr(jobs, "enqueue", lambda path, *args: events.append((path, *args)))
    return events


def test_invitation_is_mailed_after_the_commit(client, factory, admin, queued):
    consultation = factory.make_consultation()
    html = client.post(f"/admin/c/{consultation.slug}/invitations", data={
        "one-email": "mailed@example.ir", "one-role": "expert", "one-affiliation": "other",
        "one-send": "y", "one-submit": "1"}).get_data(as_text=True)
    assert queued[0] == "commit"
    [(path, to, subject, body)] = queued[1:]
    assert path == "consult.auth.mail.send_mail" and to == "mailed@example.ir" and "/auth/invite/" in body
    assert "/auth/invite/" not in html and "در صف گذاشته شد" in html


def test_bulk_invitations_are_queued_after_one_commit(client, factory, admin, queued):
    consultation = factory.make_consultation()
    client.post(f"/admin/c/{consultation.slug}/invitations", content_type="multipart/form-data",
                data={"bulk-upload": (io.BytesIO(GOOD_CSV), "experts.csv"), "bulk-send": "y", "bulk-submit": "1"})
    assert queued[0] == "commit"
    assert sorted(event[1] for event in queued[1:]) == ["a.rezaei@example.ir", "m.karimi@example.ir"]


def test_no_mail_when_the_commit_fails(client, factory, admin, queued, monkeypatch):
    def fail():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", fail)
    consultation = factory.make_consultation()
    with pytest.raises(RuntimeError):
        client.post(f"/admin/c/{consultation.slug}/invitations", data={
            "one-email": "never@example.ir", "one-role": "expert", "one-affiliation": "other",
            "one-send": "y", "one-submit": "1"})
    assert queued == []


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.ir", "space in@example.ir", "name@"])
def test_single_invitation_with_a_bad_email_is_refused_in_persian(client, factory, admin, email):
    consultation = factory.make_consultation()
    response = client.post(f"/admin/c/{consultation.slug}/invitations", data={
        "one-email": email, "one-name": "نام تایپ‌شده", "one-role": "planner", "one-affiliation": "executive",
        "one-organisation": "سازمان تایپ‌شده", "one-submit": "1"})
    html = response.get_data(as_text=True)
    assert "نشانی رایانامه درست نیست" in html
    assert 'value="نام تایپ‌شده"' in html and 'value="سازمان تایپ‌شده"' in html
    assert '<option selected value="planner">' in html or 'value="planner" selected' in html
    assert invitations(consultation) == []


def test_bulk_invitation_from_csv(client, factory, admin):
    consultation = factory.make_consultation()
    html = upload(client, consultation, GOOD_CSV, "experts.csv").get_data(as_text=True)
    rows = {r.email: r for r in invitations(consultation)}
    assert set(rows) == {"a.rezaei@example.ir", "m.karimi@example.ir"}
    assert rows["m.karimi@example.ir"].role == Role.SECRETARY
    assert rows["m.karimi@example.ir"].affiliation == Affiliation.ACADEMIC  # Persian label accepted
    assert rows["a.rezaei@example.ir"].organisation == "حوزه علمیه قم"
    assert html.count("/auth/invite/") == 2


def test_bulk_invitation_from_xlsx(client, factory, admin):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["email", "name", "role", "affiliation", "organisation"])
    sheet.append(["x1@example.ir", "نفر یکم", "expert", "executive", "استانداری"])
    buffer = io.BytesIO()
    book.save(buffer)
    consultation = factory.make_consultation()
    upload(client, consultation, buffer.getvalue(), "people.xlsx")
    [row] = invitations(consultation)
    assert row.email == "x1@example.ir" and row.affiliation == Affiliation.EXECUTIVE


def test_bad_file_names_rows_and_columns_and_creates_nothing(client, factory, admin):
    consultation = factory.make_consultation()
    response = upload(client, consultation, BAD_CSV, "bad.csv")
    html = response.get_data(as_text=True)
    assert "هیچ دعوتی ساخته نشد" in html
    assert "ردیف ۳" in html and "نشانی رایانامه درست نیست" in html
    assert "ردیف ۴" in html and "نقش باید" in html
    assert "ردیف ۵" in html and "ردیف ۲ هم آمده" in html
    assert '<span class="ltr">email</span>' in html and '<span class="ltr">role</span>' in html
    assert "bad.csv" in html  # the upload choice is named so the admin knows what to fix
    assert invitations() == []
    assert "invitation.create" not in audit_actions()


def test_file_without_required_columns_is_refused(client, factory, admin):
    consultation = factory.make_consultation()
    html = upload(client, consultation, b"mail,fullname\na@b.ir,x\n", "wrong.csv").get_data(as_text=True)
    assert "ستون لازم وجود ندارد" in html and invitations() == []


def test_revoke_invitation(client, factory, admin):
    consultation = factory.make_consultation()
    issued = factory.make_invitation(consultation)
    token = issued.token
    client.post(f"/admin/invitations/{issued.row.id}/revoke")
    assert invitations(consultation) == []
    assert client.get(f"/auth/invite/{token}").status_code == 404
    assert "invitation.revoke" in audit_actions()


def test_invitation_list_shows_each_status(client, factory, admin):
    consultation = factory.make_consultation()
    factory.make_invitation(consultation, email="pending@example.ir")
    used = factory.make_invitation(consultation, email="used@example.ir").row
    used.used_at = utcnow()
    expired = factory.make_invitation(consultation, email="expired@example.ir").row
    expired.expires_at = utcnow() - timedelta(days=1)
    db.session.flush()
    html = client.get(f"/admin/c/{consultation.slug}/invitations").get_data(as_text=True)
    assert "در انتظار" in html and "پذیرفته‌شده" in html and "منقضی" in html


# --- consultation settings -------------------------------------------------------------------

def settings(**overrides):
    data = {"title": "دور دوم", "description": "شرح", "opens_on": "۱۴۰۵/۰۹/۱۰", "closes_on": "1405/9/30",
            "state": "open", "show_author_names": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_edit_consultation_with_jalali_dates(client, factory, admin):
    consultation = factory.make_consultation()
    response = client.post(f"/admin/c/{consultation.slug}", data=settings())
    assert response.status_code == 302
    assert consultation.title == "دور دوم" and consultation.show_author_names
    assert to_local(consultation.opens_at).strftime("%Y-%m-%d %H:%M") == "2026-12-01 00:00"
    assert to_local(consultation.closes_at).strftime("%Y-%m-%d %H:%M") == "2026-12-21 23:59"
    html = client.get(f"/admin/c/{consultation.slug}").get_data(as_text=True)
    assert 'value="۱۴۰۵/۰۹/۱۰"' in html and 'value="۱۴۰۵/۰۹/۳۰"' in html
    assert "consultation.update" in audit_actions()


def test_saving_unchanged_dates_keeps_the_stored_times(client, factory, admin):
    consultation = factory.make_consultation()
    opens, closes = consultation.opens_at, consultation.closes_at
    page = client.get(f"/admin/c/{consultation.slug}").get_data(as_text=True)
    opens_on = page.split('name="opens_on"')[1].split('value="')[1].split('"')[0]
    closes_on = page.split('name="closes_on"')[1].split('value="')[1].split('"')[0]
    client.post(f"/admin/c/{consultation.slug}", data=settings(opens_on=opens_on, closes_on=closes_on))
    assert (consultation.opens_at, consultation.closes_at) == (opens, closes)


@pytest.mark.parametrize(("opens_on", "closes_on", "message"), [
    ("1405/13/01", "1405/12/01", "در تقویم خورشیدی وجود ندارد"),
    ("1405/12/30", "1405/12/29", "در تقویم خورشیدی وجود ندارد"),
    ("hello", "1405/12/01", "تاریخ را به شکل"),
    ("1405/10/01", "1405/09/01", "تاریخ پایان باید پس از تاریخ آغاز باشد"),
])
def test_bad_dates_are_refused_keeping_what_was_typed(client, factory, admin, opens_on, closes_on, message):
    consultation = factory.make_consultation()
    before = consultation.opens_at
    response = client.post(f"/admin/c/{consultation.slug}", data=settings(opens_on=opens_on, closes_on=closes_on,
                                                                          title="عنوان تایپ‌شده"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert f'value="{opens_on}"' in html and 'value="عنوان تایپ‌شده"' in html
    assert consultation.opens_at == before


def test_create_consultation(client, factory, admin):
    plan = factory.make_plan()
    response = client.post("/admin/consultations", data=settings(plan_id=str(plan.id), slug="round-two"))
    assert response.status_code == 302
    from consult.consultations.models import Consultation

    created = db.session.scalar(sa.select(Consultation).filter_by(slug="round-two"))
    assert [c.slug for c in created.criteria] == ["importance", "feasibility"]
    taken = client.post("/admin/consultations", data=settings(plan_id=str(plan.id), slug="round-two"))
    assert "پیش‌تر به کار رفته" in taken.get_data(as_text=True)


@pytest.mark.parametrize("slug", ["abc\n", "abc\r\n", "Abc", "abc/def"])
def test_slug_with_a_final_line_break_is_refused(client, factory, admin, slug):
    from consult.consultations.models import Consultation, Criterion

    plan = factory.make_plan()
    response = client.post("/admin/consultations", data=settings(plan_id=str(plan.id), slug=slug))
    assert response.status_code == 200 and "فقط حروف کوچک لاتین" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Consultation).filter_by(title="دور دوم")) is None
    consultation = factory.make_consultation()
    before = db.session.scalars(sa.select(Criterion.slug)).all()
    client.post(f"/admin/c/{consultation.slug}/criteria", data={"criterion-slug": slug, "criterion-label": "هزینه"})
    assert db.session.scalars(sa.select(Criterion.slug)).all() == before


# --- criteria --------------------------------------------------------------------------------

def test_criteria_add_rename_reorder_remove(client, factory, admin):
    consultation = factory.make_consultation()
    client.post(f"/admin/c/{consultation.slug}/criteria", data={"criterion-slug": "cost", "criterion-label": "هزینه"})
    assert [c.slug for c in consultation.criteria] == ["importance", "feasibility", "cost"]
    duplicate = client.post(f"/admin/c/{consultation.slug}/criteria",
                            data={"criterion-slug": "cost", "criterion-label": "دوباره"})
    assert duplicate.status_code == 422 and 'value="دوباره"' in duplicate.get_data(as_text=True)
    cost = consultation.criteria[2]
    client.post(f"/admin/criteria/{cost.id}/rename", data={f"criterion-{cost.id}-label": "هزینهٔ اجرا"})
    assert cost.label == "هزینهٔ اجرا"
    client.post(f"/admin/criteria/{cost.id}/move/up")
    db.session.expire(consultation)
    assert [c.slug for c in consultation.criteria] == ["importance", "cost", "feasibility"]
    client.post(f"/admin/criteria/{cost.id}/remove")
    db.session.expire(consultation)
    assert [c.slug for c in consultation.criteria] == ["importance", "feasibility"]
    assert [c.position for c in consultation.criteria] == [0, 1]
    actions = audit_actions()
    for action in ("criterion.create", "criterion.rename", "criterion.move", "criterion.remove"):
        assert action in actions


def test_ordered_lists_offer_move_and_remove_buttons(client, factory, admin):
    consultation = factory.make_consultation()
    first, last = consultation.criteria[0], consultation.criteria[-1]
    page = client.get(f"/admin/c/{consultation.slug}").get_data(as_text=True)
    assert f'action="/admin/criteria/{first.id}/move/down"' in page
    assert f'action="/admin/criteria/{last.id}/remove"' in page
    assert f'aria-label="بالا بردن معیار {first.label}">' in page
    client.post(f"/admin/c/{consultation.slug}/questionnaires", data={"title": "پرسش‌نامه"})
    questionnaire = consultation.questionnaires[0]
    client.post(f"/admin/questionnaires/{questionnaire.id}",
                data={"new-kind": "likert", "new-text": "چقدر موافقید؟", "new-submit": "1"})
    question = questionnaire.questions[0]
    page = client.get(f"/admin/questionnaires/{questionnaire.id}").get_data(as_text=True)
    assert f'action="/admin/questions/{question.id}/move/up"' in page
    assert f'action="/admin/questions/{question.id}/remove"' in page
    assert 'aria-label="حذف پرسش ۱">' in page


def test_criterion_with_ratings_is_not_removed(client, factory, admin):
    from consult.feedback.models import Rating

    expert = factory.make_user()
    consultation = factory.make_consultation(participants=[expert])
    comment = factory.make_comment(consultation, expert)
    criterion = consultation.criteria[0]
    db.session.add(Rating(comment=comment, criterion=criterion, score=4))
    db.session.flush()
    response = client.post(f"/admin/criteria/{criterion.id}/remove", follow_redirects=True)
    assert "امتیاز ثبت شده است" in response.get_data(as_text=True)
    assert criterion in consultation.criteria


def test_empty_criterion_label_is_refused(client, factory, admin):
    consultation = factory.make_consultation()
    criterion = consultation.criteria[0]
    response = client.post(f"/admin/criteria/{criterion.id}/rename", data={f"criterion-{criterion.id}-label": ""})
    assert response.status_code == 422 and criterion.label == "اهمیت"


# --- questionnaires --------------------------------------------------------------------------

def test_questionnaire_builder(client, factory, admin):
    consultation = factory.make_consultation()
    response = client.post(f"/admin/c/{consultation.slug}/questionnaires", data={"title": "پرسش‌نامهٔ اولویت‌ها"})
    questionnaire = consultation.questionnaires[0]
    assert response.headers["Location"].endswith(f"/admin/questionnaires/{questionnaire.id}")
    url = f"/admin/questionnaires/{questionnaire.id}"
    for kind, text, choices in [("single", "کدام مهم‌تر است؟", "آب\nزیارت\n"), ("multiple", "کدام‌ها؟", "الف\nب\nج"),
                                ("likert", "چقدر موافقید؟", ""), ("short_text", "نام نهاد؟", "ignored"),
                                ("long_text", "توضیح دهید.", "")]:
        client.post(url, data={"new-kind": kind, "new-text": text, "new-choices": choices, "new-required": "y",
                               "new-submit": "1"})
    questions = questionnaire.questions
    assert [q.kind.value for q in questions] == ["single", "multiple", "likert", "short_text", "long_text"]
    assert questions[0].choices == ["آب", "زیارت"] and questions[0].required
    assert questions[3].choices == []
    client.post(f"/admin/questions/{questions[4].id}/move/up")
    db.session.expire(questionnaire)
    assert [q.kind.value for q in questionnaire.questions][3:] == ["long_text", "short_text"]
    edit = questionnaire.questions[0]
    client.post(f"/admin/questions/{edit.id}", data={"kind": "single", "text": "پرسش تازه", "choices": "یک\nدو\nسه"})
    assert edit.text == "پرسش تازه" and edit.choices == ["یک", "دو", "سه"] and not edit.required
    client.post(f"/admin/questions/{edit.id}/remove")
    db.session.expire(questionnaire)
    assert len(questionnaire.questions) == 4
    for action in ("questionnaire.create", "question.create", "question.move", "question.update", "question.remove"):
        assert action in audit_actions()


def test_choice_question_needs_two_choices_and_keeps_text(client, factory, admin):
    consultation = factory.make_consultation()
    client.post(f"/admin/c/{consultation.slug}/questionnaires", data={"title": "پرسش‌نامه"})
    questionnaire = consultation.questionnaires[0]
    response = client.post(f"/admin/questionnaires/{questionnaire.id}", data={
        "new-kind": "multiple", "new-text": "متن پرسش من", "new-choices": "تنها گزینه", "new-submit": "1"})
    html = response.get_data(as_text=True)
    assert "دست‌کم دو گزینه" in html and "متن پرسش من" in html and "تنها گزینه" in html
    assert questionnaire.questions == []


def test_answered_question_is_not_removed(client, factory, admin):
    from consult.consultations.questionnaires import add_question, create_questionnaire
    from consult.feedback.models import Answer

    expert = factory.make_user()
    consultation = factory.make_consultation(participants=[expert])
    questionnaire = create_questionnaire(consultation, admin, title="پ")
    question = add_question(questionnaire, admin, kind="short_text", text="نام؟")
    db.session.add(Answer(question=question, user=expert, text="پاسخ"))
    db.session.flush()
    response = client.post(f"/admin/questions/{question.id}/remove", follow_redirects=True)
    assert "پاسخ داده شده است" in response.get_data(as_text=True)
    assert question in questionnaire.questions
    refused = client.post(f"/admin/questions/{question.id}", data={"kind": "long_text", "text": "نام؟"})
    assert "نوع آن دیگر تغییر نمی‌کند" in refused.get_data(as_text=True)


def test_remove_questionnaire(client, factory, admin):
    consultation = factory.make_consultation()
    client.post(f"/admin/c/{consultation.slug}/questionnaires", data={"title": "حذفی"})
    questionnaire = consultation.questionnaires[0]
    client.post(f"/admin/questionnaires/{questionnaire.id}/remove")
    db.session.expire(consultation)
    assert consultation.questionnaires == []


def test_criterion_forms_work_with_csrf_tokens(client, factory, admin, app, monkeypatch):
    import re

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    consultation = factory.make_consultation()
    criterion = consultation.criteria[1]
    page = client.get(f"/admin/c/{consultation.slug}").get_data(as_text=True)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    token = re.search(rf'name="criterion-{criterion.id}-csrf_token"[^>]*value="([^"]+)"', page)
    token = token or re.search(rf'value="([^"]+)"[^>]*name="criterion-{criterion.id}-csrf_token"', page)
    response = client.post(f"/admin/criteria/{criterion.id}/rename",
                           data={f"criterion-{criterion.id}-label": "امکان‌پذیری",
                                 f"criterion-{criterion.id}-csrf_token": token.group(1)})
    assert response.status_code == 302 and criterion.label == "امکان‌پذیری"
    plain = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/admin/criteria/{criterion.id}/move/up", data={"csrf_token": plain}).status_code == 302
    db.session.expire(consultation)
    assert consultation.criteria[0].id == criterion.id


@pytest.mark.parametrize("page", ["/admin/", "/admin/users", "/admin/consultations", "/admin/c/{slug}",
                                  "/admin/c/{slug}/invitations", "/admin/c/{slug}/questionnaires",
                                  "/admin/questionnaires/{questionnaire}", "/admin/questions/{question}"])
def test_admin_pages_have_unique_ids_and_labelled_inputs(client, factory, admin, app, monkeypatch, page):
    import re

    from consult.consultations.questionnaires import add_question, create_questionnaire

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    consultation = factory.make_consultation()
    factory.make_invitation(consultation)
    questionnaire = create_questionnaire(consultation, admin, title="پ")
    question = add_question(questionnaire, admin, kind="single", text="؟", choices="الف\nب")
    html = client.get(page.format(slug=consultation.slug, questionnaire=questionnaire.id,
                                  question=question.id)).get_data(as_text=True)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if any(marker in tag for marker in ('type="hidden"', 'type="submit"', ' hidden')):
            continue
        field_id = re.search(r'\bid="([^"]+)"', tag)
        assert field_id and field_id.group(1) in labelled, tag


def test_an_accepted_invitation_cannot_be_revoked(client, factory, admin):
    consultation = factory.make_consultation()
    issued = factory.make_invitation(consultation)
    issued.row.used_at = utcnow()
    db.session.flush()
    response = client.post(f"/admin/invitations/{issued.row.id}/revoke", follow_redirects=True)
    assert "دعوت‌نامهٔ پذیرفته‌شده را نمی‌توان باطل کرد" in response.get_data(as_text=True)
    assert invitations(consultation) == [issued.row]


def test_admin_forms_speak_persian(client, factory, admin):
    consultation = factory.make_consultation()
    html = client.post(f"/admin/c/{consultation.slug}/invitations", data={
        "one-email": "x@example.ir", "one-name": "ن" * 201, "one-role": "boss", "one-affiliation": "other",
        "one-submit": "1"}).get_data(as_text=True)
    assert "Not a valid choice" not in html and "cannot be longer" not in html
    assert "متن بلندتر از حد مجاز است" in html
    assert invitations(consultation) == []


def test_numbered_lists_count_in_persian_digits(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "counter(section, persian)" in css


# --- one free-text rule: no control characters nor bidi overrides; ZWNJ is text -----------------

CONTROL = "نویسهٔ کنترلیِ نامرئی"
BAD_TEXTS = ["نام\x00ساز", "نام\x1bساز", "نام\x85ساز", "نام\u202eساز", "نام\u2028ساز", "نام\u2029ساز",
             "نام\ufeffساز", "نام\u2067ساز", "\u202bنام ساز", "نام\u2069ساز", "\u2066نام\u202cساز\u2069"]
BAD_IDS = ["nul", "c0", "c1", "bidi-override", "line-separator", "paragraph-separator", "bom", "unclosed-rli",
           "unclosed-rle", "stray-pdi", "crossed-isolate-and-embedding"]
ONE_LINE = "این خانه یک سطر است"


def _text_posts(factory, consultation):
    """(url, data, what was stored) for each admin free-text field."""
    from consult.consultations.models import Consultation, Criterion, Question, Questionnaire

    criterion = consultation.criteria[0]
    questionnaire = factory.make_questionnaire(consultation)
    plan_id = str(consultation.plan_id)

    def question_texts():
        return {(q.text, q.help_text, tuple(q.choices)) for q in db.session.scalars(sa.select(Question))}

    return [
        (f"/admin/c/{consultation.slug}", lambda bad: settings(title=bad),
         lambda: db.session.scalar(sa.select(Consultation.title).filter_by(id=consultation.id))),
        (f"/admin/c/{consultation.slug}", lambda bad: settings(description=bad),
         lambda: db.session.scalar(sa.select(Consultation.description).filter_by(id=consultation.id))),
        ("/admin/consultations", lambda bad: settings(plan_id=plan_id, slug="round-two", title=bad),
         lambda: db.session.scalars(sa.select(Consultation.slug)).all()),
        (f"/admin/c/{consultation.slug}/criteria", lambda bad: {"criterion-slug": "cost", "criterion-label": bad},
         lambda: db.session.scalars(sa.select(Criterion.label)).all()),
        (f"/admin/criteria/{criterion.id}/rename", lambda bad: {f"criterion-{criterion.id}-label": bad},
         lambda: db.session.scalars(sa.select(Criterion.label)).all()),
        (f"/admin/c/{consultation.slug}/questionnaires", lambda bad: {"title": bad},
         lambda: db.session.scalars(sa.select(Questionnaire.title)).all()),
        (f"/admin/questionnaires/{questionnaire.id}",
         lambda bad: {"new-kind": "long_text", "new-text": bad, "new-submit": "1"}, question_texts),
        (f"/admin/questionnaires/{questionnaire.id}",
         lambda bad: {"new-kind": "single", "new-text": "کدام؟", "new-choices": f"آب\n{bad}", "new-submit": "1"},
         question_texts),
        (f"/admin/questionnaires/{questionnaire.id}",
         lambda bad: {"new-kind": "long_text", "new-text": "چرا؟", "new-help_text": bad, "new-submit": "1"},
         question_texts),
        (f"/admin/questions/{questionnaire.questions[0].id}",
         lambda bad: {"kind": "single", "text": "پرسش", "choices": f"یک\n{bad}"}, question_texts),
        (f"/admin/c/{consultation.slug}/invitations",
         lambda bad: {"one-email": "new@example.ir", "one-name": bad, "one-role": "expert",
                      "one-affiliation": "academic", "one-submit": "1"},
         lambda: [(i.email, i.name) for i in invitations()]),
        (f"/admin/c/{consultation.slug}/invitations",
         lambda bad: {"one-email": "new@example.ir", "one-organisation": bad, "one-role": "expert",
                      "one-affiliation": "academic", "one-submit": "1"},
         lambda: [(i.email, i.organisation) for i in invitations()]),
    ]


@pytest.mark.parametrize("bad", BAD_TEXTS, ids=BAD_IDS)
def test_admin_text_fields_refuse_control_characters(client, factory, admin, bad):
    consultation = factory.make_consultation()
    for url, data, stored in _text_posts(factory, consultation):
        before = stored()
        response = client.post(url, data=data(bad), follow_redirects=True)
        assert response.status_code in (200, 422), (url, response.status_code)
        assert CONTROL in response.get_data(as_text=True), url
        assert stored() == before, url


def test_admin_text_fields_keep_zwnj_and_bidi_marks(client, factory, admin):
    consultation = factory.make_consultation()
    response = client.post(f"/admin/c/{consultation.slug}",
                           data=settings(title="دور\u200cدوم", description="\u202bشرح\u202c و \u200fنشانه"))
    assert response.status_code == 302
    assert consultation.title == "دور\u200cدوم"


# Indexes into _text_posts: the one-line fields (titles, labels, help, names) and the choices (one a line).
ONE_LINE_POSTS, CHOICE_POSTS = (0, 2, 3, 4, 5, 8, 10, 11), (7, 9)


@pytest.mark.parametrize("bad", ["نام\tساز", "نام\nساز", "نام\r\nساز"], ids=["tab", "lf", "crlf"])
def test_one_line_admin_fields_refuse_tabs_and_line_breaks(client, factory, admin, bad):
    consultation = factory.make_consultation()
    posts = _text_posts(factory, consultation)
    for index in ONE_LINE_POSTS:
        url, data, stored = posts[index]
        before = stored()
        response = client.post(url, data=data(bad), follow_redirects=True)
        assert response.status_code in (200, 422), (url, response.status_code)
        assert ONE_LINE in response.get_data(as_text=True), url
        assert stored() == before, url
    for index in CHOICE_POSTS:
        url, data, stored = posts[index]
        before = stored()
        html = client.post(url, data=data("نام\tساز"), follow_redirects=True).get_data(as_text=True)
        assert "جهش (Tab) در این خانه پذیرفته نیست" in html and stored() == before, url


def test_text_of_several_lines_keeps_tabs_breaks_and_closed_isolates(client, factory, admin):
    consultation = factory.make_consultation()
    description = "شرح\tبا جدول\nو سطر دوم \u2067راست\u2069 و \u202bجاسازی\u202c با \u200e\u200f\u061c\u200d"
    response = client.post(f"/admin/c/{consultation.slug}",
                           data=settings(title="دور \u2068Qom 1414\u2069 دوم", description=description))
    assert response.status_code == 302
    assert consultation.description == description and consultation.title == "دور \u2068Qom 1414\u2069 دوم"


@pytest.mark.parametrize(("text", "one_line", "problem"), [
    ("\u2067", False, True), ("\u2067\u2069", False, False), ("\u2067\n\u2069", False, True),
    ("\u202a\u2066\u2069\u202c", False, False), ("\u202a\u2066\u202c\u2069", False, True),
    ("\u202c", False, True), ("a\tb", False, False), ("a\tb", True, True), ("\ufeff", False, True),
    ("\u200c\u200d\u200e\u200f\u061c", True, False), ("\u202dLRO\u202c", False, True),
])
def test_the_free_text_rule(text, one_line, problem):
    from consult.core.text import text_problem

    assert (text_problem(text, one_line=one_line) is not None) is problem


def test_every_refusal_of_control_characters_has_one_wording(client, factory, admin, runner, tmp_path):
    from consult.core.text import CONTROL_CHARACTERS

    consultation = factory.make_consultation()
    form = client.post(f"/admin/c/{consultation.slug}", data=settings(title="دور\x07")).get_data(as_text=True)
    assert CONTROL_CHARACTERS in form
    bulk = upload(client, consultation, "email,name\nn@example.ir,نام\u2067\n".encode(), "people.csv")
    assert CONTROL_CHARACTERS in bulk.get_data(as_text=True)
    path = tmp_path / "plan.csv"
    path.write_text("code,parent_code,kind,title,description\n1,,goal,هدف\ufeff,\n", encoding="utf-8")
    result = runner.invoke(args=["plan", "import", str(path)])
    assert result.exit_code == 2 and CONTROL_CHARACTERS in result.output
