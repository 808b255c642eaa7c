"""tokenize(): hazm tokens, Persian letters only, lemmas, stopwords and consultation boilerplate."""
import importlib

import pytest

from consult.nlp.tokenize import stopwords, surface_forms, tokenize, tokenize_many, tokenize_pairs


@pytest.mark.parametrize(("text", "expected"), [
    ("کتاب‌ها و مدرسه‌ها", ["کتاب", "مدرسه"]),
    ("مسئولان شهرداری", ["مسئول", "شهرداری"]),
    ("سامان‌دهی و ساماندهی", ["ساماندهی", "ساماندهی"]),  # ZWNJ folded in the key
    ("سامانه GIS در ۱۴۰۲ و 2024 😀!", ["سامانه"]),  # Latin, digits, emoji, punctuation dropped
    ("", []),
    ("   ", []),
    ("از به با", []),
])
def test_tokenize(text, expected):
    assert tokenize(text) == expected


def test_consultation_boilerplate_is_dropped():
    text = "با سلام و احترام، به نظر اینجانب پیشنهاد می‌شود حمل و نقل عمومی تقویت شود. با تشکر"
    tokens = tokenize(text)
    assert "حمل" in tokens and "عمومی" in tokens
    for word in ("سلام", "احترام", "اینجانب", "پیشنهاد", "تشکر"):
        assert word not in tokens


def test_stopwords_are_normalised():
    assert "است" in stopwords() and "سلام" in stopwords()


def test_surface_forms_pick_the_common_spelling():
    docs = [tokenize_pairs(t) for t in ("کتاب‌ها را خواندم", "کتاب‌ها", "یک کتاب")]
    assert surface_forms(docs)["کتاب"] == "کتاب‌ها"


def test_tokenize_many_matches_tokenize_and_keeps_order():
    texts = ["کتاب‌ها", "", "مسئولان شهرداری", "کتاب‌ها"]
    assert [[lemma for lemma, _ in pairs] for pairs in tokenize_many(texts)] == [tokenize(t) for t in texts]


# forking with numpy's threads around is deliberate (see _START in consult/nlp/tokenize.py)
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_tokenize_many_on_two_processes_matches_one(monkeypatch):
    texts = ["کتاب‌ها", "", "مسئولان شهرداری", "کتاب‌ها", "حمل و نقل عمومی", "با سلام و احترام، پارک"] * 3
    monkeypatch.setattr(importlib.import_module("consult.nlp.tokenize"), "_MIN_PARALLEL_CHARS", 0)
    assert tokenize_many(texts, n_jobs=2) == tokenize_many(texts)


def test_tokenize_is_deterministic():
    text = "ایجاد پارکینگ طبقاتی در مرکز شهر و کاهش ترافیک"
    assert tokenize(text) == tokenize(text)
