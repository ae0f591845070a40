"""The inspection form chooses no result for the officer (issue 13: it pre-selected 查验合格):
the select starts blank, and submitting it blank is refused beside the field."""

from __future__ import annotations

import re

import pytest

from riskgate.border.declarations import service as declarations
from riskgate.border.models import InspectionResult
from tests.border.decl_world import build, declaration, line, safe_line
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.factories import sign_in


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build(db, settings)
    db.commit()
    return built


def _red_line(world):  # type: ignore[no-untyped-def]
    stored = declarations.screen_declaration(world.db, world.actor(), declaration(
        [line(1), safe_line(2)]))
    red, _green = declarations.lines_of(world.db, stored.id)
    world.db.commit()
    return stored, red


def _outcome_select(html: str, line_id: int) -> str:
    found = re.search(rf'<select id="outcome-{line_id}".*?</select>', html, re.S)
    assert found is not None
    return found[0]


def test_no_result_is_preselected_and_blank_is_refused(client, world, db):
    stored, red = _red_line(world)
    csrf = sign_in(client, world.officer.username)
    page = client.get(f"/console/border/declarations/{stored.id}?lang=zh-CN")
    select = _outcome_select(page.text, red.id)
    assert re.findall(r'<option value="([^"]*)" selected', select) == [""]
    refused = client.post(f"/console/border/lines/{red.id}/inspection?lang=zh-CN",
                          data={"outcome": "", "findings": "", "csrf_token": csrf})
    assert refused.status_code == 422
    assert f'id="outcome-{red.id}-error"' in refused.text
    db.rollback()
    assert db.query(InspectionResult).count() == 0


@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_inspection_form_in_chromium(browser, live_server, settings, world):  # type: ignore[no-untyped-def]
    stored, red = _red_line(world)
    problems: list[str] = []
    page = signed_in_page(browser, live_server, settings, world.officer.username,
                          problems=problems)
    page.goto(f"{live_server}/console/border/declarations/{stored.id}")
    assert page.locator(f"#outcome-{red.id}").input_value() == ""
    page.click(f"form[action='/console/border/lines/{red.id}/inspection'] button[type=submit]")
    page.wait_for_selector(f"#outcome-{red.id}-error")
    page.select_option(f"#outcome-{red.id}", "pass")
    page.click(f"form[action='/console/border/lines/{red.id}/inspection'] button[type=submit]")
    page.wait_for_selector(".inspection-result[data-outcome='pass']")
    assert problems == []
