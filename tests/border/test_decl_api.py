"""Declaration API over HTTP: single (idempotent), list, detail with reasons in words, replay,
batch, file, batch report, retry and inspection; bad input as problem+json, never a 500."""

from __future__ import annotations

import csv
import io

import pytest

from tests.border.decl_world import build, declaration, line, safe_line
from tests.factories import auth_headers, token_for


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build(db, settings)
    db.commit()
    return built


def _headers(world, user=None, language="en"):  # type: ignore[no-untyped-def]
    headers = auth_headers(token_for(world.db, user or world.officer), language)
    world.db.commit()
    return headers


def test_single_declaration_detail_replay_and_inspection(client, world):
    headers = _headers(world, language="zh-CN")
    body = declaration([line(1), safe_line(2)])
    created = client.post("/api/v1/border/declarations", json=body,
                          headers={**headers, "Idempotency-Key": "k1"})
    assert created.status_code == 201, created.text
    data = created.json()
    assert [ln["lane"] for ln in data["lines"]] == ["red", "green"]
    assert data["lane"] == "red"
    rule_reason = next(r for r in data["lines"][0]["reasons"] if r["kind"] == "rule")
    assert rule_reason["text"] == f"布控规则 {world.rule.number}：" + rule_reason["text"].split(
        "：", 1)[1]
    again = client.post("/api/v1/border/declarations", json=body,
                        headers={**headers, "Idempotency-Key": "k1"})
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    duplicate = client.post("/api/v1/border/declarations", json=body, headers=headers)
    assert duplicate.status_code == 409
    listed = client.get("/api/v1/border/declarations?lane=red", headers=headers).json()
    assert [d["id"] for d in listed["items"]] == [data["id"]]
    assert client.get("/api/v1/border/declarations?lane=green",
                      headers=headers).json()["items"] == []
    replay = client.post(f"/api/v1/border/declarations/{data['id']}/replay", headers=headers)
    assert replay.status_code == 200 and replay.json()["agrees"] is True
    red_line = data["lines"][0]["id"]
    failed = client.post(f"/api/v1/border/lines/{red_line}/inspection", headers=headers,
                         json={"outcome": "fail", "findings": "标签缺失中文警示语"})
    assert failed.status_code == 201, failed.text
    assert failed.json()["record_number"].startswith("RR-")
    second = client.post(f"/api/v1/border/lines/{red_line}/inspection", headers=headers,
                         json={"outcome": "pass"})
    assert second.status_code == 409
    detail = client.get(f"/api/v1/border/declarations/{data['id']}", headers=headers).json()
    assert detail["lines"][0]["inspection"]["record_id"] == failed.json()["record_id"]
    other = _headers(world, world.other_officer)
    assert client.get(f"/api/v1/border/declarations/{data['id']}",
                      headers=other).status_code == 404


def test_bad_declaration_is_422_naming_fields(client, world):
    headers = _headers(world)
    body = declaration([line(1, hs_code="0100000000"), line(1, quantity="-5")])
    response = client.post("/api/v1/border/declarations", json=body, headers=headers)
    assert response.status_code == 422, response.text
    locs = {e["loc"] if isinstance(e["loc"], str) else ".".join(map(str, e["loc"]))
            for e in response.json()["errors"]}
    assert any("lines.0.hs_code" in loc for loc in locs)
    assert any("lines.1.quantity" in loc for loc in locs)
    garbage = client.post("/api/v1/border/declarations", json={"number": 5}, headers=headers)
    assert garbage.status_code == 422


def test_batch_and_retry(client, world):
    headers = _headers(world)
    bad = {**declaration([line(1), safe_line(2)]), "port_code": "atlantis"}
    declarations = [declaration([line(1), safe_line(2, quantity="-1")]), bad, {"x": 1}, 7]
    response = client.post("/api/v1/border/declarations/batch", headers=headers,
                           json={"declarations": declarations})
    assert response.status_code == 200, response.text
    batch = response.json()
    assert batch["declarations"] == 1 and batch["lines_screened"] == 1
    assert batch["lines_rejected"] == 5
    report = client.get(f"/api/v1/border/batches/{batch['id']}", headers=headers).json()
    assert len(report["rejected"]) == 5
    row = next(r for r in report["rejected"] if r["position"] == 1)
    retried = client.post(f"/api/v1/border/batches/{batch['id']}/rejected/{row['id']}/retry",
                          headers=headers, json={"fields": {"port_code": "shanghai_yangshan"}})
    assert retried.status_code == 201, retried.text
    assert len(retried.json()["lines"]) == 2
    other = _headers(world, world.other_officer)
    assert client.get(f"/api/v1/border/batches/{batch['id']}", headers=other).status_code == 404


def test_file_upload(client, world):
    headers = _headers(world)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["报关单号", "进出口", "口岸", "收发货人", "收发货人代码", "申报日期", "项号",
                     "商品编号", "商品名称", "数量", "原产国"])
    writer.writerow(["223300000000009001", "进口", "shanghai_yangshan", "上海优信",
                     "91310115MA1K3YJ12X", "2026-11-20", "1", "9503008900", "玩具", "3", "VN"])
    writer.writerow(["223300000000009001", "进口", "shanghai_yangshan", "上海优信",
                     "91310115MA1K3YJ12X", "2026-11-20", "2", "12", "玩具", "3", "VN"])
    response = client.post("/api/v1/border/declarations/file", headers=headers,
                           files={"file": ("d.csv", buffer.getvalue().encode(), "text/csv")})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["lines_screened"] == 1 and data["rejected"][0]["position"] == 3
    empty = client.post("/api/v1/border/declarations/file", headers=headers,
                        files={"file": ("e.csv", b"", "text/csv")})
    assert empty.status_code == 422


def test_batches_may_exceed_the_general_body_limit(client, world, settings):
    # 100,000 lines of JSON are 20–30 MB: the batch endpoint has its own, larger limit, and
    # every other endpoint keeps the general one.
    headers = {**_headers(world), "Content-Type": "application/json"}
    padded = b'{"declarations": [' + b" " * (settings.max_body_bytes + 1024) + b"]}"
    batch = client.post("/api/v1/border/declarations/batch", content=padded, headers=headers)
    assert batch.status_code == 422, batch.text  # read in full: an empty batch is refused
    single = client.post("/api/v1/border/declarations", content=padded, headers=headers)
    assert single.status_code == 413
