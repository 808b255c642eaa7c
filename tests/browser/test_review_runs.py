"""In Chromium: the secretary of the demo starts a clustering run for a scope and sees it through to the end."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import SLUG, sign_in

SECRETARY = "secretary@example.ir"
DEMO_PASSWORD = "Qom-1414-demo"


def test_secretary_starts_a_run_and_sees_it_finish(page, live_server, console_errors, axe, screenshot, monkeypatch,
                                                   tmp_path):
    monkeypatch.setattr(live_server["app"], "instance_path", str(tmp_path))  # the run's model goes here
    page.goto("/auth/login")
    sign_in(page, SECRETARY, DEMO_PASSWORD)
    page.goto(f"/review/c/{SLUG}/scopes/general/runs")
    expect(page.get_by_role("heading", level=1)).to_contain_text("اجراهای خوشه‌بندی")
    assert axe() == []
    page.get_by_label("شمار موضوع‌ها (اختیاری)").fill("1")
    page.get_by_role("button", name="آغاز اجرا").click()
    expect(page.get_by_text("عددی از ۲ تا ۶۰ بنویسید.")).to_be_visible()  # shown beside the field, value kept
    expect(page.get_by_label("شمار موضوع‌ها (اختیاری)")).to_have_value("1")
    page.get_by_label("شمار موضوع‌ها (اختیاری)").fill("8")
    page.get_by_role("button", name="آغاز اجرا").click()
    expect(page.get_by_text("اجرای خوشه‌بندی در صف قرار گرفت.")).to_be_visible()
    screenshot("review-run-started")
    # the page reloads itself while the run is queued or running
    expect(page.locator(".run").first).to_contain_text("انجام شد", timeout=240_000)
    expect(page.locator(".run").first).to_contain_text(re.compile("۸ موضوع از [۰-۹٬]+ نظر"))
    expect(page.get_by_role("button", name="آغاز اجرا")).to_be_enabled()
    screenshot("review-run-done")
    assert axe() == []
