"""The one rule for free text, typed or imported."""
import unicodedata

# The one wording, on forms, in import refusals and on the command line.
CONTROL_CHARACTERS = "این متن نویسهٔ کنترلیِ نامرئی دارد (معمولاً از چسباندن متن از جای دیگر)؛ آن را پاک کنید."
CONTROL_CHARACTERS_EN = "text contains control characters (or a line separator, BOM or unclosed bidi embedding)"
LINE_BREAK = "این خانه یک سطر است: شکستن سطر و جهش (Tab) در آن پذیرفته نیست."
LINE_BREAK_EN = "a line break or tab in a one-line field"

# Left-to-right and right-to-left override: they reorder what a reader sees (a spoofing tool).
BIDI_OVERRIDES = "\u202d\u202e"
# Invisible characters that are not text here: line and paragraph separators (a line break no form
# shows as one) and the byte order mark (zero-width no-break space) inside text.
INVISIBLE = "\u2028\u2029\ufeff"
EMBEDDINGS, POP_EMBEDDING = "\u202a\u202b", "\u202c"  # LRE, RLE … PDF
ISOLATES, POP_ISOLATE = "\u2066\u2067\u2068", "\u2069"  # LRI, RLI, FSI … PDI
ONE_LINE_BREAKS = "\t\n\r"


def _bidi_balanced(text: str) -> bool:
    """Every embedding closed by a PDF and every isolate by a PDI, nested, on its own line.

    An unclosed one reorders everything after it (a line break ends it, so each line is checked alone).
    """
    for line in text.splitlines():
        open_ = []
        for ch in line:
            if ch in EMBEDDINGS or ch in ISOLATES:
                open_.append(POP_EMBEDDING if ch in EMBEDDINGS else POP_ISOLATE)
            elif ch in (POP_EMBEDDING, POP_ISOLATE):
                if not open_ or open_.pop() != ch:
                    return False
        if open_:
            return False
    return True


def text_problem(text: str, *, one_line: bool = False) -> tuple[str, str] | None:
    """(Persian, English) when the text breaks the free-text rule, else None.

    Refused everywhere: control characters other than tab and line breaks, bidi overrides, line and
    paragraph separators, a BOM, and bidi embeddings or isolates left open. One-line fields (titles,
    labels, names, choices) refuse tabs and line breaks too. ZWNJ, ZWJ and the marks LRM, RLM, ALM are text.
    """
    if not text:
        return None
    if any((unicodedata.category(ch) == "Cc" and ch not in ONE_LINE_BREAKS) or ch in BIDI_OVERRIDES
           or ch in INVISIBLE for ch in text) or not _bidi_balanced(text):
        return CONTROL_CHARACTERS, CONTROL_CHARACTERS_EN
    if one_line and any(ch in ONE_LINE_BREAKS for ch in text):
        return LINE_BREAK, LINE_BREAK_EN
    return None


def control_characters(text: str, *, one_line: bool = False) -> bool:
    """True when text breaks the free-text rule (see text_problem)."""
    return text_problem(text, one_line=one_line) is not None
