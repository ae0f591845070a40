"""The console's record pages: list with search and filters, detail, language, scope."""

from __future__ import annotations

from riskgate.core.permissions import Role
from tests.factories import make_user, sign_in
from tests.search.conftest import World

HTML = {"Accept": "text/html"}


def _officer(client, db, settings, world: World, role=Role.RISK_OFFICER):  # type: ignore[no-untyped-def]
    user = make_user(db, settings, world.officer_user.organisation, role, language="zh-CN")
    db.commit()
    sign_in(client, user.username)
    return user


def test_list_searches_in_chinese_by_default(client, db, settings, world):
    _officer(client, db, settings, world)
    page = client.get("/console/records", params={"q": "玩具 铅"}, headers=HTML)
    assert page.status_code == 200
    results = page.text[page.text.index('id="results"'):]
    assert "进口儿童玩具含铅量超标" in results and "rattle" not in results
    assert "风险信息" in page.text and "导出 Excel" in page.text
    assert "乙方" not in results  # the other organisation's twin
    english = client.get("/console/records", params={"q": "玩具", "lang": "en"}, headers=HTML)
    assert "Export Excel" in english.text and "Choking hazard" in english.text


def test_list_filters_and_bad_values(client, db, settings, world):
    _officer(client, db, settings, world)
    page = client.get("/console/records", params={"channel": "foreign_notice"}, headers=HTML)
    results = page.text[page.text.index('id="results"'):]
    assert "rattle" in results and "进口儿童玩具" not in results
    bad = client.get("/console/records", params={"occurred_from": "2026-13-01",
                                                  "hs_prefix": "x"}, headers=HTML)
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
    stale = client.get("/console/records", params={"q": "玩具", "cursor": "zz"}, headers=HTML)
    assert stale.status_code == 422


def test_detail_shows_the_record_and_hides_other_organisations(client, db, settings, world):
    _officer(client, db, settings, world)
    page = client.get(f"/console/records/{world.ids[1]}", headers=HTML)
    assert page.status_code == 200
    assert "Baby rattle" in page.text and "91350200MA2Y0X5L3F" in page.text
    assert "德国" in page.text  # notifying country in Chinese
    assert "<details>" in page.text  # raw payload, collapsed
    assert client.get(f"/console/records/{world.other_ids[0]}", headers=HTML).status_code == 404


def test_export_buttons_only_with_the_permission(client, db, settings, world):
    _officer(client, db, settings, world, role=Role.PORT_OFFICER)
    page = client.get("/console/records", headers=HTML)
    assert page.status_code == 200 and "/api/v1/records/export" not in page.text
