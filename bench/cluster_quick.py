"""Quick clustering check for tuning: a 5-desk subset of farsnews paragraphs and the demo comments.

    .venv/bin/python bench/cluster_quick.py

Prints one table: the baseline (../shared/bench/baseline_cluster.py, run on the same CSV in this
call) beside TopicClusterer at the true k and with k="auto", ours the mean of seeds 0, 1, 2.
The news input is the farsnews paragraphs of 150–600 characters (bench/corpus.py) from the
sports, economy, world, arts-media and scientific-academic desks, which overlap less than the rest.
Ours runs in this process (tokens are cached between seeds), so the seconds are for tuning only;
bench/cluster_bench.py measures speed.
"""
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import corpus  # noqa: E402
from cluster_bench import baseline  # noqa: E402

DESKS = ("sports", "economy", "world", "arts-media", "scientific-academic")
SEEDS = (0, 1, 2)


def ours(texts: list[str], gold: list[str], k: int | str) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score

    from consult.nlp.cluster import TopicClusterer

    runs = []
    for seed in SEEDS:
        start = time.perf_counter()
        model = TopicClusterer(n_topics=k, random_state=seed).fit(texts)
        runs.append({"nmi": normalized_mutual_info_score(gold, model.labels_),
                     "ari": adjusted_rand_score(gold, model.labels_),
                     "v": v_measure_score(gold, model.labels_), "k": model.n_topics_,
                     "other": float((model.labels_ == -1).mean()),
                     "seconds": time.perf_counter() - start})
    mean = {key: sum(r[key] for r in runs) / len(runs) for key in runs[0]}
    mean["spread"] = max(r["nmi"] for r in runs) - min(r["nmi"] for r in runs)
    mean["ks"] = [r["k"] for r in runs]
    return mean


def main() -> None:
    corpus.require_shared()
    texts, labels = corpus.paragraphs(corpus.read_csv(corpus.FARSNEWS))
    picked = [i for i, label in enumerate(labels) if label in DESKS]
    inputs = {f"farsnews 5 desks ({len(picked):,} paragraphs)":
              ([texts[i] for i in picked], [labels[i] for i in picked])}
    if corpus.DEMO_COMMENTS.exists():
        demo = [r for r in corpus.read_csv(corpus.DEMO_COMMENTS) if r.get("gold_topic")]
        inputs[f"demo comments ({len(demo)})"] = ([r["body"] for r in demo], [r["gold_topic"] for r in demo])
    print("| input | k | baseline NMI / ARI / V | ours NMI / ARI / V (3 seeds, NMI spread) | "
          "k chosen | other | NMI ratio | ours s/fit |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (x, y) in inputs.items():
            path = Path(tmp) / "input.csv"
            corpus.write_csv(path, x, y)
            k = len(set(y))
            base = baseline(path, k)
            for k_ours in (k, "auto"):
                m = ours(x, y, k_ours)
                print(f"| {name} | {k_ours} | {base['nmi']:.3f} / {base['ari']:.3f} / {base['v']:.3f} | "
                      f"{m['nmi']:.3f} / {m['ari']:.3f} / {m['v']:.3f} (±{m['spread'] / 2:.3f}) | "
                      f"{'/'.join(map(str, m['ks']))} | {m['other']:.1%} | {m['nmi'] / base['nmi']:.2f}× | "
                      f"{m['seconds']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
