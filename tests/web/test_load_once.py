"""The permission decorator loads the object a URL names once and hands it to the view."""
import pytest
import sqlalchemy as sa

from consult.extensions import db


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("path", ["/c/{slug}", "/c/{slug}/plan", "/c/{slug}/items/1.1", "/c/{slug}/comments/new"])
def test_a_page_loads_its_consultation_once(client, factory, login, statements, path):
    expert = login(factory.make_user())
    consultation = factory.make_consultation(participants=[expert])
    statements.clear()
    assert client.get(path.format(slug=consultation.slug)).status_code == 200
    by_slug = [s for s in statements if "FROM consultation" in s and "consultation.slug" in s]
    assert len(by_slug) == 1, by_slug
