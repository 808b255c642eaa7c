"""Clustering runs: one job per scope computes duplicates, topics and item links, then writes them at once.

A run is queued by start_run and computed by execute_run (a background job, or the command line in the
foreground). It reads the scope's comments, lets go of the database while it computes, and writes every row
in one short transaction at the end, after checking inside it that it is still the scope's current run: a
newer run or a failed mark wins, and a late run writes nothing. A failure leaves the previous rows as they were.
"""
import logging
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import sqlalchemy as sa
from flask import current_app

from consult.core.audit import record
from consult.core.errors import ConsultError
from consult.core.jobs import Job, JobState, mark_stale_jobs, start_job
from consult.core.time import utcnow
from consult.extensions import db
from consult.feedback.models import Comment
from consult.nlp.embed import get_embedder
from consult.plan.models import PlanItem
from consult.review import scopes
from consult.review.models import (
    ClusterRun,
    CommentLink,
    Decision,
    DuplicateGroup,
    LinkSource,
    MembershipSource,
    RunState,
    Topic,
    TopicMembership,
    TopicOrigin,
    duplicate_group_member,
)
from consult.review.scopes import UnknownScope, comments_in_scope

log = logging.getLogger(__name__)

MIN_TOPICS = 2
MAX_TOPICS = 60  # more topics than a secretary can read through on one board
TOP_LINKS = 3  # suggested items per comment
OTHER_LABEL = "سایر"
MODEL_FOLDER = "models"  # under the app's instance folder
SEED = 0  # the same comments give the same topics


class RunRefused(ConsultError):
    message = "برای این حوزه هم‌اکنون یک اجرای خوشه‌بندی در صف یا در حال انجام است."


class BadTopicCount(ConsultError):
    message = "شمار موضوع‌ها باید عددی از ۲ تا ۶۰ و کمتر از شمار نظرها باشد."


class NothingToCluster(ConsultError):
    message = "این حوزه هنوز نظری ندارد."


# --- scopes ------------------------------------------------------------------------------------------------

def scope_keys(consultation) -> list[str]:
    """Every scope of the consultation: one per working group of its plan, then "general"."""
    return [scope.key for scope in scopes.scopes_of(consultation)]


def check_scope(consultation, scope_key: str) -> None:
    if scopes.scope_by_key(consultation, scope_key) is None:
        raise UnknownScope()


def scope_comment_count(consultation, scope_key: str) -> int:
    query = comments_in_scope(consultation, scope_key).order_by(None)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


# --- starting ----------------------------------------------------------------------------------------------

EXECUTE = "consult.review.runs.execute_run"


def active_run(consultation, scope_key: str) -> ClusterRun | None:
    settle_dead_runs(consultation, scope_key)
    return db.session.scalar(sa.select(ClusterRun).filter_by(consultation_id=consultation.id, scope=scope_key)
                             .where(ClusterRun.state.in_((RunState.QUEUED, RunState.RUNNING))))


def settle_dead_runs(consultation, scope_key: str) -> list[ClusterRun]:
    """Queued or running runs whose job died (marked failed past its heartbeat) fail too: the scope is free."""
    waiting = list(db.session.scalars(
        sa.select(ClusterRun).filter_by(consultation_id=consultation.id, scope=scope_key)
        .where(ClusterRun.state.in_((RunState.QUEUED, RunState.RUNNING)))))
    if not waiting:
        return []
    mark_stale_jobs(kind="cluster")
    jobs = db.session.scalars(sa.select(Job).filter_by(kind="cluster", function=EXECUTE)
                              .where(Job.created_at >= min(run.created_at for run in waiting))).all()
    failed = {job.arguments[0]: job for job in jobs if job.state == JobState.FAILED and job.arguments}
    settled = []
    for run in waiting:
        job = failed.get(run.id)
        if job is not None:
            run.state, run.error, run.finished_at = RunState.FAILED, job.error, utcnow()
            settled.append(run)
    db.session.flush()
    return settled


def scope_runs(consultation, scope_key: str) -> list[ClusterRun]:
    """The scope's runs, newest first (runs are kept); a run whose job died shows as failed."""
    settle_dead_runs(consultation, scope_key)
    return list(db.session.scalars(sa.select(ClusterRun).filter_by(consultation_id=consultation.id, scope=scope_key)
                                   .order_by(ClusterRun.id.desc())))


def start_run(consultation, scope_key: str, requested_by, k: int | None = None, *, dispatch: bool = True
              ) -> ClusterRun:
    """Queue a run for the scope (k topics, or chosen by the data); refused while one is queued or running."""
    check_scope(consultation, scope_key)
    count = scope_comment_count(consultation, scope_key)
    if count == 0:
        raise NothingToCluster()
    if k is not None and not (MIN_TOPICS <= k <= MAX_TOPICS and k < count):
        raise BadTopicCount()
    if active_run(consultation, scope_key) is not None:
        raise RunRefused()
    run = ClusterRun(consultation_id=consultation.id, scope=scope_key, state=RunState.QUEUED,
                     parameters={"k": k}, requested_by_id=getattr(requested_by, "id", None))
    try:
        # On PostgreSQL two simultaneous starts both pass the check above: the partial unique index
        # uq_cluster_run_active lets one insert through and the other gets the refusal.
        with db.session.begin_nested():
            db.session.add(run)
    except sa.exc.IntegrityError:
        raise RunRefused() from None
    record(requested_by, "cluster_run.start", run, scope=scope_key, k=k)
    if dispatch:
        _dispatch(run, requested_by)
    return run


def _dispatch(run: ClusterRun, requested_by=None) -> None:
    """A background job (a Job row, in a process of its own or on an RQ worker) runs it after the commit."""
    start_job("cluster", EXECUTE, run.id, requested_by=requested_by)


# --- computing ---------------------------------------------------------------------------------------------

@dataclass
class Inputs:
    comment_ids: list[int]
    texts: list[str]
    filed_codes: list[str | None]  # the item each author chose
    items: list[dict]
    k: int | None
    embedder: str | None


@dataclass
class Results:
    comment_ids: list[int]
    labels: list[int]  # topic index per comment, -1 for "other"
    topics: list[dict]  # label, keywords, representatives (indices into comment_ids)
    duplicates: list[list[int]]  # indices into comment_ids
    links: list[list[tuple[str, float]]]  # per comment, (item code, score), best first
    model: object = None
    extra: dict = field(default_factory=dict)


def embeddings_name() -> str | None:
    """The embedder a run uses: only when CONSULT_EMBEDDINGS names one and its package is installed.

    Off by default here (unlike the NLP command line): at about 30 texts a second, a large scope would take minutes.
    """
    name = str(current_app.config.get("EMBEDDINGS") or "").strip().lower()
    if name in ("", "off", "none", "0", "false"):
        return None
    return name if get_embedder(name) is not None else None


def load_inputs(run: ClusterRun) -> Inputs:
    consultation = run.consultation
    query = comments_in_scope(consultation, run.scope).with_only_columns(Comment.id, Comment.body, PlanItem.code)
    rows = db.session.execute(query.outerjoin(PlanItem, PlanItem.id == Comment.item_id)).all()
    items = db.session.execute(
        sa.select(PlanItem.code, PlanItem.kind, PlanItem.title, PlanItem.description, PlanItem.parent_id, PlanItem.id)
        .filter_by(plan_id=consultation.plan_id)).all()
    code_of = {item.id: item.code for item in items}
    return Inputs(
        comment_ids=[row[0] for row in rows], texts=[row[1] or "" for row in rows],
        filed_codes=[row[2] for row in rows],
        items=[{"code": item.code, "kind": item.kind.value, "title": item.title, "description": item.description,
                "parent_code": code_of.get(item.parent_id, "")} for item in items],
        k=(run.parameters or {}).get("k"), embedder=embeddings_name(),
    )


def compute(inputs: Inputs, progress=lambda percent: None) -> Results:
    """Duplicates, topics and links of the scope's comments: text in, indices and codes out."""
    from consult.nlp.cluster import TopicClusterer
    from consult.nlp.duplicates import find_duplicates
    from consult.nlp.link import ItemLinker

    texts = inputs.texts
    duplicates = find_duplicates(texts)
    progress(20)
    model = TopicClusterer(n_topics=inputs.k or "auto", random_state=SEED).fit(texts)
    progress(60)
    links: list[list[tuple[str, float]]] = [[] for _ in texts]
    if inputs.items:
        known = {item["code"] for item in inputs.items}
        examples, exclude = [], []
        for text, code in zip(texts, inputs.filed_codes):
            if code in known:  # filed by its author: an example for the others, never for itself
                exclude.append(len(examples))
                examples.append((text, code))
            else:
                exclude.append(None)
        linker = ItemLinker(embedder=inputs.embedder).fit(inputs.items, examples, unlabeled=texts)
        links = linker.suggest(texts, top_k=TOP_LINKS, exclude_examples=exclude)
    progress(90)
    topics = [{"label": t["label"], "keywords": t["keywords"], "representatives": t["representatives"]}
              for t in model.topics_]
    return Results(comment_ids=inputs.comment_ids, labels=[int(x) for x in model.labels_], topics=topics,
                   duplicates=duplicates, links=links, model=model,
                   extra={"embeddings": inputs.embedder, "k": inputs.k or "auto"})


def execute_run(run_id: int, echo=None) -> ClusterRun | None:
    """The job: compute the run and write its rows; any failure marks the run failed with the reason.

    `echo` (the command line) is told each progress step.
    """
    run = db.session.get(ClusterRun, run_id)
    if run is None or run.state != RunState.QUEUED:
        return run  # a failed mark (or a second delivery of the job) wins
    run.state, run.started_at, run.progress = RunState.RUNNING, utcnow(), 0
    db.session.commit()

    def progress(percent: int) -> None:
        set_progress(run_id, percent)
        if echo:
            echo(percent)

    try:
        inputs = load_inputs(db.session.get(ClusterRun, run_id))
        db.session.commit()  # nothing held while the job computes
        progress(5)
        results = compute(inputs, progress)
        write_results(run_id, results)
    except Exception as error:  # noqa: BLE001  whatever broke, the run says so and the scope is free again
        db.session.rollback()
        log.exception("clustering run %s failed", run_id)
        mark_failed(run_id, failure_reason(error))
    run = db.session.get(ClusterRun, run_id)
    if echo and run.state == RunState.DONE:
        echo(100)
    return run


def failure_reason(error: Exception) -> str:
    if isinstance(error, ConsultError):
        return error.message
    return f"خطا در محاسبه: {type(error).__name__}: {error}"[:1000]


def set_progress(run_id: int, percent: int) -> None:
    db.session.execute(sa.update(ClusterRun).where(ClusterRun.id == run_id, ClusterRun.state == RunState.RUNNING)
                       .values(progress=percent))
    db.session.commit()


def mark_failed(run_id: int, reason: str) -> None:
    """Fail a queued or running run (a finished one stays as it is)."""
    db.session.execute(sa.update(ClusterRun).where(ClusterRun.id == run_id,
                                                   ClusterRun.state.in_((RunState.QUEUED, RunState.RUNNING)))
                       .values(state=RunState.FAILED, error=reason, finished_at=utcnow()))
    db.session.commit()


# --- writing -----------------------------------------------------------------------------------------------

def model_file(run_id: int) -> Path:
    return Path(current_app.instance_path) / MODEL_FOLDER / f"run-{run_id}.joblib"


def load_model(run: ClusterRun):
    """The run's fitted topic model, or None when it has none (or its file is gone)."""
    if not run.model_path:
        return None
    path = Path(current_app.instance_path) / run.model_path
    return joblib.load(path) if path.exists() else None


def _is_current(run: ClusterRun) -> bool:
    if run.state != RunState.RUNNING:
        return False
    newer = sa.select(ClusterRun.id).filter_by(consultation_id=run.consultation_id, scope=run.scope) \
        .where(ClusterRun.id > run.id)
    return db.session.scalar(newer.limit(1)) is None


def write_results(run_id: int, results: Results) -> bool:
    """Write the run's rows in one transaction if it is still the scope's current run; False when it is not."""
    path = model_file(run_id)
    if results.model is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(results.model, path, compress=3)  # before the transaction, which stays short
    # The row lock (PostgreSQL; SQLite's BEGIN IMMEDIATE holds the database) keeps a failed mark out meanwhile.
    run = db.session.scalar(sa.select(ClusterRun).where(ClusterRun.id == run_id).with_for_update()
                            .execution_options(populate_existing=True))
    if not _is_current(run):
        if run.state == RunState.RUNNING:
            run.state, run.finished_at = RunState.FAILED, utcnow()
            run.error = "اجرای تازه‌تری برای این حوزه آغاز شد؛ نتیجهٔ این اجرا نوشته نشد."
        db.session.commit()
        path.unlink(missing_ok=True)
        return False
    topic_ids = _replace_rows(run, results)
    run.state, run.progress, run.finished_at = RunState.DONE, 100, utcnow()
    run.comment_count, run.topic_count = len(results.comment_ids), len(results.topics)
    run.model_path = f"{MODEL_FOLDER}/{path.name}" if results.model is not None else None
    run.parameters = {**(run.parameters or {}), **results.extra, "topic_ids": topic_ids}
    db.session.commit()
    return True


def _replace_rows(run: ClusterRun, results: Results) -> list[int | None]:
    """Swap the scope's machine rows for the run's; returns the Topic id of each topic index (-1 last).

    What a person made stays: confirmed, rejected and authors' links, and every topic a person touched
    (renamed, marked noise, merged, given a member by hand or a decision), with its members; a comment in
    such a topic gets no machine topic besides.
    """
    consultation = run.consultation
    in_scope = comments_in_scope(consultation, run.scope, include_withdrawn=True).with_only_columns(Comment.id) \
        .order_by(None)
    db.session.execute(sa.delete(CommentLink).where(CommentLink.source == LinkSource.SUGGESTED,
                                                    CommentLink.comment_id.in_(in_scope))
                       .execution_options(synchronize_session=False))
    _delete_machine_topics(consultation, run.scope)
    scope_runs_ids = sa.select(ClusterRun.id).filter_by(consultation_id=consultation.id, scope=run.scope)
    db.session.execute(sa.delete(DuplicateGroup).where(DuplicateGroup.run_id.in_(scope_runs_ids))
                       .execution_options(synchronize_session=False))

    topics = [Topic(consultation_id=consultation.id, scope=run.scope, machine_label=t["label"],
                    keywords=t["keywords"], origin=TopicOrigin.RUN, run_id=run.id) for t in results.topics]
    if any(label < 0 for label in results.labels):
        topics.append(Topic(consultation_id=consultation.id, scope=run.scope, machine_label=OTHER_LABEL,
                            keywords=[], origin=TopicOrigin.RUN, run_id=run.id, is_other=True))
    db.session.add_all(topics)
    groups = [DuplicateGroup(consultation_id=consultation.id, run_id=run.id) for _ in results.duplicates]
    db.session.add_all(groups)
    db.session.flush()

    # what is left of the scope's topics after the deletion above is what people made
    kept_topics = sa.select(Topic.id).filter_by(consultation_id=consultation.id, scope=run.scope) \
        .where(Topic.run_id.is_distinct_from(run.id))
    placed_by_hand = set(db.session.scalars(
        sa.select(TopicMembership.comment_id).where(TopicMembership.topic_id.in_(kept_topics))))
    representatives = {(t, i) for t, topic in enumerate(results.topics) for i in topic["representatives"]}
    other = topics[-1] if topics and topics[-1].is_other else None
    memberships = []
    for i, (comment_id, label) in enumerate(zip(results.comment_ids, results.labels)):
        if comment_id in placed_by_hand:
            continue
        topic = topics[label] if label >= 0 else other
        memberships.append({"comment_id": comment_id, "topic_id": topic.id, "source": MembershipSource.MACHINE,
                            "run_id": run.id, "is_representative": (label, i) in representatives})
    memberships += _late_memberships(run, results, topics, placed_by_hand)
    if memberships:
        db.session.execute(sa.insert(TopicMembership), memberships)
    members = [{"group_id": group.id, "comment_id": results.comment_ids[i]}
               for group, indices in zip(groups, results.duplicates) for i in indices]
    if members:
        db.session.execute(sa.insert(duplicate_group_member), members)
    _insert_links(run, results, in_scope)
    return [topic.id for topic in topics]


def _late_memberships(run: ClusterRun, results: Results, topics: list[Topic], placed_by_hand: set) -> list[dict]:
    """Comments saved after the run read the scope: placed by its model now, marked new since the run."""
    computed = set(results.comment_ids)
    rows = db.session.execute(comments_in_scope(run.consultation, run.scope)
                              .with_only_columns(Comment.id, Comment.body)).all()
    late = [row for row in rows if row.id not in computed and row.id not in placed_by_hand]
    if not late or results.model is None:
        return []
    labels = results.model.predict([row.body for row in late])
    other = topics[-1] if topics and topics[-1].is_other else None
    if other is None and (labels < 0).any():
        other = Topic(consultation_id=run.consultation_id, scope=run.scope, machine_label=OTHER_LABEL, keywords=[],
                      origin=TopicOrigin.RUN, run_id=run.id, is_other=True)
        db.session.add(other)
        db.session.flush()
        topics.append(other)
    return [{"comment_id": row.id, "topic_id": (topics[label] if label >= 0 else other).id,
             "source": MembershipSource.MACHINE, "run_id": run.id, "is_new": True}
            for row, label in zip(late, labels.tolist())]


def _delete_machine_topics(consultation, scope_key: str) -> None:
    touched_by_hand = sa.or_(
        Topic.label != "", Topic.is_noise.is_(True), Topic.merged_into_id.is_not(None),
        sa.exists().where(TopicMembership.topic_id == Topic.id, TopicMembership.source == MembershipSource.MANUAL),
        sa.exists().where(Decision.topic_id == Topic.id),
    )
    merged_into = sa.select(Topic.merged_into_id).where(Topic.merged_into_id.is_not(None)).scalar_subquery()
    doomed = sa.select(Topic.id).filter_by(consultation_id=consultation.id, scope=scope_key, origin=TopicOrigin.RUN) \
        .where(sa.not_(touched_by_hand), Topic.id.not_in(merged_into))
    ids = list(db.session.scalars(doomed))
    if ids:
        db.session.execute(sa.delete(TopicMembership).where(TopicMembership.topic_id.in_(ids))
                           .execution_options(synchronize_session=False))
        db.session.execute(sa.delete(Topic).where(Topic.id.in_(ids)).execution_options(synchronize_session=False))


def _insert_links(run: ClusterRun, results: Results, in_scope) -> None:
    item_id = dict(db.session.execute(sa.select(PlanItem.code, PlanItem.id)
                                      .filter_by(plan_id=run.consultation.plan_id)).all())
    # a pair someone already decided (or the author chose) keeps its row
    taken = {(row.comment_id, row.item_id) for row in db.session.execute(
        sa.select(CommentLink.comment_id, CommentLink.item_id).where(CommentLink.comment_id.in_(in_scope)))}
    rows = [{"comment_id": comment_id, "item_id": item_id[code], "source": LinkSource.SUGGESTED, "score": score,
             "run_id": run.id}
            for comment_id, ranked in zip(results.comment_ids, results.links)
            for code, score in ranked if (comment_id, item_id[code]) not in taken]
    if rows:
        db.session.execute(sa.insert(CommentLink), rows)
