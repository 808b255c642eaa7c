"""Benchmark inputs: locate ../shared, read farsnews, cut it into comment-length paragraphs."""
import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FARSNEWS = SHARED / "data" / "farsnews.csv"
BASELINE_CLUSTER = SHARED / "bench" / "baseline_cluster.py"
DEMO_COMMENTS = ROOT / "consult" / "demo" / "data" / "comments.csv"

_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


def require_shared() -> None:
    """Exit with a message, not a traceback, when ../shared (data and baselines) is absent."""
    missing = [p for p in (FARSNEWS, BASELINE_CLUSTER) if not p.exists()]
    if missing:
        sys.exit(f"bench: {', '.join(str(p.relative_to(ROOT.parent)) for p in missing)} not found; "
                 "the benchmarks need ../shared next to the repository")


def read_csv(path: Path) -> list[dict[str, str]]:
    """All rows of a UTF-8 CSV file as dicts."""
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, texts: list[str], labels: list[str]) -> None:
    """A text,label CSV as both pipelines read it."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(zip(texts, labels))


def paragraphs(rows: list[dict[str, str]], low: int = 150, high: int = 600) -> tuple[list[str], list[str]]:
    """Articles cut into low..high-character pieces (whole sentences), each keeping its article's label."""
    texts, labels = [], []
    for row in rows:
        piece = ""
        for line in row["text"].split("\n"):
            for sentence in _SENTENCE_END.split(line.strip()):
                if piece and len(piece) + len(sentence) + 1 > high:
                    if len(piece) >= low:
                        texts.append(piece)
                        labels.append(row["label"])
                    piece = ""
                piece = f"{piece} {sentence}".strip() if len(sentence) <= high else ""
            if len(piece) >= low:  # a paragraph ends a piece once it is long enough
                texts.append(piece)
                labels.append(row["label"])
                piece = ""
    return texts, labels


def resample(texts: list[str], labels: list[str], n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """n rows: the first min(n, len) in a shuffled order, then random repeats to reach n."""
    rng = random.Random(seed)
    order = list(range(len(texts)))
    rng.shuffle(order)
    picked = order[:n] + [rng.randrange(len(texts)) for _ in range(n - len(order))]
    return [texts[i] for i in picked], [labels[i] for i in picked]
