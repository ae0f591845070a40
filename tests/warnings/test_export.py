"""Bulk export of warnings: public (announcements, the portal's filters) as CSV with BOM, Excel
and JSON; staff (what they may read, audited); bounded."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.warnings.publication import export
from tests.factories import sign_in
from tests.warnings.helpers import build_world, make_draft, make_published_warning


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    return build_world(db, settings)


@pytest.fixture
def published(world, db):  # type: ignore[no-untyped-def]
    toy = make_published_warning(world, level="I", title="=HYPERLINK(\"x\") 玩具")
    food = make_published_warning(
        world, level="III", origin_countries=["FR"],
        products=[{"name": "奶粉", "hs_code": "040210", "category": "食品"}])
    bulletin = make_published_warning(world, warning_type="bulletin", enterprises=[])
    draft = make_draft(world)
    db.commit()
    return {"toy": toy, "food": food, "bulletin": bulletin, "draft": draft}


def read_csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_public_csv_has_announcements_only(app, published) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    rows = read_csv(client.get("/warnings/export.csv", params={"lang": "en"}))
    assert rows[0][:3] == ["Warning number", "Issued by", "Level"]
    numbers = [r[0] for r in rows[1:]]
    assert sorted(numbers) == sorted([published["toy"].number, published["food"].number])
    toy = next(r for r in rows[1:] if r[0] == published["toy"].number)
    assert toy[5].startswith("'=HYPERLINK")  # never run as a formula
    assert toy[-1].endswith(f"/warnings/{published['toy'].id}-{published['toy'].number}")
    chinese = read_csv(client.get("/warnings/export.csv", params={"lang": "zh-CN"}))
    assert chinese[0][0] != "Warning number"
    assert "Content-Disposition" in client.get("/warnings/export.csv").headers


def test_public_filters(app, published) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)

    def numbers(**params: str) -> list[str]:
        return [r[0] for r in read_csv(client.get("/warnings/export.csv", params=params))[1:]]

    assert numbers(level="III") == [published["food"].number]
    assert numbers(country="FR") == [published["food"].number]
    assert numbers(category="玩具") == [published["toy"].number]
    today = dt.datetime.now(dt.UTC).date()
    assert len(numbers(date_from=(today - dt.timedelta(days=1)).isoformat())) == 2
    assert numbers(date_from=(today + dt.timedelta(days=2)).isoformat()) == []
    bad = client.get("/warnings/export.csv", params={"date_from": "2026-02-02",
                                                     "date_to": "2026-01-01"})
    assert bad.status_code == 422
    assert client.get("/warnings/export.pdf").status_code == 422


def test_public_xlsx_and_json(app, published) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    response = client.get("/warnings/export.xlsx", params={"lang": "en"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Warning number" and len(values) == 3
    response = client.get("/warnings/export.json")
    assert response.headers["content-type"].startswith("application/json")
    items = json.loads(response.content)
    food = next(i for i in items if i["number"] == published["food"].number)
    assert food["level"] == "III" and food["warning_type"] == "announcement"
    assert food["products"][0]["hs_code"] == "040210"
    assert food["origin_countries"] == ["FR"]
    assert food["published_at"].endswith("+00:00")
    assert response.headers["X-Export-Rows"] == "2"


def test_staff_export_follows_who_may_read(app, world, published, db) -> None:  # type: ignore[no-untyped-def]
    anonymous = TestClient(app).get("/api/v1/warnings/export")
    assert anonymous.status_code == 401
    issuer = TestClient(app)
    sign_in(issuer, world.officer.username)
    items = json.loads(issuer.get("/api/v1/warnings/export",
                                  params={"format": "json"}).content)
    numbers = {i["number"] for i in items}
    assert {w.number for w in published.values()} <= numbers  # the draft too: they issued it
    only = json.loads(issuer.get("/api/v1/warnings/export", params={
        "format": "json", "type": "bulletin"}).content)
    assert [i["number"] for i in only] == [published["bulletin"].number]
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "warning.export")
                       .order_by(AuditEntry.id.desc())).scalars().first()
    assert entry is not None and entry.after["rows"] == 1
    assert entry.after["filters"] == {"type": "bulletin"}

    enterprise = TestClient(app)
    sign_in(enterprise, world.ent2_user.username)
    seen = {i["number"] for i in json.loads(enterprise.get(
        "/api/v1/warnings/export", params={"format": "json"}).content)}
    assert published["bulletin"].number not in seen and published["draft"].number not in seen
    assert published["toy"].number in seen
    rows = read_csv(issuer.get("/api/v1/warnings/export", params={"level": "I"}))
    assert [r[0] for r in rows[1:]] == [published["toy"].number]
    xlsx = issuer.get("/api/v1/warnings/export", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert issuer.get("/api/v1/warnings/export", params={"format": "pdf"}).status_code == 422
    assert issuer.get("/api/v1/warnings/export", params={"country": "France"}).status_code == 422


def test_exports_are_bounded(app, published, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(export, "MAX_EXPORT_ROWS", 1)
    response = TestClient(app).get("/warnings/export.csv")
    assert response.status_code == 422
    assert "1" in response.text
