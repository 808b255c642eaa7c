"""The served app renders the demo in a real browser, right to left, with no console error."""


def test_home_page_in_chromium(page, base_url, console_errors, axe):
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Vazirmatn"') or \
        "Vazirmatn" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.get_by_text("نظرخواهی از خبرگان").first.is_visible()
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    assert axe() == []
