"""The one rule for free text, typed or imported."""
import unicodedata

# Left-to-right and right-to-left override: they reorder what a reader sees (a spoofing tool);
# Persian text needs only marks, embeddings and isolates, which stay allowed like ZWNJ.
BIDI_OVERRIDES = "\u202d\u202e"


def control_characters(text: str) -> bool:
    """True when text holds Unicode control characters other than tab and newlines, or a bidi override.

    The one rule for every free-text field, typed or imported; ZWNJ and bidi marks are text.
    """
    return any((unicodedata.category(ch) == "Cc" and ch not in "\t\n\r") or ch in BIDI_OVERRIDES for ch in text)
