"""The assessment-reports page in a real Chromium: request a report, and the list (polled by
htmx under the strict CSP) shows its download link once the worker has generated it."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskgate.analysis_reports import render
from tests.analysis_reports.helpers import organisations
from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD

pytestmark = [
    *BROWSER_MARKS,
    pytest.mark.skipif(not render.chinese_font_installed(), reason="no Chinese font"),
]


def test_request_and_download_in_the_browser(browser, live_server, db, settings, generate,
                                              tmp_path):
    world = organisations(db, settings)
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN",
                               accept_downloads=True).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", world.officer_a.username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.click("nav a[href='/console/analysis-reports']")
    page.wait_for_url(f"{live_server}/console/analysis-reports")
    assert page.input_value("#quarter")  # last quarter, prefilled
    page.select_option("#format", "xlsx")
    page.click("form[action='/console/analysis-reports'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console/analysis-reports")
    assert "生成中" in page.locator("#report-list").inner_text()
    generate()
    link = page.locator("#report-list a[download]")
    link.wait_for(timeout=15_000)  # htmx polls the list every 5 s
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert path is not None and Path(path).read_bytes()[:2] == b"PK"
    page.screenshot(path=str(tmp_path / "analysis-reports.png"), full_page=True)
    assert problems == []
