import re
from pathlib import Path
from tests.web.test_browser import CHROMIUM_ARGS, browser  # noqa
from tests.factories import PASSWORD, make_org, make_user
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.identity.permissions import Role

OUT = Path("/tmp/shots"); OUT.mkdir(exist_ok=True)

def test_shots(browser, live_server, db, settings):
    head = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL, name_zh="海关总署", name_en="GACC", code="GACC")
    sz = make_org(db, parent=head, name_zh="深圳海关", name_en="Shenzhen Customs", code="SZ")
    make_org(db, parent=sz, org_type=OrgType.SUBORDINATE_CUSTOMS, level=OrgLevel.CITY, name_zh="皇岗海关", code="HG")
    make_org(db, parent=head, name_zh="上海海关", code="SH")
    make_user(db, settings, head, Role.SYSTEM_ADMIN, username="sysadmin")
    make_user(db, settings, head, Role.SECURITY_ADMIN, username="secadmin", email="a@example.org")
    for i in range(5):
        make_user(db, settings, sz, Role.RISK_OFFICER, username=f"officer{i}")
    db.commit()
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    def shot(name, full=True):
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
    page.goto(f"{live_server}/login"); shot("login")
    page.goto(f"{live_server}/nothing-here"); shot("404")
    page.goto(f"{live_server}/login")
    page.fill("#username", "secadmin"); page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button"); page.wait_for_url(re.compile(".*/console$"))
    shot("home")
    page.goto(f"{live_server}/console/organisations"); shot("orgs")
    page.goto(f"{live_server}/console/users"); shot("users")
    page.goto(f"{live_server}/console/users/new")
    page.fill("#username", "x"); page.fill("#password", "short")
    page.check("input[name=roles][value=system_admin]"); page.check("input[name=roles][value=audit_admin]")
    page.click("form.form button[type=submit]"); page.wait_for_load_state(); shot("user_form_errors")
    page.goto(f"{live_server}/console/users/3"); shot("user_detail")
    page.goto(f"{live_server}/console/organisations/new"); shot("org_form")
    page.goto(f"{live_server}/console/account/tokens")
    page.fill("#name", "nightly export"); page.click("form[action='/console/account/tokens'] button[type=submit]")
    page.wait_for_load_state(); shot("tokens")
    page.goto(f"{live_server}/console/catalog"); shot("catalog")
    page.goto(f"{live_server}/console/catalog/hs?q=coffee"); shot("hs")
    page.goto(f"{live_server}/console/catalog/warnings"); shot("warnings")
    page.goto(f"{live_server}/console/organisations/999"); shot("404_console")
    page.goto(f"{live_server}/console/audit"); shot("403")
    page.goto(f"{live_server}/console/inbox?lang=en"); shot("inbox_en")
    m = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=1)
    mp = m.new_page()
    mp.goto(f"{live_server}/login"); mp.fill("#username", "secadmin"); mp.fill("#password", PASSWORD)
    mp.click("form[action='/login'] button"); mp.wait_for_url(re.compile(".*/console$"))
    mp.screenshot(path=str(OUT / "mobile_home.png"), full_page=True)
    mp.goto(f"{live_server}/console/users"); mp.screenshot(path=str(OUT / "mobile_users.png"), full_page=True)
    mp.goto(f"{live_server}/"); mp.screenshot(path=str(OUT / "mobile_portal.png"), full_page=True)
