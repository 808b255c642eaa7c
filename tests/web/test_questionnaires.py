"""Questionnaires: one field per question kind, required answers, revising until the round closes."""
import re

import pytest
import sqlalchemy as sa

from consult.consultations.models import ConsultationState
from consult.core.audit import AuditEvent
from consult.extensions import db
from consult.feedback.models import Answer


def main_part(html: str) -> str:
    """The page's own content, without the navbar (whose sign-out button is a form too)."""
    return html[html.index("<main"):html.index("</main>")]


@pytest.fixture
def questionnaire(factory, consultation):
    return factory.make_questionnaire(consultation)


@pytest.fixture
def signed_in(login_as, expert):
    return login_as(expert)


def url(consultation, questionnaire) -> str:
    return f"/c/{consultation.slug}/questionnaires/{questionnaire.id}"


def fields(questionnaire, single="آب", multiple=("گردشگری",), likert="4", short="استاد دانشگاه",
           long="پیشنهاد من\nدر دو سطر است.") -> dict:
    q = [question.id for question in questionnaire.questions]
    return {f"q_{q[0]}": single, f"q_{q[1]}": list(multiple), f"q_{q[2]}": likert, f"q_{q[3]}": short,
            f"q_{q[4]}": long}


def answers(expert) -> dict[int, Answer]:
    return {a.question_id: a for a in db.session.scalars(sa.select(Answer).filter_by(user_id=expert.id))}


def test_form_has_one_labelled_field_per_question_kind(client, consultation, questionnaire, signed_in):
    html = client.get(url(consultation, questionnaire)).get_data(as_text=True)
    single, multiple, likert, short, long = (question.id for question in questionnaire.questions)
    assert len(re.findall(rf'type="radio"[^>]*name="q_{single}"|name="q_{single}"[^>]*type="radio"', html)) == 3
    assert len(re.findall(rf'name="q_{multiple}"[^>]*type="checkbox"', html)) == 3
    assert len(re.findall(rf'name="q_{likert}"[^>]*type="radio"', html)) == 5
    assert re.search(rf'<input[^>]*name="q_{short}"[^>]*type="text"', html)
    assert re.search(rf'<textarea[^>]*name="q_{long}"', html)
    assert "<legend" in html and f'<label class="form-label" for="q_{short}">' in html
    assert "کاملاً موافق" in html and "پرسش‌نامهٔ آزمایشی" in html


def test_answers_are_saved_and_revised_in_place(client, consultation, questionnaire, expert, signed_in):
    response = client.post(url(consultation, questionnaire), data=fields(questionnaire))
    assert response.status_code == 302
    assert response.location.endswith(f"/c/{consultation.slug}?saved=questionnaire-{questionnaire.id}")
    single, multiple, likert, short, long = (question.id for question in questionnaire.questions)
    saved = answers(expert)
    assert saved[single].text == "آب" and saved[multiple].choices == ["گردشگری"]
    assert saved[likert].number == 4 and saved[short].text == "استاد دانشگاه"
    assert saved[long].text == "پیشنهاد من\nدر دو سطر است."
    ids = {qid: answer.id for qid, answer in saved.items()}
    # the form shows the saved answers, then a revision updates the same rows
    html = client.get(url(consultation, questionnaire)).get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*name="q_{likert}"[^>]*value="4"', html)
    assert "پیش‌تر به این پرسش‌نامه پاسخ داده‌اید" in html
    response = client.post(url(consultation, questionnaire), data=fields(
        questionnaire, single="ترافیک", multiple=("محیط زیست", "حمل‌ونقل"), likert="2", short=""))
    assert response.status_code == 302
    revised = answers(expert)
    assert revised[single].text == "ترافیک" and revised[single].id == ids[single]
    assert revised[multiple].choices == ["محیط زیست", "حمل‌ونقل"] and revised[likert].number == 2
    assert short not in revised  # an emptied optional answer is removed
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action="questionnaire.answer"))


def test_unticking_every_box_clears_a_multiple_choice_answer(client, consultation, questionnaire, expert,
                                                            signed_in):
    client.post(url(consultation, questionnaire), data=fields(questionnaire))
    client.post(url(consultation, questionnaire), data=fields(questionnaire, multiple=()))
    assert questionnaire.questions[1].id not in answers(expert)


def test_required_questions_are_enforced_and_text_kept(client, consultation, questionnaire, expert, signed_in):
    data = fields(questionnaire, single="", likert="", long="متن بلندی که نباید گم شود")
    response = client.post(url(consultation, questionnaire), data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    single, likert = questionnaire.questions[0].id, questionnaire.questions[2].id
    assert re.search(rf'id="q_{single}-error"[^>]*>به این پرسش پاسخ دهید', html)
    assert re.search(rf'id="q_{likert}-error"[^>]*>به این پرسش پاسخ دهید', html)
    assert "متن بلندی که نباید گم شود" in html and 'value="استاد دانشگاه"' in html
    assert re.search(r'<input checked[^>]*value="گردشگری"', html)
    assert answers(expert) == {}


@pytest.mark.parametrize(("change", "message"), [
    ({"single": "گزینهٔ ساختگی"}, "معتبر نیست"),
    ({"likert": "9"}, "معتبر نیست"),
    ({"short": "ب" * 501}, "بیشینه ۵۰۰ نویسه"),
    ({"long": "ب" * 5001}, "بیشینه ۵٬۰۰۰ نویسه"),
    ({"long": "متن\x1bبا نویسهٔ کنترلی"}, "نویسهٔ کنترلی"),
    ({"multiple": ("گردشگری", "گزینهٔ ساختگی")}, "معتبر نیست"),
    ({"likert": "²"}, "به این پرسش پاسخ دهید"),
])
def test_bad_answers_are_refused_with_a_persian_message(client, consultation, questionnaire, expert, signed_in,
                                                        change, message):
    response = client.post(url(consultation, questionnaire), data=fields(questionnaire, **change))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert "valid choice" not in response.get_data(as_text=True) and "coerce" not in response.get_data(as_text=True)
    assert answers(expert) == {}


def test_closed_round_shows_answers_read_only_and_refuses_a_post(client, consultation, questionnaire, expert,
                                                                 signed_in):
    client.post(url(consultation, questionnaire), data=fields(questionnaire))
    consultation.state = ConsultationState.CLOSED
    db.session.flush()
    html = client.get(url(consultation, questionnaire)).get_data(as_text=True)
    assert "پاسخ نمی‌پذیرد" in html and 'type="submit"' not in main_part(html)
    assert re.search(r"<textarea[^>]*readonly", html) and "disabled" in html
    response = client.post(url(consultation, questionnaire), data=fields(questionnaire, long="پاسخ تازهٔ من"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "این دور مشورت بسته است" in html and "پاسخ تازهٔ من" in html
    assert answers(expert)[questionnaire.questions[4].id].text == "پیشنهاد من\nدر دو سطر است."


def test_draft_round_questionnaire_is_hidden(client, consultation, questionnaire, signed_in):
    consultation.state = ConsultationState.DRAFT
    db.session.flush()
    assert client.get(url(consultation, questionnaire)).status_code == 403


def test_questionnaire_of_another_consultation_is_404(client, factory, consultation, expert, signed_in):
    other = factory.make_questionnaire(factory.make_consultation(participants=[expert]))
    assert client.get(url(consultation, other)).status_code == 404


def test_csrf_failure_rerenders_the_answers(app, client, consultation, questionnaire, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(url(consultation, questionnaire), data=fields(questionnaire, long="پاسخی منقضی"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "منقضی شده بود" in html and "پاسخی منقضی" in html and 'name="csrf_token"' in html


def test_answered_questionnaires_appear_in_my_contributions(client, consultation, questionnaire, signed_in):
    client.post(url(consultation, questionnaire), data=fields(questionnaire))
    html = client.get("/me/contributions").get_data(as_text=True)
    assert "پرسش‌نامهٔ آزمایشی" in html and "۵ پاسخ" in html
    assert url(consultation, questionnaire) in html
    overview = client.get(f"/c/{consultation.slug}").get_data(as_text=True)
    assert "پاسخ داده‌اید" in overview


def test_rows_a_simultaneous_first_submission_stored_are_revised_not_duplicated(
        client, consultation, questionnaire, expert, signed_in, monkeypatch):
    from consult.feedback import answers as questionnaires

    assert client.post(url(consultation, questionnaire), data=fields(questionnaire, likert="2")).status_code == 302
    # The second submission read before the first committed (on PostgreSQL): it found no answers yet.
    real, calls = questionnaires.answers_of, []

    def stale_once(*args):
        calls.append(args)
        return {} if len(calls) == 1 else real(*args)

    monkeypatch.setattr(questionnaires, "answers_of", stale_once)
    values = {question_id: value for question_id, value in zip(
        [question.id for question in questionnaire.questions], ["ترافیک", [], 5, "", ""])}
    questionnaires.save_answers(questionnaire, expert, values)
    saved = answers(expert)
    assert len(saved) == 2  # the emptied optional answers are removed, as on any revision
    assert {answer.text or answer.number for answer in saved.values()} == {"ترافیک", 5}


def test_a_repeated_submission_changes_and_records_nothing(client, consultation, questionnaire, expert, signed_in):
    for _ in range(2):
        assert client.post(url(consultation, questionnaire), data=fields(questionnaire)).status_code == 302
    assert len(answers(expert)) == 5
    events = db.session.scalars(sa.select(AuditEvent).filter_by(action="questionnaire.answer")).all()
    assert len(events) == 1
