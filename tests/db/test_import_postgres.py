"""On PostgreSQL an over-long value fails the INSERT (DataError): imports check lengths first.

Like the migration check, these run on a PostgreSQL database of their own, so they run in the SQLite pass
too and the `postgres` mark holds in CI either way.
"""
import os

import pytest
import sqlalchemy as sa

from tests.conftest import skip_or_fail
from tests.db.test_comment_import import GOOD as COMMENTS
from tests.db.test_plan_import import GOOD as PLAN

pytestmark = pytest.mark.postgres

PG_SERVER = os.environ.get("TEST_PG_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CHECK_DB = f"consult_import_check_{os.getpid()}"  # parallel runs never share it


def _server():
    return sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


@pytest.fixture(scope="module")
def pg_app():
    from config import TestingConfig, _engine_options
    from consult import create_app
    from consult.extensions import db

    try:
        server = _server()
        with server.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {CHECK_DB} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {CHECK_DB}"))
        server.dispose()
    except sa.exc.OperationalError as error:
        skip_or_fail(f"PostgreSQL not reachable: {type(error).__name__}")
    url = PG_SERVER.rsplit("/", 1)[0] + f"/{CHECK_DB}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=_engine_options(url))
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()
    server = _server()
    with server.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {CHECK_DB} WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def pg(pg_app):
    from consult.extensions import db

    with pg_app.app_context():
        yield pg_app.test_cli_runner()
        db.session.rollback()
        db.session.remove()


def count(model) -> int:
    from consult.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_plan_code_longer_than_its_column(pg, tmp_path):
    from consult.plan.models import PlanItem

    path = tmp_path / "plan.csv"
    path.write_text(PLAN.replace("1.1.1.1,1.1.1,", "1" * 51 + ",1.1.1,"), encoding="utf-8")
    result = pg.invoke(args=["plan", "import", str(path), "--plan", "long-code"])
    assert result.exit_code == 2, result.output
    assert "row 5, column code" in result.output and "Traceback" not in result.output
    assert count(PlanItem) == 0


def test_plan_slug_longer_than_its_column(pg, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(PLAN, encoding="utf-8")
    result = pg.invoke(args=["plan", "import", str(path), "--plan", "p" * 101])
    assert result.exit_code == 2, result.output
    assert "--plan is longer than 100 characters" in result.output and "Traceback" not in result.output


def test_author_name_longer_than_its_column(pg, tmp_path):
    from consult.feedback.models import Comment
    from tests import factories

    factories.make_consultation(slug="round")
    path = tmp_path / "comments.csv"
    path.write_text(COMMENTS.replace("a.karimi@example.ir,علی کریمی,", "a.karimi@example.ir," + "ع" * 201 + ","),
                    encoding="utf-8")
    result = pg.invoke(args=["feedback", "import", str(path), "--consultation", "round"])
    assert result.exit_code == 2, result.output
    assert "row 2, column author_name" in result.output and "Traceback" not in result.output
    assert count(Comment) == 0
