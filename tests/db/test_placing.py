"""Between runs: a comment saved after the last run is placed by its stored model and marked new."""
import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.review import placing, runs
from consult.review.models import ClusterRun, RunState, Topic, TopicMembership
from tests.db.test_runs import WATER, dispatched, instance_folder, run_once, scope, secretary  # noqa: F401


@pytest.fixture
def queued(monkeypatch):
    """Placements queued on commit, not run: the test runs them."""
    calls = []
    monkeypatch.setattr(placing, "_dispatch_placement", lambda ids: calls.append(ids))
    return calls


def membership(comment):
    return db.session.scalars(sa.select(TopicMembership).filter_by(comment_id=comment.id)).all()


def test_a_comment_saved_after_the_run_goes_to_the_nearest_topic(scope, secretary, dispatched, queued, factory):  # noqa: F811
    consultation, comments = scope
    run = run_once(consultation, secretary)
    assert queued == []
    author = factory.make_user(password=None)
    late = factory.make_comment(consultation, author, factory.item(consultation.plan, "2.1.1.1"),
                                body="آبیاری فضای سبز با پساب به جای آب شرب.")
    db.session.commit()
    assert queued == [[late.id]]
    assert placing.place_comments(queued[0]) == 1
    [placed] = membership(late)
    water_topic = membership(comments[0])[0].topic
    assert placed.is_new and placed.run_id == run.id and placed.topic == water_topic
    assert placing.new_since_last_run(consultation, "general") == 1

    # the next run takes it in like any other: no longer new
    run_once(consultation, secretary)
    assert not membership(late)[0].is_new and placing.new_since_last_run(consultation, "general") == 0


def test_a_comment_that_fits_no_topic_goes_to_other(scope, secretary, dispatched, queued, factory):  # noqa: F811
    consultation, _comments = scope
    run = run_once(consultation, secretary)
    late = factory.make_comment(consultation, factory.make_user(password=None), None, body="!!! ؟؟؟ ... ...")
    db.session.commit()
    placing.place_comments(queued[0])
    [placed] = membership(late)
    assert placed.topic.is_other and placed.topic.run_id == run.id and placed.is_new


def test_an_edited_comment_is_placed_again_and_a_review_mark_is_not(scope, secretary, dispatched, queued, clock):  # noqa: F811
    consultation, comments = scope
    run_once(consultation, secretary)
    comments[5].reviewed_at = comments[5].created_at
    db.session.commit()
    assert queued == []
    comments[5].body = WATER[1]
    db.session.commit()
    assert queued == [[comments[5].id]]
    placing.place_comments(queued[0])
    assert [m.is_new for m in membership(comments[5])] == [True]


def test_nothing_is_queued_before_the_first_run(scope, queued, factory):  # noqa: F811
    consultation, _comments = scope
    factory.make_comment(consultation, factory.make_user(password=None), None, body="نظری تازه پیش از هر اجرا.")
    db.session.commit()
    assert queued == []


def test_a_comment_in_a_persons_topic_stays_there(scope, secretary, dispatched, queued):  # noqa: F811
    consultation, comments = scope
    run = run_once(consultation, secretary)
    topic = membership(comments[0])[0].topic
    topic.label = "نام‌گذاری دبیر"
    db.session.commit()
    assert placing.place(comments[0], run, "general") == 0
    assert membership(comments[0])[0].topic == topic and not membership(comments[0])[0].is_new


def test_a_comment_saved_while_the_run_computes_is_placed_when_it_writes(scope, secretary, dispatched, queued,  # noqa: F811
                                                                         factory):
    consultation, _comments = scope
    run = runs.start_run(consultation, "general", secretary, 2)
    db.session.commit()
    run.state = RunState.RUNNING
    db.session.commit()
    results = runs.compute(runs.load_inputs(run))
    late = factory.make_comment(consultation, factory.make_user(password=None), None,
                                body="پارکینگ حرم برای زائران کم است.")
    db.session.commit()
    assert runs.write_results(run.id, results)
    [placed] = membership(late)
    assert placed.is_new and placed.run_id == run.id
    assert db.session.get(ClusterRun, run.id).comment_count == len(results.comment_ids)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Topic)) >= 2
