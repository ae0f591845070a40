"""The records and imports API: push, idempotency, filters, scope, upload, correction, report."""

from __future__ import annotations

from sqlalchemy import func, select

from riskgate.core.permissions import Role
from riskgate.records.models import RiskRecord
from tests.factories import auth_headers, make_org, make_user, token_for
from tests.intake.conftest import FIXTURES

TOY = {
    "source_channel": "inspection_supervision",
    "external_reference": "CIQ-2026-0100",
    "occurred_on": "2026-03-02",
    "title": "进口玩具邻苯二甲酸酯超标",
    "product_name": "塑料玩具",
    "hs_code": "9503.00",
    "hazard_type": "phthalates",
    "origin_country": "VN",
    "trade_direction": "import",
    "enterprises": [{"role": "manufacturer", "name": "Hanoi Toys", "country": "Viet Nam"}],
}


def _setup(db, settings):  # type: ignore[no-untyped-def]
    a = make_org(db, name_zh="甲海关")
    b = make_org(db, name_zh="乙海关")
    officer = make_user(db, settings, a, Role.RISK_OFFICER)
    other = make_user(db, settings, b, Role.RISK_OFFICER)
    headers = auth_headers(token_for(db, officer))
    other_headers = auth_headers(token_for(db, other))
    db.commit()
    return headers, other_headers


def test_push_one_record_is_idempotent(client, db, settings):
    headers, other_headers = _setup(db, settings)
    created = client.post("/api/v1/records", json=TOY, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["created"] and body["record_number"].startswith("RR-")
    again = client.post("/api/v1/records", json=TOY, headers=headers)
    assert again.json() == {**body, "created": False}
    keyed = {**headers, "Idempotency-Key": "push-1"}
    first = client.post("/api/v1/records", json={**TOY, "external_reference": "X2"}, headers=keyed)
    replay = client.post("/api/v1/records", json={**TOY, "external_reference": "X2"}, headers=keyed)
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json() == first.json()
    record = client.get(f"/api/v1/records/{body['record_id']}", headers=headers).json()
    assert record["hs_code"] == "950300" and record["hazard_class"] == "chemical"
    assert record["enterprises"] == [
        {"role": "manufacturer", "uscc": None, "name": "Hanoi Toys", "country": "VN"}
    ]
    assert (
        client.get(f"/api/v1/records/{body['record_id']}", headers=other_headers).status_code == 404
    )


def test_duplicate_of_another_organisations_record_does_not_reveal_it(client, db, settings):
    headers, other_headers = _setup(db, settings)
    mine = client.post("/api/v1/records", json=TOY, headers=headers).json()
    theirs = client.post("/api/v1/records", json=TOY, headers=other_headers)
    assert theirs.status_code == 201, theirs.text
    assert theirs.json() == {"record_id": None, "record_number": None, "created": False}
    batch = client.post(
        "/api/v1/records/batch",
        json={"items": [TOY, {**TOY, "external_reference": "B-1"}]},
        headers=other_headers,
    ).json()
    assert batch["items"][0] == {"record_id": None, "record_number": None, "created": False}
    assert batch["items"][1]["created"] and batch["items"][1]["record_id"] != mine["record_id"]
    # Within one's own scope the duplicate names the record, as before.
    again = client.post("/api/v1/records", json=TOY, headers=headers).json()
    assert again == {**mine, "created": False}


def test_batch_push_names_each_bad_field_and_stores_nothing(client, db, settings):
    headers, _ = _setup(db, settings)
    bad = {**TOY, "external_reference": "B2", "hs_code": "09011", "origin_country": "ZZ"}
    response = client.post("/api/v1/records/batch", json={"items": [TOY, bad]}, headers=headers)
    assert response.status_code == 422
    locs = {e["loc"] for e in response.json()["errors"]}
    assert locs == {"items.1.hs_code", "items.1.origin_country"}
    assert db.execute(select(func.count()).select_from(RiskRecord)).scalar_one() == 0
    zh = client.post(
        "/api/v1/records/batch",
        json={"items": [bad]},
        headers={**headers, "Accept-Language": "zh-CN"},
    )
    assert any("HS 编码" in e["message"] for e in zh.json()["errors"])
    good = {**TOY, "external_reference": "B3"}
    ok = client.post("/api/v1/records/batch", json={"items": [TOY, good, TOY]}, headers=headers)
    assert ok.status_code == 201
    assert (ok.json()["created"], ok.json()["duplicates"]) == (2, 1)


def test_list_filters_and_cursor(client, db, settings):
    headers, other_headers = _setup(db, settings)
    items = [
        {
            **TOY,
            "external_reference": f"L{i}",
            "occurred_on": f"2026-03-{i + 1:02d}",
            "origin_country": "VN" if i % 2 else "DE",
            "hs_code": "9503" if i % 3 else "851671",
            "hazard_type": None,
            "hazard_class": "physical" if i < 5 else "chemical",
        }
        for i in range(10)
    ]
    assert client.post("/api/v1/records/batch", json={"items": items}, headers=headers).is_success

    def refs(**params):  # type: ignore[no-untyped-def]
        response = client.get("/api/v1/records", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return sorted(i["external_reference"] for i in response.json()["items"])

    assert refs(country="de") == ["L0", "L2", "L4", "L6", "L8"]
    assert refs(hs_prefix="8516") == ["L0", "L3", "L6", "L9"]
    assert refs(hazard_class="chemical", occurred_from="2026-03-08") == ["L7", "L8", "L9"]
    assert refs(channel="feed_rasff") == []
    seen, cursor = [], None
    while True:
        page = client.get(
            "/api/v1/records",
            params={"limit": 3, "sort": "record_number", **({"cursor": cursor} if cursor else {})},
            headers=headers,
        ).json()
        seen += [i["external_reference"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"L{i}" for i in range(10)]
    assert client.get("/api/v1/records", headers=other_headers).json()["items"] == []


def test_upload_correct_and_report(client, db, settings):
    headers, other_headers = _setup(db, settings)
    with (FIXTURES / "rasff_bad_values.csv").open("rb") as handle:
        uploaded = client.post(
            "/api/v1/imports",
            data={"profile": "rasff"},
            files={"file": ("bad.csv", handle, "text/csv")},
            headers=headers,
        )
    assert uploaded.status_code == 201, uploaded.text
    batch = uploaded.json()
    assert (batch["imported"], batch["quarantined"], batch["rows_read"]) == (1, 3, 4)
    detail = client.get(
        f"/api/v1/imports/{batch['id']}", headers={**headers, "Accept-Language": "zh-CN"}
    )
    rows = detail.json()["quarantined_rows"]
    assert rows[0]["problems"][0]["message"] == "Feb 30, 2024 不是可能存在的日期。"
    assert rows[0]["problems"][0]["msgid"] == "{value} is not a possible date."
    fixed = client.post(
        f"/api/v1/imports/{batch['id']}/quarantine/{rows[0]['id']}",
        json={"fields": {"Date of Case": "Feb 29, 2024"}, "reason": "source typo"},
        headers=headers,
    )
    assert fixed.status_code == 200 and fixed.json()["status"] == "resolved"
    conflict = client.post(
        f"/api/v1/imports/{batch['id']}/quarantine/{rows[0]['id']}",
        json={"fields": {}},
        headers=headers,
    )
    assert conflict.status_code == 409
    listed = client.get("/api/v1/imports", headers=headers).json()["items"]
    assert (listed[0]["imported"], listed[0]["quarantined"]) == (2, 2)
    report = client.get(f"/api/v1/imports/{batch['id']}/report.csv", headers=headers)
    assert report.headers["content-type"].startswith("text/csv")
    assert "Unknown country: Atlantis." in report.text
    assert client.get(f"/api/v1/imports/{batch['id']}", headers=other_headers).status_code == 404


def test_upload_refusals(client, db, settings):
    headers, _ = _setup(db, settings)
    with (FIXTURES / "rasff_missing_columns.csv").open("rb") as handle:
        refused = client.post(
            "/api/v1/imports",
            data={"profile": "rasff"},
            files={"file": ("m.csv", handle)},
            headers=headers,
        )
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("/import-refused")
    assert "Reference, Product" in refused.json()["detail"]
    unknown = client.post(
        "/api/v1/imports",
        data={"profile": "nope"},
        files={"file": ("x.csv", b"a,b\n1,2\n")},
        headers=headers,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == "profile"
