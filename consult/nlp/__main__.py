"""Command line: python -m consult.nlp cluster|link|duplicates|evaluate …, on UTF-8 CSV files."""
import argparse
import csv
import sys
from collections.abc import Sequence

from consult.nlp.embed import EMBEDDERS, embeddings_setting

OTHER_LABEL = "سایر"


class InputError(Exception):
    """Bad input the user can fix; reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + message
        raise InputError(message)


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, not {n}")
    return n


def _fraction(value: str) -> float:
    """A number from 0 to 1; nan fails both comparisons, so it is refused too."""
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, not {value!r}") from None
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, not {value!r}")
    return x


def _k(value: str) -> str | int:
    """'auto' or a whole number of at least 1."""
    return value if value == "auto" else _positive(value)


def read_csv(path: str, required: Sequence[str] = ()) -> tuple[list[str], list[dict]]:
    """Header and rows of a UTF-8 CSV file (a BOM is tolerated); InputError names any problem."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames
            rows = list(reader)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found / فایل پیدا نشد") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); "
                         "save the file as UTF-8 / فایل باید UTF-8 باشد") from None
    except (csv.Error, OSError) as exc:
        raise InputError(f"{path}: cannot read CSV: {exc}") from None
    if not header:
        raise InputError(f"{path}: empty file / فایل خالی است")
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(f"{path}: missing column {', '.join(missing)} (columns: {', '.join(header)}) / ستون پیدا نشد")
    if not rows:
        raise InputError(f"{path}: no data rows / فایل هیچ ردیفی ندارد")
    return list(header), rows


def write_csv(path: str, header: Sequence[str], rows) -> None:
    """Write rows (dicts) as UTF-8 CSV."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(header), extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _texts(rows: list[dict], column: str) -> list[str]:
    return [row.get(column) or "" for row in rows]


def _fit_topics(texts: list[str], k, seed):
    from consult.nlp.cluster import TopicClusterer  # heavy: only for the commands that cluster

    return TopicClusterer(n_topics=k, random_state=seed).fit(texts)


def cmd_cluster(args) -> None:
    header, rows = read_csv(args.input, [args.text_column])
    model = _fit_topics(_texts(rows, args.text_column), args.k, args.seed)
    labels = {topic["id"]: topic["label"] for topic in model.topics_}
    for row, topic in zip(rows, model.labels_):
        row["topic"] = int(topic)
        row["topic_label"] = labels.get(int(topic), OTHER_LABEL)
    write_csv(args.output, [c for c in header if c not in ("topic", "topic_label")] + ["topic", "topic_label"], rows)
    for topic in sorted(model.topics_, key=lambda t: -t["size"]):
        print(f"{topic['id']}\t{topic['size']}\t{topic['label']}")
    others = int((model.labels_ == -1).sum())
    if others:
        print(f"-1\t{others}\t{OTHER_LABEL}")


def cmd_evaluate(args) -> None:
    from sklearn import metrics

    _, rows = read_csv(args.input, [args.text_column, args.label_column])
    truth = _texts(rows, args.label_column)
    model = _fit_topics(_texts(rows, args.text_column), args.k, args.seed)
    predicted = [int(t) for t in model.labels_]
    print(f"{len(rows)} texts, {len(set(truth))} labels, {len(model.topics_)} topics")
    print(f"NMI {metrics.normalized_mutual_info_score(truth, predicted):.3f}  "
          f"ARI {metrics.adjusted_rand_score(truth, predicted):.3f}  "
          f"V-measure {metrics.v_measure_score(truth, predicted):.3f}")


def cmd_duplicates(args) -> None:
    from consult.nlp.duplicates import find_duplicates

    header, rows = read_csv(args.input, [args.text_column])
    groups = find_duplicates(_texts(rows, args.text_column), threshold=args.threshold)
    ids = [row["id"] for row in rows] if "id" in header else [str(i) for i in range(1, len(rows) + 1)]
    write_csv(args.output, ["group", "id"], ({"group": g, "id": ids[i]} for g, group in enumerate(groups, 1)
                                             for i in group))
    print(f"{len(groups)} groups of near-duplicates, {sum(map(len, groups))} of {len(rows)} texts")


def cmd_link(args) -> None:
    from consult.nlp.link import ItemLinker

    _, items = read_csv(args.items, ["code", "title"])
    _, comments = read_csv(args.comments, ["id", "text"])
    known = {item["code"] for item in items}
    examples, exclude = [], []
    for comment in comments:
        code = (comment.get("item_code") or "").strip()
        if code in known:  # filed by its author: an example for the others, never for itself
            exclude.append(len(examples))
            examples.append((comment["text"], code))
        else:
            exclude.append(None)
    texts = _texts(comments, "text")
    embedder = None if args.embeddings == "off" else args.embeddings
    linker = ItemLinker(embedder=embedder).fit(items, examples, unlabeled=texts)
    suggestions = linker.suggest(texts, top_k=args.top, exclude_examples=exclude)
    write_csv(args.output, ["id", "rank", "item_code", "score"],
              ({"id": comment["id"], "rank": rank, "item_code": code, "score": f"{score:.4f}"}
               for comment, ranked in zip(comments, suggestions) for rank, (code, score) in enumerate(ranked, 1)))
    how = "words and sentence embeddings" if linker.embedder_ else "words only"
    print(f"{len(comments)} comments linked to {len(linker.leaf_codes_)} items by {how} "
          f"({len(examples)} filed comments used as examples)")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of all subcommands."""
    parser = _Parser(prog="python -m consult.nlp", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("cluster", help="group comments into topics")
    p.add_argument("input")
    p.add_argument("--text-column", default="text")
    p.add_argument("--k", type=_k, default="auto")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(run=cmd_cluster)

    p = sub.add_parser("evaluate", help="NMI, ARI and V-measure of the topics against labels")
    p.add_argument("input")
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default="label")
    p.add_argument("--k", type=_k, default="auto")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(run=cmd_evaluate)

    p = sub.add_parser("link", help="suggest the plan items each comment concerns")
    p.add_argument("--items", required=True)
    p.add_argument("--comments", required=True)
    p.add_argument("--top", type=_positive, default=3)
    p.add_argument("--embeddings", choices=[*EMBEDDERS, "off"], default=embeddings_setting() or "off",
                   help="add sentence-embedding similarity (default: CONSULT_EMBEDDINGS, else e5)")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(run=cmd_link)

    p = sub.add_parser("duplicates", help="group near-duplicate comments")
    p.add_argument("input")
    p.add_argument("--text-column", default="text")
    p.add_argument("--threshold", type=_fraction, default=0.6)
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(run=cmd_duplicates)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; bad input gives one line on stderr and status 2."""
    try:
        args = build_parser().parse_args(argv)
        args.run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. a plan with no items: still the input's fault
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
