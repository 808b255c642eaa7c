"""Consult: a Persian-first consultation platform. create_app() builds the web app, create_worker_app() the
app a background worker runs jobs in.

Flask is imported inside the functions so that `python -m consult.nlp` stays free of it.
"""
from __future__ import annotations

import importlib
import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

DEFAULT_CONFIG = "config.DevelopmentConfig"
# Feature cores in import order: a later one may import an earlier one, never the reverse.
FEATURES = ("auth", "plan", "consultations", "feedback", "review", "export")
# Blueprints: the home page first, the admin home last.
WEB_FEATURES = ("main", *FEATURES, "admin")
# Modules through which a later core answers an earlier one without being imported by it: the rules of
# can() (consult.<feature>.permissions), what a feature still holds of others' rows (consult.core.usage), and
# review's placing of a comment saved after its scope's last run (consult.review.placing).
REGISTRIES = ("auth.permissions", "consultations.permissions", "feedback.permissions", "feedback.usage",
              "review.permissions", "review.placing")
# Modules with command-line groups (consult.<name>.cli.GROUPS): the job worker, then features whose core has
# commands; demo loads every core.
COMMANDS = ("core.jobs", "plan", "feedback", "review", "demo")


def create_app(config: object | str | None = None, **overrides) -> Flask:
    """The web app, from a config class (or its import path) plus keyword overrides."""
    from consult.web.requests import is_page_view

    app = _core_app(config, overrides, reads_only=is_page_view)
    register_url_converters(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_filters(app)
    register_cli(app)
    register_request_log(app)
    trust_proxies(app)
    return app


def create_worker_app(config: object | str | None = None, **overrides) -> Flask:
    """The app a background job runs in: database, models, rules and templates for mail; no blueprint, no view."""
    app = _core_app(config, overrides)
    register_template_filters(app)
    return app


def _core_app(config, overrides: dict, reads_only=lambda: False) -> Flask:
    from flask import Flask

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config or os.environ.get("CONSULT_CONFIG", DEFAULT_CONFIG))
    app.config.from_prefixed_env("CONSULT")
    app.config.update(overrides)
    _refuse_default_secret(app)
    _trust_only_base_url(app)
    os.makedirs(app.instance_path, exist_ok=True)
    _configure_logging(app)
    register_extensions(app, reads_only)
    register_rules()
    return app


def _refuse_default_secret(app: Flask) -> None:
    from config import DEV_SECRET_KEY

    placeholders = {DEV_SECRET_KEY, "change-me-to-a-long-random-string", ""}
    if not (app.debug or app.testing) and app.config["SECRET_KEY"] in placeholders:
        raise RuntimeError(
            "SECRET_KEY must be set outside development (see .env.example). "
            "کلید SECRET_KEY در حالت تولید باید تنظیم شود."
        )


# Development and tests also answer on the local addresses (the test client's host is localhost).
LOCAL_HOSTS = ["localhost", "127.0.0.1"]


def _trust_only_base_url(app: Flask) -> None:
    """Check BASE_URL (required outside development) and answer only requests for its host (TRUSTED_HOSTS)."""
    from urllib.parse import urlsplit

    base = (app.config.get("BASE_URL") or "").strip()
    local = app.debug or app.testing
    parts = urlsplit(base)
    if base and (parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/")
                 or parts.query or parts.fragment):
        raise RuntimeError(f"BASE_URL must be a scheme and host such as https://consult.example.ir, not {base!r}.")
    if not base and not local:
        raise RuntimeError(
            "BASE_URL must be set outside development (see .env.example). "
            "نشانی BASE_URL در حالت تولید باید تنظیم شود."
        )
    app.config["BASE_URL"] = base.rstrip("/")
    if app.config.get("TRUSTED_HOSTS") is None:
        # Never an empty list: Werkzeug reads that as "trust every host".
        hosts = [parts.hostname] if base else []
        app.config["TRUSTED_HOSTS"] = hosts + LOCAL_HOSTS if local else hosts


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def register_extensions(app: Flask, reads_only=lambda: False) -> None:
    from consult import models  # noqa: F401  every table is known before migrations run
    from consult.core.database import configure_sqlite
    from consult.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "برای ادامه، لطفاً وارد شوید."
    login_manager.login_message_category = "info"
    with app.app_context():
        configure_sqlite(db.engine, reads_only)


def register_rules() -> None:
    """Each feature's core registers its rules (can(), what it holds) when its module is imported."""
    for module in REGISTRIES:
        importlib.import_module(f"consult.{module}")


def register_url_converters(app: Flask) -> None:
    """`<int:...>` stops at the largest id an Integer column holds: a bigger one is a 404, not a 500.

    String and path segments refuse control characters (NUL, C0, C1): no slug, code or token holds one,
    and PostgreSQL refuses NUL in a text parameter, so such a URL is a 404 on every database.
    """
    from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

    no_controls = r"[^/\x00-\x1f\x7f-\x9f]"

    class TextConverter(UnicodeConverter):
        def __init__(self, url_map, *args, **kwargs):
            super().__init__(url_map, *args, **kwargs)
            self.regex = self.regex.replace("[^/]", no_controls)

    class TextPathConverter(PathConverter):
        regex = r"[^/\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*?"

    class IdConverter(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)  # PostgreSQL's integer; SQLite overflows only past 2**63
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter
    app.url_map.converters["path"] = TextPathConverter


def register_blueprints(app: Flask) -> None:
    for feature in WEB_FEATURES:
        app.register_blueprint(importlib.import_module(f"consult.{feature}.blueprint").bp)


def register_error_handlers(app: Flask) -> None:
    from consult.web.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from consult.web.security import register

    register(app)


def register_template_filters(app: Flask) -> None:
    from consult.web import filters, labels

    filters.register(app)
    labels.register(app)


def register_request_log(app: Flask) -> None:
    from consult.web.logs import register

    register(app)


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_FIX_X_FOR reverse proxies, the client's address is read from X-Forwarded-For (for the
    sign-in limits); with the default 0 the header is ignored, since anyone can send it."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    proxies = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=0, x_host=0, x_port=0, x_prefix=0)


def register_cli(app: Flask) -> None:
    for name in COMMANDS:
        for group in importlib.import_module(f"consult.{name}.cli").GROUPS:
            app.cli.add_command(group)
