"""The rapid-response API over HTTP: cases, tasks, reports (multipart), the overdue view and
the joint-disposal rules, with bad input as problem+json (never a 500)."""

from __future__ import annotations

import datetime as dt

import pytest

from riskgate.response.jobs import run_deadlines
from tests.factories import auth_headers, token_for
from tests.response.helpers import published_case, response_world, task_for

PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture
def world(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.attachments_dir = tmp_path / "files"
    built = response_world(db, settings)
    db.commit()
    return built


def _headers(world, user):  # type: ignore[no-untyped-def]
    headers = auth_headers(token_for(world.db, user))
    world.db.commit()
    return headers


def test_case_task_report_and_close_over_http(client, world):
    case = published_case(world.db, world, level="IV")
    world.db.commit()
    officer = _headers(world, world.officer)
    market = _headers(world, world.market_officer)
    listed = client.get("/api/v1/response/cases", headers=officer).json()
    assert case.id in {c["id"] for c in listed["items"]}
    detail = client.get(f"/api/v1/response/cases/{case.id}", headers=officer).json()
    assert detail["number"] == case.number and detail["tasks_total"] == len(detail["tasks"])
    mine = client.get("/api/v1/response/tasks", headers=market).json()["items"]
    # Level IV: the rule's targeted supervision goes to the market regulator; the warning's own
    # measures (no rule at IV) to the issuer.
    assert {t["measure"] for t in mine} == {"targeted_supervision"}
    task_id = mine[0]["id"]
    started = client.post(f"/api/v1/response/tasks/{task_id}/start", headers=market)
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    bad = client.post(f"/api/v1/response/tasks/{task_id}/reports", headers=market,
                      data={"body": "查扣", "seized_units": "-3"})
    assert bad.status_code == 422 and "seized_units" in bad.text
    bad_value = client.post(f"/api/v1/response/tasks/{task_id}/reports", headers=market,
                            data={"body": "查扣", "value_cny": "abc"})
    assert bad_value.status_code == 422
    keyed = {**market, "Idempotency-Key": "report-1"}
    reported = client.post(
        f"/api/v1/response/tasks/{task_id}/reports", headers=keyed,
        data={"body": "已完成定向监管", "progress_percent": "100", "seized_units": "12",
              "value_cny": "880.50"},
        files=[("evidence", ("检查记录.pdf", PDF, "application/pdf"))])
    assert reported.status_code == 201, reported.text
    body = reported.json()
    assert body["status"] == "done" and body["reports"][0]["quantities"]["seized_units"] == 12
    retried = client.post(
        f"/api/v1/response/tasks/{task_id}/reports", headers=market,
        data={"body": "已完成定向监管", "progress_percent": "100", "seized_units": "12",
              "value_cny": "880.50"},
        files=[("evidence", ("检查记录.pdf", PDF, "application/pdf"))])
    assert retried.status_code == 409  # no key: a second report on a done task is refused
    replayed = client.post(
        f"/api/v1/response/tasks/{task_id}/reports", headers=keyed,
        data={"body": "已完成定向监管", "progress_percent": "100", "seized_units": "12",
              "value_cny": "880.50"},
        files=[("evidence", ("检查记录.pdf", PDF, "application/pdf"))])
    assert replayed.status_code == 201 and len(replayed.json()["reports"]) == 1
    evidence = body["reports"][0]["evidence"][0]
    download = client.get(f"/api/v1/response/tasks/{task_id}/evidence/{evidence['id']}",
                          headers=market)
    assert download.status_code == 200 and download.content == PDF
    close = client.post(f"/api/v1/response/cases/{case.id}/close", json={}, headers=officer)
    assert close.status_code == 409 and close.headers["content-type"].startswith(
        "application/problem+json")
    for task in detail["tasks"]:
        if task["id"] != task_id:
            waived = client.post(f"/api/v1/response/tasks/{task['id']}/waive",
                                 json={"reason": "不适用"}, headers=officer)
            assert waived.status_code == 200, waived.text
    closed = client.post(f"/api/v1/response/cases/{case.id}/close", json={"note": "完成"},
                         headers=officer)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = client.post(f"/api/v1/response/tasks/{task_id}/reports", headers=market,
                       data={"body": "补充"})
    assert late.status_code == 409


def test_bad_inputs_and_scope(client, world):
    case = published_case(world.db, world, level="I")
    world.db.commit()
    other = _headers(world, world.other_officer)
    officer = _headers(world, world.officer)
    assert client.get(f"/api/v1/response/cases/{case.id}", headers=other).status_code == 404
    assert client.get("/api/v1/response/cases/0", headers=officer).status_code == 422
    again = client.post("/api/v1/response/cases", json={"warning_id": case.warning_id},
                        headers=officer)
    assert again.status_code == 409
    waive = client.post(f"/api/v1/response/tasks/{task_for(world.db, case, 'port_control').id}"
                        "/waive", json={}, headers=officer)
    assert waive.status_code == 422 and "reason" in waive.text


def test_overdue_view(client, world):
    case = published_case(world.db, world, level="I")
    task = task_for(world.db, case, "trace_investigation")  # the provincial customs'
    task.due_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)  # as if 3 hours late
    run_deadlines(world.db, dt.datetime.now(dt.UTC))
    world.db.commit()
    supervisor = _headers(world, world.supervisor)
    found = client.get("/api/v1/response/overdue", headers=supervisor)
    assert found.status_code == 200, found.text
    result = found.json()
    assert result["total"] == 1 and result["tasks"][0]["id"] == task.id
    assert result["tasks"][0]["escalated_at"] is not None
    assert result["units"][0]["organisation_id"] == world.provincial.id
    assert result["units"][0]["hours_overdue"] >= 2.9
    prov = _headers(world, world.prov_supervisor)
    assert client.get("/api/v1/response/overdue", headers=prov).json()["total"] == 1
    other = _headers(world, world.other_officer)
    assert client.get("/api/v1/response/overdue", headers=other).status_code == 403
    officer = _headers(world, world.officer)
    assert client.get("/api/v1/response/overdue", headers=officer).status_code == 403


def test_rules_crud_and_bad_rules(client, world):
    supervisor = _headers(world, world.supervisor)
    rules = client.get("/api/v1/response/rules", headers=supervisor).json()
    assert any(r["is_default"] for r in rules)
    body = {"name": "IV 约谈", "level": "IV", "measure": "interview",
            "lead_org_type": "market_regulator", "deadline_hours": 240}
    created = client.post("/api/v1/response/rules", json=body, headers=supervisor)
    assert created.status_code == 201, created.text
    rule_id = created.json()["id"]
    changed = client.patch(f"/api/v1/response/rules/{rule_id}", json={"deadline_hours": 120},
                           headers=supervisor)
    assert changed.json()["deadline_hours"] == 120
    for field in ("active", "name", "measure", "deadline_hours"):  # omit to keep, never null
        nulled = client.patch(f"/api/v1/response/rules/{rule_id}", json={field: None},
                              headers=supervisor)
        assert nulled.status_code == 422 and field in nulled.text, (field, nulled.text)
    for field, value in (("measure", "teleport"), ("deadline_hours", -1),
                         ("lead_org_type", "enterprise")):
        bad = client.post("/api/v1/response/rules", json={**body, field: value},
                          headers=supervisor)
        assert bad.status_code == 422 and field in bad.text, (field, bad.text)
    off = client.post(f"/api/v1/response/rules/{rule_id}/deactivate",
                      json={"reason": "合并"}, headers=supervisor)
    assert off.json()["active"] is False
    officer = _headers(world, world.officer)
    assert client.post("/api/v1/response/rules", json=body, headers=officer).status_code == 403
