"""Link comments to the plan items they concern, using the plan tree and authors' own filings."""
import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize
from sklearn.utils.validation import check_is_fitted

from consult.nlp.embed import get_embedder
from consult.nlp.normalize import normalize
from consult.nlp.tokenize import tokenize

KIND_DEPTH = {"goal": 0, "strategy": 1, "policy": 2, "project": 3}
_BATCH = 2000  # texts scored at once: bounds the dense text × example similarity block


_NUMBER = re.compile(r"\d+(?:[٫.]\d+)?")


def _number_tokens(text: str) -> list[str]:
    # quantities («۱۲۰ دوربین», «۶۰۰ هکتار») single out one project among similar ones
    return ["#" + unicodedata.normalize("NFKC", n).translate(_DIGITS) for n in _NUMBER.findall(normalize(text))]


_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫", "0123456789.")


class _WordFeatures:
    """Lemmas, optionally lemma bigrams and number tokens of a text (a picklable analyzer)."""

    def __init__(self, bigrams: bool, numbers: bool):
        self.bigrams, self.numbers = bigrams, numbers

    def __call__(self, text: str) -> list[str]:
        lemmas = tokenize(text)
        features = list(lemmas)
        if self.bigrams:
            features += [f"{a} {b}" for a, b in zip(lemmas, lemmas[1:])]
        if self.numbers:
            features += _number_tokens(text)
        return features


def _char_text(text: str) -> str:
    # ZWNJ-joined and spaced spellings of a word should share their n-grams
    return normalize(text).replace("\u200c", " ")


def _depths(items: Sequence[dict]) -> dict[str, int]:
    """Depth of each item from its kind, or from the tree when the kind is unknown."""
    by_code = {item["code"]: item for item in items}
    depths: dict[str, int] = {}

    def depth(code: str, seen: int = 0) -> int:
        if code not in depths:
            item = by_code[code]
            parent = item.get("parent_code") or ""
            if item.get("kind") in KIND_DEPTH:
                depths[code] = KIND_DEPTH[item["kind"]]
            elif parent in by_code and seen < len(by_code):
                depths[code] = depth(parent, seen + 1) + 1
            else:
                depths[code] = 0
        return depths[code]

    for code in by_code:
        depth(code)
    return depths


class ItemLinker(BaseEstimator):
    """Rank plan items (the deepest kind: projects) for comment texts.

    Each node of the plan tree is matched on its title and description, with word lemmas (TF-IDF)
    and character n-grams (Persian morphology) combined; a leaf's score adds its ancestors'
    scores with decaying weights, so a comment that talks in a policy's words still finds that
    policy's projects. Comments that authors filed themselves are matched as extra examples of
    their item and, more weakly, of the item's ancestors.

    Parameters
    ----------
    char_weight : share of the character n-gram view in the similarity (the rest is words).
    title_weight : how many times the title counts against the description.
    ancestor_weights : weights of the parent, grandparent, ... scores added to a leaf's own.
    example_weight : weight of the similarity to an item's filed examples.
    example_ancestor_weights : weights of the examples filed under the parent, grandparent, ...
    n_neighbors : an item's example score is the sum of its this-many most similar examples
        divided by this number, so items with fewer examples count for less.
    embedder : None, or the name of a sentence embedder (``consult.nlp.embed``, e.g. "e5") whose
        similarity between the comment and each item is added to the lexical score; ignored when
        its package is missing.
    embedding_weights : (when lexical evidence is strong, when it is weak): weights of the
        embedding similarity, standardised per comment and brought to the lexical score's spread.
        A comment that repeats an item's words is best served by the words; one that paraphrases
        has no strong lexical match, and there the embedding leads.
    confident_score : a comment's best lexical score from which its lexical evidence is strong.

    Fitted attributes: ``leaf_codes_`` (candidate codes, in score-column order), ``codes_``,
    ``leaf_chains_`` (each leaf's own and ancestors' codes), ``example_codes_``, ``word_vectorizer_``,
    ``char_vectorizer_``, ``embedder_`` (the embedder's name, None when lexical only) and
    ``node_embeddings_``.
    """

    def __init__(self, char_weight=0.3, title_weight=1, ancestor_weights=(0.3, 0.1),
                 example_weight=0.3, example_ancestor_weights=(0.3, 0.1), n_neighbors=5,
                 bigrams=False, numbers=True, embedder=None, embedding_weights=(0.6, 6.0),
                 confident_score=0.25):
        self.char_weight = char_weight
        self.title_weight = title_weight
        self.ancestor_weights = ancestor_weights
        self.example_weight = example_weight
        self.example_ancestor_weights = example_ancestor_weights
        self.n_neighbors = n_neighbors
        self.bigrams = bigrams
        self.numbers = numbers
        self.embedder = embedder
        self.embedding_weights = embedding_weights
        self.confident_score = confident_score

    def fit(self, items: Sequence[dict], examples: Iterable[tuple[str, str]] = (), unlabeled: Iterable[str] = ()):
        """Learn the tree, vocabularies and examples; ``examples`` are (text, item_code) pairs.

        ``unlabeled`` texts (e.g. the comments about to be linked) only inform term weights.
        """
        items = [item for item in items if item.get("code")]
        if not items:
            raise ValueError("no plan items to link to")
        depths = _depths(items)
        self.codes_ = [item["code"] for item in items]
        index = {code: i for i, code in enumerate(self.codes_)}
        parents = [index.get(item.get("parent_code") or "", -1) for item in items]
        deepest = max(depths.values())
        self.leaf_codes_ = [code for code in self.codes_ if depths[code] == deepest]
        leaves = [index[code] for code in self.leaf_codes_]
        self.leaf_chains_ = []  # each leaf's code and its ancestors' codes
        for node in leaves:
            chain = set()
            while node >= 0 and self.codes_[node] not in chain:
                chain.add(self.codes_[node])
                node = parents[node]
            self.leaf_chains_.append(frozenset(chain))

        examples = [(text or "", code) for text, code in examples if code in index]
        self.example_codes_ = [code for _, code in examples]
        node_texts = [" ".join([item.get("title") or ""] * self.title_weight + [item.get("description") or ""])
                      for item in items]
        corpus = node_texts + [text for text, _ in examples] + [text or "" for text in unlabeled]
        self.word_vectorizer_ = TfidfVectorizer(analyzer=_WordFeatures(self.bigrams, self.numbers),
                                                sublinear_tf=True)
        self.char_vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                                preprocessor=_char_text, min_df=1)
        # one analysis pass: fit_transform the corpus and slice it, rather than fit and transform again
        stacked = self._stack(self.word_vectorizer_.fit_transform(corpus), self.char_vectorizer_.fit_transform(corpus))
        self.node_vectors_ = stacked[:len(node_texts)]
        self.example_vectors_ = stacked[len(node_texts):len(node_texts) + len(examples)]

        # leaf × node weights: the leaf itself, then each ancestor with its decaying weight
        self.propagation_ = self._ancestry(leaves, parents, (1.0, *self.ancestor_weights))
        self.example_propagation_ = self._ancestry(leaves, parents, (1.0, *self.example_ancestor_weights))
        # node × example membership: an example belongs to its node and to all the node's ancestors,
        # so a policy's examples are those filed under any of its projects
        rows, cols = [], []
        for e, code in enumerate(self.example_codes_):
            node = index[code]
            while node >= 0:
                rows.append(node)
                cols.append(e)
                node = parents[node]
        self.membership_ = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                             shape=(len(items), len(examples)))
        # the name, not the model: a fitted linker stays picklable; the model is loaded once per process
        self.embedder_ = self.embedder if get_embedder(self.embedder) is not None else None
        self.node_embeddings_ = None
        if self.embedder_ is not None:
            # title and description only: the ancestors come in through propagation, as above
            self.node_embeddings_ = get_embedder(self.embedder_).encode(
                [". ".join(filter(None, (item.get("title"), item.get("description")))) for item in items],
                kind="passage")
        return self

    @staticmethod
    def _ancestry(leaves: list[int], parents: list[int], weights: Sequence[float]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, node in enumerate(leaves):
            for weight in weights:
                if node < 0:
                    break
                rows.append(r)
                cols.append(node)
                vals.append(weight)
                node = parents[node]
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(leaves), len(parents)))

    def _vectors(self, texts: Sequence[str]) -> sparse.csr_matrix:
        texts = [text or "" for text in texts]
        if not texts:
            width = len(self.word_vectorizer_.vocabulary_) + len(self.char_vectorizer_.vocabulary_)
            return sparse.csr_matrix((0, width))
        return self._stack(self.word_vectorizer_.transform(texts), self.char_vectorizer_.transform(texts))

    def _stack(self, words: sparse.spmatrix, chars: sparse.spmatrix) -> sparse.csr_matrix:
        words, chars = l2_normalize(words), l2_normalize(chars)
        w = float(self.char_weight)
        # cosine of the stacked vector = (1 - w) · word cosine + w · char cosine
        return sparse.hstack([np.sqrt(1 - w) * words, np.sqrt(w) * chars], format="csr")

    def _example_scores(self, sims: np.ndarray) -> np.ndarray:
        """Per node, the sum of its ``n_neighbors`` most similar examples over ``n_neighbors``."""
        out = np.zeros((sims.shape[0], self.membership_.shape[0]))
        m = self.membership_
        for node in range(m.shape[0]):
            members = m.indices[m.indptr[node]:m.indptr[node + 1]]
            if len(members) == 0:
                continue
            block = sims[:, members]
            k = min(self.n_neighbors, len(members))
            top = -np.partition(-block, k - 1, axis=1)[:, :k] if k < len(members) else block
            # divided by n_neighbors, not k: one or two examples are weaker evidence than many
            out[:, node] = top.sum(axis=1) / self.n_neighbors
        return out

    def decision_function(self, texts: Sequence[str], exclude_examples=None) -> np.ndarray:
        """Scores (texts × ``leaf_codes_``); ``exclude_examples[i]`` is an example index (or None) text i must
        not use."""
        check_is_fitted(self, "leaf_codes_")
        texts = list(texts)
        scores = np.zeros((len(texts), len(self.leaf_codes_)))
        for lo in range(0, len(texts), _BATCH):
            batch = self._vectors(texts[lo:lo + _BATCH])
            node_sims = (batch @ self.node_vectors_.T).toarray()
            scores[lo:lo + _BATCH] = (self.propagation_ @ node_sims.T).T
            if self.example_vectors_.shape[0] and self.example_weight:
                sims = (batch @ self.example_vectors_.T).toarray()
                if exclude_examples is not None:
                    for r, excluded in enumerate(exclude_examples[lo:lo + _BATCH]):
                        if excluded is not None and excluded >= 0:
                            sims[r, excluded] = 0.0  # leave-one-out: never one's own example
                example_sims = self._example_scores(sims)
                scores[lo:lo + _BATCH] += self.example_weight * (self.example_propagation_ @ example_sims.T).T
        if self.embedder_ is not None and len(texts):
            scores += self._embedding_scores(texts, scores)
        return scores

    def _embedding_scores(self, texts: Sequence[str], lexical: np.ndarray) -> np.ndarray:
        """The embedding similarity, per comment standardised and scaled to the lexical spread."""
        position = {text: i for i, text in enumerate(dict.fromkeys(texts))}  # campaign copies encoded once
        rows = get_embedder(self.embedder_).encode(list(position), kind="query")[[position[t] for t in texts]]
        sims = (self.propagation_ @ (rows @ self.node_embeddings_.T).T).T
        sims = (sims - sims.mean(axis=1, keepdims=True)) / np.maximum(sims.std(axis=1, keepdims=True), 1e-9)
        strong, weak = self.embedding_weights
        weight = np.where(lexical.max(axis=1, keepdims=True) >= self.confident_score, strong, weak)
        # a comment with no lexical evidence at all (no Persian word) takes the batch's typical spread
        spread = lexical.std(axis=1, keepdims=True)
        typical = np.median(spread[spread > 0]) if (spread > 0).any() else 1.0
        return weight * np.where(spread > 0, spread, typical) * sims

    def suggest(self, texts: Sequence[str], top_k: int = 3, exclude_examples=None) -> list[list[tuple[str, float]]]:
        """For each text, its ``top_k`` (item_code, score) pairs, best first."""
        scores = self.decision_function(texts, exclude_examples)
        k = min(top_k, len(self.leaf_codes_))
        ranked = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return [[(self.leaf_codes_[j], round(float(row[j]), 4)) for j in order]
                for row, order in zip(scores, ranked)]

    def flag_misfiled(self, texts: Sequence[str], chosen_codes: Sequence[str], margin: float = 0.1,
                      exclude_examples=None) -> list[str | None]:
        """For each text, the leaf code that fits much better (by ``margin``) than the author's choice, else None."""
        scores = self.decision_function(texts, exclude_examples)
        flags: list[str | None] = []
        for row, chosen in zip(scores, chosen_codes):
            best = int(np.argmax(row)) if len(row) else -1
            under = [j for j, chain in enumerate(self.leaf_chains_) if chosen in chain]
            if best < 0 or not under or best in under:
                flags.append(None)  # unknown choice, or the best item is the choice (or below it)
                continue
            chosen_score = max(row[j] for j in under)
            flags.append(self.leaf_codes_[best] if row[best] - chosen_score >= margin else None)
        return flags

