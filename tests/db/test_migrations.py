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
