"""TopicClusterer: topics, labels, representatives, predict, determinism and degenerate inputs."""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import normalized_mutual_info_score

from consult.nlp.cluster import TopicClusterer


def test_fixture_topics_are_found(fitted, fixture_corpus):
    texts, gold = fixture_corpus
    assert fitted.n_topics_ == 3
    assert normalized_mutual_info_score(gold, fitted.labels_) > 0.8


def test_topics_have_labels_keywords_sizes_and_representatives(fitted, fixture_corpus):
    texts, gold = fixture_corpus
    assert [t["id"] for t in fitted.topics_] == [0, 1, 2]
    assert sum(t["size"] for t in fitted.topics_) == int((fitted.labels_ >= 0).sum())
    themes = {"transport": {"اتوبوس", "مترو", "ایستگاه"}, "water": {"آب", "لوله‌کشی", "تصفیه‌خانه"},
              "schools": {"مدارس", "معلم", "مدرسه", "روستایی"}}
    for topic in fitted.topics_:
        words = topic["label"].split("، ")
        assert 1 <= len(words) <= 4 and all(words)
        assert topic["keywords"] and topic["label"].startswith(topic["keywords"][0])
        reps = topic["representatives"]
        assert 3 <= len(reps) <= 5 and len(set(reps)) == len(reps)
        assert all(fitted.labels_[i] == topic["id"] for i in reps)
        theme = gold[reps[0]]
        assert themes[theme] & set(topic["keywords"])


def test_representatives_skip_near_copies():
    base = ["نیمکت‌های پارک محله شکسته است و باید تعمیر شود"] * 4
    texts = base + ["نیمکت‌های پارک محله شکسته است و باید تعمیر شود!"] + [
        "روشنایی پارک محله در شب کافی نیست", "وسایل بازی کودکان در پارک محله خراب است",
        "پارک محله سرویس بهداشتی تمیز ندارد"]
    model = TopicClusterer(n_topics=1, random_state=0).fit(texts)
    reps = model.topics_[0]["representatives"]
    assert sum(i < 5 for i in reps) == 1
    assert model.topics_[0]["size"] == len(texts)


def test_sharpening_keeps_the_fixture_topics(fixture_corpus):
    texts, gold = fixture_corpus
    model = TopicClusterer(n_topics=3, refine_iter=2, random_state=0).fit(texts)
    assert normalized_mutual_info_score(gold, model.labels_) > 0.8


def test_predict_assigns_new_texts(fitted):
    new = ["اتوبوس‌های خط ۱۲ دیر می‌رسند", "آب روستای ما شور است", "معلم ریاضی مدرسه روستا نیامده", ""]
    labels = fitted.predict(new)
    by_theme = {t["id"]: t["keywords"] for t in fitted.topics_}
    assert labels[3] == -1
    assert len(set(labels[:3].tolist())) == 3 and all(label >= 0 for label in labels[:3])
    assert any("اتوبوس" in word for word in by_theme[labels[0]])


def test_predict_gives_other_for_unrelated_text(fitted):
    assert fitted.predict(["hello world 123", "😀"]).tolist() == [-1, -1]


def test_deterministic_for_a_random_state(fixture_corpus):
    texts = fixture_corpus[0]
    a = TopicClusterer(n_topics="auto", random_state=7).fit(texts)
    b = TopicClusterer(n_topics="auto", random_state=7).fit(texts)
    assert np.array_equal(a.labels_, b.labels_) and a.topics_ == b.topics_


def test_auto_picks_a_sensible_number_of_topics(fixture_corpus):
    model = TopicClusterer(random_state=0).fit(fixture_corpus[0])
    assert 2 <= model.n_topics_ <= 4


@pytest.mark.parametrize("texts", [
    [],
    ["یک نظر درباره پارک"],
    ["یک نظر درباره پارک", "نظر دیگری درباره مدرسه"],
    ["پارک", "مدرسه", "آب", "اتوبوس", "برق"],
    ["", "  ", "با سلام", "😀", "123"],
    ["همان متن تکراری درباره پارک"] * 5,
])
@pytest.mark.parametrize("n_topics", ["auto", 3])
def test_degenerate_inputs(texts, n_topics):
    model = TopicClusterer(n_topics=n_topics, random_state=0).fit(texts)
    assert model.labels_.shape == (len(texts),) and model.labels_.dtype.kind == "i"
    assert model.n_topics_ == len(model.topics_) <= max(1, len(texts))
    assert set(model.labels_.tolist()) <= set(range(model.n_topics_)) | {-1}
    assert model.predict(["پارک محله"]).shape == (1,)


def test_empty_and_duplicate_texts_go_where_they_belong(fixture_corpus):
    texts = fixture_corpus[0] + ["", fixture_corpus[0][0]]
    model = TopicClusterer(n_topics=3, random_state=0).fit(texts)
    assert model.labels_[-2] == -1
    assert model.labels_[-1] == model.labels_[0]


def test_follows_scikit_learn_conventions():
    model = TopicClusterer(n_topics=4, random_state=1)
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "labels_")


def test_farsnews_articles_beat_chance(farsnews):
    rows = farsnews[:200]
    model = TopicClusterer(n_topics=8, random_state=0).fit([r["text"] for r in rows])
    assert normalized_mutual_info_score([r["label"] for r in rows], model.labels_) > 0.15


def test_auto_k_is_not_pulled_to_the_top_of_the_range():
    # four tight groups in 20 dimensions; the search range reaches 20
    rng = np.random.RandomState(0)
    centres = rng.randn(4, 20) * 5
    rows = np.vstack([c + rng.randn(100, 20) for c in centres]).astype(np.float32)
    k = TopicClusterer(random_state=0)._choose_k(rows, np.ones(len(rows)), np.random.RandomState(0))
    assert k == 4


def test_a_text_no_topic_is_about_goes_to_other(fixture_corpus):
    texts, _ = fixture_corpus
    off_topic = ["قیمت طلا و سکه در بازار امروز بالا رفت و معامله‌گران نگران هستند",
                 "تیم فوتبال استقلال در بازی دیروز مقابل پرسپولیس شکست خورد"]
    model = TopicClusterer(n_topics=3, random_state=0).fit(texts + off_topic)
    assert model.labels_[-2:].tolist() == [-1, -1]
    assert (model.labels_[:-2] >= 0).mean() >= 0.9
    assert model.predict(["نرخ دلار و سکه در بازار ارز"]).tolist() == [-1]
    kept = TopicClusterer(n_topics=3, other_terms=0, random_state=0).fit(texts + off_topic)
    assert (kept.labels_[-2:] >= 0).all()  # the rule off: the dense features force them somewhere


def test_a_campaign_is_not_sent_to_other(fixture_corpus):
    # 30 copies of one text among the corpus: their words are in over 20% of texts (past the
    # TF-IDF max_df), yet the copies share them and stay in a topic
    texts, _ = fixture_corpus
    campaign = "لطفاً خط اتوبوس شهری به شهرک پردیسان را دوباره راه بیندازید"
    copies = [campaign + "!" * (i % 3) + (" با تشکر" if i % 2 else "") + f" {'خیلی ' * (i % 5)}ممنون"
              for i in range(30)]
    model = TopicClusterer(n_topics=4, random_state=0).fit(texts + copies)
    assert (model.labels_[len(texts):] >= 0).all()
    assert model.predict([campaign]).tolist() != [-1]


def test_verbs_are_not_keywords(fitted):
    # hazm lemmatises verbs to "past#present" stems: «می‌شود», «نمی‌آید» name no theme
    vocab = set(fitted.features_.word_.get_feature_names_out())
    assert any("#" in lemma for lemma in vocab)
    surfaces = {w for t in fitted.topics_ for w in t["keywords"]}
    assert not any(w.startswith(("می‌", "نمی‌")) for w in surfaces)
