"""`flask db upgrade` on an empty database yields exactly the models' schema."""
import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import skip_or_fail

PG_SERVER = os.environ.get("TEST_PG_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CHECK_DB = f"consult_migration_check_{os.getpid()}"  # parallel runs never share it


def _fresh_postgres_url() -> str:
    try:
        engine = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {CHECK_DB} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {CHECK_DB}"))
        engine.dispose()
    except sa.exc.OperationalError as error:
        skip_or_fail(f"PostgreSQL not reachable: {type(error).__name__}")
    return PG_SERVER.rsplit("/", 1)[0] + f"/{CHECK_DB}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    yield _fresh_postgres_url()
    engine = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {CHECK_DB} WITH (FORCE)"))
    engine.dispose()


def test_upgrade_matches_models(empty_database_url):
    from flask_migrate import downgrade, upgrade

    from config import TestingConfig, _engine_options
    from consult import create_app
    from consult.extensions import db

    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=empty_database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(empty_database_url),
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def test_review_settings_migration_keeps_the_name_setting(empty_database_url):
    """From the previous head with a round in it: the export setting becomes the one name setting."""
    from flask_migrate import downgrade, upgrade

    from config import TestingConfig, _engine_options
    from consult import create_app
    from consult.extensions import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url,
                     SQLALCHEMY_ENGINE_OPTIONS=_engine_options(empty_database_url))
    with app.app_context():
        upgrade(revision="8f2d41c7a9e3")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO plan (id, title, slug, description, created_at) "
                                 "VALUES (1, 'p', 'p', '', '2026-01-01')"))
            for id_, shown in ((1, True), (2, False)):
                conn.execute(sa.text(
                    "INSERT INTO consultation (id, plan_id, title, slug, description, opens_at, closes_at, state, "
                    "show_authors_in_exports, created_at) VALUES (:id, 1, 't', :slug, '', '2026-01-01', "
                    "'2026-02-01', 'open', :shown, '2026-01-01')"), {"id": id_, "slug": f"r{id_}", "shown": shown})
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, show_author_names, secretaries_act_in_general "
                                        "FROM consultation ORDER BY id")).all()
        assert [(id_, bool(shown), bool(general)) for id_, shown, general in rows] == [
            (1, True, False), (2, False, False)]
        downgrade(revision="8f2d41c7a9e3")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT show_authors_in_exports FROM consultation ORDER BY id")).scalars() \
                .all() in ([True, False], [1, 0])
        downgrade(revision="base")
        db.engine.dispose()


# The head before the review issue's tables and columns (scopes setting, cluster-run model, jobs).
BEFORE_REVIEW = "3c7e9a2b5d14"


def test_review_migrations_upgrade_the_demo_from_the_previous_head(empty_database_url):
    """The demo's data at the previous head survives the review migrations, down and up again."""
    from flask_migrate import downgrade, upgrade

    from config import TestingConfig, _engine_options
    from consult import create_app
    from consult.demo import loader
    from consult.extensions import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url,
                     SQLALCHEMY_ENGINE_OPTIONS=_engine_options(empty_database_url))
    counted = ("user", "plan_item", "consultation", "comment", "rating", "answer", "working_group")
    with app.app_context():
        upgrade()
        loader.load_demo()
        db.session.commit()
        db.session.remove()

        def counts():
            with db.engine.connect() as conn:
                return {table: conn.scalar(sa.text(f"SELECT count(*) FROM {table}")) for table in counted}

        before = counts()
        assert before["comment"] >= 400 and before["working_group"] >= 2
        downgrade(revision=BEFORE_REVIEW)
        assert "job" not in sa.inspect(db.engine).get_table_names()
        assert counts() == before
        upgrade()
        assert counts() == before
        with db.engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM consultation WHERE secretaries_act_in_general")) == 0
            assert conn.scalar(sa.text("SELECT count(*) FROM job")) == 0
        db.engine.dispose()
        downgrade(revision="base")
        db.engine.dispose()
