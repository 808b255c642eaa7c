"""normalize() and search_key(): one row per rule, on real Persian strings."""
import random
import re

import pytest
from hazm import constants as hc

from consult.nlp.normalize import _AFFIXES, _EDGE_ZWNJ, PERSIAN_LETTERS, normalize, search_key

ZWNJ = "\u200c"


@pytest.mark.parametrize(("raw", "expected"), [
    # Arabic letter variants
    ("علي", "علی"),
    ("كتاب", "کتاب"),
    ("مصطفى", "مصطفی"),
    ("مدرسة", "مدرسه"),
    ("أحمد إيران", "احمد ایران"),
    ("رأی", "رای"),
    ("ﻻزم", "لازم"),
    # digits and percent: Arabic-Indic and Latin become Persian
    ("۱۲۳ ١٢٣ 123", "۱۲۳ ۱۲۳ ۱۲۳"),
    ("50% رشد", "۵۰٪ رشد"),
    ("۳.۵ درصد", "۳٫۵ درصد"),
    # diacritics, hamza above, tatweel
    ("بِسمِ اللّهِ", "بسم الله"),
    ("خانهٔ ما", "خانه ما"),
    ("کتـــاب", "کتاب"),
    # ZWNJ: kept inside words, repaired, and dropped at word edges
    ("کتاب" + ZWNJ + "ها", "کتاب" + ZWNJ + "ها"),
    ("کتاب" + ZWNJ * 2 + "ها", "کتاب" + ZWNJ + "ها"),
    ("کتاب ها", "کتاب" + ZWNJ + "ها"),
    (ZWNJ + "سلام" + ZWNJ + " دنیا", "سلام دنیا"),
    ("می روم", "می" + ZWNJ + "روم"),
    ("نمیدانم", "نمی" + ZWNJ + "دانم"),
    ("ماه می", "ماه می"),
    ("پژوهش\u00adها", "پژوهش" + ZWNJ + "ها"),  # soft hyphen typed for ZWNJ
    ("کتاب\u200bها", "کتاب" + ZWNJ + "ها"),  # zero-width space typed for ZWNJ
    # invisible controls: bidi marks, embeddings, isolates, joiner, BOM
    ("سلام\u200f دنیا\u200e", "سلام دنیا"),
    ("\u202bطرح جامع\u202c", "طرح جامع"),
    ("\u2067بند ۳\u2069", "بند ۳"),
    ("گفت\u200dوگو", "گفتوگو"),
    ("\ufeffسلام", "سلام"),
    # spaces and repeated letters
    ("سلام\u00a0  دنیا\t!", "سلام دنیا!"),
    ("عاليييي بود", "عالی بود"),
    ("\n\n\n\nخط", "خط"),
    # emoji and mixed English stay
    ("😀 سلام", "😀 سلام"),
    ("سامانه GIS شهرداری", "سامانه GIS شهرداری"),
    ('"طرح"', "«طرح»"),
    # empty input
    ("", ""),
    ("  \u200c\u200f ", ""),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_is_idempotent():
    text = "با سلام، پيشنهاد ميشود ساماندهي  كتاب ها در ۳ سال آينده 😀"
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize(("query", "text"), [
    ("ساماندهی", "سامان" + ZWNJ + "دهی"),
    ("ساماندهی", "سامان دهی"),
    ("علي", "علی"),
    ("مؤسسه", "موسسه"),
    ("آینده", "اینده"),
    ("رأی", "رای"),
    ("خانۀ", "خانه"),
    ("GIS", "gis"),
    ("۱۲", "12"),
])
def test_search_key_matches_spelling_variants(query, text):
    assert search_key(query) == search_key(text)


def test_search_key_finds_word_inside_text():
    assert search_key("ساماندهی") in search_key("پیشنهاد: سامان‌دهی حمل و نقل")


def test_fast_rules_change_text_as_the_rules_they_replace():
    # the affix rules are hazm's, rewritten to start at a space; _EDGE_ZWNJ is the plain
    # "a ZWNJ not between two letters" rule rewritten to start at the ZWNJ
    letter = f"[{PERSIAN_LETTERS}]"
    plain_edge = re.compile(f"(?<!{letter}){ZWNJ}|{ZWNJ}(?!{letter})")
    hazm_affixes = [(re.compile(p), r) for p, r in hc.AFFIX_SPACING_PATTERNS]
    # short pieces, spaces most of all, so that matches often touch or overlap
    pieces = [" "] * 8 + ["می", "نمی", "ه", "ی", "ها", "ام"] * 2 + [
        "خانه", "کتاب", "ا", "م", "تر", "ترین", "گر", "اند", "ید", "ت", "\n", ".", "«", ")", "!", "۱", "1", ZWNJ]
    rng = random.Random(0)
    for _ in range(10_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        ours, hazms = text, text
        for pattern, repl in _AFFIXES:
            ours = pattern.sub(repl, ours)
        for pattern, repl in hazm_affixes:
            hazms = pattern.sub(repl, hazms)
        assert ours == hazms, text
        assert _EDGE_ZWNJ.sub("", text) == plain_edge.sub("", text), text
