"""Configuration guards."""
import pytest

from config import ProductionConfig, TestingConfig
from consult import create_app


def test_production_refuses_the_default_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="dev-only-change-me")


def test_production_starts_with_a_real_secret_key():
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="x" * 40)
    assert app.config["REMEMBER_COOKIE_DURATION"].days <= 14


def test_sqlite_enforces_foreign_keys(app):
    from consult.extensions import db

    if db.engine.dialect.name == "sqlite":
        assert db.session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    else:  # PostgreSQL always enforces them
        assert db.engine.dialect.name == "postgresql"


def test_testing_config_is_isolated():
    assert TestingConfig.TESTING and TestingConfig.RATELIMIT_STORAGE_URI == "memory://"


def test_production_refuses_the_example_placeholder():
    with pytest.raises(RuntimeError):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="change-me-to-a-long-random-string")
