"""The monitoring API: creation is idempotent, bad input is a translated 422, results and the
import through HTTP, the point series."""

from __future__ import annotations

from tests.factories import auth_headers, token_for
from tests.monitoring.conftest import plan_body


def test_plan_flow_over_http(client, db, unit):  # type: ignore[no-untyped-def]
    officer = auth_headers(token_for(db, unit.officer))
    approver = auth_headers(token_for(db, unit.approver))
    port = auth_headers(token_for(db, unit.port), "zh-CN")
    db.commit()
    key = {**officer, "Idempotency-Key": "plan-2026"}
    first = client.post("/api/v1/monitoring/plans", json=plan_body(), headers=key)
    assert first.status_code == 201, first.text
    again = client.post("/api/v1/monitoring/plans", json=plan_body(), headers=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    plan_id = first.json()["id"]
    assert client.post("/api/v1/monitoring/plans", json=plan_body(),
                       headers=officer).status_code == 409
    bad = client.post("/api/v1/monitoring/plans", json=plan_body(year=2027, targets=[
        {"hs_code": "771234", "samples": 1, "test_items": [{"name": "铅"}]}]),
        headers={**officer, "Accept-Language": "zh-CN"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(
        "application/problem+json")
    assert "HS" in bad.text
    assert client.post(f"/api/v1/monitoring/plans/{plan_id}/approve", json={},
                       headers=officer).status_code == 403
    assert client.post(f"/api/v1/monitoring/plans/{plan_id}/approve", json={},
                       headers=approver).status_code == 200
    tasks = client.post(f"/api/v1/monitoring/plans/{plan_id}/tasks", headers=officer).json()
    assert tasks["created"] == 4
    task = tasks["tasks"][0]
    body = {"items": [{"sample_code": "A1", "test_item": "铅", "measured_value": 0.1}]}
    entered = client.post(f"/api/v1/monitoring/tasks/{task['id']}/results", json=body,
                          headers=port)
    assert entered.status_code == 201 and entered.json()[0]["result"]["record_id"]
    repeat = client.post(f"/api/v1/monitoring/tasks/{task['id']}/results", json=body,
                         headers=port)
    assert repeat.json()[0]["created"] is False
    nan = client.post(f"/api/v1/monitoring/tasks/{task['id']}/results", headers=port,
                      content=b'{"items": [{"sample_code": "x", "test_item": "y", '
                              b'"measured_value": NaN}]}')
    assert nan.status_code == 422
    csv = (f"task,sample_code,test_item,measured_value\n{task['number']},A2,铅,0.001\n"
           f"{task['number']},A3,铅,x\n").encode()
    report = client.post("/api/v1/monitoring/results/import", headers=port,
                         files={"file": ("r.csv", csv, "text/csv")}).json()
    assert report["stored"] == 1 and report["rejected"][0]["line"] == 3
    progress = client.get(f"/api/v1/monitoring/plans/{plan_id}/progress", headers=officer).json()
    assert progress["totals"]["tested"] == 2 and progress["totals"]["failed"] == 1
    versions = client.get(f"/api/v1/monitoring/plans/{plan_id}/versions", headers=officer)
    assert [v["version"] for v in versions.json()] == [1]
    point = client.post("/api/v1/monitoring/points", headers=officer, json={
        "code": "P1", "name": "监测点", "point_type": "market", "hs_chapters": ["95"]}).json()
    record_id = entered.json()[0]["result"]["record_id"]
    assert client.put(f"/api/v1/monitoring/points/{point['id']}/records/{record_id}",
                      headers=officer).status_code == 204
    series = client.get(f"/api/v1/monitoring/points/{point['id']}/series?weeks=8",
                        headers=officer).json()
    assert len(series["weeks"]) == 8
    assert client.get(f"/api/v1/monitoring/points/{point['id']}/series?weeks=0",
                      headers=officer).status_code == 422
