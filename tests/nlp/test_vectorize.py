"""TopicFeatures: character counts, chunked rows and the LSA fitted on a sample."""
import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from consult.nlp.normalize import normalize_words
from consult.nlp.tokenize import tokenize
from consult.nlp.vectorize import TopicFeatures


@pytest.fixture(scope="module")
def views(fixture_corpus):
    texts = fixture_corpus[0]
    return [tokenize(t) for t in texts], [normalize_words(t) for t in texts]


def test_character_counts_equal_hashing_whole_texts():
    texts = ["اتوبوس  شهری\nدیر می‌رسد", "\tآب آب آب ", "", "ab  c", "یک\u2003دو"]
    features = TopicFeatures(n_features=2**12)
    direct = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**12,
                               alternate_sign=False, norm=None, lowercase=False,
                               dtype=np.float32).transform(texts)
    counts = features._char_counts(texts)
    assert counts.has_canonical_format
    assert np.array_equal(counts.indptr, direct.indptr) and np.array_equal(counts.indices, direct.indices)
    assert np.array_equal(counts.data, direct.data)
    assert features._char_counts(["", " "]).shape == (2, 2**12)


def test_chunks_change_nothing(views):
    whole = TopicFeatures(random_state=0)
    chunked = TopicFeatures(chunk_size=4, random_state=0)
    assert np.array_equal(whole.fit_transform(views), chunked.fit_transform(views))
    assert np.array_equal(whole.char_columns_, chunked.char_columns_)
    assert np.array_equal(whole.transform(views), chunked.transform(views))
    assert (whole.sparse(views) != chunked.sparse(views)).nnz == 0


def test_lsa_fitted_on_a_sample_still_separates_the_themes(views, fixture_corpus):
    features = TopicFeatures(svd_sample=12, chunk_size=5, random_state=0)
    rows = features.fit_transform(views)
    assert rows.shape == (18, 11) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1, atol=1e-5)
    # every text, sampled or not, is projected on the basis the same way
    assert np.array_equal(rows, features.transform(views))
    again = TopicFeatures(svd_sample=12, chunk_size=5, random_state=0).fit_transform(views)
    assert np.array_equal(rows, again)
    theme = np.array(fixture_corpus[1])
    same, sims = theme[:, None] == theme[None, :], rows @ rows.T
    assert sims[same & ~np.eye(len(theme), dtype=bool)].mean() > 2 * sims[~same].mean()
