"""The warning console in a real Chromium: an officer drafts a 通告 naming an enterprise and opens
the comment window; the enterprise's user signs in and replies; the officer submits; an approver
with the authority for the level approves and publishes; the warning page shows 已发布."""

from __future__ import annotations

import pytest

from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD
from tests.warnings.helpers import build_world

pytestmark = BROWSER_MARKS


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build_world(db, settings)
    db.commit()
    return built


def _signed_in(browser, live_server, username, problems):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm on publish
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    return page


def test_draft_comment_review_approve_publish(browser, live_server, world, tmp_path):  # type: ignore[no-untyped-def]
    problems: list[str] = []
    officer = _signed_in(browser, live_server, world.officer.username, problems)
    officer.goto(f"{live_server}/console/warnings/new?lang=zh-CN")
    officer.select_option("#level", "III")
    officer.select_option("#warning_type", "notice")
    officer.fill("#title", "儿童塑料玩具邻苯二甲酸酯超标")
    officer.fill("#summary", "抽检发现进口塑料玩具中邻苯二甲酸酯含量超过限量。")
    officer.fill("#hazard", "化学危害：邻苯二甲酸酯可能损害儿童生殖系统。")
    officer.check("input[name=measures][value=suspend_sales]")
    officer.select_option("#origin_countries", ["CN", "VN"])
    officer.fill("#products-0-name", "塑料洋娃娃")
    officer.fill("#products-0-hs_code", "950300")
    officer.click("#add-product")  # a second row through htmx, left empty (ignored)
    officer.wait_for_selector("#products-1-name")
    officer.click("#add-enterprise")
    officer.wait_for_selector("#enterprises-0-organisation_id")
    officer.select_option("#enterprises-0-organisation_id", str(world.enterprise.id))
    officer.select_option("#enterprises-0-role", "importer")
    officer.fill("#enterprise_instructions", "立即下架并召回相关批次。")
    officer.click("#warning-form button[type=submit]")
    officer.wait_for_selector("#comment-window-form")
    warning_url = officer.url.split("?")[0]
    officer.fill("#working_days", "3")
    officer.click("#comment-window-form button[type=submit]")
    officer.wait_for_selector("#warning-status[data-status=commenting]")
    assert officer.locator("#comment-deadline").count() == 1

    enterprise = _signed_in(browser, live_server, world.ent_user.username, problems)
    enterprise.goto(f"{live_server}/console/warnings?lang=zh-CN")
    enterprise.click("#warnings-table a")
    enterprise.wait_for_selector("#comment-form")
    enterprise.fill("#body", "我司已暂停销售该批次，并已通知下游经销商。")
    enterprise.click("#comment-form button[type=submit]")
    enterprise.wait_for_selector("text=我司已暂停销售该批次")
    assert enterprise.locator("#history").count() == 0

    officer.goto(warning_url)
    assert "我司已暂停销售该批次" in officer.inner_text("#comments")
    officer.click("#submit-form button[type=submit]")
    officer.wait_for_selector("#warning-status[data-status=in_review]")
    assert officer.locator("#approve-form").count() == 0  # the officer is no approver

    approver = _signed_in(browser, live_server, world.approver.username, problems)
    approver.goto(f"{warning_url}?lang=zh-CN")
    approver.fill("#note", "同意发布")
    approver.click("#approve-form button[type=submit]")
    approver.wait_for_selector("#warning-status[data-status=approved]")
    approver.click("#publish-form button[type=submit]")
    approver.wait_for_selector("#warning-status[data-status=published]")
    assert "已发布" in approver.inner_text("#warning-status")
    assert approver.locator("#adjust").count() == 1
    history = approver.inner_text("#history")
    assert "预警已发布" in history and "同意发布" in history
    approver.screenshot(path=str(tmp_path / "warning.png"), full_page=True)
    assert problems == [], problems
