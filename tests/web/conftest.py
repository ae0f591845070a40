"""Fixtures for the page tests: a browser-like client, signed-in clients, a live server."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from tests.factories import PASSWORD, make_org, make_user

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"




@pytest.fixture
def page(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """A client that asks for HTML like a browser (errors as pages, sign-in redirects)."""
    with TestClient(app, base_url="http://testserver", headers={"Accept": HTML}) as test_client:
        yield test_client


@pytest.fixture
def page_en(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://testserver",
                    headers={"Accept": HTML, "Accept-Language": "en"}) as test_client:
        yield test_client


def results(html: str) -> str:
    """The part of a list page after its filters (the #results region)."""
    return html[html.index('id="results"'):]


def form_sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the real form; returns the CSRF token shown in the console pages."""
    response = client.post("/login", data={"username": username, "password": password,
                                           "next": "/console"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get("/console")
    marker = 'name="csrf-token" content="'
    start = page.text.index(marker) + len(marker)
    return page.text[start:page.text.index('"', start)]


def sign_in_english(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in, then forget the language cookie that sign-in sets, so that Accept-Language
    decides the language (as for a browser that never chose one)."""
    token = form_sign_in(client, username, password)
    for cookie in list(client.cookies.jar):
        if cookie.name == "rg_lang":
            client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
    return token


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    """Two customs trees and the administrators of the first one."""
    from riskgate.core.permissions import Role
    from riskgate.identity.enums import OrgLevel, OrgType

    head = make_org(db, org_type=OrgType.CUSTOMS_HEAD_OFFICE, level=OrgLevel.NATIONAL,
                    name_zh="海关总署测试", name_en="GACC test", code="HQ")
    district = make_org(db, parent=head, name_zh="深圳海关测试", name_en="Shenzhen test",
                        code="SZ")
    other = make_org(db, org_type=OrgType.MARKET_REGULATOR, level=OrgLevel.PROVINCIAL,
                     name_zh="其他市场监管局", name_en="Other regulator", code="OTHER")
    users = {
        "sysadmin": make_user(db, settings, head, Role.SYSTEM_ADMIN, username="sysadmin"),
        "secadmin": make_user(db, settings, head, Role.SECURITY_ADMIN, username="secadmin"),
        "auditor": make_user(db, settings, head, Role.AUDIT_ADMIN, username="auditor"),
        "officer": make_user(db, settings, district, Role.RISK_OFFICER, username="officer"),
        "outsider": make_user(db, settings, other, Role.SECURITY_ADMIN, username="outsider"),
    }
    db.commit()
    return {"head": head, "district": district, "other": other, **users}


@pytest.fixture
def signed_in(page) -> Callable[[str], str]:  # type: ignore[no-untyped-def]
    """Sign the `page` client in as a user; returns the CSRF token."""
    return lambda username: form_sign_in(page, username)


# --- A real server for the browser tests ---------------------------------------------------


