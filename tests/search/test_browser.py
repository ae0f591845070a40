"""In a real Chromium: an officer searches a Chinese word in /console/records and opens the
record (skipped without Debian's chromium)."""

from __future__ import annotations

import re

import pytest

from riskgate.core.permissions import Role
from tests.browser import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS
from tests.factories import PASSWORD, make_user

pytestmark = BROWSER_MARKS


def test_officer_finds_a_record_by_a_chinese_word(live_server, db, settings, world, tmp_path):
    playwright_api = pytest.importorskip("playwright.sync_api")
    user = make_user(db, settings, world.officer_user.organisation, Role.RISK_OFFICER,
                     username="searcher", language="zh-CN")
    db.commit()
    assert user.id
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            problems: list[str] = []
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"{live_server}/login")
            page.fill("#username", "searcher")
            page.fill("#password", PASSWORD)
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_url(f"{live_server}/console")
            page.click("nav.sidenav a[href='/console/records']")
            page.wait_for_url(f"{live_server}/console/records")
            page.fill("#q", "奶粉")  # the record says it in traditional characters: 奶粉 / 嬰兒
            page.click("form.filters button[type=submit]")
            page.wait_for_url(re.compile(r".*/console/records\?.*q=.*"))
            rows = page.locator("#results table tbody tr")
            assert rows.count() == 1
            assert "嬰兒奶粉檢出阪崎腸桿菌" in rows.first.inner_text()
            page.screenshot(path=str(tmp_path / "records.png"), full_page=True)
            rows.first.locator("a").click()
            page.wait_for_url(re.compile(r".*/console/records/\d+$"))
            assert "嬰兒配方奶粉" in page.locator("main").inner_text()
            assert problems == []
        finally:
            browser.close()
