"""Server time and SQL queries of the review pages with 5,000 comments in one scope.

    .venv/bin/python bench/scope_page_bench.py [--comments 5000] [--requests 40] [--database-url URL]

Loads the demo into a fresh database (a temporary SQLite file unless --database-url names an empty
PostgreSQL database), adds comments on goal 1's subtree until its group's scope holds --comments, then
asks the scope page (plain, filtered, searched, a late page) and the item page of goal 1 as a planner,
--requests times each, and prints p50 / p95 server time and the number of SQL queries per page.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from config import TestingConfig, _engine_options  # noqa: E402
from consult import create_app  # noqa: E402
from consult.auth.models import Affiliation, Role, User  # noqa: E402
from consult.consultations.models import Consultation  # noqa: E402
from consult.demo import loader  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.feedback.models import Comment, Rating, Stance  # noqa: E402
from consult.feedback.text import refresh_text  # noqa: E402
from consult.plan.models import PlanItem  # noqa: E402
from consult.review.scopes import comments_in_scope, group_key, item_owners  # noqa: E402


def seed(target: int) -> tuple[Consultation, str]:
    loader.load_demo()
    consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=loader.CONSULTATION_SLUG))
    owners = item_owners(consultation.plan)
    goal = db.session.scalar(sa.select(PlanItem).filter_by(plan_id=consultation.plan_id, code="1"))
    key = group_key(owners[goal.id])
    items = [i for i in consultation.plan.items if owners.get(i.id) == owners[goal.id]]
    bodies = db.session.scalars(sa.select(Comment.body).where(Comment.consultation_id == consultation.id)).all()
    have = db.session.scalar(sa.select(sa.func.count()).select_from(comments_in_scope(consultation, key).subquery()))
    affiliations = list(Affiliation)
    criteria = consultation.criteria
    for n in range(target - have):
        if n % len(items) == 0:
            author = User(email=f"bench{n}@example.ir", display_name=f"نویسنده {n}", role=Role.EXPERT,
                          affiliation=affiliations[n % len(affiliations)])
            db.session.add(author)
        comment = Comment(consultation=consultation, author=author, item=items[n % len(items)],
                          stance=list(Stance)[n % 3], body=f"{bodies[n % len(bodies)]} ({n})")
        refresh_text(comment)
        comment.ratings = [Rating(criterion_id=c.id, score=1 + (n + i) % 5) for i, c in enumerate(criteria)]
        db.session.add(comment)
        if n % 500 == 499:
            db.session.flush()
    db.session.commit()
    return consultation, key


def measure(client, url: str, repeat: int) -> tuple[float, float, int]:
    queries = []

    def count(*_args):
        queries.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    times = []
    try:
        for _ in range(repeat):
            queries.clear()
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=_engine_options(url))
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            consultation, key = seed(args.comments)
            total = db.session.scalar(sa.select(sa.func.count()).select_from(
                comments_in_scope(consultation, key).subquery()))
            planner = db.session.scalar(sa.select(User).filter_by(email="planner@example.ir"))
            print(f"{db.engine.dialect.name}: {total} comments in scope {key} "
                  f"(seeded in {time.perf_counter() - started:.0f} s)")
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = planner.get_id()
            base = f"/review/c/{consultation.slug}/scopes/{key}"
            pages = {
                "scope page": base,
                "scope, filtered": f"{base}?stance=disagree&affiliation=academic&reviewed=no",
                "scope, searched": f"{base}?q=" + "پارکينگ",
                "scope, page 150": f"{base}?page=150",
                "scope, item 1.1": f"{base}?item=1.1",
                "item page (goal 1)": f"/c/{consultation.slug}/items/1",
            }
            print(f"{'page':<22} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
            for name, page in pages.items():
                p50, p95, queries = measure(client, page, args.requests)
                print(f"{name:<22} {p50:8.1f} {p95:8.1f} {queries:8d}")
            db.session.remove()
            if args.database_url:
                db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
