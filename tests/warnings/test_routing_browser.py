"""Authority routing in a real Chromium (报送签发): the provincial customs' officer submits a
level I 公告; the page says where it waits; the provincial approver is offered no approve
button and is told why; the national approver finds it in the "awaiting my approval" queue,
previews the public page (release check) and approves it."""

from __future__ import annotations

import pytest

from riskgate.warnings.lifecycle import service
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.warnings.helpers import build_world, warning_input

pytestmark = BROWSER_MARKS


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build_world(db, settings)
    db.commit()
    return built


def test_level_one_is_routed_to_the_national_approver(browser, live_server, settings, world,  # type: ignore[no-untyped-def]
                                                      db):
    draft = service.create_warning(db, world.actor(world.prov_officer), warning_input(
        world, level="I", summary="抽检发现塑料玩具邻苯二甲酸酯超标，见 RR-2026-000063。"))
    db.commit()
    problems: list[str] = []
    url = f"{live_server}/console/warnings/{draft.id}"

    officer = signed_in_page(browser, live_server, settings, world.prov_officer.username,
                             problems=problems)
    officer.goto(url)
    officer.click("#submit-form button[type=submit]")
    officer.wait_for_selector("#waiting-at")
    # The world's users read English; the Chinese is "须报{机构}签发" (tests/warnings/test_routing).
    assert officer.inner_text("#waiting-at") == f"Awaiting issue by {world.national.name_en}"
    assert officer.get_attribute("#warning-status", "data-status") == "in_review"
    officer.context.close()

    provincial = signed_in_page(browser, live_server, settings, world.prov_approver.username,
                                problems=problems)
    provincial.goto(url)
    assert provincial.locator("#approve-form").count() == 0
    assert provincial.locator("#publish-form").count() == 0
    assert world.national.name_en in provincial.inner_text("#no-authority")
    provincial.goto(f"{live_server}/console/warnings?status=in_review&approvable=true")
    assert draft.number not in provincial.inner_text("main")
    provincial.context.close()

    national = signed_in_page(browser, live_server, settings, world.approver.username,
                              problems=problems)
    national.goto(f"{live_server}/console/warnings")
    national.click("#approval-queue")
    national.click(f"text={draft.number}")
    national.wait_for_selector("#approve-form")
    national.click("#preview-link")
    national.wait_for_selector("#release-check")
    assert national.locator(".finding-record_number").count() == 1
    assert world.national.name_en in national.inner_text("#warning-issuer")
    national.click("text=Back to the warning")
    national.fill("#approve-form textarea[name=note]", "同意签发")
    national.click("#approve-form button[type=submit]")
    national.wait_for_selector("[data-status=approved]")
    national.context.close()
    assert problems == []
