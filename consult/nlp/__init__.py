"""Persian text processing for Consult: no Flask, no database; text and ids in, arrays and dicts out."""
from consult.nlp.normalize import NORMALIZER_VERSION, normalize, search_key

__all__ = ["NORMALIZER_VERSION", "normalize", "search_key"]
