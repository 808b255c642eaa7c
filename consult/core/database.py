"""Engine-level settings that the ORM cannot express."""
import sqlite3
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# How long a write waits for the one before it; a deadline rush queues here instead of failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def configure_sqlite(engine: Engine, reads_only: Callable[[], bool] = lambda: False) -> None:
    """Foreign keys, WAL and one writer at a time: a write transaction waits its turn at BEGIN.

    With a deferred BEGIN, a transaction that read before another connection committed cannot take
    the write lock later, and fails at once with "database is locked" whatever the busy timeout. So
    pysqlite's own transaction handling is switched off and BEGIN IMMEDIATE is emitted for anything
    that may write (SQLAlchemy's pysqlite recipe); page views keep a deferred BEGIN and, under WAL,
    read alongside the writer. `reads_only` tells a page view (the web app passes it; a worker or the command
    line may always write).
    """
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # autocommit=True first ends the transaction PEP 249 mode (autocommit=False) opens on connect.
        dbapi_connection.autocommit = True
        dbapi_connection.autocommit = sqlite3.LEGACY_TRANSACTION_CONTROL
        dbapi_connection.isolation_level = None  # pysqlite emits no BEGIN; commit() still COMMITs
        for pragma in (f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}", "journal_mode=WAL", "foreign_keys=ON"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN" if reads_only() else "BEGIN IMMEDIATE")
