"""In a real Chromium: the enterprise files a progress report reaching 100 % on
/console/my-recalls; the recall completes itself and the public portal shows 100 %."""

from __future__ import annotations

import pytest

from riskgate.recalls.service import local_date
from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD
from tests.recalls.helpers import make_started, report
from tests.warnings.helpers import build_world

pytestmark = BROWSER_MARKS


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build_world(db, settings)
    db.commit()
    return built


def test_enterprise_reports_to_100_and_portal_shows_it(browser, live_server, world, db):  # type: ignore[no-untyped-def]
    recall = make_started(world, units_affected=250, title="星童塑料洋娃娃召回（浏览器）")
    report(world, recall, 100)
    db.commit()
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", world.ent_user.username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.click("a[href='/console/my-recalls']")  # the nav link 我的召回
    page.wait_for_selector(f"#report-form-{recall.id}")
    assert "40 %" in page.inner_text(f"#recall-{recall.id}")
    form = f"#report-form-{recall.id}"
    page.fill(f"{form} #period_end", local_date().isoformat())
    page.fill(f"{form} #units_remedied", "150")
    page.fill(f"{form} #by_refund", "150")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(".flash")
    card = page.inner_text(f"#recall-{recall.id}")
    assert "100 %" in card  # the user reads English: "100 % done (250 of 250 units)"
    status = page.get_attribute(f"#recall-{recall.id} [data-status]", "data-status")
    assert status == "completed"
    portal = context.new_page()
    portal.goto(f"{live_server}/recalls/{recall.id}")
    assert "100 %" in portal.inner_text("#recall-completion")
    assert portal.get_attribute("#recall-completion progress", "value") == "100.0"
    assert problems == []
    context.close()
