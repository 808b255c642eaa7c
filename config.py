"""Configuration classes; every environment variable read here is listed in .env.example."""
import os
from datetime import timedelta

from dotenv import load_dotenv

load_dotenv()

DEV_SECRET_KEY = "dev-only-change-me"


def _engine_options(url: str | None, lock_timeout_ms: int | None = None) -> dict:
    if url is None or url.startswith("sqlite"):
        return {}  # consult.core.database takes over SQLite's transactions: WAL, BEGIN IMMEDIATE for writes
    options: dict = {"pool_pre_ping": True}
    if lock_timeout_ms:
        # A stuck lock fails one statement instead of hanging the caller.
        options["connect_args"] = {"options": f"-c lock_timeout={lock_timeout_ms}"}
    return options


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
    # Where people open the site, e.g. https://consult.example.ir: every link given out (mail, links an
    # admin passes on) starts with it, and requests for any other host are refused. Required in production.
    BASE_URL = os.environ.get("BASE_URL", "").strip()
    # Flask-SQLAlchemy puts a relative SQLite path inside instance/.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or "sqlite:///consult.db"
    SQLALCHEMY_ENGINE_OPTIONS = _engine_options(os.environ.get("DATABASE_URL") or None)
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # A queued or running job silent this long (no heartbeat) is marked failed: its process died.
    JOB_HEARTBEAT_SECONDS = int(os.environ.get("JOB_HEARTBEAT_SECONDS", "120"))
    # Run background jobs in the caller, right after its commit (tests); never on a server.
    JOBS_EAGER = False
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour")
    # How many reverse proxies in front of the app append to X-Forwarded-For; 0 ignores the header.
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))

    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # The CSRF token lives as long as the session, so a slow writer is not refused.
    WTF_CSRF_TIME_LIMIT = None

    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "14"))
    RESET_HOURS = int(os.environ.get("RESET_HOURS", "2"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "consult@localhost")

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = _engine_options(os.environ.get("TEST_DATABASE_URL") or None, lock_timeout_ms=5000)
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = ""
    JOBS_EAGER = True
    BASE_URL = ""
    # Cheap scrypt parameters for tests only; real hashes use Werkzeug's default cost.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    MAIL_SERVER = ""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

