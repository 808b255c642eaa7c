"""Admin: what inviting someone again does, the round's participants, user search and role changes."""
import re

import pytest

from consult.auth.models import Affiliation, Role
from consult.consultations.services import add_participant
from consult.extensions import db
from tests.web.test_admin import BAD_CSV, GOOD_CSV, invitations, upload


@pytest.fixture
def admin(factory, login):
    return login(factory.make_user(role=Role.ADMIN, name="مدیر آزمایشی"))


def invite(client, consultation, **fields):
    data = {"one-email": "x@example.ir", "one-name": "", "one-role": "expert", "one-affiliation": "other",
            "one-organisation": "", "one-submit": "1"}
    data.update({f"one-{key}": value for key, value in fields.items()})
    return client.post(f"/admin/c/{consultation.slug}/invitations", data=data, follow_redirects=True)


def text(response) -> str:
    return response.get_data(as_text=True)


# --- inviting again ---------------------------------------------------------------------------

def test_inviting_a_pending_email_again_says_so_keeps_the_name_and_tells_the_old_link(client, factory, admin):
    consultation = factory.make_consultation()
    first = factory.make_invitation(consultation, email="twice@example.ir", name="زهرا احمدی",
                                    organisation="شهرداری قم")
    html = text(invite(client, consultation, email="twice@example.ir", name=""))
    assert "پیش‌تر دعوت‌نامه‌ای در انتظار بود" in html and "twice@example.ir" in html
    [row] = invitations(consultation)
    assert row.name == "زهرا احمدی" and row.organisation == "شهرداری قم"
    old = client.get(f"/auth/invite/{first.token}")
    assert old.status_code == 410
    assert "دعوت‌نامهٔ تازه‌تری فرستاده شده" in text(old) and "درست وارد" not in text(old)


def test_a_new_name_wins_over_the_replaced_one(client, factory, admin):
    consultation = factory.make_consultation()
    factory.make_invitation(consultation, email="twice@example.ir", name="نام پیشین")
    invite(client, consultation, email="twice@example.ir", name="نام تازه")
    assert [row.name for row in invitations(consultation)] == ["نام تازه"]


def test_revoking_the_newer_link_leaves_the_old_one_plainly_invalid(client, factory, admin):
    consultation = factory.make_consultation()
    first = factory.make_invitation(consultation, email="twice@example.ir")
    second = factory.make_invitation(consultation, email="twice@example.ir")
    client.post(f"/admin/invitations/{second.row.id}/revoke")
    assert client.get(f"/auth/invite/{first.token}").status_code == 404


def test_inviting_someone_who_already_takes_part_makes_no_invitation(client, factory, admin):
    consultation = factory.make_consultation()
    member = factory.make_user(email="member@example.ir")
    add_participant(consultation, member)
    response = invite(client, consultation, email="member@example.ir")
    assert "همین حالا در این دور مشورت مشارکت دارد" in text(response)
    assert invitations(consultation) == []


def test_inviting_an_existing_account_says_it_joins_with_its_password(client, factory, admin):
    consultation = factory.make_consultation()
    factory.make_user(email="known@example.ir", name="کاربر شناخته")
    html = text(invite(client, consultation, email="known@example.ir"))
    assert "در سامانه حساب دارد" in html and "گذرواژهٔ خودش" in html
    assert [row.name for row in invitations(consultation)] == ["کاربر شناخته"]


def test_inviting_an_inactive_account_warns(client, factory, admin):
    consultation = factory.make_consultation()
    factory.make_user(email="off@example.ir", active=False)
    assert "غیرفعال است" in text(invite(client, consultation, email="off@example.ir"))


def test_bulk_invitation_skips_participants_and_says_who(client, factory, admin):
    consultation = factory.make_consultation()
    add_participant(consultation, factory.make_user(email="a.rezaei@example.ir"))
    html = text(upload(client, consultation, GOOD_CSV, "people.csv"))
    assert "a.rezaei@example.ir همین حالا در این دور" in html
    assert [row.email for row in invitations(consultation)] == ["m.karimi@example.ir"]


def test_after_a_successful_bulk_invitation_no_fix_and_choose_again_hint(client, factory, admin):
    consultation = factory.make_consultation()
    html = text(upload(client, consultation, GOOD_CSV, "people.csv"))
    assert "۲ دعوت‌نامه ساخته شد" in html
    assert "دوباره برگزینید" not in html
    refused = text(upload(client, consultation, BAD_CSV, "bad.csv"))
    assert "دوباره برگزینید" in refused  # still said when the file was refused


def test_invitation_help_is_persian(client, factory, admin):
    consultation = factory.make_consultation()
    html = text(client.get(f"/admin/c/{consultation.slug}/invitations"))
    assert "expert، secretary" not in html and "seminary، academic" not in html
    assert "email, name, role" not in html
    assert "<code>email</code></dt><dd>نشانی رایانامه" in html and "دبیر کارگروه" in html
    refused = text(upload(client, consultation, BAD_CSV, "bad.csv"))
    assert "نقش باید یکی از خبره، دبیر کارگروه، برنامه‌ریز یا مدیر سامانه باشد" in refused


# --- participants -----------------------------------------------------------------------------

def test_invitations_page_points_to_participants_when_none_were_sent_from_it(client, factory, admin):
    consultation = factory.make_consultation(participants=[factory.make_user(), factory.make_user()])
    html = text(client.get(f"/admin/c/{consultation.slug}/invitations"))
    assert "هنوز دعوتی ساخته نشده است" not in html
    assert "۲ نفر در این دور مشارکت دارند" in html
    assert f"/admin/c/{consultation.slug}/participants" in html


def test_participants_show_role_affiliation_activity_and_comment_count(client, factory, admin):
    writer = factory.make_user(role=Role.SECRETARY, affiliation=Affiliation.SEMINARY, name="نویسندهٔ پرکار")
    quiet = factory.make_user(name="خوانندهٔ خاموش")
    outsider = factory.make_user(name="بیرون از دور")
    consultation = factory.make_consultation(participants=[writer, quiet])
    plan = consultation.plan
    factory.make_comment(consultation, writer, factory.item(plan, "1.1"))
    factory.make_comment(consultation, writer, factory.item(plan, "1.1.1"))
    withdrawn = factory.make_comment(consultation, writer, factory.item(plan, "2"))
    withdrawn.is_deleted = True
    db.session.flush()
    html = text(client.get(f"/admin/c/{consultation.slug}/participants"))
    assert "نویسندهٔ پرکار" in html and "خوانندهٔ خاموش" in html and outsider.display_name not in html
    row = re.search(r"نویسندهٔ پرکار.*?</tr>", html, re.S).group(0)
    assert "حوزوی" in row and "<td>۲</td>" in row and "<time" in row
    assert 'value="secretary" selected' in row
    assert "هنوز چیزی ننوشته" in re.search(r"خوانندهٔ خاموش.*?</tr>", html, re.S).group(0)


@pytest.mark.parametrize("query", ["علي", "علی", "عليرضا", "university", "دانشگاه"])
def test_participant_search_ignores_persian_spelling(client, factory, admin, query):
    found = factory.make_user(name="علیرضا کریمی", email="a.karimi@university.example")
    found.organisation = "دانشگاه قم"
    other = factory.make_user(name="مریم احمدی", email="m.ahmadi@example.ir")
    consultation = factory.make_consultation(participants=[found, other])
    html = text(client.get(f"/admin/c/{consultation.slug}/participants", query_string={"q": query}))
    assert "علیرضا کریمی" in html and "مریم احمدی" not in html
    assert "۱ نفر برای" in html


def test_participants_are_paginated(client, factory, admin):
    people = [factory.make_user(name=f"مشارکت‌کننده {n:02d}") for n in range(30)]
    consultation = factory.make_consultation(participants=people)
    first = text(client.get(f"/admin/c/{consultation.slug}/participants"))
    second = text(client.get(f"/admin/c/{consultation.slug}/participants?page=2"))
    assert "مشارکت‌کننده 00" in first and "مشارکت‌کننده 29" not in first
    assert "مشارکت‌کننده 29" in second and "مشارکت‌کننده 00" not in second
    assert "صفحهٔ ۱ از ۲" in first and "page=2" in first


def test_users_page_searches(client, factory, admin):
    factory.make_user(name="کاظم یزدی", email="k.yazdi@example.ir")
    factory.make_user(name="مهدی رحیمی", email="m.rahimi@example.ir")
    html = text(client.get("/admin/users", query_string={"q": "كاظم"}))  # Arabic kaf
    assert "کاظم یزدی" in html and "مهدی رحیمی" not in html
    assert 'type="search"' in html


def test_role_change_from_participants(client, factory, admin):
    person = factory.make_user(name="تغییر نقش")
    consultation = factory.make_consultation(participants=[person])
    back = f"/admin/c/{consultation.slug}/participants?q=x"
    response = client.post(f"/admin/users/{person.id}/role", data={"role": "secretary", "next": back})
    assert response.status_code == 302 and response.headers["Location"].endswith(back)
    assert person.role == Role.SECRETARY
    assert "«دبیر کارگروه» شد" in text(client.get(back))


def test_an_admin_cannot_change_their_own_role(client, factory, admin):
    client.post(f"/admin/users/{admin.id}/role", data={"role": "expert"})
    assert admin.role == Role.ADMIN


def test_role_change_goes_back_only_to_this_site(client, factory, admin):
    person = factory.make_user()
    response = client.post(f"/admin/users/{person.id}/role", data={"role": "planner", "next": "//evil.example/"})
    assert response.headers["Location"].endswith("/admin/users")


# --- removing asks first; criterion ids explained ---------------------------------------------

def test_removing_a_question_asks_first(client, factory, admin):
    consultation = factory.make_consultation()
    questionnaire = factory.make_questionnaire(consultation)
    question = questionnaire.questions[0]
    url = f"/admin/questions/{question.id}/remove"
    listing = text(client.get(f"/admin/questionnaires/{questionnaire.id}"))
    assert f'<form method="get" action="{url}">' in listing
    assert f'<form method="post" action="{url}">' not in listing
    confirm = text(client.get(url))
    assert "این پرسش حذف شود؟" in confirm and question.text in confirm
    assert f'<form method="post" action="{url}">' in confirm and "انصراف" in confirm
    assert len(questionnaire.questions) == 5  # opening the page removed nothing
    client.post(url)
    db.session.expire(questionnaire)
    assert question.id not in [q.id for q in questionnaire.questions]


def test_removing_a_questionnaire_or_criterion_asks_first(client, factory, admin):
    consultation = factory.make_consultation()
    questionnaire = factory.make_questionnaire(consultation, title="پرسش‌نامهٔ حذفی")
    assert "پرسش‌نامهٔ «پرسش‌نامهٔ حذفی» با همهٔ پرسش‌هایش حذف شود؟" in text(
        client.get(f"/admin/questionnaires/{questionnaire.id}/remove"))
    criterion = consultation.criteria[0]
    assert f"معیار «{criterion.label}» حذف شود؟" in text(client.get(f"/admin/criteria/{criterion.id}/remove"))
    assert len(consultation.criteria) == 2


def test_criterion_slugs_are_explained_not_shown_as_badges(client, factory, admin):
    consultation = factory.make_consultation()
    html = text(client.get(f"/admin/c/{consultation.slug}"))
    assert '<span class="ltr badge text-bg-light">importance</span>' not in html
    assert "نام ستون امتیاز این معیار در پرونده‌های نظر و خروجی‌ها: <code>importance</code>" in html
    assert "عنوان فارسی معیار اهمیت" in html


def test_an_old_invitation_form_sent_again_after_a_newer_one_issues_a_working_link(client, factory, admin):
    """The old form's key made a link that a newer invitation replaced: sending that form again makes a link again."""
    consultation = factory.make_consultation()
    first_html = text(invite(client, consultation, email="again@example.ir", submission_key="k1" * 16))
    text(invite(client, consultation, email="again@example.ir", submission_key="k2" * 16))
    again_html = text(invite(client, consultation, email="again@example.ir", submission_key="k1" * 16))
    link = re.search(r"/auth/invite/[\w-]+", again_html)[0]
    assert link == re.search(r"/auth/invite/[\w-]+", first_html)[0]
    assert client.get(link).status_code == 200
    third = invite(client, consultation, email="again@example.ir", submission_key="k3" * 16)
    assert third.status_code == 200 and len(invitations(consultation)) == 1
    assert client.get(link).status_code == 410


def test_the_same_invitation_form_sent_twice_shows_the_same_link_and_notes(client, factory, admin):
    consultation = factory.make_consultation()
    factory.make_invitation(consultation, email="pending@example.ir", name="منتظر")
    first = text(invite(client, consultation, email="pending@example.ir", submission_key="a" * 32))
    second = text(invite(client, consultation, email="pending@example.ir", submission_key="a" * 32))
    assert re.findall(r"/auth/invite/[\w-]+", first) == re.findall(r"/auth/invite/[\w-]+", second) != []
    assert "پیش‌تر دعوت‌نامه‌ای در انتظار بود" in second
    [row] = invitations(consultation)
    assert row.name == "منتظر"
