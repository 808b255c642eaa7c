"""What experts met on the feedback pages: every error at once, asking before a withdrawal, ratings shown."""
import pytest

from consult.core.errors import ValidationFailed
from consult.extensions import db
from consult.feedback import services
from consult.feedback.models import Rating
from tests.web.test_feedback import comment_url, comments, form, main_part


@pytest.fixture
def signed_in(login_as, expert):
    return login_as(expert)


TOO_SHORT = "«متن نظر» باید دست‌کم ۱۰ نویسه باشد."
NO_STANCE = "موضع خود را انتخاب کنید."


@pytest.mark.parametrize("url", ["item", "general"])
def test_no_stance_and_a_short_comment_are_both_reported_in_one_round(client, consultation, signed_in, url):
    path = comment_url(consultation) if url == "item" else f"/c/{consultation.slug}/comments/new"
    data = form(body="خو")
    del data["stance"]
    response = client.post(path, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert NO_STANCE in html and TOO_SHORT in html
    assert html.count(NO_STANCE) == 1  # the form's own message, not the service's as well
    assert comments(consultation) == []


def test_amend_stance_without_amendment_and_short_body_together(client, consultation, signed_in):
    html = client.post(comment_url(consultation), data=form(stance="amend", body="کوتاه")).get_data(as_text=True)
    assert TOO_SHORT in html and "برای نظر اصلاحی، متن پیشنهادی را بنویسید." in html


def test_the_service_names_every_problem_at_once(consultation, expert):
    with pytest.raises(ValidationFailed) as refused:
        services.save_item_comment(consultation, consultation.plan.items[0], expert, stance=None, body="خو")
    assert {problem.column for problem in refused.value.problems} == {"stance", "body"}


def test_general_comment_form_does_not_speak_of_one_item(client, consultation, signed_in):
    general = main_part(client.get(f"/c/{consultation.slug}/comments/new").get_data(as_text=True))
    assert "این بند" not in general
    assert "این بند در برنامه‌های پیشین" in client.get(comment_url(consultation)).get_data(as_text=True)


# --- withdrawing asks first --------------------------------------------------------------------

def test_withdraw_button_opens_a_confirmation_page(client, factory, consultation, expert, signed_in):
    comment = factory.make_comment(consultation, expert, factory.item(consultation.plan, "1.1"))
    url = f"/c/{consultation.slug}/comments/{comment.id}/withdraw"
    item_page = main_part(client.get(f"/c/{consultation.slug}/items/1.1").get_data(as_text=True))
    assert f'<form method="get" action="{url}">' in item_page  # no one-click post from the item page
    confirm = client.get(url)
    html = main_part(confirm.get_data(as_text=True))
    assert confirm.status_code == 200 and comment.body in html
    assert f'<form method="post" action="{url}">' in html and 'name="csrf_token"' in html
    assert f'href="/c/{consultation.slug}/items/1.1"' in html  # cancel
    db.session.refresh(comment)
    assert not comment.is_deleted  # opening the page changes nothing
    assert client.post(url).status_code == 302
    db.session.refresh(comment)
    assert comment.is_deleted


def test_general_comment_withdraw_also_asks(client, factory, consultation, expert, signed_in):
    comment = factory.make_comment(consultation, expert)
    url = f"/c/{consultation.slug}/comments/{comment.id}/withdraw"
    overview = main_part(client.get(f"/c/{consultation.slug}").get_data(as_text=True))
    assert f'<form method="get" action="{url}">' in overview
    assert f'href="/c/{consultation.slug}"' in main_part(client.get(url).get_data(as_text=True))


# --- my contributions --------------------------------------------------------------------------

def test_my_contributions_show_the_ratings_given(client, factory, consultation, expert, signed_in):
    importance, feasibility = consultation.criteria
    comment = factory.make_comment(consultation, expert, factory.item(consultation.plan, "1.1"))
    comment.ratings.append(Rating(criterion_id=feasibility.id, score=2))
    comment.ratings.append(Rating(criterion_id=importance.id, score=5))
    withdrawn = factory.make_comment(consultation, expert, factory.item(consultation.plan, "2"))
    withdrawn.is_deleted = True
    db.session.flush()
    html = main_part(client.get("/me/contributions").get_data(as_text=True))
    assert "امتیازهای شما:" in html
    assert html.index("اهمیت: ۵ از ۵") < html.index("تحقق‌پذیری: ۲ از ۵")  # criterion order
    assert "opacity-75" not in html and "comment-withdrawn" in html
