"""Topic clustering of comments: LSA over word and character TF-IDF, k-means, then sharpening."""
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import RidgeClassifier
from sklearn.metrics import adjusted_rand_score
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from consult.nlp.label import distinctive_terms, representatives, topic_label
from consult.nlp.normalize import normalize_words
from consult.nlp.tokenize import surface_forms, tokenize_many
from consult.nlp.vectorize import TopicFeatures, identity

STABILITY_TOLERANCE = 0.05
# subsample pairs per k: with 2 the estimate was noisy enough to pick k = 2 for 5,500 news
# paragraphs of 8 desks on one seed (NMI 0.08)
STABILITY_PAIRS = 4
# a split in two is the most stable of all on most data and never what a secretary needs
MIN_AUTO_TOPICS = 3
KEYWORDS = 10  # shown per topic
MIN_TOPIC_FOR_OTHER = 5  # texts a topic needs before its own can be found off it


class TopicClusterer(ClusterMixin, BaseEstimator):
    """Group comment texts into topics, each with a label, keywords and representative comments.

    Parameters
    ----------
    n_topics : "auto" or int
        "auto" picks k in 3..max_topics (capped by the square root of the number of distinct
        texts; 2 for fewer than 9) on a sample of up to 2,000 texts: the largest k whose k-means stability (mean ARI
        between fits on two random 70% subsamples, on the texts both hold, over four such pairs)
        is within 0.05 of the best k's.
    max_topics : int
        Upper end of the "auto" search.
    n_components, char_weight, min_df
        Passed to TopicFeatures (LSA size, share of the character view, "auto" or int).
    n_init : int
        k-means initialisations; the best of them is kept.
    refine_iter : int
        Rounds of sharpening: a linear classifier trained on the current topics relabels every
        text on the sparse features. Off by default: on farsnews it changed NMI by under 0.002.
    other_threshold : float
        Texts whose cosine to their topic centre is below this go to "other" (label -1), as do
        texts with no content words.
    other_terms : int
        A text that shares none of its topic's most distinctive terms goes to "other": this many
        terms, plus one for every 10 texts of the topic (a broad topic speaks with more words).
        The dense features always find some nearest centre, but a comment about something no
        topic is about shares no words with the one it was put in. 0 turns this off.
    n_jobs : int
        Processes for tokenising large inputs (small ones stay in this process).
    random_state : int, RandomState or None

    Attributes
    ----------
    labels_ : ndarray of int, topic of each text, -1 for "other"
    n_topics_ : int
    topics_ : list of dict with id, label, keywords, size, representatives (indices into texts)
    features_ : fitted TopicFeatures;  centroids_ : ndarray (n_topics_, n_components)
    vocabulary_ : CountVectorizer of every lemma;  topic_terms_ : sparse (n_topics_, its vocabulary)
        marking the terms each topic's texts must share one of
    """

    def __init__(self, n_topics="auto", max_topics=30, n_components=120, char_weight=0.5,
                 min_df="auto", n_init=5, refine_iter=0, other_threshold=0.1, other_terms=20, n_jobs=2,
                 random_state=None):
        self.n_topics = n_topics
        self.max_topics = max_topics
        self.n_components = n_components
        self.char_weight = char_weight
        self.min_df = min_df
        self.n_init = n_init
        self.refine_iter = refine_iter
        self.other_threshold = other_threshold
        self.other_terms = other_terms
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _analyse(self, texts, n_jobs):
        pairs = tokenize_many([t or "" for t in texts], n_jobs=n_jobs)
        lemmas = [[lemma for lemma, _ in p] for p in pairs]
        return pairs, lemmas, [" ".join(x) for x in lemmas]

    def fit(self, texts, y=None):
        """Cluster the texts; sets labels_, n_topics_, topics_."""
        texts = list(texts)
        rng = check_random_state(self.random_state)
        pairs, lemmas, keys = self._analyse(texts, self.n_jobs)
        surfaces = surface_forms(pairs)
        del pairs  # one per token, a lot for many texts: the labels need only the surface forms
        # duplicates (campaign copies) are clustered once and weighted by how often they occur
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key:
                first.setdefault(key, i)
        uniq = np.fromiter(first.values(), dtype=int, count=len(first))
        index_of = {key: u for u, key in enumerate(first)}
        row_of_text = np.array([index_of.get(key, -1) for key in keys], dtype=int)
        weights = np.bincount(row_of_text[row_of_text >= 0], minlength=len(uniq)).astype(np.float64)

        self.labels_ = np.full(len(texts), -1, dtype=int)
        self.n_topics_, self.topics_, self.centroids_ = 0, [], np.zeros((0, 0), dtype=np.float32)
        self.vocabulary_ = CountVectorizer(analyzer=identity, binary=True, dtype=np.float32)
        self.topic_terms_ = sp.csr_matrix((0, 0), dtype=np.float32)
        self.features_ = TopicFeatures(n_components=self.n_components, char_weight=self.char_weight,
                                       min_df=self.min_df, random_state=rng.randint(2**31 - 1))
        if len(uniq) == 0:
            return self
        # the character view reads the whole normalised text: it measured better than lemmas alone
        X = ([lemmas[i] for i in uniq], [normalize_words(texts[i]) for i in uniq])
        rows = self.features_.fit_transform(X)
        k = self._choose_k(rows, weights, rng)
        seed = rng.randint(2**31 - 1)
        if k == 1:
            topic = np.zeros(len(uniq), dtype=int)
        else:
            topic = KMeans(k, n_init=self.n_init, random_state=seed).fit(rows, sample_weight=weights).labels_
            if self.refine_iter:  # the sparse rows of every text are big: built only when asked for
                topic = self._refine(self.features_.sparse(X), topic, weights)
        self.centroids_, topic = self._centres(rows, topic, weights)
        self.n_topics_ = len(self.centroids_)
        fit_own = np.einsum("ij,ij->i", rows, self.centroids_[topic]) >= self.other_threshold
        unique_labels = self._keep_sharing(X[0], np.where(fit_own, topic, -1), weights)
        self.labels_[row_of_text >= 0] = unique_labels[row_of_text[row_of_text >= 0]]
        self.topics_ = self._describe(surfaces, uniq, X, rows, unique_labels, weights)
        return self

    def _keep_sharing(self, lemmas, labels, weights=None):
        """labels, with -1 for texts that share none of their topic's distinctive terms.

        Fitting (with ``weights``) also learns each topic's terms. They come from every word
        (no min_df / max_df): a campaign's or a dominant theme's words are in many texts, and the
        texts that use only those must still share them.
        """
        if weights is not None:
            present = self.vocabulary_.fit_transform(lemmas)
            sizes = np.bincount(labels[labels >= 0], weights=weights[labels >= 0], minlength=self.n_topics_)
            own = (self.other_terms + sizes // 10).astype(int)  # broad topics speak with more words
            own[(sizes < MIN_TOPIC_FOR_OTHER) | (self.other_terms == 0)] = 0  # too small to tell, or off
            # terms of at least two texts: a lone text's own words would vouch for it
            top = distinctive_terms(present, labels, self.n_topics_, weights, top=int(own.max(initial=0)),
                                    min_texts=2)
            pairs = [(t, j) for t, columns in enumerate(top) for j in columns[:own[t]]]
            self.topic_terms_ = sp.csr_matrix((np.ones(len(pairs), dtype=np.float32),
                                               ([t for t, _ in pairs], [j for _, j in pairs])),
                                              shape=(self.n_topics_, present.shape[1]))
        else:
            present = self.vocabulary_.transform(lemmas)
        assigned = np.flatnonzero(labels >= 0)
        if not self.topic_terms_.nnz or not len(assigned):
            return labels
        # topics without terms (small ones, or no word in two texts) keep all their texts
        has_terms = np.diff(self.topic_terms_.indptr) > 0
        assigned = assigned[has_terms[labels[assigned]]]
        shared = np.asarray(present[assigned].multiply(self.topic_terms_[labels[assigned]]).sum(axis=1)).ravel()
        labels = labels.copy()
        labels[assigned[shared == 0]] = -1
        return labels

    def _choose_k(self, rows, weights, rng) -> int:
        n = len(rows)
        if self.n_topics != "auto":
            return max(1, min(int(self.n_topics), n))
        high = min(int(self.max_topics), n - 1, max(2, int(np.sqrt(n))))
        if high < 2:
            return 1
        sample = rng.choice(n, size=2000, replace=False) if n > 2000 else np.arange(n)
        pts, w = rows[sample], weights[sample]
        m = len(sample)
        size = min(m, max(high + 1, int(round(0.7 * m))))
        # stability: k-means on two random 70% subsamples, compared (ARI) on the texts both hold.
        # Silhouette rose almost steadily with k on the LSA rows, so it always chose the top of
        # the range; agreement between subsamples does not grow with k by construction.
        pairs = [(np.sort(rng.choice(m, size, replace=False)), np.sort(rng.choice(m, size, replace=False)))
                 for _ in range(STABILITY_PAIRS)]
        scores = {}
        # dozens of small fits: on one thread they are faster, and far faster when other
        # processes keep the cores busy (threads of a fit then wait for each other)
        with threadpool_limits(1, user_api="openmp"):
            # every k up to 10, then every other one
            low = min(MIN_AUTO_TOPICS, high)
            for k in [*range(low, min(high, 10) + 1), *range(12, high + 1, 2)]:
                agree = []
                for a, b in pairs:
                    both = np.intersect1d(a, b)
                    la, lb = (KMeans(k, n_init=1, random_state=rng.randint(2**31 - 1))
                              .fit(pts[s], sample_weight=w[s]).predict(pts[both]) for s in (a, b))
                    agree.append(adjusted_rand_score(la, lb))
                scores[k] = float(np.mean(agree))
        # the largest k whose stability is within STABILITY_TOLERANCE of the best
        best = max(scores.values())
        best_k = max(k for k, v in scores.items() if v >= best - STABILITY_TOLERANCE)
        return best_k

    def _refine(self, sparse, topic, weights):
        for _ in range(self.refine_iter):
            if len(np.unique(topic)) < 2:
                break
            new = RidgeClassifier(alpha=1.0).fit(sparse, topic, sample_weight=weights).predict(sparse)
            changed = np.mean(new != topic)
            topic = new
            if changed < 0.005:
                break
        return topic

    @staticmethod
    def _centres(rows, topic, weights):
        # topics renumbered by size, biggest first, so ids are stable for a given random_state
        sizes = np.bincount(topic, weights=weights)
        order = [t for t in np.argsort(-sizes, kind="stable") if sizes[t] > 0]
        renumber = np.full(topic.max() + 1, -1)
        renumber[order] = np.arange(len(order))
        topic = renumber[topic]
        centres = np.vstack([np.average(rows[topic == t], axis=0, weights=weights[topic == t])
                             for t in range(len(order))])
        norms = np.linalg.norm(centres, axis=1, keepdims=True)
        return (centres / np.maximum(norms, 1e-12)).astype(np.float32), topic

    def _assign(self, rows, centres) -> np.ndarray:
        sims = rows @ centres.T
        labels = sims.argmax(axis=1)
        best = sims[np.arange(len(rows)), labels]
        return np.where(best >= self.other_threshold, labels, -1)

    def _describe(self, surfaces, uniq, X, rows, unique_labels, weights):
        # keywords from the TF-IDF vocabulary, whose max_df keeps words of half the texts out of labels
        words = self.features_.word_
        vocab = words.get_feature_names_out()
        top = distinctive_terms(words.transform(X[0]), unique_labels, self.n_topics_, weights, top=3 * KEYWORDS)
        # verbs («می‌آیند», «نمی‌دهد»; hazm lemmatises them to "past#present" stems) name no theme
        top = [[j for j in columns if "#" not in vocab[j]][:KEYWORDS] or columns[:KEYWORDS] for columns in top]

        def sparse_rows(some):  # built for each topic's few candidates, never for every text
            return self.features_.sparse(([X[0][i] for i in some], [X[1][i] for i in some]))

        topics = []
        for t in range(self.n_topics_):
            members = np.flatnonzero(unique_labels == t)
            keywords = [surfaces.get(vocab[j], vocab[j]) for j in top[t]]
            reps = representatives(members, rows, self.centroids_[t], sparse_rows)
            topics.append({"id": t, "label": topic_label(keywords), "keywords": keywords,
                           "size": int(np.sum(self.labels_ == t)),
                           "representatives": [int(uniq[r]) for r in reps]})
        return topics

    def predict(self, texts):
        """Topic of each new text among the fitted ones, -1 when it fits none."""
        check_is_fitted(self, "labels_")
        texts = list(texts)
        labels = np.full(len(texts), -1, dtype=int)
        if self.n_topics_ == 0 or not texts:
            return labels
        _, lemmas, keys = self._analyse(texts, 1)
        has = np.flatnonzero([bool(k) for k in keys])
        if len(has):
            kept = [lemmas[i] for i in has]
            rows = self.features_.transform((kept, [normalize_words(texts[i]) for i in has]))
            labels[has] = self._keep_sharing(kept, self._assign(rows, self.centroids_))
        return labels
