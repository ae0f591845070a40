"""The plan progress and monitoring-point pages in a real Chromium: ECharts draws under the
strict CSP, with no console error."""

from __future__ import annotations

import datetime as dt

from riskgate.core.db import transaction
from riskgate.identity.auth_service import actor_for
from riskgate.monitoring import points, results, service
from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD
from tests.monitoring.conftest import plan_body, target

pytestmark = BROWSER_MARKS


def test_progress_and_point_charts(browser, live_server, app, unit, tmp_path):  # type: ignore[no-untyped-def]
    with transaction(app.state.session_factory) as db:
        officer = actor_for(unit.officer, "zh-CN")
        point = points.create_point(db, officer, {"code": "YS-1", "name": "洋山港监测点",
                                                  "point_type": "port"})
        plan = service.create_plan(db, officer, plan_body(
            targets=[target(monitoring_point_ids=[point.id]), target(hs_code="040210")]))
        service.approve_plan(db, actor_for(unit.approver, "zh-CN"), plan.id, None)
        task = service.generate_tasks(db, officer, plan.id)[0][0]
        results.enter_results(db, officer, task.id, [
            {"sample_code": "S1", "test_item": "铅", "measured_value": 0.5,
             "tested_on": dt.date.today()}])
        plan_id, point_id = plan.id, point.id
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", unit.officer.username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.goto(f"{live_server}/console/monitoring/plans/{plan_id}/progress")
    page.wait_for_selector("#chart-progress canvas, #chart-progress svg", timeout=10_000)
    assert "婴幼儿配方乳粉" in page.locator("table").first.inner_text()
    page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)
    page.goto(f"{live_server}/console/monitoring/points/{point_id}")
    page.wait_for_selector("#chart-point canvas, #chart-point svg", timeout=10_000)
    page.goto(f"{live_server}/console/monitoring/plans/{plan_id}")
    assert page.locator("text=ST-2026-").count() >= 1
    assert problems == []
