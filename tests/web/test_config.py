"""Configuration guards."""
import pytest

from config import ProductionConfig, TestingConfig
from consult import create_app


def test_production_refuses_the_default_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="dev-only-change-me")


def test_production_starts_with_a_real_secret_key():
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="x" * 40,
                     BASE_URL="https://consult.example.ir")
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
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                   SECRET_KEY="change-me-to-a-long-random-string")


def test_production_refuses_to_start_without_base_url():
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="x" * 40, BASE_URL="")


@pytest.mark.parametrize("base_url", ["consult.example.ir", "ftp://consult.example.ir", "https://consult.example.ir/app",
                                      "https://consult.example.ir/?x=1"])
def test_base_url_is_a_scheme_and_host(base_url):
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="x" * 40, BASE_URL=base_url)


def test_production_answers_only_its_own_host():
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="x" * 40,
                     BASE_URL="https://Consult.example.ir/")
    assert app.config["TRUSTED_HOSTS"] == ["consult.example.ir"]
    assert app.config["BASE_URL"] == "https://Consult.example.ir"
    client = app.test_client()
    assert client.get("/auth/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/auth/login", headers={"Host": "localhost"}).status_code == 400
    assert client.get("/auth/login", base_url="https://consult.example.ir").status_code == 200


def test_tests_and_development_answer_on_local_hosts_only(client):
    assert client.get("/auth/login").status_code == 200
    assert client.get("/auth/login", base_url="http://127.0.0.1:5000").status_code == 200
    assert client.get("/auth/login", headers={"Host": "evil.example"}).status_code == 400
