"""Search and export through the records API: ranked search, filters, scope, CSV and Excel."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core.permissions import Role
from tests.factories import auth_headers, make_user, token_for
from tests.search.conftest import World, make_world


@pytest.fixture
def world(db, settings) -> World:  # type: ignore[no-untyped-def]
    return make_world(db, settings)


def _headers(db, settings, world: World, role=Role.RISK_OFFICER, lang="en"):  # type: ignore[no-untyped-def]
    user = make_user(db, settings, world.officer_user.organisation, role)
    headers = auth_headers(token_for(db, user), lang)
    db.commit()
    return headers


def test_search_ranked_with_filters_and_scope(client, db, settings, world):
    headers = _headers(db, settings, world)
    found = client.get("/api/v1/records", params={"q": "玩具 铅"}, headers=headers)
    assert found.status_code == 200, found.text
    assert [r["id"] for r in found.json()["items"]] == [world.ids[0]]
    both = client.get("/api/v1/records", params={"q": "玩具", "limit": 1}, headers=headers).json()
    assert len(both["items"]) == 1 and both["next_cursor"]
    second = client.get("/api/v1/records", params={"q": "玩具", "limit": 1,
                                                   "cursor": both["next_cursor"]}, headers=headers)
    assert {both["items"][0]["id"], second.json()["items"][0]["id"]} == set(world.ids[:2])
    assert second.json()["next_cursor"] is None
    filtered = client.get("/api/v1/records", params={"q": "玩具", "channel": "foreign_notice"},
                          headers=headers).json()
    assert [r["id"] for r in filtered["items"]] == [world.ids[1]]
    sorted_ = client.get("/api/v1/records", params={"q": "玩具", "sort": "id"}, headers=headers)
    assert [r["id"] for r in sorted_.json()["items"]] == sorted(world.ids[:2])
    assert world.other_ids[0] not in [r["id"] for r in found.json()["items"]]


def test_bad_search_input_is_a_problem_not_a_crash(client, db, settings, world):
    headers = _headers(db, settings, world, lang="zh-CN")
    too_long = client.get("/api/v1/records", params={"q": "玩" * 201}, headers=headers)
    assert too_long.status_code == 422
    assert too_long.headers["content-type"].startswith("application/problem+json")
    bad_cursor = client.get("/api/v1/records", params={"q": "玩具", "cursor": "xx"},
                            headers=headers)
    assert bad_cursor.status_code == 422
    keyset = client.get("/api/v1/records", params={"limit": 1}, headers=headers).json()
    mixed = client.get("/api/v1/records", params={"q": "玩具", "cursor": keyset["next_cursor"]},
                       headers=headers)
    assert mixed.status_code == 422
    empty = client.get("/api/v1/records", params={"q": "  "}, headers=headers)
    assert empty.status_code == 200 and len(empty.json()["items"]) == 3
    odd = client.get("/api/v1/records", params={"q": '"*) OR NEAR(\'a\' & !b:*'}, headers=headers)
    assert odd.status_code == 200


def test_export_csv_in_chinese_and_audited(client, db, settings, world):
    headers = _headers(db, settings, world, lang="zh-CN")
    response = client.get("/api/v1/records/export", params={"format": "csv", "q": "玩具"},
                          headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "记录编号" and "标题" in rows[0]
    assert len(rows) == 3 and rows[1][0].startswith("RR-")
    assert {r[rows[0].index("标题")] for r in rows[1:]} == {
        "进口儿童玩具含铅量超标", "Choking hazard: small parts of a rattle"}
    assert response.headers["x-export-rows"] == "2"
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "record.export")).scalar_one()
    assert entry.after["rows"] == 2 and entry.after["format"] == "csv"


def test_export_xlsx_in_english_within_scope(client, db, settings, world):
    headers = _headers(db, settings, world, lang="en")
    response = client.get("/api/v1/records/export", params={"format": "xlsx"}, headers=headers)
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Record number"
    assert len(rows) == 4  # the officer's three records, not the other organisation's
    assert "Germany" in {r[rows[0].index("Notifying country")] for r in rows[1:]}


def test_export_escapes_formulas_and_refuses_bad_format(client, db, settings, world):
    from riskgate.records import service as records

    records.push_records(db, world.officer, [{
        "source_channel": "hotline_12315", "title": "=HYPERLINK(\"http://x\")",
        "product_name": "@SUM(1)"}])  # fmt: skip
    db.commit()
    headers = _headers(db, settings, world)
    response = client.get("/api/v1/records/export", params={"q": "hyperlink"}, headers=headers)
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    assert client.get("/api/v1/records/export", params={"format": "pdf"},
                      headers=headers).status_code == 422


def test_export_needs_its_permission(client, db, settings, world):
    port = _headers(db, settings, world, role=Role.PORT_OFFICER)
    assert client.get("/api/v1/records", params={"q": "玩具"}, headers=port).status_code == 200
    assert client.get("/api/v1/records/export", headers=port).status_code == 403
    assert client.get("/api/v1/records/export").status_code == 401
