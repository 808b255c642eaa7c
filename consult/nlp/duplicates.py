"""Near-duplicate comments (campaign and copy-paste submissions) via char-shingle MinHash-LSH."""
import functools
import re
import unicodedata

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

# A light fold of its own: hazm's Normalizer runs ~0.3 M chars/s, too slow for 50,000 texts, and
# shingles only need letters unified, digits made ASCII and marks, spaces and punctuation gone.
# It runs as one table lookup over the code points of all texts at once (str.translate is slower).
_LETTERS = {**{c: "ی" for c in "يىئ"}, "ك": "ک", "ة": "ه", "ۀ": "ه", "ؤ": "و", **{c: "ا" for c in "أإٱآ"}}
_DROPPED = "\u0670\u0640\u200c\u200d\u200b\u200e\u200f\ufeff\u2066\u2067\u2068\u2069" + "".join(
    chr(c) for c in [*range(0x064B, 0x0660), *range(0x202A, 0x202F)]  # harakat, bidi embeddings
)


@functools.cache
def _fold_table() -> np.ndarray:
    """Code point → folded code point for the BMP; 0 drops the char, 32 makes it a space."""
    table = np.full(0x10000, 32, dtype=np.uint32)
    for code in range(0x10000):
        ch = chr(code)
        ch = _LETTERS.get(ch, ch)
        if ch in _DROPPED:
            table[code] = 0
        elif unicodedata.decimal(ch, None) is not None:
            table[code] = ord(str(unicodedata.decimal(ch)))
        elif ch.isalnum():
            low = ch.lower()
            table[code] = ord(low) if len(low) == 1 else code
    return table


def _fold_all(texts: list[str]) -> list[str]:
    """Fold every text in one vectorised pass; spaces and punctuation become single spaces."""
    texts = [t.replace("\x00", " ") if t else "" for t in texts]
    codes = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32)
    bmp = codes < 0x10000
    folded = np.where(bmp, _fold_table()[np.where(bmp, codes, 0)], 32).astype(np.uint32)
    folded[codes == 0] = 0x1  # keep the separators
    folded = folded[folded != 0]
    folded = folded[np.r_[True, (folded[1:] != 32) | (folded[:-1] != 32)][: len(folded)]]  # collapse space runs
    return folded.tobytes().decode("utf-32-le").split("\x01")


# Openings and sign-offs that campaign copies add around the same text; folded spelling.
_OPENINGS = (
    "با سلام و احترام", "با سلام و عرض ادب", "با عرض سلام و ادب", "با عرض سلام و احترام", "با عرض سلام",
    "با سلام و درود", "با سلام", "با درود", "سلام علیکم", "سلام و عرض ادب", "سلام و احترام", "سلام و درود",
    "سلام", "درود", "ضمن عرض سلام", "ضمن سلام", "احتراما", "با احترام", "وقت بخیر", "خسته نباشید",
    "بسمه تعالی", "بسم الله الرحمن الرحیم", "به نام خدا",
)
_CLOSINGS = (
    "با تشکر", "باتشکر", "با سپاس", "با احترام", "ارادتمند", "ممنون", "متشکرم", "سپاسگزارم", "موفق باشید",
    "خدا قوت", "خسته نباشید", "با آرزوی موفقیت", "با ارزوی موفقیت", "التماس دعا",
)
_OPENING_RE = re.compile(r"^(?:(?:{})\s*)+".format("|".join(sorted(_OPENINGS, key=len, reverse=True))))
_CLOSING_RE = re.compile("|".join(sorted(_CLOSINGS, key=len, reverse=True)))
_SIGNOFF_TAIL = 60  # a sign-off plus a name and title fits in this many characters


def _strip_greetings(folded: str) -> str:
    """Drop openings, and a sign-off (with the name after it) near the end."""
    folded = _OPENING_RE.sub("", folded.strip())
    while True:
        tail_start = max(len(folded) - _SIGNOFF_TAIL, 1)
        matches = list(_CLOSING_RE.finditer(folded, tail_start))
        if not matches:
            return folded
        folded = folded[: matches[0].start()].rstrip()


def duplicate_keys(texts) -> list[str]:
    """Each text folded for duplicate matching: no greeting or sign-off, spaces or punctuation."""
    return [_strip_greetings(folded).replace(" ", "") for folded in _fold_all(list(texts))]


def _shingles(keys: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every k-character window and the document each belongs to, sorted by document."""
    lengths = np.fromiter((len(key) for key in keys), dtype=np.int64, count=len(keys))
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(max(len(codes) - k + 1, 0), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):  # polynomial hash of every window over the whole corpus; uint64 wraps on purpose
            h = h * np.uint64(1_000_003) + codes[i:len(codes) - k + 1 + i]
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    # keep the windows that lie inside one document: drop the k-1 starting before each document's end
    ends = np.cumsum(lengths)
    inside = np.ones(len(h), dtype=bool)
    crossing = (ends[:, None] - np.arange(1, k)[None, :]).ravel()
    inside[crossing[(crossing >= 0) & (crossing < len(h))]] = False
    doc = np.repeat(np.arange(len(keys)), np.maximum(lengths - k + 1, 0))
    return h[inside], doc


def _minhash(h: np.ndarray, doc: np.ndarray, n_docs: int, num_perm: int, seed: int) -> np.ndarray:
    """One MinHash signature row per document; documents without shingles get unique rows."""
    rng = np.random.default_rng(seed)
    # multiply-add on 32 bits with odd multipliers: a permutation of the (already mixed) shingle hashes
    a = (rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64) | np.uint64(1)).astype(np.uint32)
    b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64).astype(np.uint32)
    x = (h >> np.uint64(32)).astype(np.uint32)
    sig = np.empty((n_docs, num_perm), dtype=np.uint32)
    sig[:] = np.arange(n_docs, dtype=np.uint32)[:, None]  # placeholder rows never collide with each other
    starts = np.searchsorted(doc, np.arange(n_docs + 1))
    # blocks of whole documents small enough to stay in cache across all permutations
    bounds = np.unique(np.r_[np.searchsorted(starts, np.arange(0, len(x), 1 << 16)), n_docs])
    with np.errstate(over="ignore"):
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            block = x[starts[lo]:starts[hi]]
            seg = starts[lo:hi] - starts[lo]
            present = np.diff(starts[lo:hi + 1]) > 0
            if not present.any():
                continue
            rows = np.arange(lo, hi)[present]
            for p in range(num_perm):
                sig[rows, p] = np.minimum.reduceat(block * a[p] + b[p], seg[present])
    return sig


def _candidate_edges(sig: np.ndarray, bands: int) -> np.ndarray:
    """Pairs (head, member) sharing a band bucket; a star per bucket, not all its pairs."""
    rows = sig.shape[1] // bands
    edges = []
    for band in range(bands):
        block = sig[:, band * rows:(band + 1) * rows]
        with np.errstate(over="ignore"):
            key = block[:, 0].copy()
            for c in range(1, rows):
                key = key * np.uint64(0x9E3779B97F4A7C15) + block[:, c]
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        new_run = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        head = order[np.maximum.accumulate(np.where(new_run, np.arange(len(order)), 0))]
        member = ~new_run
        edges.append(np.column_stack([head[member], order[member]]))
    if not edges:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(edges), axis=0)


def _jaccard(matrix: sparse.csr_matrix, sizes: np.ndarray, pairs: np.ndarray, chunk: int = 100_000) -> np.ndarray:
    """Exact Jaccard of the shingle sets of each pair."""
    out = np.empty(len(pairs))
    for lo in range(0, len(pairs), chunk):
        i, j = pairs[lo:lo + chunk, 0], pairs[lo:lo + chunk, 1]
        inter = np.asarray(matrix[i].multiply(matrix[j]).sum(axis=1)).ravel()
        out[lo:lo + chunk] = inter / np.maximum(sizes[i] + sizes[j] - inter, 1)
    return out


def find_duplicates(
    texts,
    *,
    threshold: float = 0.6,
    shingle_size: int = 5,
    num_perm: int = 48,
    bands: int = 16,
    min_length: int = 20,
    random_state: int = 0,
) -> list[list[int]]:
    """Groups (index lists, size ≥ 2, largest first) of texts that are copies up to small edits.

    threshold: Jaccard similarity of character-shingle sets, after folding and dropping greetings
    and sign-offs, above which two texts are copies. Texts whose key is identical are always
    grouped; only keys of at least ``min_length`` characters are compared approximately.
    Candidates come from MinHash-LSH (``num_perm`` hashes in ``bands`` bands), then are verified exactly;
    the default bands find pairs above Jaccard ≈ 0.5 reliably, so lower thresholds lose recall.
    """
    keys = duplicate_keys(texts)
    n = len(keys)
    if n < 2:
        return []
    # Identical keys first: a campaign of 5,000 exact copies costs one signature, not 5,000.
    first: dict[str, int] = {}
    rep = np.fromiter((first.setdefault(key, i) if key else -1 for i, key in enumerate(keys)), dtype=np.int64, count=n)
    linked = np.flatnonzero((rep >= 0) & (rep != np.arange(n)))
    edge_parts = [np.column_stack([rep[linked], linked])]

    uniques = [i for i in range(n) if rep[i] == i and len(keys[i]) >= max(min_length, shingle_size)]
    if len(uniques) > 1:
        h, doc = _shingles([keys[i] for i in uniques], shingle_size)
        sig = _minhash(h, doc, len(uniques), num_perm, random_state)
        pairs = _candidate_edges(sig, bands)
        # the signatures estimate Jaccard well enough to drop clear misses before the exact check
        estimate = (sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1) if len(pairs) else np.empty(0)
        pairs = pairs[estimate >= threshold - 0.2]
        if len(pairs):
            # exact sets only for the documents that are candidates at all
            involved = np.zeros(len(uniques), dtype=bool)
            involved[pairs.ravel()] = True
            mask = involved[doc]
            cols = (h[mask] >> np.uint64(40)).astype(np.int64)  # 24-bit ids: collisions are negligible here
            matrix = sparse.csr_matrix((np.ones(len(cols)), (doc[mask], cols)), shape=(len(uniques), 1 << 24))
            matrix.sum_duplicates()
            matrix.data[:] = 1.0
            sizes = np.diff(matrix.indptr)
            keep = _jaccard(matrix, sizes, pairs) >= threshold
            edge_parts.append(np.asarray(uniques)[pairs[keep]])

    edges = np.concatenate(edge_parts)
    graph = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    # Connected components over the verified edges: union-find done in C by scipy.
    _, component = connected_components(graph, directed=False)
    sizes = np.bincount(component)
    members = np.flatnonzero(sizes[component] >= 2)
    groups: dict[int, list[int]] = {}
    for i in members.tolist():
        groups.setdefault(int(component[i]), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))
