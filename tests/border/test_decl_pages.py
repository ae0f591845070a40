"""Console pages of declaration screening: the screening console, the port officer's page with
reasons in words and the inspection form, file upload and the batch report."""

from __future__ import annotations

import pytest

from riskgate.border.declarations import service as declarations
from tests.border.decl_world import build, declaration, line, safe_line
from tests.factories import sign_in


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build(db, settings)
    db.commit()
    return built


def _screened(world):  # type: ignore[no-untyped-def]
    stored = declarations.screen_declaration(world.db, world.actor(), declaration(
        [line(1), safe_line(2)]))
    lines = declarations.lines_of(world.db, stored.id)
    world.db.commit()
    return stored, lines


def test_console_and_declaration_page(client, world):
    stored, (red, green) = _screened(world)
    csrf = sign_in(client, world.officer.username)
    console = client.get("/console/border/screening?lang=zh-CN")
    assert console.status_code == 200
    assert stored.number in console.text and "申报审单" in console.text
    assert 'data-lane="red"' in console.text
    filtered = client.get("/console/border/screening?lane=green")
    assert stored.number not in filtered.text
    page = client.get(f"/console/border/declarations/{stored.id}?lang=zh-CN")
    assert page.status_code == 200
    assert f"布控规则 {world.rule.number}" in page.text
    assert "高级认证" in page.text or "Certified" in page.text
    assert f"/console/border/lines/{red.id}/inspection" in page.text
    assert f"/console/border/lines/{green.id}/inspection" not in page.text
    missing = client.post(f"/console/border/lines/{red.id}/inspection",
                          data={"outcome": "fail", "findings": "", "csrf_token": csrf})
    assert missing.status_code == 422 and "findings" in missing.text
    done = client.post(f"/console/border/lines/{red.id}/inspection",
                       data={"outcome": "fail", "findings": "标签不合格", "csrf_token": csrf},
                       follow_redirects=False)
    assert done.status_code == 303
    after = client.get(done.headers["location"])
    assert "record-link" in after.text and "RR-" in after.text


def test_upload_and_batch_page(client, world):
    csrf = sign_in(client, world.officer.username)
    content = ("报关单号,进出口,口岸,收发货人,收发货人代码,申报日期,项号,商品编号,商品名称,数量\n"
               "223300000000007001,进口,shanghai_yangshan,上海优信,91310115MA1K3YJ12X,"
               "2026-11-20,1,8516500000,微波炉,2\n"
               "223300000000007001,进口,shanghai_yangshan,上海优信,91310115MA1K3YJ12X,"
               "2026-11-20,2,8516500000,微波炉,-2\n")
    response = client.post("/console/border/screening/file", data={"csrf_token": csrf},
                           files={"file": ("d.csv", content.encode(), "text/csv")},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    report = client.get(response.headers["location"])
    assert report.status_code == 200 and 'id="batch-rejected">1<' in report.text
    assert "lines.1.quantity" in report.text
    bad = client.post("/console/border/screening/file", data={"csrf_token": csrf},
                      files={"file": ("d.csv", b"a,b\n1,2\n", "text/csv")})
    assert bad.status_code == 422
