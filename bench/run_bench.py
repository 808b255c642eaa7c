"""Wall time and peak memory of a full clustering run (duplicates, topics, links, the rows written), as the app runs it.

    .venv/bin/python bench/run_bench.py [--sizes demo 5000] [--embeddings off e5] [--k auto]

For each size it seeds a SQLite file database: the demo consultation (470 comments), and for a larger size
the demo plus synthetic general comments up to that number, each two sentences of different demo comments
joined (so no two are copies, and the campaigns stay as they are). Then each run happens in a fresh process
(`--measure`), timed from start_run to the end of execute_run (wall s), with that process's CPU time (start-up
included; on a machine other jobs share, CPU s is the steadier figure) and peak resident memory (ru_maxrss: the
app, the comments loaded, the models and the rows written). CONSULT_EMBEDDINGS is set per run.
"""
import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SLUG = "third-plan"


def _app(path: Path):
    from config import DevelopmentConfig
    from consult import create_worker_app

    app = create_worker_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
                            SQLALCHEMY_ENGINE_OPTIONS={})
    app.instance_path = str(path.parent)  # the run's model goes beside its database
    return app


def seed(path: Path, size: int | None) -> int:
    """The demo, plus synthetic comments up to `size`; returns the number of comments."""
    import sqlalchemy as sa

    from consult.demo.loader import load_demo
    from consult.extensions import db
    from consult.feedback.models import Comment, Stance
    from consult.feedback.text import refresh_text

    app = _app(path)
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        comments = db.session.scalars(sa.select(Comment)).all()
        total = len(comments)
        if size and size > total:
            rng = random.Random(0)
            sentences = [s.strip() for c in comments for s in re.split(r"[.!؟?]\s*", c.body) if len(s.strip()) > 20]
            authors = [c.author_id for c in comments]
            consultation_id = comments[0].consultation_id
            for _ in range(size - total):
                comment = Comment(consultation_id=consultation_id, author_id=rng.choice(authors), item_id=None,
                                  stance=rng.choice(list(Stance)),
                                  body=f"{rng.choice(sentences)}. {rng.choice(sentences)}.")
                refresh_text(comment)
                db.session.add(comment)
            db.session.commit()
            total = size
        db.session.remove()
        db.engine.dispose()  # the last connection closed folds the WAL into the file, which is then copied
    return total


def measure(path: Path, k: str) -> dict:
    """One run in this process: seconds, peak MB and what it found."""
    from consult.consultations.models import Consultation
    from consult.extensions import db
    from consult.review import runs

    app = _app(path)
    with app.app_context():
        import sqlalchemy as sa

        consultation = db.session.scalar(sa.select(Consultation).filter_by(slug=SLUG))
        started = time.perf_counter()
        run = runs.start_run(consultation, "general", None, None if k == "auto" else int(k), dispatch=False)
        db.session.commit()
        run = runs.execute_run(run.id)
        seconds = time.perf_counter() - started
        me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime  # the whole process, start-up too
        return {"seconds": round(seconds, 1), "peak_mb": max(me.ru_maxrss, children.ru_maxrss) // 1024,
                "cpu": round(cpu, 1),
                "state": run.state.value, "topics": run.topic_count, "comments": run.comment_count,
                "embeddings": (run.parameters or {}).get("embeddings"), "error": run.error}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["demo", "5000"])
    parser.add_argument("--embeddings", nargs="+", default=["off", "e5"])
    parser.add_argument("--k", default="auto")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.k)))
        return
    print(f"{'comments':>8}  {'embeddings':>10}  {'k':>5}  {'topics':>6}  {'wall s':>7}  {'CPU s':>7}  {'peak MB':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            template = Path(folder) / f"seed-{size}.db"
            seed(template, None if size == "demo" else int(size))
            for embeddings in args.embeddings:
                path = Path(folder) / f"run-{size}-{embeddings}.db"
                path.write_bytes(template.read_bytes())  # every run starts from the same database
                env = {**os.environ, "CONSULT_EMBEDDINGS": embeddings, "CONSULT_CONFIG": "config.DevelopmentConfig"}
                out = subprocess.run([sys.executable, __file__, "--measure", str(path), "--k", args.k], env=env,
                                     stdout=subprocess.PIPE, text=True, check=True, cwd=ROOT).stdout
                r = json.loads(out.strip().splitlines()[-1])
                if r["state"] != "done":
                    print(f"run failed: {r['error']}")
                print(f"{r['comments']:>8}  {r['embeddings'] or 'off':>10}  {args.k:>5}  {r['topics']:>6}  "
                      f"{r['seconds']:>7}  {r['cpu']:>7}  {r['peak_mb']:>7}", flush=True)


if __name__ == "__main__":
    main()
