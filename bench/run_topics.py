"""One TopicClusterer run in a fresh process: prints a JSON line with seconds, k and quality.

    python bench/run_topics.py INPUT.csv --k auto|N [--seed S]
"""
import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from corpus import read_csv  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--k", default="auto")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = read_csv(Path(args.input))
    start = time.perf_counter()  # from raw text, as the baseline measures itself
    from consult.nlp.cluster import TopicClusterer

    k = args.k if args.k == "auto" else int(args.k)
    model = TopicClusterer(n_topics=k, random_state=args.seed).fit([r["text"] for r in rows])
    result = {"seconds": time.perf_counter() - start, "k": model.n_topics_,
              "other": int((model.labels_ == -1).sum())}
    if rows and "label" in rows[0]:
        from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score

        gold = [r["label"] for r in rows]
        result.update(nmi=normalized_mutual_info_score(gold, model.labels_),
                      ari=adjusted_rand_score(gold, model.labels_), v=v_measure_score(gold, model.labels_))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
