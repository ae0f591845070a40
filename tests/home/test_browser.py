"""The overview's to-do tiles in a real Chromium, for three roles: a risk officer of a market
regulator, a national approver and an enterprise user. Each tile shows its count (or 暂无待办),
and each link opens (200) the list with exactly those items."""

from __future__ import annotations

import re
from typing import Any

import pytest

from riskgate.response import service as response
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.home.helpers import Built, todo_world

pytestmark = BROWSER_MARKS


@pytest.fixture
def built(db, settings, tmp_path) -> Built:  # type: ignore[no-untyped-def]
    settings.attachments_dir = tmp_path / "files"
    return todo_world(db, settings)


def _tiles(page: Any) -> dict[str, tuple[int, str]]:
    found = {}
    for tile in page.locator("[data-tile]").all():
        key = tile.get_attribute("data-tile")
        link = tile.locator("a.todo-link")
        count = int(link.locator(".todo-count").inner_text())
        found[key] = (count, link.get_attribute("href"))
    return found


def _open(page: Any, live_server: str, href: str) -> str:
    answer = page.goto(f"{live_server}{href}")
    assert answer is not None and answer.status == 200, href
    return str(page.content())


def _no_english(page: Any) -> None:
    text = page.locator("section.todo").inner_text()
    assert not re.search(r"[A-Za-z]{3,}", text.replace("RW-", "")), text


def test_risk_officer_approver_and_enterprise(browser, live_server, settings, built):  # type: ignore[no-untyped-def]
    world = built.world
    problems: list[str] = []

    # A risk officer of the market regulator: the complaint to accept, the case's tasks.
    officer = world.market_officer  # type: ignore[attr-defined]
    page = signed_in_page(browser, live_server, settings, officer.username, problems=problems)
    page.goto(f"{live_server}/console?lang=zh-CN")
    tiles = _tiles(page)
    assert {"complaints", "signals", "tasks_due", "tasks_overdue", "acknowledgements",
            "inbox"} <= set(tiles) and "approvals" not in tiles
    _no_english(page)
    assert tiles["complaints"][0] == 1
    assert built.complaint.tracking_number in _open(page, live_server, tiles["complaints"][1])
    unit_tasks = [t for t in response.tasks_of(world.db, built.case.id)
                  if t.organisation_id == officer.organisation_id]
    due, href = tiles["tasks_due"]
    assert due >= 1
    _open(page, live_server, href)
    shown = page.locator("tr[data-task]")
    assert shown.count() == due
    assert {int(shown.nth(i).get_attribute("data-task") or 0) for i in range(due)} <= {
        t.id for t in unit_tasks}
    assert tiles["tasks_overdue"][0] == 0
    page.goto(f"{live_server}/console?lang=zh-CN")
    overdue_tile = page.locator("[data-tile=tasks_overdue]")
    assert "暂无待办" in overdue_tile.inner_text()
    _open(page, live_server, tiles["signals"][1])
    page.context.close()

    # The national approver: two warnings in review (one from the province, level I), the
    # enterprise's petition, the review messages.
    page = signed_in_page(browser, live_server, settings, world.approver.username,
                          problems=problems)
    page.goto(f"{live_server}/console?lang=zh-CN")
    tiles = _tiles(page)
    assert {"approvals", "petitions", "acknowledgements", "inbox"} <= set(tiles)
    assert "complaints" not in tiles and "tasks_due" not in tiles
    _no_english(page)
    assert tiles["approvals"][0] == 2
    html = _open(page, live_server, tiles["approvals"][1])
    assert built.draft_national.number in html and built.draft_provincial.number in html
    assert page.locator(f"a[href='/console/warnings/{built.warning.id}']").count() == 0
    assert tiles["petitions"][0] == 1
    _open(page, live_server, tiles["petitions"][1])
    assert page.locator(f"a[href='/console/petitions/{built.petition.id}']").count() >= 1
    page.context.close()

    # The enterprise user: the 通告 to acknowledge, the recall report due tomorrow, its
    # petition awaiting a decision and its accident report.
    page = signed_in_page(browser, live_server, settings, world.ent_user.username,
                          problems=problems)
    page.goto(f"{live_server}/console?lang=zh-CN")
    tiles = _tiles(page)
    assert set(tiles) == {"acknowledgements", "recall_reports", "my_petitions", "my_reports",
                          "inbox"}
    _no_english(page)
    acks = page.locator("[data-tile=acknowledgements] .todo-items li")
    assert tiles["acknowledgements"][0] >= 1 and acks.count() >= 1
    assert built.warning.number in acks.first.inner_text()
    assert built.warning.number in _open(page, live_server, tiles["acknowledgements"][1])
    assert tiles["recall_reports"][0] == 1
    assert built.recall.number in _open(page, live_server, tiles["recall_reports"][1])
    assert tiles["my_petitions"][0] == 1
    _open(page, live_server, tiles["my_petitions"][1])
    assert page.locator(f"a[href='/console/my-petitions/{built.petition.id}']").count() >= 1
    assert tiles["my_reports"][0] == 1
    assert built.report.reference in _open(page, live_server, tiles["my_reports"][1])
    _open(page, live_server, tiles["inbox"][1])
    page.context.close()
    assert problems == []
