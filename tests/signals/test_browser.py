"""A signal's page in a real Chromium: the series chart draws under the strict CSP, the triage
form moves the signal."""

from __future__ import annotations

import datetime as dt

from riskgate.core.db import transaction
from riskgate.signals import service
from riskgate.signals.models import Signal
from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD
from tests.signals.conftest import add_records

pytestmark = BROWSER_MARKS


def test_signal_page_draws_the_chart_and_triages(browser, live_server, app, tree, tmp_path):  # type: ignore[no-untyped-def]
    today = dt.date.today()
    with transaction(app.state.session_factory) as db:
        for week in range(1, 20):
            add_records(db, tree.unit_a.id, 1 + week % 2, day=today - dt.timedelta(weeks=week))
        add_records(db, tree.unit_a.id, 9, day=today)
        service.run_weekly(db, "Asia/Shanghai")
    with transaction(app.state.session_factory) as db:
        signal_id = db.query(Signal.id).scalar()
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", tree.a_officer.username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/console")
    page.goto(f"{live_server}/console/signals")
    assert page.locator("#signal-queue tbody tr").count() == 1
    page.goto(f"{live_server}/console/signals/{signal_id}")
    page.wait_for_selector("#signal-chart canvas, #signal-chart svg", timeout=10_000)
    assert page.locator("#signal-chart[data-rendered=true]").count() == 1
    assert page.locator("#signal-records a[href^='/console/records/']").count() == 9
    page.screenshot(path=str(tmp_path / "signal.png"), full_page=True)
    page.select_option("#status", "triage")
    page.click("#transition-form button[type=submit]")
    page.wait_for_selector("#signal-status")
    assert page.locator("#signal-status").inner_text() == "In triage"  # the officer reads English
    assert problems == []
