"""Normalised copies of Persian text for machines; people always see the original.

hazm's Normalizer is accurate but slow (about 0.5 M chars/s), almost all of it in its
token-by-token spacing pass. We keep its rules and tables but run the character work as
one str.translate and the spacing as precompiled regexes, which is several times faster,
and add what hazm leaves alone (bidi controls, zero-width characters, ة, أ/إ, odd spaces).
"""
import functools
import re

import hazm
from hazm import constants as hc

# Bump when normalize() output changes, so stored body_normalized copies can be rebuilt.
NORMALIZER_VERSION = 3

ZWNJ = "\u200c"
PERSIAN_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءأؤئۀ"

_DROP = (
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"  # diacritics (harakat, tanvin, shadda, sukun)
    "\u0640"  # tatweel
    "\u200d\u2060\ufeff"  # zero-width joiner, word joiner, BOM
    "\u200e\u200f\u061c"  # LRM, RLM, Arabic letter mark
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\r"
)
_SPACES = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
    "\u000b\u000c"
)


def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for src, dst in zip(hc.TRANSLATION_SRC, hc.TRANSLATION_DST):
        table[ord(src)] = dst
    for src, dst in zip(hc.NUMBERS_SRC, hc.NUMBERS_DST):
        table[ord(src)] = dst
    # hazm's "special characters" are Quranic marks and ligature signs: drop them
    specials = hc.SPECIAL_CHARS_PATTERNS[0][0].strip("[]").encode().decode("unicode_escape")
    for ch in specials:
        table[ord(ch)] = None
    for ch in _DROP:
        table[ord(ch)] = None
    for ch in _SPACES:
        table[ord(ch)] = " "
    table.update({ord("\u2028"): "\n", ord("\u2029"): "\n"})
    # some keyboards and editors put a soft hyphen or a zero-width space where ZWNJ belongs;
    # the ZWNJ rules below drop it again where it does not sit inside a word
    table[ord("\u00ad")] = table[ord("\u200b")] = ZWNJ
    for chars, dst in hc.UNICODE_REPLACEMENTS:  # ligatures such as ﻻ and ﷲ
        for ch in chars.strip("()").split("|") if len(chars) > 1 else chars:
            if len(ch) == 1:
                table[ord(ch)] = dst
    # what hazm keeps as is: Arabic teh marbuta and hamza-carrying alefs
    table.update({ord("ة"): "ه", ord("أ"): "ا", ord("إ"): "ا", ord("ٱ"): "ا", ord("ٲ"): "ا", ord("ٳ"): "ا"})
    return table


_TABLE = _table()


# str.translate looks every character up in a dict (about 2 M chars/s); a regex that only stops
# at characters needing a change runs 15 M chars/s on real text, where few do (ي, ك, digits)
_CHANGE = {chr(k): v or "" for k, v in _TABLE.items()}
_CHANGE_RE = re.compile("[" + re.escape("".join(_CHANGE)) + "]")


def _change(match: re.Match) -> str:
    return _CHANGE[match.group()]


def _compile(patterns: list[tuple[str, str]]) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(p), r) for p, r in patterns]


# hazm's own rules, in the order its Normalizer applies them; its ZWNJ rules are replaced by one:
# a ZWNJ survives only between two Persian letters (runs collapse to one). That rule and hazm's
# affix rules are written to start at a fixed character (the ZWNJ, a space) and check what comes
# before by lookbehind: they change text exactly as the plain forms do (tests/nlp/test_normalize.py
# compares them), but the regex engine skips to that character instead of trying each rule at
# every position, 2.5 to 10 times faster. normalize_words() also skips rules whose text is absent.
_LETTER = "[" + PERSIAN_LETTERS + "]"
_SPACE_RUN = re.compile(r" {2,}")
_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")
_ZWNJ_RUN = re.compile(r"\u200c{2,}")
_EDGE_ZWNJ = re.compile(f"\u200c(?:(?<!{_LETTER}\u200c)|(?!{_LETTER}))")
_AFFIXES = _compile([
    (r" ی (?<=[^ ]ه ی )", ZWNJ + "ی "),
    (r"^(ن?می) ", r"\1" + ZWNJ),  # hazm's «(^| )(ن?می) » as two rules
    (r" (ن?می) ", r" \1" + ZWNJ),
    (r" (?<=[^\n\d \.:!،؛؟»\]\)\}«\[\(\{]{2} )(تر(ین?)?|گری?|های?)(?=[ \n\.:!،؛؟»\]\)\}«\[\(\{]|$)", ZWNJ + r"\1"),
    (r" (?<=[^ ]ه )(ا(م|یم|ش|ند|ی|ید|ت))(?=[ \n\.:!،؛؟»\]\)\}]|$)", ZWNJ + r"\1"),
    (r"(ه)(ها)", r"\1" + ZWNJ + r"\2"),
])
_STYLE_AND_PUNCTUATION = _compile(hc.PERSIAN_STYLE_PATTERNS + hc.PUNCTUATION_SPACING_PATTERNS)
_REPEATED = re.compile(r"[" + PERSIAN_LETTERS + r"]*([" + PERSIAN_LETTERS + r"])\1\1[" + PERSIAN_LETTERS + r"]*")
_RUN = re.compile(r"([" + PERSIAN_LETTERS + r"])\1{2,}")
_MI = re.compile(r"\bن?می[" + PERSIAN_LETTERS + r"]+")


@functools.cache
def _words() -> frozenset[str]:
    # Read hazm's word list directly: building a WordTokenizer for it costs seconds per process.
    with open(hazm.utils.default_words, encoding="utf-8") as lines:
        return frozenset(line.split("\t", 1)[0] for line in lines)


_PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند", "ه")
_PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")


@functools.cache
def _verbs() -> frozenset[str]:
    """Continuous verb forms «می‌…»/«نمی‌…» conjugated from hazm's verb stems.

    hazm's Lemmatizer builds the same forms (and many more) but takes seconds to start, and
    normalize() runs inside web requests.
    """
    forms = set()
    for pair in hazm.utils.verbs_list():
        past, _, present = pair.partition("#")
        stems = [(past, _PAST_ENDINGS)] if past else []
        stems += [(present, _PRESENT_ENDINGS)] if present else []
        for stem, endings in stems:
            for ending in endings:
                forms.add("می" + ZWNJ + stem + ending)
                forms.add("نمی" + ZWNJ + stem + ending)
    return frozenset(forms)


def _split_mi(match: re.Match) -> str:
    word = match.group()
    joined = re.sub(r"^(ن?می)", "\\1" + ZWNJ, word)
    return joined if joined in _verbs() else word


def _shorten(match: re.Match) -> str:
    # hazm's rule: «سلاممم» → «سلام» or «سلامم», whichever is a known word, else two letters
    word = match.group()
    if word in _words():
        return word
    one, two = _RUN.sub(r"\1", word), _RUN.sub(r"\1\1", word)
    return one if one in _words() and two not in _words() else two


def normalize(text: str) -> str:
    """Unify letters (ي→ی, ك→ک, ة→ه), digits, diacritics, invisible marks and spacing; ZWNJ stays."""
    text = normalize_words(text)
    for pattern, repl in _STYLE_AND_PUNCTUATION:
        text = pattern.sub(repl, text)
    return text


def normalize_words(text: str) -> str:
    """normalize() without its quote, dot and punctuation spacing rules: same words, twice as fast."""
    if not text:
        return ""
    text = _CHANGE_RE.sub(_change, text).strip()
    if not text:
        return ""
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\n" in text:
        text = _BLANK_LINES.sub("\n\n", _NEWLINE.sub("\n", text))
    if ZWNJ in text:
        text = _EDGE_ZWNJ.sub("", _ZWNJ_RUN.sub(ZWNJ, text))
    if _RUN.search(text):  # few texts repeat a letter; _REPEATED is slow to find none
        text = _REPEATED.sub(_shorten, text)
    for pattern, repl in _AFFIXES:
        text = pattern.sub(repl, text)
    if "می" in text:
        text = _MI.sub(_split_mi, text)
    return text.strip()


# letter variants that are spelling choices rather than different words
_FOLD_TABLE = str.maketrans({"ۀ": "ه", "ؤ": "و", "ئ": "ی", "ء": None, "آ": "ا", ZWNJ: None,
                             " ": None, "\n": None, "\u0654": None})


def search_key(text: str) -> str:
    """A fold for matching only: also ignores ZWNJ, spaces, joined spelling, hamza and آ/ا."""
    return normalize(text).translate(_FOLD_TABLE).lower()
