"""Readable topic descriptions: c-TF-IDF keywords in their common spelling and central examples."""
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp


def distinctive_terms(doc_terms: sp.csr_matrix, labels: np.ndarray, n_topics: int,
                      weights: np.ndarray | None = None, top: int = 10, min_texts: float = 0) -> list[list[int]]:
    """Column indices of each topic's most distinctive terms (class-based TF-IDF on document counts).

    ``min_texts``: leave out terms fewer (weighted) texts of the topic use.
    """
    if n_topics == 0 or doc_terms.shape[1] == 0:
        return [[] for _ in range(n_topics)]
    present = (doc_terms > 0).astype(np.float64)
    if weights is not None:
        present = sp.diags(weights.astype(np.float64)) @ present
    member = sp.csr_matrix((np.ones(int((labels >= 0).sum())), (labels[labels >= 0], np.flatnonzero(labels >= 0))),
                           shape=(n_topics, doc_terms.shape[0]))
    counts = np.asarray((member @ present).todense())  # topic x term: documents using the term
    sizes = np.asarray(member @ (weights if weights is not None else np.ones(doc_terms.shape[0]))).ravel()
    share = counts / np.maximum(sizes, 1)[:, None]
    total = counts.sum(axis=0)
    score = share * np.log1p(counts.sum() / max(n_topics, 1) / np.maximum(total, 1))
    # a term used by one text only is no theme: rank it after every shared term, keep it only
    # so that a small topic still gets a label
    score = np.where(counts >= 2, score + score.max() + 1, score)
    score = np.where(counts >= min_texts, score, 0)
    return [[int(j) for j in np.argsort(-row, kind="stable")[:top] if row[j] > 0] for row in score]


def topic_label(keywords: list[str], words: int = 3) -> str:
    """The first few distinct keywords joined: short enough to scan, specific enough to tell apart."""
    seen: list[str] = []
    for word in keywords:
        if all(word not in s and s not in word for s in seen):
            seen.append(word)
        if len(seen) == words:
            break
    return "، ".join(seen)


def representatives(members: np.ndarray, rows: np.ndarray, centroid: np.ndarray,
                    sparse_rows: Callable[[np.ndarray], sp.csr_matrix], count: int = 5,
                    near_copy: float = 0.8) -> list[int]:
    """Up to `count` members closest to the centroid, skipping near-copies of one already chosen.

    Closeness to the centre is judged on the LSA rows; near-copies on the sparse TF-IDF rows
    (`sparse_rows(indices)`, asked only for the few most central members), where two texts on
    one theme differ but a lightly edited copy does not.
    """
    order = members[np.argsort(-(rows[members] @ centroid), kind="stable")][: 20 * count]
    sparse = sparse_rows(order)
    similar = (sparse @ sparse.T).toarray()
    chosen: list[int] = []
    for a in range(len(order)):
        if all(similar[a, b] < near_copy for b in chosen):
            chosen.append(a)
            if len(chosen) == count:
                break
    return [int(order[a]) for a in chosen]
