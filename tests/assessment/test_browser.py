"""The assessment form in a real Chromium: the result recomputes live, without a reload."""

from __future__ import annotations

from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD

pytestmark = BROWSER_MARKS


def test_assessment_form_recomputes_live(browser, live_server, aw, tmp_path):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", aw.officer_a.username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.goto(f"{live_server}/console/assessments/new")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#title", "电暖器漏电")
    page.select_option("#scenarios-0-severity", "4")
    page.fill("#scenarios-0-steps-0-probability", "1/100")
    page.fill("#scenarios-0-steps-1-probability", "0.1")
    page.wait_for_selector("#risk-level[data-level='serious']", timeout=10_000)
    assert page.locator("#current-cell").count() == 1
    # A far less likely step: the level drops, on the same page (no reload).
    page.fill("#scenarios-0-steps-1-probability", "1/100000")
    page.wait_for_selector("#risk-level[data-level='low']", timeout=10_000)
    # A probability outside (0, 1] is explained, not computed.
    page.fill("#scenarios-0-steps-1-probability", "2")
    page.wait_for_selector("#matrix-result .error-summary", timeout=10_000)
    assert "大于0" in page.locator("#matrix-result").inner_text()
    page.fill("#scenarios-0-steps-1-probability", "0.5")
    page.wait_for_selector("#risk-level[data-level='serious']", timeout=10_000)
    # Add a scenario and a step through the htmx partials.
    page.click("#add-scenario")
    page.wait_for_selector("#scenarios-1-severity")
    page.click("#add-step-1")
    page.wait_for_selector("#scenarios-1-steps-2-probability")
    assert page.evaluate("window.__marker") == "same page"
    page.screenshot(path=str(tmp_path / "assessment.png"), full_page=True)
    page.click("#assessment-form button[type=submit]")
    page.wait_for_url(f"{live_server}/console/assessments/*")
    assert page.locator("#risk-level").get_attribute("data-level") == "serious"
    assert problems == [], problems
