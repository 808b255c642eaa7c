"""Machine copies of plan-item text, kept beside the original."""
from consult.nlp import NORMALIZER_VERSION, normalize, search_key


def refresh_text(item) -> None:
    """Recompute the normalised and search-key columns of a plan item."""
    text = f"{item.title}\n{item.description or ''}"
    item.text_normalized = normalize(text)
    item.search_key = f"{item.code} {search_key(text)}"
    item.normalizer_version = NORMALIZER_VERSION
