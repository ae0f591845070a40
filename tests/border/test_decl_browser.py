"""The port officer in a real Chromium: opens a declaration routed red, reads the reason, records
a failed inspection and follows the link to the risk record it created."""

from __future__ import annotations

import pytest

from riskgate.border.declarations import service as declarations
from tests.border.decl_world import build, declaration, line, safe_line
from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD

pytestmark = BROWSER_MARKS


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build(db, settings)
    db.commit()
    return built


def test_officer_records_failed_inspection(browser, live_server, world):  # type: ignore[no-untyped-def]
    stored = declarations.screen_declaration(world.db, world.actor(), declaration(
        [line(1), safe_line(2)]))
    red = declarations.lines_of(world.db, stored.id)[0]
    world.db.commit()
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
    page.goto(f"{live_server}/console/border/screening?lang=zh-CN")
    page.click(f"a[href='/console/border/declarations/{stored.id}']")
    section = page.locator("#line-1")
    assert section.get_attribute("data-lane") == "red"
    assert "布控规则 " + world.rule.number in section.inner_text()
    page.select_option(f"#outcome-{red.id}", "fail")
    page.fill(f"#findings-{red.id}", "小零件易脱落，存在窒息风险")
    section.locator("button[type=submit]").click()
    page.wait_for_selector("a.record-link")
    page.click("a.record-link")
    page.wait_for_url(f"{live_server}/console/records/*")
    assert "小零件易脱落" in page.content() or "RR-" in page.content()
    assert not problems, problems
