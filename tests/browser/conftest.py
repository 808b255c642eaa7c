"""Browser journeys: the app served from a thread on a free port, driven by the system Chromium."""
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import skip_or_fail

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "consult" / "static" / "vendor" / "axe" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
REFUSED_PAGE = re.compile(r"Failed to load resource: the server responded with a status of (4\d\d) ")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }


@pytest.fixture
def browser_context_args(browser_context_args, request):
    # axe is injected as an inline script, which the app's Content-Security-Policy refuses: only tests
    # that run it bypass the policy; every other journey runs under it (console_errors sees a refusal).
    return {**browser_context_args, "bypass_csp": "axe" in request.fixturenames}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app with CSRF on and the demo loaded, in its own SQLite file, on a free port."""
    from config import TestingConfig
    from consult import create_app
    from consult.demo import loader
    from consult.extensions import db

    database = tmp_path_factory.mktemp("live") / "consult.db"
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"autocommit": False, "check_same_thread": False}},
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        SECRET_KEY="browser-tests-only",
        LOGIN_RATE_LIMIT="100 per minute",
        BASE_URL="http://127.0.0.1",  # the port is known once the server listens, below
    )
    with app.app_context():
        db.create_all()
        loader.load_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server["url"]


@pytest.fixture
def console_errors(page):
    """Collects console errors and page errors; the test fails on any at teardown.

    Chromium also logs a page that itself answers 4xx ("Failed to load resource"), such as a refused
    form re-rendered with 422: that status is the app's answer, which the test checks on screen, so
    only that line is let through; a failed script, style, font or favicon still fails the test.
    """
    errors: list[str] = []
    refused_pages: set[tuple[str, int]] = set()
    logged: list[tuple[str, str | None]] = []

    def on_console(message):
        if message.type == "error":
            logged.append((message.text, message.location.get("url")))

    def on_response(response):
        if response.request.resource_type == "document" and 400 <= response.status < 500:
            refused_pages.add((response.url, response.status))

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", on_response)
    yield errors
    for text, url in logged:
        status = REFUSED_PAGE.match(text)
        if not (status and (url, int(status[1])) in refused_pages):
            errors.append(f"{text} ({url})" if url else text)
    assert errors == [], errors


@pytest.fixture
def axe(page):
    """Run the vendored axe-core on the current page; returns serious and critical violations."""

    def check(context: str = "document") -> list[dict]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        # Only violations are read; skipping the passes' details makes a long page several seconds faster.
        result = page.evaluate(f"async () => await axe.run({context}, {{resultTypes: ['violations']}})")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
