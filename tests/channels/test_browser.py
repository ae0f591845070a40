"""The channel-health dashboard in a real Chromium: ECharts draws under the strict CSP."""

from __future__ import annotations

import datetime as dt

from riskgate.catalog.enums import SourceChannel
from riskgate.channels import submissions
from riskgate.core.db import transaction, utcnow
from riskgate.records.service import store_drafts
from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD

pytestmark = BROWSER_MARKS


def test_dashboard_draws_charts_and_matrix_shows_units(browser, live_server, app, units, tmp_path):  # type: ignore[no-untyped-def]
    now = utcnow()
    with transaction(app.state.session_factory) as db:
        for n in range(12):
            store_drafts(db, [({"title": f"投诉{n}", "product_name": "电暖器",
                                "external_reference": f"B-{n}", "language": "zh",
                                "trade_direction": "unknown", "confidentiality": "internal",
                                "hazard_types": [], "enterprises": []}, None)],
                         channel=SourceChannel.hotline_12315, organisation_id=units.unit.id,
                         received_at=now - dt.timedelta(days=n * 3))
        submissions.set_unit(db, units.lead_actor, units.unit.id, True)
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", units.lead_officer.username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.goto(f"{live_server}/console/channels")
    page.wait_for_selector("#chart-weekly canvas, #chart-weekly svg", timeout=10_000)
    assert page.locator("#chart-daily canvas, #chart-daily svg").count() >= 1
    assert "12315" in page.locator("table").first.inner_text()
    page.screenshot(path=str(tmp_path / "channels.png"), full_page=True)
    page.goto(f"{live_server}/console/channels/submissions")
    assert units.unit.code in page.locator("table").inner_text()
    assert problems == []
