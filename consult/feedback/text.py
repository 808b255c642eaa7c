"""Machine copies of comment text, kept beside what the expert wrote."""
from consult.nlp import NORMALIZER_VERSION, normalize, search_key


def refresh_text(comment) -> None:
    """Recompute the normalised and search-key columns of a comment."""
    comment.body_normalized = normalize(comment.body)
    comment.search_key = search_key(f"{comment.body}\n{comment.amendment or ''}")
    comment.normalizer_version = NORMALIZER_VERSION
