"""The runs page of a scope: start a run, follow it through queued, running, done and failed, after a reload."""
import pytest
import sqlalchemy as sa

from consult.auth.models import Role
from consult.extensions import db
from consult.review import runs
from consult.review.models import ClusterRun, RunState

TEXTS = [
    "آبیاری بوستان‌ها با پساب تصفیه‌شده باید زودتر انجام شود.",
    "فضای سبز شهر با آب شرب آبیاری می‌شود و این درست نیست.",
    "بازچرخانی پساب برای آبیاری فضای سبز ضروری است.",
    "زائران برای اقامت ارزان جا ندارند و زائرسرا لازم است.",
    "پارکینگ‌های اطراف حرم برای زائران کافی نیست.",
    "اقامتگاه ارزان‌قیمت برای زائران نزدیک حرم ساخته شود.",
]


@pytest.fixture(autouse=True)
def instance_folder(app, monkeypatch, tmp_path):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


@pytest.fixture
def dispatched(monkeypatch):
    ids = []
    monkeypatch.setattr(runs, "_dispatch", lambda run, requested_by=None: ids.append(run.id))
    return ids


@pytest.fixture
def secretary(factory):
    return factory.make_user(Role.SECRETARY, password=None)


@pytest.fixture
def round_(factory, secretary):
    authors = [factory.make_user(password=None) for _ in TEXTS]
    consultation = factory.make_consultation(participants=[*authors, secretary])
    consultation.secretaries_act_in_general = True  # the round lets its secretaries act in the general scope
    for author, text in zip(authors, TEXTS):
        factory.make_comment(consultation, author, None, body=text)
    return consultation


def url(consultation, scope="general"):
    return f"/review/c/{consultation.slug}/scopes/{scope}/runs"


def test_a_secretary_starts_a_run_and_sees_it_through(client, login_as, round_, secretary, dispatched):
    login_as(secretary)
    page = client.get(url(round_)).get_data(as_text=True)
    assert "هنوز اجرایی برای این حوزه نبوده است" in page and "۶ نظر" in page
    response = client.post(url(round_), data={"k": "2"})
    assert response.status_code == 302 and response.location.endswith(url(round_))
    run = db.session.scalar(sa.select(ClusterRun).filter_by(consultation_id=round_.id))
    assert dispatched == [run.id] and run.parameters["k"] == 2 and run.requested_by_id == secretary.id
    page = client.get(url(round_)).get_data(as_text=True)
    assert "در صف" in page and 'http-equiv="refresh"' in page and "disabled" in page

    run.state, run.progress = RunState.RUNNING, 60
    db.session.commit()
    page = client.get(url(round_)).get_data(as_text=True)
    assert "در حال انجام · ۶۰٪" in page and "pct-60" in page

    run.state, run.progress = RunState.QUEUED, 0
    db.session.commit()
    runs.execute_run(run.id)
    page = client.get(url(round_)).get_data(as_text=True)
    assert "انجام شد" in page and "۲ موضوع از ۶ نظر" in page and "ثانیه" in page
    assert 'http-equiv="refresh"' not in page


def test_a_failed_run_shows_its_reason(client, login_as, round_, secretary, dispatched, monkeypatch):
    login_as(secretary)
    client.post(url(round_), data={"k": "2"})

    def broken(*args, **kwargs):
        raise RuntimeError("پیوند با بندها شکست خورد")

    monkeypatch.setattr("consult.nlp.link.ItemLinker.fit", broken)
    runs.execute_run(dispatched[0])
    page = client.get(url(round_)).get_data(as_text=True)
    assert "ناموفق" in page and "پیوند با بندها شکست خورد" in page


def test_a_second_start_while_one_is_queued_is_refused(client, login_as, round_, secretary, dispatched):
    login_as(secretary)
    assert client.post(url(round_), data={}).status_code == 302
    response = client.post(url(round_), data={"k": "3"})
    assert response.status_code == 409
    assert "در صف یا در حال انجام" in response.get_data(as_text=True)
    assert len(dispatched) == 1


@pytest.mark.parametrize("k", ["1", "61", "سه"])
def test_a_bad_number_of_topics_is_shown_beside_the_field(client, login_as, round_, secretary, dispatched, k):
    login_as(secretary)
    response = client.post(url(round_), data={"k": k})
    assert response.status_code == 422
    assert f'value="{k}"' in response.get_data(as_text=True)  # the form keeps what was typed
    assert dispatched == []


def test_more_topics_than_comments_is_refused(client, login_as, round_, secretary, dispatched):
    login_as(secretary)
    response = client.post(url(round_), data={"k": "6"})
    assert response.status_code == 409 and "شمار موضوع‌ها" in response.get_data(as_text=True)


def test_unknown_scope_and_consultation_are_404(client, login_as, round_, factory):
    login_as(factory.make_user(Role.ADMIN, password=None))
    assert client.get(url(round_, "group-999")).status_code == 404
    assert client.get(url(round_, "nothing")).status_code == 404
    assert client.post(url(round_, "group-999"), data={}).status_code == 404
    assert client.get("/review/c/no-such-round/scopes/general/runs").status_code == 404


def test_the_page_counts_comments_placed_since_the_last_run(client, login_as, round_, secretary, dispatched,
                                                            factory, monkeypatch):
    from consult.review import placing

    queued = []
    monkeypatch.setattr(placing, "_dispatch_placement", queued.append)
    login_as(secretary)
    client.post(url(round_), data={"k": "2"})
    runs.execute_run(dispatched[0])
    factory.make_comment(round_, factory.make_user(password=None), None, body="آبیاری بوستان‌ها با پساب شهری.")
    db.session.commit()
    placing.place_comments(queued[0])
    assert "۱ نظر تازه از آخرین اجرا" in client.get(url(round_)).get_data(as_text=True)
