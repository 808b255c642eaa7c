"""Normalise and tokenise speed, in characters per second, beside hazm's own Normalizer and WordTokenizer.

    .venv/bin/python bench/tokenize_bench.py [--repeat 3]

Inputs are the distinct farsnews paragraphs of 150-600 characters (bench/corpus.py), about the
length of a comment. Before timing, hazm's tokenizer, lemmatizer, stopwords and word and verb lists
are loaded in this process (their load time is printed apart); the lemma cache is cleared before
every run, so each run meets every word for the first time, as a fresh process would. The
2-process row is tokenize_many(n_jobs=2) as callers see it: starting its worker included.
Each figure is the best of --repeat runs; the load average is printed with them, since other
jobs on the machine slow every row (the rows take turns, so they share the same conditions).
"""
import argparse
import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import corpus  # noqa: E402
import hazm  # noqa: E402

# the package exports a function named normalize, which hides the module of that name
normalize = importlib.import_module("consult.nlp.normalize")
tokenize = importlib.import_module("consult.nlp.tokenize")


def best_rates(runs: dict, texts: list[str], repeat: int) -> dict[str, float]:
    """Millions of characters per second of each run, the fastest of `repeat` cold-cache runs.

    The runs take turns, so a burst of other work on the machine slows all of them alike.
    """
    chars = sum(map(len, texts))
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            tokenize._lemma.cache_clear()
            start = time.perf_counter()
            run(texts)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: chars / seconds / 1e6 for name, seconds in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the fastest counts")
    args = parser.parse_args()
    corpus.require_shared()
    texts = list(dict.fromkeys(corpus.paragraphs(corpus.read_csv(corpus.FARSNEWS))[0]))
    load_before = os.getloadavg()

    start = time.perf_counter()
    tokenize._load()
    hazm_normalizer, hazm_tokenizer = hazm.Normalizer(), hazm.WordTokenizer()
    loaded = time.perf_counter() - start

    hazm_runs = {
        "`Normalizer().normalize`": lambda batch: [hazm_normalizer.normalize(t) for t in batch],
        "`Normalizer().normalize` + `WordTokenizer().tokenize`":
            lambda batch: [hazm_tokenizer.tokenize(hazm_normalizer.normalize(t)) for t in batch],
    }
    ours = [  # (step, run, the hazm step it is compared with)
        ("`normalize`", lambda batch: [normalize.normalize(t) for t in batch], "`Normalizer().normalize`"),
        ("`tokenize_many`, 1 process", tokenize.tokenize_many,
         "`Normalizer().normalize` + `WordTokenizer().tokenize`"),
        ("`tokenize_many`, n_jobs=2", lambda batch: tokenize.tokenize_many(batch, n_jobs=2),
         "`Normalizer().normalize` + `WordTokenizer().tokenize`"),
    ]
    rates = best_rates({name: run for name, run, _ in ours} | hazm_runs, texts, args.repeat)
    load_after = os.getloadavg()

    print(f"{len(texts):,} distinct farsnews paragraphs, {sum(map(len, texts)) / 1e6:.2f} M chars; "
          f"{os.cpu_count()} cores; load average (1, 5, 15 min) "
          f"{' '.join(f'{x:.2f}' for x in load_before)} before, {' '.join(f'{x:.2f}' for x in load_after)} after")
    print(f"hazm's tokenizer, lemmatizer, stopwords and word and verb lists loaded first, in {loaded:.1f} s "
          f"(not timed below); lemma cache cleared before each run; best of {args.repeat}")
    print()
    print("| step | M chars/s | hazm | M chars/s | ratio |")
    print("|---|---|---|---|---|")
    for name, _, ref in ours:
        print(f"| {name} | {rates[name]:.2f} | {ref} | {rates[ref]:.2f} | {rates[name] / rates[ref]:.1f}× |")


if __name__ == "__main__":
    main()
