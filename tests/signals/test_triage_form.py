"""The triage form chooses no status for the officer (issue 13: it defaulted to 已排除): the
select starts blank, and a blank submission is refused beside the field, nothing changed."""

from __future__ import annotations

import re

from tests.browser import BROWSER_MARKS, signed_in_page
from tests.factories import sign_in
from tests.signals.test_api_and_pages import _signal


def test_blank_status_is_refused_beside_the_field(client, db, tree):  # type: ignore[no-untyped-def]
    signal = _signal(db, tree)
    csrf = sign_in(client, tree.a_officer.username)
    page = client.get(f"/console/signals/{signal.id}?lang=zh-CN")
    select = re.search(r'<select id="status".*?</select>', page.text, re.S)
    assert select is not None
    assert re.findall(r'<option value="([^"]*)" selected', select[0]) == [""]
    refused = client.post(f"/console/signals/{signal.id}/transition?lang=zh-CN",
                          data={"status": "", "reason": "看过了", "csrf_token": csrf})
    assert refused.status_code == 422
    assert 'id="status-error"' in refused.text and "看过了" in refused.text
    db.rollback()
    db.refresh(signal)
    assert signal.status == "new"


@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_triage_form_in_chromium(browser, live_server, settings, db, tree):  # type: ignore[no-untyped-def]
    signal = _signal(db, tree)
    db.commit()
    problems: list[str] = []
    page = signed_in_page(browser, live_server, settings, tree.a_officer.username,
                          problems=problems)
    page.goto(f"{live_server}/console/signals/{signal.id}")
    assert page.locator("#status").input_value() == ""
    page.click("#transition-form button[type=submit]")
    page.wait_for_selector("#status-error")
    page.select_option("#status", "triage")
    page.click("#transition-form button[type=submit]")
    page.wait_for_url(f"{live_server}/console/signals/{signal.id}")
    assert "In triage" in page.locator("#signal-status").inner_text()
    db.rollback()
    db.refresh(signal)
    assert signal.status == "triage"
    assert problems == []
