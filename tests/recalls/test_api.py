"""The recalls API over HTTP: the life cycle, the enterprise's reports, bad input as
problem+json naming the field (never a 500), 409 and 404; the public JSON API."""

from __future__ import annotations

import pytest

from riskgate.recalls.service import local_date
from tests.factories import auth_headers, token_for
from tests.recalls.helpers import make_recall, recall_input
from tests.warnings.helpers import build_world


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    built = build_world(db, settings)
    db.commit()
    return built


def _headers(world, user, language="en"):  # type: ignore[no-untyped-def]
    headers = auth_headers(token_for(world.db, user), language)
    world.db.commit()
    return headers


def _body(world, **overrides):  # type: ignore[no-untyped-def]
    return recall_input(world, **overrides).model_dump(mode="json")


def test_life_cycle_over_http(client, world):
    officer, ent = _headers(world, world.officer), _headers(world, world.ent_user)
    body = _body(world, units_affected=50)
    created = client.post("/api/v1/recalls", json=body,
                          headers={**officer, "Idempotency-Key": "rc-1"})
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    again = client.post("/api/v1/recalls", json=body,
                        headers={**officer, "Idempotency-Key": "rc-1"})
    assert again.status_code == 201 and again.json()["id"] == rid  # replayed, not a second
    patched = client.patch(f"/api/v1/recalls/{rid}", json={"units_affected": 40}, headers=officer)
    assert patched.status_code == 200 and patched.json()["units_affected"] == 40
    assert client.get("/api/v1/my-recalls", headers=ent).json()["items"] == []  # a draft
    started = client.post(f"/api/v1/recalls/{rid}/start", headers=officer)
    assert started.json()["status"] == "in_progress"
    assert client.patch(f"/api/v1/recalls/{rid}", json={"units_affected": 1},
                        headers=officer).status_code == 409
    today = local_date().isoformat()
    filed = client.post(f"/api/v1/recalls/{rid}/reports", headers=ent,
                        json={"period_end": today, "units_remedied": 40,
                              "by_remedy": {"refund": 40}})
    assert filed.status_code == 201, filed.text
    recall = client.get(f"/api/v1/recalls/{rid}", headers=officer).json()
    assert recall["status"] == "completed" and recall["completion_percent"] == 100.0
    reports = client.get(f"/api/v1/recalls/{rid}/reports", headers=officer).json()
    assert [r["units_remedied"] for r in reports] == [40]
    assert client.post(f"/api/v1/recalls/{rid}/close", json={"evaluation": ""},
                       headers=officer).status_code == 422
    closed = client.post(f"/api/v1/recalls/{rid}/close", json={"evaluation": "良好"},
                         headers=officer)
    assert closed.json()["status"] == "closed"
    late = client.post(f"/api/v1/recalls/{rid}/reports", headers=ent,
                       json={"period_end": today, "units_remedied": 1})
    assert late.status_code == 409
    assert late.headers["content-type"].startswith("application/problem+json")
    listed = client.get("/api/v1/recalls?status=closed", headers=officer).json()
    assert [r["id"] for r in listed["items"]] == [rid]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"units_affected": 0}, "units_affected"),
    ({"units_affected": -5}, "units_affected"),
    ({"remedies": []}, "remedies"),
    ({"remedies": ["burn"]}, "remedies"),
    ({"hs_code": "ABC"}, "hs_code"),
    ({"enterprise_id": 999999}, "enterprise_id"),
    ({"warning_id": 999999}, "warning_id"),
    ({"case_id": 999999}, "case_id"),
])
def test_bad_input_is_422_naming_the_field(client, world, overrides, field):
    body = _body(world)
    body.update(overrides)
    response = client.post("/api/v1/recalls", json=body, headers=_headers(world, world.officer))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text


def test_bad_report_and_scope(client, world):
    recall = make_recall(world)
    from riskgate.recalls import service

    service.start_recall(world.db, world.actor(world.officer), recall.id)
    world.db.commit()
    ent, ent2 = _headers(world, world.ent_user), _headers(world, world.ent2_user)
    url = f"/api/v1/recalls/{recall.id}/reports"
    negative = client.post(url, headers=ent, json={"period_end": local_date().isoformat(),
                                                   "units_remedied": -1})
    assert negative.status_code == 422 and "units_remedied" in negative.text
    other = client.post(url, headers=ent2, json={"period_end": local_date().isoformat(),
                                                 "units_remedied": 1})
    assert other.status_code == 404
    outsider = _headers(world, world.other_officer)
    assert client.get(f"/api/v1/recalls/{recall.id}", headers=outsider).status_code == 404
    assert client.post(f"/api/v1/recalls/{recall.id}/cancel", json={"reason": "x"},
                       headers=outsider).status_code == 404


def test_public_api_shows_public_started_recalls_only(client, world):
    from riskgate.recalls import service

    officer = world.actor(world.officer)
    draft = make_recall(world)
    hidden = make_recall(world, public=False)
    shown = make_recall(world, brand="Zebra-Brand")
    for recall in (hidden, shown):
        service.start_recall(world.db, officer, recall.id)
    world.db.commit()
    listed = client.get("/api/v1/public/recalls").json()["items"]
    assert [r["id"] for r in listed] == [shown.id]
    assert listed[0]["url"] == f"/recalls/{shown.id}" and "organisation_id" not in listed[0]
    assert client.get(f"/api/v1/public/recalls/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/public/recalls/{hidden.id}").status_code == 404
    assert client.get("/api/v1/public/recalls?q=zebra").json()["items"][0]["id"] == shown.id
    assert client.get("/api/v1/public/recalls?origin=foreign").json()["items"] == []
    assert client.get("/api/v1/public/recalls?country=1").status_code == 422
