"""Joined «می» verb prefixes get their ZWNJ; words that merely start with «می» stay whole."""
import subprocess
import sys

import pytest

from consult.nlp.normalize import normalize


@pytest.mark.parametrize(("raw", "expected"), [
    ("ما میخواهیم", "ما می\u200cخواهیم"),
    ("نميشود", "نمی\u200cشود"),
    ("میروند", "می\u200cروند"),
    ("نمیدانستیم", "نمی\u200cدانستیم"),
    ("می\u200cشود", "می\u200cشود"),
    ("میز و میلیون", "میز و میلیون"),
    ("میدان مطهری", "میدان مطهری"),
])
def test_mi_prefix(raw, expected):
    assert normalize(raw) == expected


def test_normalize_starts_without_hazms_heavy_models():
    # normalize() runs in web requests: it must not build a Lemmatizer or WordTokenizer
    code = (
        "import hazm, sys\n"
        "hazm.Lemmatizer = hazm.WordTokenizer = None\n"
        "from consult.nlp.normalize import normalize\n"
        "sys.exit(normalize('نميخواهند سلامممم') != 'نمی\u200cخواهند سلام')\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
