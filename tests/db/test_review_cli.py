"""`flask --app run review cluster`: the run in the foreground, with progress; one line and exit 2 on bad input."""
import pytest
import sqlalchemy as sa

from consult.demo import loader
from consult.extensions import db
from consult.feedback.models import Comment
from consult.review.models import ClusterRun, CommentLink, DuplicateGroup, LinkSource, RunState, TopicMembership


@pytest.fixture(autouse=True)
def instance_folder(app, monkeypatch, tmp_path):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


@pytest.fixture
def demo(app):
    loader.load_demo()
    return "third-plan"


def cluster(runner, *args):
    return runner.invoke(args=["review", "cluster", *args])


def test_cluster_on_the_demo_fills_every_comment_of_every_scope(runner, demo):
    result = cluster(runner, "--consultation", demo, "--k", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("group-") and "general: 100%" in lines
    runs = db.session.scalars(sa.select(ClusterRun)).all()
    assert len(runs) >= 3 and {run.state for run in runs} == {RunState.DONE}
    comments = set(db.session.scalars(sa.select(Comment.id).filter_by(is_deleted=False)))
    assert sum(run.comment_count for run in runs) == len(comments) >= 400  # scopes partition the comments
    assert set(db.session.scalars(sa.select(TopicMembership.comment_id))) == comments
    linked = set(db.session.scalars(sa.select(CommentLink.comment_id).filter_by(source=LinkSource.SUGGESTED)))
    assert linked == comments
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DuplicateGroup)) >= 4  # the demo's campaigns


def test_cluster_runs_every_scope_without_scope(runner, factory):
    expert = factory.make_user(password=None)
    consultation = factory.make_consultation(participants=[expert])
    for i, text in enumerate(["آبیاری بوستان‌ها با پساب", "پارکینگ حرم برای زائران", "زائرسرا در پردیسان"]):
        factory.make_comment(consultation, factory.make_user(password=None), None, body=f"{text} {i}")
    result = cluster(runner, "--consultation", consultation.slug, "--k", "2")
    assert result.exit_code == 0, result.output
    assert "general: 2 topics over 3 comments" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--consultation", "no-such-round"], "no consultation"),
    (["--consultation", "{slug}", "--scope", "group-999"], "حوزه"),
    (["--consultation", "{slug}", "--scope", "general", "--k", "1"], "شمار موضوع‌ها"),
    (["--consultation", "{slug}", "--scope", "general", "--k", "61"], "شمار موضوع‌ها"),
    (["--consultation", "{slug}", "--k", "1"], "شمار موضوع‌ها"),
    (["--consultation", "{slug}", "--scope", "general", "--k", "40"], "شمار موضوع‌ها"),  # more than comments
])
def test_bad_input_is_one_line_and_exit_2(runner, factory, args, message):
    expert = factory.make_user(password=None)
    consultation = factory.make_consultation(participants=[expert])
    factory.make_comment(consultation, expert, None, body="نظری کلی دربارهٔ برنامه.")
    result = cluster(runner, *[a.format(slug=consultation.slug) for a in args])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and message in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClusterRun)) == 0


def test_a_run_already_running_is_one_line_and_exit_2(runner, factory):
    expert = factory.make_user(password=None)
    consultation = factory.make_consultation(participants=[expert])
    factory.make_comment(consultation, expert, None, body="نظری کلی دربارهٔ برنامه.")
    db.session.add(ClusterRun(consultation_id=consultation.id, scope="general", state=RunState.RUNNING))
    db.session.flush()
    result = cluster(runner, "--consultation", consultation.slug, "--scope", "general")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "در حال انجام" in result.output
