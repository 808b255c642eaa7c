"""SQLite connections: WAL, a busy timeout, foreign keys, and the write lock taken at BEGIN for writes."""
import sqlite3

import pytest

from consult.core.database import SQLITE_BUSY_TIMEOUT_MS


@pytest.fixture
def file_app(tmp_path):
    from config import TestingConfig
    from consult import create_app
    from consult.extensions import db

    path = tmp_path / "consult.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", SQLALCHEMY_ENGINE_OPTIONS={})
    with app.app_context():
        db.create_all()
        yield app, path
        db.session.remove()
        db.engine.dispose()


def write_lock_free(path) -> bool:
    """Whether another connection could start writing right now (it does not wait)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


def test_every_connection_uses_wal_a_busy_timeout_and_foreign_keys(file_app):
    from consult.extensions import db

    connection = db.session.connection()
    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize(("method", "takes_lock"), [("GET", False), ("HEAD", False), ("POST", True),
                                                    ("DELETE", True), (None, True)])
def test_a_transaction_that_may_write_takes_the_write_lock_at_its_first_read(file_app, method, takes_lock):
    """A deferred BEGIN that read before another writer committed could never write: writers queue at BEGIN."""
    from consult.auth.models import User
    from consult.extensions import db

    app, path = file_app
    if method is None:  # the command line or a background job
        db.session.get(User, 1)
        assert write_lock_free(path) is not takes_lock
        return
    with app.test_request_context("/", method=method):
        db.session.get(User, 1)
        assert write_lock_free(path) is not takes_lock
        db.session.rollback()
        assert write_lock_free(path)
