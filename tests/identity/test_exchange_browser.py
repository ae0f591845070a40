"""In a real Chromium: customs' administrator proposes an exchange agreement on the console; the
market regulator's administrator finds it under "proposed to me" and accepts it; the regulator's
officer then sees the customs record, marked with its origin, and the customs officer copies a
record to another organisation from the record page."""

from __future__ import annotations

from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.records.service import push_records
from tests.browser import BROWSER_MARKS, signed_in_page
from tests.factories import make_org, make_user

pytestmark = BROWSER_MARKS


def test_propose_accept_and_see_shared_record(browser, live_server, db, settings):  # type: ignore[no-untyped-def]
    customs = make_org(db, name_zh="浏览器海关", region_code="310000")
    amr = make_org(db, org_type=OrgType.MARKET_REGULATOR, name_zh="浏览器市场监管局",
                   region_code="310000")
    other = make_org(db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.CITY,
                     name_zh="浏览器区市场监管局", region_code="440100")
    make_user(db, settings, customs, Role.SYSTEM_ADMIN, username="b_customs_admin")
    make_user(db, settings, amr, Role.SYSTEM_ADMIN, username="b_amr_admin")
    officer = make_user(db, settings, customs, Role.RISK_OFFICER, username="b_officer")
    make_user(db, settings, amr, Role.RISK_OFFICER, username="b_amr_officer")
    (stored,) = push_records(db, actor_for(officer, "zh-CN"), [{
        "source_channel": "hotline_12315", "external_reference": "BROWSER-XCH-1",
        "title": "上海销售的电暖器起火", "product_name": "电暖器", "region_code": "310115",
        "trade_direction": "import"}])
    db.commit()
    problems: list[str] = []

    page = signed_in_page(browser, live_server, settings, "b_customs_admin", problems=problems)
    page.click("a[href='/console/exchange']")
    page.click("#new-agreement")
    page.fill("#title", "浏览器海关→市场监管 上海风险信息")
    page.select_option("#provider_id", str(customs.id))
    page.select_option("#receiver_id", str(amr.id))
    page.check("#categories input[value='risk_record']")
    page.select_option("#access", "act")
    page.fill("#regions", "310000")
    page.click("#agreement-form button[type=submit]")
    page.wait_for_selector(".flash")
    assert page.get_attribute("#agreement-status", "data-status") == "proposed"
    assert page.locator("#accept-form").count() == 0  # not for the side that proposed
    assert page.locator("#awaiting").count() == 1
    agreement_url = page.url
    page.context.close()

    page = signed_in_page(browser, live_server, settings, "b_amr_admin", problems=problems)
    page.goto(f"{live_server}/console/exchange")
    page.click("#to-me-table a")
    assert page.url == agreement_url
    page.click("#accept-form button[type=submit]")
    page.wait_for_selector(".flash")
    assert page.get_attribute("#agreement-status", "data-status") == "accepted"
    assert page.locator("#revoke").count() == 1
    page.context.close()

    page = signed_in_page(browser, live_server, settings, "b_amr_officer", problems=problems)
    page.goto(f"{live_server}/console/records")
    row = page.locator(f"tr:has(a[href='/console/records/{stored.record_id}'])")
    assert "来自浏览器海关" in row.inner_text()
    page.goto(f"{live_server}/console/records/{stored.record_id}")
    assert "上海销售的电暖器起火" in page.inner_text("main")
    assert "来自浏览器海关" in page.inner_text("h1")
    page.context.close()

    page = signed_in_page(browser, live_server, settings, "b_officer", problems=problems)
    page.goto(f"{live_server}/console/records/{stored.record_id}")
    page.wait_for_selector("#share-form")
    page.select_option("#share-form #organisation_id", str(other.id))
    page.select_option("#share-form #kind", "copy")
    page.fill("#share-form #reason", "请关注")
    page.click("#share-form button[type=submit]")
    page.wait_for_selector(".flash")
    page.wait_for_selector("#share-list")
    assert "浏览器区市场监管局" in page.inner_text("#share-list")
    page.context.close()
    assert problems == []
