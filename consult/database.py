"""Engine-level settings that the ORM cannot express."""
import sqlalchemy as sa
from sqlalchemy.engine import Engine


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    """SQLite ignores foreign keys unless every connection asks for them."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # PRAGMA foreign_keys is a no-op inside a transaction, so flip autocommit around it.
        previous = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.autocommit = previous
