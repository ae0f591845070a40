"""End to end in a real Chromium: administrators create an organisation and a user through the
console's forms, and the audit administrator finds both changes in the audit trail.

Runs the real application with uvicorn (see the live_server fixture) against the test database,
and Debian's Chromium through Playwright. Skipped when /usr/bin/chromium is not installed.

Screenshots of the console and of the portal are saved under the test's temporary folder; with
RISKGATE_UPDATE_SCREENSHOTS=1 (or when they do not exist yet) they also replace
docs/images/console.png and docs/images/portal.png, which the README shows.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from riskgate.core.permissions import Role
from riskgate.identity.enums import OrgLevel, OrgType
from tests.browser import BROWSER_MARKS
from tests.factories import PASSWORD, make_org, make_user

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"

pytestmark = BROWSER_MARKS


def _publish(shot: Path, name: str) -> None:
    target = DOCS_IMAGES / name
    if os.environ.get("RISKGATE_UPDATE_SCREENSHOTS") == "1" or not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)


def test_admins_create_organisation_and_user_and_auditor_finds_them(
    browser, live_server, db, settings, tmp_path  # type: ignore[no-untyped-def]
) -> None:
    head = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL,
                    name_zh="海关总署", name_en="General Administration of Customs", code="GACC")
    shenzhen = make_org(db, parent=head, name_zh="深圳海关", name_en="Shenzhen Customs",
                        code="SZCUSTOMS")
    make_org(db, parent=head, name_zh="上海海关", name_en="Shanghai Customs", code="SHCUSTOMS")
    make_org(db, parent=shenzhen, org_type=OrgType.SUBORDINATE_CUSTOMS, level=OrgLevel.CITY,
             name_zh="皇岗海关", name_en="Huanggang Customs", code="HGCUSTOMS")
    make_user(db, settings, head, Role.SYSTEM_ADMIN, username="sysadmin")
    make_user(db, settings, head, Role.SECURITY_ADMIN, username="secadmin")
    make_user(db, settings, head, Role.AUDIT_ADMIN, username="auditor")
    db.commit()

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    def sign_in(username: str) -> None:
        page.goto(f"{live_server}/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url(f"{live_server}/console")

    def sign_out() -> None:
        page.click("form[action='/logout'] button")
        page.wait_for_url(re.compile(r".*/login$"))

    # The portal, as the public sees it.
    page.goto(f"{live_server}/")
    assert page.locator(".level-legend .badge.level-I").count() == 1
    portal_shot = tmp_path / "portal.png"
    page.screenshot(path=str(portal_shot), full_page=True)

    # 1. The system administrator creates an organisation under Shenzhen Customs.
    sign_in("sysadmin")
    page.goto(f"{live_server}/console/organisations/new")
    page.fill("#name_zh", "福田海关")
    page.fill("#name_en", "Futian Customs")
    page.fill("#code", "FTCUSTOMS")
    page.select_option("#org_type", "subordinate_customs")
    page.select_option("#level", "county")
    page.select_option("#parent_id", str(shenzhen.id))
    page.select_option("#region_code", "440300")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/organisations/\d+$"))
    organisation_id = int(page.url.rsplit("/", 1)[1])
    assert "福田海关" in page.locator("h1").inner_text()
    assert page.locator(".flash-success").count() == 1
    sign_out()

    # 2. The security administrator creates a risk officer in it.
    sign_in("secadmin")
    page.goto(f"{live_server}/console/users/new")
    page.fill("#username", "futian.officer")
    page.fill("#display_name", "李明")
    page.select_option("#organisation_id", str(organisation_id))
    page.fill("#email", "li.ming@example.org")
    page.fill("#password", "Futian-Officer-2026!")
    page.check("input[name=roles][value=risk_officer]")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/users/\d+$"))
    user_id = int(page.url.rsplit("/", 1)[1])
    assert page.locator(".flash-success").count() == 1
    assert "风险专员" in page.locator("dl.details").inner_text()
    sign_out()

    # 3. The audit administrator searches the audit trail and finds both changes.
    sign_in("auditor")
    page.goto(f"{live_server}/console/audit")
    page.fill("#q", "created")  # search as you type (htmx), no submit needed
    page.wait_for_url(re.compile(r".*/console/audit\?.*q=created.*"))
    results = page.locator("#results")
    results.locator(f"a[href='/console/organisations/{organisation_id}']").first.wait_for()
    results.locator(f"a[href='/console/users/{user_id}']").first.wait_for()
    text = results.inner_text()
    assert "机构已创建" in text and "用户已创建" in text
    assert "FTCUSTOMS" in text and "futian.officer" in text
    console_shot = tmp_path / "console.png"
    page.screenshot(path=str(console_shot), full_page=False)

    # The organisation's page links to its own audit history.
    page.goto(f"{live_server}/console/organisations/{organisation_id}")
    page.click(f"a[href='/console/audit?object_type=organisation&object_id={organisation_id}']")
    page.wait_for_url(re.compile(r".*object_type=organisation.*"))
    assert page.locator("#results table.audit > tbody > tr").count() == 1
    assert "organisation.created" in page.locator("#results").inner_text()

    # And the chain verifies.
    page.goto(f"{live_server}/console/audit")
    page.click("form[action='/console/audit/verify'] button")
    page.wait_for_url(re.compile(r".*/console/audit/verify\??$"))
    assert page.locator(".flash-success").count() == 1

    context.close()
    assert not problems, problems  # no script error, no Content-Security-Policy violation
    _publish(console_shot, "console.png")
    _publish(portal_shot, "portal.png")
