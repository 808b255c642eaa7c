"""Clustering runs: what a run writes, what it leaves alone, failures, and a run overtaken by a newer one."""
import pytest
import sqlalchemy as sa

from consult.auth.models import Role
from consult.extensions import db
from consult.review import runs
from consult.review.models import (
    ClusterRun,
    CommentLink,
    DuplicateGroup,
    LinkSource,
    RunState,
    Topic,
    TopicMembership,
)
from consult.review.scopes import scope_by_key

WATER = [
    "آبیاری بوستان‌ها با پساب تصفیه‌شده باید زودتر انجام شود تا آب شرب هدر نرود.",
    "فضای سبز شهر با آب شرب آبیاری می‌شود؛ پساب و آبیاری قطره‌ای راه درست است.",
    "کم‌آبی قم جدی است و بازچرخانی پساب برای آبیاری فضای سبز ضروری است.",
    "آبیاری هوشمند بوستان‌ها مصرف آب را کم می‌کند و باید در همه مناطق اجرا شود.",
]
PILGRIMS = [
    "زائران برای اقامت ارزان جا ندارند و ساخت زائرسرا در پردیسان لازم است.",
    "پارکینگ‌های اطراف حرم برای زائران کافی نیست و ترافیک زیاد است.",
    "ساماندهی پارکینگ پیرامون حرم و حمل زائران با اتوبوس برقی پیشنهاد می‌شود.",
    "اقامتگاه ارزان‌قیمت برای زائران کم‌درآمد در نزدیکی حرم ساخته شود.",
]
CAMPAIGN = "ما ساکنان محله خواستار توقف ساخت پارکینگ طبقاتی در کنار مدرسه محله هستیم."
COPIES = [f"با سلام {CAMPAIGN}", CAMPAIGN, f"{CAMPAIGN} با تشکر"]


@pytest.fixture(autouse=True)
def instance_folder(app, monkeypatch, tmp_path):
    """Models go to a folder of the test's own."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path


@pytest.fixture
def dispatched(monkeypatch):
    """Runs are not handed to a job: the test executes them. Yields the ids that would have been."""
    ids = []
    monkeypatch.setattr(runs, "_dispatch", lambda run, requested_by=None: ids.append(run.id))
    return ids


@pytest.fixture
def secretary(factory):
    return factory.make_user(Role.SECRETARY, password=None)


@pytest.fixture
def scope(factory, secretary):
    """A consultation with comments on two themes and a campaign of three copies."""
    authors = [factory.make_user(password=None) for _ in range(len(WATER + PILGRIMS + COPIES))]
    consultation = factory.make_consultation(participants=[*authors, secretary])
    plan = consultation.plan
    items = [factory.item(plan, "2.1.1.1")] * len(WATER) + [factory.item(plan, "1.1.1.1")] * len(PILGRIMS) \
        + [None] * len(COPIES)
    comments = [factory.make_comment(consultation, author, item, body=body)
                for author, item, body in zip(authors, items, WATER + PILGRIMS + COPIES)]
    return consultation, comments


def run_once(consultation, secretary, k=2) -> ClusterRun:
    run = runs.start_run(consultation, "general", secretary, k)
    db.session.commit()
    return runs.execute_run(run.id)


def machine_topics(consultation):
    return db.session.scalars(sa.select(Topic).filter_by(consultation_id=consultation.id).order_by(Topic.id)).all()


def suggested(comment_ids):
    return db.session.scalars(sa.select(CommentLink).where(CommentLink.comment_id.in_(comment_ids),
                                                           CommentLink.source == LinkSource.SUGGESTED)).all()


def test_a_run_fills_topics_memberships_duplicate_groups_and_links(scope, secretary, dispatched):
    consultation, comments = scope
    run = run_once(consultation, secretary)
    assert dispatched == [run.id]
    assert run.state == RunState.DONE and run.progress == 100 and run.error == ""
    assert run.comment_count == len(comments) and run.topic_count == 2
    assert run.started_at and run.finished_at and run.duration is not None
    topics = machine_topics(consultation)
    assert [t.is_other for t in topics].count(False) == 2
    assert all(t.run_id == run.id and (t.keywords or t.is_other) and t.machine_label for t in topics)
    memberships = db.session.scalars(sa.select(TopicMembership)).all()
    assert sorted(m.comment_id for m in memberships) == sorted(c.id for c in comments)  # each comment once
    assert any(m.is_representative for m in memberships)
    groups = db.session.scalars(sa.select(DuplicateGroup).filter_by(run_id=run.id)).all()
    assert [sorted(c.id for c in g.comments) for g in groups] == [sorted(c.id for c in comments[-3:])]
    links = suggested([c.id for c in comments])
    assert {link.comment_id for link in links} == {c.id for c in comments}  # a suggestion for every comment
    assert all(link.run_id == run.id and link.score is not None for link in links)
    per_comment = {c.id: [link for link in links if link.comment_id == c.id] for c in comments}
    assert all(1 <= len(found) <= runs.TOP_LINKS for found in per_comment.values())
    # the model is kept for placing later comments
    model = runs.load_model(run)
    assert model is not None and len(model.predict([WATER[0]])) == 1
    assert run.parameters["topic_ids"][:2] == [t.id for t in topics if not t.is_other]


def test_a_new_run_replaces_machine_rows_and_keeps_what_people_made(scope, secretary, dispatched):
    consultation, comments = scope
    first = run_once(consultation, secretary)
    renamed = [t for t in machine_topics(consultation) if not t.is_other][0]
    renamed.label = "آب و فضای سبز"
    kept_members = len(renamed.memberships)
    confirmed = suggested([comments[0].id])[0]
    confirmed.source, confirmed.decided_by_id = LinkSource.CONFIRMED, secretary.id
    db.session.commit()

    second = run_once(consultation, secretary)
    assert second.state == RunState.DONE
    topics = machine_topics(consultation)
    assert renamed in topics and len(renamed.memberships) == kept_members  # a person's topic stays whole
    placed = [m.comment_id for m in db.session.scalars(sa.select(TopicMembership))]
    assert sorted(placed) == sorted(c.id for c in comments)  # and its comments are not placed twice
    assert {t.run_id for t in topics if t is not renamed} == {second.id}  # the untouched ones were replaced
    assert db.session.get(CommentLink, confirmed.id).source == LinkSource.CONFIRMED
    links = suggested([c.id for c in comments])
    assert {link.run_id for link in links} == {second.id}
    assert (comments[0].id, confirmed.item_id) not in {(link.comment_id, link.item_id) for link in links}
    assert db.session.scalars(sa.select(DuplicateGroup.run_id)).all() == [second.id]
    assert first.state == RunState.DONE  # runs are kept
    assert [r.id for r in runs.scope_runs(consultation, "general")] == [second.id, first.id]


def test_a_failing_job_leaves_the_previous_topics_and_shows_its_reason(scope, secretary, dispatched, monkeypatch):
    consultation, comments = scope
    run_once(consultation, secretary)
    before = [(t.id, t.machine_label, tuple(sorted(m.comment_id for m in t.memberships)))
              for t in machine_topics(consultation)]
    links_before = sorted((link.id, link.item_id) for link in suggested([c.id for c in comments]))

    def broken(self, texts, y=None):
        raise RuntimeError("حافظه تمام شد")

    monkeypatch.setattr("consult.nlp.cluster.TopicClusterer.fit", broken)
    failed = run_once(consultation, secretary)
    assert failed.state == RunState.FAILED and "حافظه تمام شد" in failed.error and failed.finished_at
    after = [(t.id, t.machine_label, tuple(sorted(m.comment_id for m in t.memberships)))
             for t in machine_topics(consultation)]
    assert after == before
    assert sorted((link.id, link.item_id) for link in suggested([c.id for c in comments])) == links_before
    assert runs.active_run(consultation, "general") is None  # the scope is free again


def test_a_slow_run_overtaken_by_a_newer_one_writes_nothing(scope, secretary, dispatched):
    consultation, comments = scope
    slow = runs.start_run(consultation, "general", secretary, 2)
    db.session.commit()
    slow.state = RunState.RUNNING
    db.session.commit()
    results = runs.compute(runs.load_inputs(slow))  # computed, not yet written
    runs.mark_failed(slow.id, "کارگر از دست رفت")  # e.g. its worker was thought dead
    newer = run_once(consultation, secretary, k=3)
    topics_of_newer = [t.id for t in machine_topics(consultation)]

    assert runs.write_results(slow.id, results) is False
    assert [t.id for t in machine_topics(consultation)] == topics_of_newer
    assert {link.run_id for link in suggested([c.id for c in comments])} == {newer.id}
    assert db.session.get(ClusterRun, slow.id).state == RunState.FAILED
    assert not runs.model_file(slow.id).exists()


def test_a_running_run_that_finds_a_newer_one_ends_superseded(scope, secretary, dispatched):
    consultation, _comments = scope
    slow = runs.start_run(consultation, "general", secretary, 2)
    db.session.commit()
    slow.state = RunState.RUNNING
    db.session.commit()
    results = runs.compute(runs.load_inputs(slow))
    # a newer row beside a running one (the index forbids two active; one done is enough to overtake)
    db.session.add(ClusterRun(consultation_id=consultation.id, scope="general", state=RunState.DONE))
    db.session.commit()
    assert runs.write_results(slow.id, results) is False
    slow = db.session.get(ClusterRun, slow.id)
    assert slow.state == RunState.FAILED and "تازه‌تری" in slow.error
    assert machine_topics(consultation) == []


def test_a_run_failed_before_it_started_never_runs(scope, secretary, dispatched):
    consultation, _comments = scope
    run = runs.start_run(consultation, "general", secretary, 2)
    db.session.commit()
    runs.mark_failed(run.id, "کارگر از دست رفت")
    assert runs.execute_run(run.id).state == RunState.FAILED
    assert machine_topics(consultation) == []


def test_starts_are_refused_on_bad_input_and_while_a_run_is_active(scope, secretary, dispatched, factory):
    consultation, comments = scope
    with pytest.raises(runs.UnknownScope):
        runs.start_run(consultation, "group-999", secretary)
    with pytest.raises(runs.BadTopicCount):
        runs.start_run(consultation, "general", secretary, 1)
    with pytest.raises(runs.BadTopicCount):
        runs.start_run(consultation, "general", secretary, len(comments))
    with pytest.raises(runs.NothingToCluster):
        runs.start_run(factory.make_consultation(), "general", secretary)
    runs.start_run(consultation, "general", secretary)
    with pytest.raises(runs.RunRefused) as refused:
        runs.start_run(consultation, "general", secretary, 2)
    assert "در صف" in refused.value.message
    assert dispatched and len(dispatched) == 1


def test_the_index_refuses_a_second_active_run_in_the_same_scope(scope, secretary):
    consultation, _comments = scope
    db.session.add(ClusterRun(consultation_id=consultation.id, scope="general", state=RunState.RUNNING))
    db.session.flush()
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.add(ClusterRun(consultation_id=consultation.id, scope="general", state=RunState.QUEUED))


def test_a_working_group_is_a_scope_of_its_plan(scope, secretary, dispatched):
    from consult.plan.models import WorkingGroup

    consultation, _comments = scope
    group = WorkingGroup(plan_id=consultation.plan_id, name="کارگروه آب")
    db.session.add(group)
    db.session.flush()
    assert runs.scope_keys(consultation) == [f"group-{group.id}", "general"]
    assert scope_by_key(consultation, f"group-{group.id}").label == "کارگروه آب"
    assert run_once(consultation, secretary).state == RunState.DONE


@pytest.mark.parametrize("job_state", ["running", "queued"])
def test_a_run_whose_job_died_fails_and_frees_the_scope(scope, secretary, dispatched, clock, app, job_state):
    from datetime import UTC, timedelta

    from consult.core.jobs import Job, JobState
    from consult.core.time import utcnow

    consultation, _comments = scope
    run = runs.start_run(consultation, "general", secretary, 2)
    run.state = RunState.RUNNING if job_state == "running" else RunState.QUEUED
    db.session.add(Job(kind="cluster", function=runs.EXECUTE, arguments=[run.id], state=JobState(job_state),
                       heartbeat_at=utcnow() if job_state == "running" else None))
    db.session.flush()
    assert runs.active_run(consultation, "general") == run  # alive while its job beats
    clock.move_to((utcnow() + timedelta(seconds=app.config["JOB_HEARTBEAT_SECONDS"] + 60)).replace(tzinfo=UTC))
    assert runs.active_run(consultation, "general") is None  # a killed worker or restarted server
    assert run.state == RunState.FAILED and "از کار افتاد" in run.error
    assert runs.start_run(consultation, "general", secretary, 2).state == RunState.QUEUED
