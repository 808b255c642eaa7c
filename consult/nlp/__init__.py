"""Persian text processing for Consult: no Flask, no database; text and ids in, arrays and dicts out.

The estimators and find_duplicates are imported on first use, so a caller that only needs
normalize() does not pay for building them. Tokens: consult.nlp.tokenize.tokenize().
"""
from consult.nlp.normalize import NORMALIZER_VERSION, normalize, normalize_words, search_key

__all__ = [
    "NORMALIZER_VERSION", "ItemLinker", "TopicClusterer", "find_duplicates", "normalize",
    "normalize_words", "search_key",
]

_LAZY = {
    "ItemLinker": "consult.nlp.link",
    "TopicClusterer": "consult.nlp.cluster",
    "find_duplicates": "consult.nlp.duplicates",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'consult.nlp' has no attribute {name!r}")
