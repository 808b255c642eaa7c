"""Fixtures for the nlp tests: no app, no database; costly objects built once per session."""
import csv
from pathlib import Path

import pytest

FIXTURES = Path(__file__).with_name("fixtures")
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def fixture_corpus() -> tuple[list[str], list[str]]:
    """Eighteen comments on three themes (transport, water, schools) and their themes."""
    with open(FIXTURES / "comments.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["topic"] for r in rows]


@pytest.fixture(scope="session")
def fitted(fixture_corpus):
    """A TopicClusterer fitted on the fixture corpus with three topics."""
    from consult.nlp.cluster import TopicClusterer

    return TopicClusterer(n_topics=3, random_state=0).fit(fixture_corpus[0])


@pytest.fixture(scope="session")
def farsnews() -> list[dict[str, str]]:
    """Rows of ../shared/data/farsnews.csv; skips when the shared data is absent."""
    path = SHARED_DATA / "farsnews.csv"
    if not path.exists():
        pytest.skip("../shared/data/farsnews.csv is absent")
    csv.field_size_limit(2**31 - 1)
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
