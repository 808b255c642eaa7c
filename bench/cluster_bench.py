"""Topic clustering benchmark: quality, speed and memory beside the reference baseline, in one table.

    .venv/bin/python bench/cluster_bench.py [--quick]

Every figure of ours is printed beside ../shared/bench/baseline_cluster.py run in this same call on
the same input file. Quality is the mean of 3 seeds of ours (the baseline fixes its own seed).
--quick skips the 30,000-text speed rows.
"""
import argparse
import importlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import corpus  # noqa: E402

SEEDS = (0, 1, 2)
_METRICS = re.compile(r"NMI ([\d.]+) ARI ([-\d.]+) V ([\d.]+)")
_SECONDS = re.compile(r"k=\d+, ([\d.]+) s")


def run(cmd: list[str], timed: bool = False) -> tuple[str, float | None, float | None]:
    """stdout, wall seconds and peak RSS in MB (the last two from /usr/bin/time -v when timed)."""
    time_bin = shutil.which("time") or "/usr/bin/time"
    if timed and Path(time_bin).exists():
        cmd = [time_bin, "-v", *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=corpus.ROOT)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    wall = rss = None
    for line in done.stderr.splitlines():
        if "Elapsed (wall clock)" in line:
            parts = line.rsplit(" ", 1)[1].split(":")
            wall = sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))
        elif "Maximum resident set size" in line:
            rss = int(line.rsplit(" ", 1)[1]) / 1024
    return done.stdout, wall, rss


def baseline(path: Path, k: int, timed: bool = False) -> dict:
    out, wall, rss = run([sys.executable, str(corpus.BASELINE_CLUSTER), str(path), "--k", str(k)], timed)
    result = {"wall": wall, "rss": rss, "seconds": float(_SECONDS.search(out).group(1))}
    if m := _METRICS.search(out):
        result.update(nmi=float(m.group(1)), ari=float(m.group(2)), v=float(m.group(3)))
    return result


def ours(path: Path, k: int | str, seed: int = 0, timed: bool = False) -> dict:
    out, wall, rss = run([sys.executable, str(HERE / "run_topics.py"), str(path), "--k", str(k),
                          "--seed", str(seed)], timed)
    return {**json.loads(out.strip().splitlines()[-1]), "wall": wall, "rss": rss}


def mean_of_seeds(path: Path, k: int | str) -> dict:
    runs = [ours(path, k, seed) for seed in SEEDS]
    return {key: sum(r[key] for r in runs) / len(runs) for key in ("nmi", "ari", "v", "k")}


def quality_rows(files: dict[str, tuple[Path, int]]):
    """Table rows, yielded as each is measured."""
    yield "| input | k | baseline NMI / ARI / V | ours NMI / ARI / V (3 seeds) | NMI ratio |"
    yield "|---|---|---|---|---|"
    for name, (path, k) in files.items():
        base = baseline(path, k)
        for k_ours in (k, "auto"):
            mine = mean_of_seeds(path, k_ours)
            shown = k if k_ours == k else f"auto (chose {mine['k']:.1f}) vs baseline at {k}"
            yield (f"| {name} | {shown} | {base['nmi']:.3f} / {base['ari']:.3f} / {base['v']:.3f} | "
                   f"{mine['nmi']:.3f} / {mine['ari']:.3f} / {mine['v']:.3f} | {mine['nmi'] / base['nmi']:.2f}× |")


def speed_rows(files: dict[int, Path], k: int):
    """Table rows, yielded as each is measured."""
    yield (f"| N | baseline wall / peak RSS | ours k={k} wall / peak RSS | ratio | "
           "ours auto wall / peak RSS | auto ÷ fixed |")
    yield "|---|---|---|---|---|---|"
    for n, path in files.items():
        base = baseline(path, k, timed=True)
        fixed = ours(path, k, timed=True)
        auto = ours(path, "auto", timed=True)
        yield (f"| {n:,} | {base['wall']:.1f} s / {base['rss']:.0f} MB | "
               f"{fixed['wall']:.1f} s / {fixed['rss']:.0f} MB | {fixed['wall'] / base['wall']:.2f}× | "
               f"{auto['wall']:.1f} s / {auto['rss']:.0f} MB (k={auto['k']}) | {auto['wall'] / fixed['wall']:.2f}× |")


def tokenize_speed(texts: list[str]) -> str:
    """Throughput once hazm's objects (and the 2 workers) are up; start-up is printed apart."""
    tokenize = importlib.import_module("consult.nlp.tokenize")
    from joblib import Parallel, delayed

    chars = sum(map(len, texts))
    start = time.perf_counter()
    tokenize.tokenize("شروع")
    Parallel(n_jobs=2)(delayed(tokenize.tokenize)("شروع") for _ in range(2))
    startup = time.perf_counter() - start
    figures = []
    for n_jobs in (1, 2):
        tokenize._lemma.cache_clear()  # lemmas are looked up afresh in each run
        start = time.perf_counter()
        if n_jobs == 1:
            tokenize._tokenize_chunk(texts)
        else:
            Parallel(n_jobs=2)(delayed(tokenize._tokenize_chunk)(texts[i::8]) for i in range(8))
        figures.append(chars / (time.perf_counter() - start) / 1e6)
    return (f"normalise + tokenise, {len(texts):,} distinct texts ({chars / 1e6:.1f} M chars): "
            f"{figures[0]:.2f} M chars/s in one process, {figures[1]:.2f} M chars/s on 2 processes "
            f"(after {startup:.1f} s loading hazm's word lists in this process and 2 workers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 30,000-text speed rows")
    args = parser.parse_args()
    corpus.require_shared()
    articles = corpus.read_csv(corpus.FARSNEWS)
    texts, labels = corpus.paragraphs(articles)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus.write_csv(tmp / "articles.csv", [r["text"] for r in articles], [r["label"] for r in articles])
        corpus.write_csv(tmp / "paragraphs.csv", texts, labels)
        quality = {"farsnews articles": (tmp / "articles.csv", 8),
                   f"farsnews paragraphs ({len(texts):,}, 150–600 chars)": (tmp / "paragraphs.csv", 8)}
        if corpus.DEMO_COMMENTS.exists():
            demo = [r for r in corpus.read_csv(corpus.DEMO_COMMENTS) if r.get("gold_topic")]
            corpus.write_csv(tmp / "demo.csv", [r["body"] for r in demo], [r["gold_topic"] for r in demo])
            quality[f"demo comments ({len(demo)})"] = (tmp / "demo.csv", len({r["gold_topic"] for r in demo}))
        else:
            print(f"note: {corpus.DEMO_COMMENTS.relative_to(corpus.ROOT)} not found; demo row skipped")
        sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 30_000)
        speed = {}
        for n in sizes:
            sample, sample_labels = corpus.resample(texts, labels, n)
            speed[n] = tmp / f"p{n}.csv"
            corpus.write_csv(speed[n], sample, sample_labels)

        print("## Quality (NMI / ARI / V-measure; ours = mean of seeds 0, 1, 2)\n", flush=True)
        for line in quality_rows(quality):
            print(line, flush=True)
        print(f"\n## Speed and peak memory, fresh process each, farsnews paragraphs; sizes above "
              f"{len(texts):,} are resampled with repeats\n")
        for line in speed_rows(speed, 8):
            print(line, flush=True)
        print("\n" + tokenize_speed(list(dict.fromkeys(texts + [r["text"] for r in articles]))))


if __name__ == "__main__":
    main()
