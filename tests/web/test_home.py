"""The home page renders RTL Persian with the open consultation and its plan tree."""
import pytest

from consult.consultations.models import ConsultationState


def test_home_is_rtl_persian(client, factory):
    factory.make_consultation(state=ConsultationState.OPEN)
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html
    assert "دور آزمایشی مشورت" in html
    assert "ساخت زائرسرای شهری در پردیسان" in html
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in html


def test_home_hides_draft_rounds_from_visitors(client, factory):
    factory.make_consultation(state=ConsultationState.DRAFT)
    assert "دور آزمایشی مشورت" not in client.get("/").get_data(as_text=True)


def test_persian_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "صفحه پیدا نشد" in response.get_data(as_text=True)


def test_favicon_is_served(client):
    assert client.get("/favicon.ico").status_code == 200


def test_vendored_font_is_served_locally(client):
    assert client.get("/static/vendor/vazirmatn/Vazirmatn-Variable.woff2").status_code == 200


def test_500_page_is_persian_and_rolls_back(app):
    from config import TestingConfig
    from consult import create_app

    broken = create_app(TestingConfig, PROPAGATE_EXCEPTIONS=False)

    @broken.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    assert "خطای داخلی سامانه" in response.get_data(as_text=True)



def test_ids_too_big_for_the_database_are_404_on_every_int_route(app, client, factory, login_as):
    import re

    from werkzeug.routing import IntegerConverter

    from consult.auth.models import Role

    admin = factory.make_user(Role.ADMIN)
    factory.make_consultation(slug="round", participants=[admin])
    login_as(admin)
    rules = [rule for rule in app.url_map.iter_rules()
             if any(isinstance(conv, IntegerConverter) for conv in rule._converters.values())]
    assert len(rules) >= 10
    values = {"slug": "round", "code": "1.1.1.1", "direction": "up", "token": "x"}
    for huge in (2**31, 2**63, 10**30):
        for rule in rules:
            ints = {name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)}
            url = re.sub(r"<(?:[^<>]*:)?(\w+)>",
                         lambda m, huge=huge, ints=ints: str(huge if m[1] in ints else values[m[1]]),
                         rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                assert response.status_code == 404, (method, url, response.status_code)


def test_control_characters_in_url_segments_are_404_on_every_string_route(app, client, factory, login_as):
    """PostgreSQL refuses NUL in a text parameter: such a segment must never reach a query."""
    import re
    from urllib.parse import unquote

    from werkzeug.exceptions import NotFound
    from werkzeug.routing import PathConverter, UnicodeConverter

    from consult.auth.models import Role

    admin = factory.make_user(Role.ADMIN)
    factory.make_consultation(slug="round", participants=[admin])
    login_as(admin)
    rules = [rule for rule in app.url_map.iter_rules()
             if any(isinstance(conv, UnicodeConverter | PathConverter) for conv in rule._converters.values())]
    assert len(rules) >= 15
    values = {"direction": "up"}
    adapter = app.url_map.bind("localhost")
    for bad in ("x%00y", "%00", "a%01", "a%7F", "a%C2%85b", "1.1%0A"):
        for rule in rules:
            texts = {name for name, conv in rule._converters.items()
                     if isinstance(conv, UnicodeConverter | PathConverter)}
            url = re.sub(r"<(?:[^<>]*:)?(\w+)>",
                         lambda m, bad=bad, texts=texts: bad if m[1] in texts else values.get(m[1], "1"), rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                assert response.status_code == 404, (method, url, response.status_code)
                if rule.endpoint != "static":  # Flask's own rule, made before the app's converters; no query
                    with pytest.raises(NotFound):  # refused by the router, before any query (SQLite 404s anyway)
                        adapter.match(unquote(url), method=method)


@pytest.mark.parametrize("url", ["/c/round", "/c/round/items/1.1.1.1", "/static/css/app.css"])
def test_plain_string_segments_still_match(client, factory, url):
    factory.make_consultation(slug="round")
    assert client.get(url).status_code in (200, 302)
