"""Persian word tokens for machines: normalised, lemmatised, stopwords and boilerplate removed."""
import collections
import functools
import multiprocessing
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import hazm

from consult.nlp.normalize import PERSIAN_LETTERS, ZWNJ, _verbs, _words, normalize, normalize_words

DATA = Path(__file__).with_name("data")

# a token is kept only if it is made of Persian letters (ZWNJ and hazm's "_" of joined verb parts
# allowed) and is at least two letters long: digits, Latin, emoji and punctuation go
_PERSIAN_TOKEN = re.compile(r"[" + PERSIAN_LETTERS + r"][" + PERSIAN_LETTERS + ZWNJ + r"_]+")


@functools.cache
def _tokenizer() -> hazm.WordTokenizer:
    # hazm.word_tokenize() builds a new WordTokenizer on every call: never use it per text
    return hazm.WordTokenizer()


@functools.cache
def _lemmatizer() -> hazm.Lemmatizer:
    return hazm.Lemmatizer()


@functools.cache
def _boilerplate() -> tuple[frozenset[str], re.Pattern | None]:
    words, phrases = set(), set()
    for line in (DATA / "stopwords_consultation.txt").read_text(encoding="utf-8").splitlines():
        line = normalize(line.strip())
        if line and not line.startswith("#"):
            (phrases if " " in line else words).add(line)
    if not phrases:
        return frozenset(words), None
    # longest first, so «با سلام و احترام» goes whole rather than leaving «و احترام»
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    edge = "[" + PERSIAN_LETTERS + ZWNJ + "]"
    return frozenset(words), re.compile(f"(?<!{edge})(?:{alternatives})(?!{edge})")


@functools.cache
def stopwords() -> frozenset[str]:
    """hazm's stopwords plus the single words of the consultation boilerplate list, normalised."""
    words = {normalize(w) for w in hazm.stopwords_list()}
    return frozenset(words | _boilerplate()[0])


@functools.lru_cache(maxsize=500_000)
def _lemma(token: str) -> tuple[str, str] | None:
    """(lemma, surface form) of a token, None for non-Persian tokens and stopwords.

    Text has few distinct words, so this cache makes the filter, the lemmatiser and the surface
    form one lookup per token, and every occurrence of a word shares one pair.
    """
    stop = stopwords()
    if token in stop or not _PERSIAN_TOKEN.fullmatch(token):
        return None
    lemma = _lemmatizer().lemmatize(token)
    if lemma in stop or len(lemma) < 2:
        return None
    # str.replace is many times faster than str.translate on short strings
    return lemma.replace(ZWNJ, "").replace("_", " ").replace("ۀ", "ه"), token.replace("_", " ")


def tokenize_pairs(text: str) -> list[tuple[str, str]]:
    """(lemma, surface form) pairs of a text's content words, in order."""
    text = normalize_words(text)
    if not text:
        return []
    phrases = _boilerplate()[1]
    if phrases is not None:
        text = phrases.sub(" ", text)
    return list(filter(None, map(_lemma, _tokenizer().tokenize(text))))


def tokenize(text: str) -> list[str]:
    """Content-word lemmas of a text; lemmas are matching keys (ZWNJ folded), not display text."""
    return [lemma for lemma, _ in tokenize_pairs(text)]


def _tokenize_chunk(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    return [tokenize_pairs(t) for t in texts]


def _load() -> None:
    """Build hazm's tokenizer and lemmatizer and read the word lists now rather than on first use."""
    _tokenizer(), _lemmatizer(), stopwords(), _boilerplate(), _words(), _verbs()


# A forked worker starts with this process's hazm objects and word lists: it is up in a few
# hundredths of a second, where a fresh interpreter spends seconds building them, so with fork (Linux and other
# Unix, not macOS, where fork is unsafe) half a million characters repay the start-up and the transfer back.
# Python warns when a process with threads forks (numpy starts some); the worker runs only this
# package's pure-Python code, which takes no lock those threads could hold.
_START = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"
_MIN_PARALLEL_CHARS = 500_000 if _START == "fork" else 4_000_000

_worker_chunks = None  # in a worker: the chunks and the counter of the next free one


def _share_chunks(chunks, counter) -> None:
    global _worker_chunks
    _worker_chunks = chunks, counter


def _take_chunks(chunks, counter) -> list[tuple[int, list[list[tuple[str, str]]]]]:
    """(index, pairs) of the chunks this process took, taking the next free one until none is left."""
    done = []
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value += 1
        if i >= len(chunks):
            return done
        done.append((i, _tokenize_chunk(chunks[i])))


def _take_shared_chunks() -> list[tuple[int, list[list[tuple[str, str]]]]]:
    return _take_chunks(*_worker_chunks)


def tokenize_many(texts: Sequence[str], n_jobs: int = 1) -> list[list[tuple[str, str]]]:
    """tokenize_pairs over many texts, each distinct text once, over n_jobs processes.

    n_jobs counts as in joblib (-1: all cores); small inputs are done in this process.
    """
    unique = list(dict.fromkeys(texts))
    n = 1
    if n_jobs != 1 and sum(map(len, unique)) >= _MIN_PARALLEL_CHARS:
        from joblib import effective_n_jobs  # imported here: callers of tokenize() need no joblib

        n = effective_n_jobs(n_jobs)
    if n == 1:
        done = _tokenize_chunk(unique)
    else:
        _load()
        # this process and n - 1 workers take small chunks as they go, so one that other load
        # slows down takes fewer; a worker's pairs come back as one pickle, which
        # stores each word's pair once however often it occurs
        size = -(-len(unique) // (8 * n))
        chunks = [unique[i:i + size] for i in range(0, len(unique), size)]
        context = multiprocessing.get_context(_START)
        counter = context.Value("i", 0)
        with context.Pool(n - 1, initializer=_share_chunks, initargs=(chunks, counter)) as pool:
            pending = [pool.apply_async(_take_shared_chunks) for _ in range(n - 1)]
            taken = _take_chunks(chunks, counter)
            for result in pending:
                taken.extend(result.get())
        by_index = dict(taken)
        done = [pairs for i in range(len(chunks)) for pairs in by_index[i]]
    by_text = dict(zip(unique, done))
    return [by_text[t] for t in texts]


def surface_forms(docs: Iterable[Iterable[tuple[str, str]]]) -> dict[str, str]:
    """The most common surface form of each lemma, for labels people read."""
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for pairs in docs:
        for lemma, surface in pairs:
            counts[lemma][surface] += 1
    return {lemma: c.most_common(1)[0][0] for lemma, c in counts.items()}
