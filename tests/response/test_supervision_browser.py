"""督查 in a real Chromium: the customs head office's supervisor sees, on the overdue page, the
overdue task of the market regulator (another agency) in a joint case its agency leads, opens
it, and reads on the case timeline whom the escalation reached — and that the regulator's chain
had no supervisor, which went to the system administrators."""

from __future__ import annotations

import datetime as dt

import pytest

from riskgate.response import jobs
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.response.helpers import joint_world, samr_task

pytestmark = BROWSER_MARKS


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = joint_world(db, settings)
    db.commit()
    return built


def test_supervisor_sees_the_joint_case_task_of_another_agency(browser, live_server, settings,  # type: ignore[no-untyped-def]
                                                              world):
    task = samr_task(world.db, world)
    task.due_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    jobs.run_deadlines(world.db)
    world.db.commit()
    problems: list[str] = []
    page = signed_in_page(browser, live_server, settings, world.supervisor.username,
                          problems=problems)
    page.goto(f"{live_server}/console/response/overdue?lang=zh-CN")
    row = page.locator(f"#overdue-tasks tr[data-task='{task.id}']")
    assert row.count() == 1
    assert world.samr.name_zh in row.inner_text()  # the responsible unit, another agency
    assert world.national.name_zh in row.inner_text()  # the case lead
    assert page.locator(f"#overdue-units tr[data-organisation='{world.samr.id}']").count() == 1
    assert "辖区内没有超期任务" not in page.content()
    row.locator("a").nth(1).click()
    page.wait_for_selector("[data-overdue]")
    assert f"/console/response/tasks/{task.id}" in page.url
    page.goto(f"{live_server}/console/response/cases/{task.case_id}?lang=zh-CN")
    escalation = page.locator(f"#case-timeline li[data-action='response.task.escalate']"
                              f":has(a[href='/console/response/tasks/{task.id}'])")
    assert escalation.count() == 1
    text = escalation.inner_text()
    assert world.supervisor.display_name in text and world.samr.name_zh in text
    assert escalation.locator("[data-unrouted]").count() == 1
    assert not problems, problems
    page.context.close()
