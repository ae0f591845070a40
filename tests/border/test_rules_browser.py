"""The rule editor in a real Chromium: an officer writes a control rule in the form, sees it
listed as 生效, and suspends it from its page."""

from __future__ import annotations

from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD
from tests.warnings.helpers import build_world

pytestmark = BROWSER_MARKS


def test_create_a_rule_in_the_form_and_see_it_listed(browser, live_server, db, settings):  # type: ignore[no-untyped-def]
    world = build_world(db, settings)
    db.commit()
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", world.officer.username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.goto(f"{live_server}/console/border/rules?lang=zh-CN")
    page.click("a[href='/console/border/rules/new']")
    page.fill("#title", "越南产塑料玩具查验")
    page.fill("#hs_prefixes", "9503 950300")
    page.fill("#countries", "VN")
    page.fill("#keywords", "洋娃娃\n积木")
    page.select_option("#ports", ["shanghai_yangshan"])
    page.select_option("#action", "physical_inspection")
    page.fill("#sampling_rate", "0.5")
    page.click("#rule-form button[type=submit]")
    page.wait_for_selector("h1 .status")
    assert "生效" in page.inner_text("h1")
    rule_url = page.url.split("?")[0]
    page.goto(f"{live_server}/console/border/rules")
    row = page.locator("tr", has_text="越南产塑料玩具查验")
    assert row.count() == 1 and "查验" in row.inner_text() and "50%" in row.inner_text()
    page.goto(rule_url)
    page.click("form[action$='/suspend'] button[type=submit]")
    page.wait_for_selector("h1 .status")
    assert "已暂停" in page.inner_text("h1")
    assert not problems, problems
    context.close()
