"""Only a save the server made tells the browser to forget a draft (data-draft-saved, read by drafts.js)."""
import re

import pytest

BODY = "این طرح برای زائران لازم است، ولی هزینهٔ آن باید بازبینی شود."
MARKER = re.compile(r'data-draft-saved="([^"]*)"')


@pytest.fixture
def signed_in(login_as, expert):
    return login_as(expert)


def markers(response) -> list[str]:
    assert response.status_code == 200
    return MARKER.findall(response.get_data(as_text=True))


def form(key: str, **fields) -> dict:
    return {"stance": "agree", "body": BODY, "amendment": "", "submission_key": key * 32, **fields}


def test_a_link_from_elsewhere_clears_no_draft(client, factory, consultation, signed_in):
    item = factory.item(consultation.plan, "1.1.1.1")
    slug = consultation.slug
    for url in (f"/c/{slug}?saved=general-new", f"/c/{slug}?saved=questionnaire-1",
                f"/c/{slug}/items/1.1.1.1?saved=item-{item.id}"):
        assert markers(client.get(url)) == [], url


def test_a_saved_general_comment_clears_its_draft_once(client, consultation, expert, signed_in):
    response = client.post(f"/c/{consultation.slug}/comments/new", data=form("1"))
    assert response.status_code == 302
    assert markers(client.get(response.location)) == [f"consult-draft:{expert.id}:{consultation.id}:general-new"]
    # Reloading the page, or a link carrying the same ?saved=, clears nothing more.
    assert markers(client.get(response.location)) == []


def test_a_saved_item_comment_clears_its_draft_once(client, factory, consultation, expert, signed_in):
    item = factory.item(consultation.plan, "1.1.1.1")
    response = client.post(f"/c/{consultation.slug}/items/1.1.1.1/comment", data=form("2"))
    assert response.status_code == 302
    assert markers(client.get(response.location)) == [f"consult-draft:{expert.id}:{consultation.id}:item-{item.id}"]
    assert markers(client.get(response.location)) == []


def test_saved_answers_clear_the_questionnaire_draft(client, factory, consultation, expert, signed_in):
    questionnaire = factory.make_questionnaire(consultation)
    q = questionnaire.questions
    response = client.post(f"/c/{consultation.slug}/questionnaires/{questionnaire.id}",
                           data={f"q_{q[0].id}": "آب", f"q_{q[2].id}": "3"})
    assert response.status_code == 302
    assert markers(client.get(response.location)) == [
        f"consult-draft:{expert.id}:{consultation.id}:questionnaire-{questionnaire.id}"]


def test_a_refused_save_keeps_the_draft(client, consultation, signed_in):
    refused = client.post(f"/c/{consultation.slug}/comments/new", data=form("3", body="کو"))
    assert refused.status_code == 422
    assert markers(client.get(f"/c/{consultation.slug}")) == []
    assert markers(client.get(f"/c/{consultation.slug}?saved=general-new")) == []
