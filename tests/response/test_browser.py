"""The response console in a real Chromium: a market-regulator officer opens the task of its
unit, reports progress with an evidence file, and the case board shows the progress."""

from __future__ import annotations

import pytest

from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD
from tests.response.helpers import published_case, response_world, task_for

pytestmark = BROWSER_MARKS
PDF = b"%PDF-1.4\n% browser evidence\n%%EOF\n"


@pytest.fixture
def world(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.attachments_dir = tmp_path / "files"
    built = response_world(db, settings)
    db.commit()
    return built


def test_officer_reports_with_a_file_and_board_shows_it(browser, live_server, world, tmp_path):  # type: ignore[no-untyped-def]
    case = published_case(world.db, world, level="IV")
    task = task_for(world.db, case, "targeted_supervision")
    world.db.commit()
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", world.market_officer.username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.goto(f"{live_server}/console/response/tasks?lang=zh-CN")
    page.click(f"tr[data-task='{task.id}'] a")
    page.wait_for_selector("#report-form")
    page.fill("#body", "已对辖区 12 家经营户开展定向检查")
    page.fill("#progress_percent", "100")
    page.fill("#seized_units", "18")
    evidence = tmp_path / "检查记录.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("#evidence", str(evidence))
    page.click("#send-report")
    page.wait_for_selector("#task-reports")
    assert "已对辖区 12 家经营户开展定向检查" in page.content()
    assert page.locator("[data-status='done']").count() >= 1
    assert page.locator("#task-reports a", has_text="检查记录.pdf").count() == 1
    page.goto(f"{live_server}/console/response/cases")
    card = page.locator(f"[data-case='{case.id}']")
    assert card.count() == 1
    assert card.locator("progress").get_attribute("value") == "1"
    assert problems == []
    context.close()
