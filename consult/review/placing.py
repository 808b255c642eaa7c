"""Between runs: a comment saved after its scope's last run is placed by that run's stored model.

It goes to the nearest topic, or to the run's "other" group when it fits none, marked new since the last run,
so a scope's topics are never silently stale. Saving a comment queues the placement once the save is committed
(only when its consultation has a finished run); the placement itself is a fast job of a few milliseconds.
"""
import functools
from pathlib import Path

import joblib
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from consult.core.jobs import enqueue
from consult.extensions import db
from consult.feedback.models import Comment
from consult.review.models import ClusterRun, MembershipSource, RunState, Topic, TopicMembership, TopicOrigin
from consult.review.runs import OTHER_LABEL
from consult.review.scopes import scope_of

PENDING = "consult.review.placing"  # key in session.info: comment ids saved in this transaction


def last_run(consultation_id: int, scope_key: str) -> ClusterRun | None:
    """The scope's latest finished run that kept a model."""
    return db.session.scalar(
        sa.select(ClusterRun).filter_by(consultation_id=consultation_id, scope=scope_key, state=RunState.DONE)
        .where(ClusterRun.model_path.is_not(None)).order_by(ClusterRun.id.desc()).limit(1))


@functools.lru_cache(maxsize=4)
def _model(path: str):
    return joblib.load(path)


def run_model(run: ClusterRun):
    path = Path(current_app.instance_path) / run.model_path
    return _model(str(path)) if path.exists() else None


def place_comments(comment_ids: list[int]) -> int:
    """The job: place each comment in its scope (scopes partition the comments) when that scope has a finished
    run; returns how many."""
    placed = 0
    for comment in db.session.scalars(sa.select(Comment).where(Comment.id.in_(comment_ids))):
        key = scope_of(comment)
        run = last_run(comment.consultation_id, key)
        if run is not None:
            placed += place(comment, run, key)
    db.session.commit()
    return placed


def place(comment: Comment, run: ClusterRun, scope_key: str, label: int | None = None) -> int:
    """Replace the comment's machine topic with the model's choice (1), unless a person placed it (0).

    `label` is the model's topic index when the caller already has it.
    """
    scope_topics = sa.select(Topic.id).filter_by(consultation_id=comment.consultation_id, scope=scope_key)
    memberships = db.session.scalars(sa.select(TopicMembership).filter_by(comment_id=comment.id)
                                     .where(TopicMembership.topic_id.in_(scope_topics))).all()
    if any(m.source == MembershipSource.MANUAL or _made_by_person(m.topic) for m in memberships):
        return 0  # a person's topic: left alone
    for membership in memberships:
        db.session.delete(membership)
    db.session.flush()  # deleted before the new row goes in: the same topic may be chosen again
    if label is None:
        model = run_model(run)
        if model is None:
            return 0
        label = int(model.predict([comment.body])[0])
    topic = _topic(run, label)
    db.session.add(TopicMembership(comment_id=comment.id, topic_id=topic.id, source=MembershipSource.MACHINE,
                                   run_id=run.id, is_new=True))
    db.session.flush()
    return 1


def _made_by_person(topic: Topic) -> bool:
    return bool(topic.label or topic.is_noise or topic.merged_into_id or topic.origin == TopicOrigin.SECRETARY)


def _topic(run: ClusterRun, label: int) -> Topic:
    """The run's topic of this index (followed through merges), else its "other" group, made when missing."""
    ids = (run.parameters or {}).get("topic_ids") or []
    topic = db.session.get(Topic, ids[label]) if 0 <= label < (run.topic_count or 0) and label < len(ids) else None
    seen = set()
    while topic is not None and topic.merged_into is not None and topic.id not in seen:
        seen.add(topic.id)
        topic = topic.merged_into
    if topic is not None:
        return topic
    other = db.session.scalar(sa.select(Topic).filter_by(run_id=run.id, is_other=True))
    if other is None:
        other = Topic(consultation_id=run.consultation_id, scope=run.scope, machine_label=OTHER_LABEL, keywords=[],
                      origin=TopicOrigin.RUN, run_id=run.id, is_other=True)
        db.session.add(other)
        db.session.flush()
    return other


def new_since_last_run(consultation, scope_key: str) -> int:
    """How many of the scope's comments were placed after its last run."""
    topics = sa.select(Topic.id).filter_by(consultation_id=consultation.id, scope=scope_key)
    return db.session.scalar(sa.select(sa.func.count()).select_from(TopicMembership)
                             .where(TopicMembership.is_new.is_(True), TopicMembership.topic_id.in_(topics)))


# --- queueing on save --------------------------------------------------------------------------------------

def _dispatch_placement(comment_ids: list[int]) -> None:
    enqueue("consult.review.placing.place_comments", comment_ids)


@sa.event.listens_for(Session, "after_flush")
def _remember_saved_comments(session: Session, _context) -> None:
    """Comments written or rewritten in this flush, kept until commit when their consultation has a run."""
    saved = [obj for obj in session.new if isinstance(obj, Comment)]
    saved += [obj for obj in session.dirty if isinstance(obj, Comment) and sa.inspect(obj).attrs.body.history
              .has_changes()]  # a review mark or a withdrawal does not move a comment
    if not saved:
        return
    consultations = {comment.consultation_id for comment in saved}
    # on the connection: the session is mid-flush
    has_run = session.connection().execute(
        sa.select(ClusterRun.id).where(ClusterRun.consultation_id.in_(consultations),
                                       ClusterRun.state == RunState.DONE).limit(1)).first()
    if has_run:
        session.info.setdefault(PENDING, set()).update(comment.id for comment in saved)


@sa.event.listens_for(Session, "after_commit")
def _queue_placements(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:
        _dispatch_placement(sorted(pending))


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_placements(session: Session, _previous) -> None:
    session.info.pop(PENDING, None)
