"""Near-duplicate grouping: copies up to folding, small edits and added greetings."""
import random

import pytest

from consult.nlp.duplicates import duplicate_keys, find_duplicates

BASE = "پیشنهاد می‌کنم بودجه حمل و نقل عمومی شهرهای کوچک افزایش یابد تا مردم کمتر از خودروی شخصی استفاده کنند"
OTHER = "آموزش مهارت‌های فنی و حرفه‌ای برای جوانان روستایی باید در اولویت برنامه قرار بگیرد"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("كتاب علي", "کتابعلی"),  # Arabic kaf and yeh
        ("می‌شود", "میشود"),  # ZWNJ folded for matching only
        ("سال ۱۴۰۲", "سال1402"),  # Persian digits
        ("با سلام و احترام، متن اصلی", "متناصلی"),  # opening dropped
        ("متن اصلی. با تشکر، علی رضایی", "متناصلی"),  # sign-off and name dropped
        ("\u200fمتن\u200e اصلی", "متناصلی"),  # bidi marks
        ("", ""),
    ],
)
def test_duplicate_keys(raw, key):
    assert duplicate_keys([raw]) == [key]


def test_groups_copies_with_edits_and_greetings():
    texts = [
        BASE,
        OTHER,
        "با سلام و احترام\n" + BASE.replace("ي", "ی") + "\nبا تشکر، مریم احمدی",
        BASE.replace("کوچک", "كوچك") + "!",
        BASE.replace("افزایش یابد", "افزایش پیدا کند"),
        "موضوع کاملاً متفاوتی درباره کیفیت هوای پایتخت و کاهش آلودگی در زمستان",
        OTHER + " با سپاس",
    ]
    assert find_duplicates(texts) == [[0, 2, 3, 4], [1, 6]]


def test_unrelated_texts_and_degenerate_inputs():
    assert find_duplicates([]) == []
    assert find_duplicates([BASE]) == []
    assert find_duplicates(["", "  ", None, "سلام"]) == []
    assert find_duplicates([BASE, OTHER]) == []


def test_short_identical_texts_are_grouped():
    assert find_duplicates(["موافقم", "متن دیگری است", "موافقم."]) == [[0, 2]]


def test_threshold_controls_strictness():
    edited = BASE.replace("حمل و نقل عمومی", "مترو و اتوبوس")
    assert find_duplicates([BASE, edited], threshold=0.6) == [[0, 1]]
    assert find_duplicates([BASE, edited], threshold=0.95) == []


def test_campaign_among_many_distinct_texts():
    rng = random.Random(3)
    words = (BASE + " " + OTHER).split()
    texts = [" ".join(rng.sample(words, 12)) + f" شماره {i}" for i in range(400)]
    campaign = list(range(400, 460))
    texts += [("سلام " if i % 2 else "") + BASE + ("" if i % 3 else " ممنون") for i in campaign]
    groups = find_duplicates(texts)
    assert groups[0] == campaign
    assert all(len(group) < 60 for group in groups[1:])
