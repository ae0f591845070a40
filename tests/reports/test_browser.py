"""End to end in a real Chromium: a complaint filed on the portal with a Chinese description and a
photo gets a tracking number, is found on the tracking page, and is listed for the officer of
the regulator that receives it, in the complaints list and by two Chinese words in the records
search. Skipped when /usr/bin/chromium is not installed."""

from __future__ import annotations

import re

from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD
from tests.reports.conftest import png_bytes

pytestmark = BROWSER_MARKS


def test_a_complaint_filed_in_chromium_is_tracked_and_found_by_the_officer(
    browser, live_server, places, tmp_path  # type: ignore[no-untyped-def]
) -> None:
    photo = tmp_path / "电池起火.png"
    photo.write_bytes(png_bytes(16, 16))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    # The public files a complaint from the portal's home page.
    page.goto(f"{live_server}/")
    page.click("#file-complaint")
    page.wait_for_url(f"{live_server}/complaints/new")
    page.check("input[name=route][value=market]")
    page.fill("#product_name", "儿童电动滑板车")
    page.fill("#brand", "飞跃")
    page.fill("#description", "充电时电池突然起火，孩子的手被烫伤，滑板车外壳已熔化。")
    page.select_option("#region_code", "310115")
    page.fill("#injuries_count", "1")
    page.select_option("#injury_severity", "minor")
    page.fill("#contact_email", "wang@example.cn")
    page.set_input_files("#attachments", str(photo))
    page.click("form[action='/complaints'] button[type=submit]")
    page.wait_for_selector("#tracking-number")
    number = page.inner_text("#tracking-number").strip()
    code = page.inner_text("#access-code").strip()
    assert re.fullmatch(r"TS-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", number)
    page.screenshot(path=str(tmp_path / "submitted.png"), full_page=True)

    # The complainant looks it up on the tracking page.
    page.click("a[href='/track']")
    page.fill("#tracking_number", number)
    page.fill("#access_code", code)
    page.click("form[action='/track'] button[type=submit]")
    page.wait_for_selector("#track-result")
    assert page.inner_text("#track-status") == "已收到，待受理"
    assert "浦东新区市场监督管理局" in page.inner_text("#track-result")

    # The officer of the receiving regulator finds it in the console.
    officer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    console = officer.new_page()
    console.goto(f"{live_server}/login")
    console.fill("#username", "pdofficer")
    console.fill("#password", PASSWORD)
    console.click("form[action='/login'] button[type=submit]")
    console.wait_for_url(f"{live_server}/console")
    console.click("a[href='/console/complaints']")
    console.wait_for_url(f"{live_server}/console/complaints")
    row = console.locator("tr", has_text=number)
    assert row.count() == 1 and "儿童电动滑板车" in row.inner_text()
    row.locator("a").first.click()
    console.wait_for_url(re.compile(r".*/console/complaints/\d+$"))
    assert "充电时电池突然起火" in console.inner_text("main")
    assert console.locator(".attachments a", has_text="电池起火.png").count() == 1

    # ... and by two Chinese words of the complaint in the records search.
    console.goto(f"{live_server}/console/records")
    console.fill("#q", "电池 起火")
    console.click("form[role=search] button[type=submit]")
    console.wait_for_url(re.compile(r".*/console/records\?.*q=.*"))
    hits = console.locator("main table tbody tr", has_text="儿童电动滑板车")
    assert hits.count() == 1
    hits.locator("a").first.click()
    console.wait_for_url(re.compile(r".*/console/records/\d+$"))
    assert "充电时电池突然起火" in console.inner_text("main")
    console.goto(f"{live_server}/console/records?q=" + "不存在的词语")
    assert console.locator("main table tbody tr", has_text="儿童电动滑板车").count() == 0
    assert not problems, problems
