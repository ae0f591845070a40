"""The assessment API: create (idempotent), edit, compute, transitions, what-if, problems."""

from __future__ import annotations

from tests.assessment.conftest import LOW, MEDIUM, SERIOUS
from tests.factories import auth_headers, token_for


def _headers(db, user, language="en"):  # type: ignore[no-untyped-def]
    headers = auth_headers(token_for(db, user), language)
    db.commit()
    return headers


def test_create_edit_compute_and_conclude(client, db, aw):  # type: ignore[no-untyped-def]
    headers = _headers(db, aw.officer_a)
    body = {"title": "Heater leakage", "record_ids": aw.records_a, "hazard_class": "physical",
            "scenarios": [MEDIUM], "urgency": "short_term", "impact_scope": "local"}
    created = client.post("/api/v1/assessments", json=body,
                          headers={**headers, "Idempotency-Key": "ra-1"})
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["status"] == "draft" and data["risk_level"] == "medium"
    assert data["warning_level"] == "IV" and data["record_ids"] == sorted(aw.records_a)
    assert data["matrix_result"]["sensitivity"]
    again = client.post("/api/v1/assessments", json=body,
                        headers={**headers, "Idempotency-Key": "ra-1"})
    assert again.json()["id"] == data["id"] and again.headers["Idempotent-Replayed"] == "true"
    url = f"/api/v1/assessments/{data['id']}"
    patched = client.patch(url, json={"scenarios": [LOW, SERIOUS], "reason": "second look"},
                           headers=headers)
    assert patched.status_code == 200 and patched.json()["risk_level"] == "serious"
    assert client.post(f"{url}/compute", headers=headers).json()["risk_level"] == "serious"
    refused = client.post(f"{url}/transition", json={"status": "concluded",
                                                     "conclusion": "unsafe",
                                                     "rationale": "x"}, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/assessment-needs-committee")
    sent = client.post(f"{url}/transition", json={"status": "in_review"}, headers=headers)
    assert sent.json()["status"] == "in_review"
    assert client.patch(url, json={"title": "x"}, headers=headers).status_code == 409
    listed = client.get("/api/v1/assessments?status=in_review", headers=headers).json()
    assert [i["id"] for i in listed["items"]] == [data["id"]]


def test_what_if_computation_stores_nothing(client, db, aw):  # type: ignore[no-untyped-def]
    headers = _headers(db, aw.approver_a)
    answer = client.post("/api/v1/assessments/compute",
                         json={"scenarios": [LOW], "urgency": "immediate"}, headers=headers)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["level"] == "low" and result["decisive_steps"] == [[0, 1], [0, 2]]
    assert result["recommendation"]["warning_level"] is None
    assert client.get("/api/v1/assessments", headers=headers).json()["items"] == []


def test_probability_outside_zero_one_is_problem_json(client, db, aw):  # type: ignore[no-untyped-def]
    for language, words in (("en", "greater than 0"), ("zh-CN", "大于0")):
        headers = _headers(db, aw.officer_a, language)
        bad = {**MEDIUM, "steps": [{"description": "x", "probability": 1.5}]}
        answer = client.post("/api/v1/assessments/compute", json={"scenarios": [bad]},
                             headers=headers)
        assert answer.status_code == 422
        assert answer.headers["content-type"].startswith("application/problem+json")
        problem = answer.json()
        (error,) = problem["errors"]
        assert error["loc"] == "scenarios/0/steps/0/probability" and words in error["message"]
    zero = client.post("/api/v1/assessments", json={
        "title": "t", "scenarios": [{**MEDIUM, "steps": [{"probability": 0}]}]}, headers=headers)
    assert zero.status_code == 422
    assert client.post("/api/v1/assessments/compute", json={"scenarios": []},
                       headers=headers).status_code == 422
    severity = client.post("/api/v1/assessments/compute",
                           json={"scenarios": [{**MEDIUM, "severity": 9}]}, headers=headers)
    assert severity.status_code == 422 and severity.json()["errors"][0]["loc"].endswith(
        "severity")


def test_other_organisation_sees_nothing(client, db, aw):  # type: ignore[no-untyped-def]
    mine = _headers(db, aw.officer_a)
    created = client.post("/api/v1/assessments", json={"title": "Mine"}, headers=mine).json()
    theirs = _headers(db, aw.officer_b)
    assert client.get(f"/api/v1/assessments/{created['id']}", headers=theirs).status_code == 404
    assert client.get("/api/v1/assessments", headers=theirs).json()["items"] == []
    foreign = client.post("/api/v1/assessments",
                          json={"title": "x", "record_ids": aw.records_a}, headers=theirs)
    assert foreign.status_code == 422


def test_unsafe_conclusion_shows_a_draft_warning(client, db, aw):  # type: ignore[no-untyped-def]
    headers = _headers(db, aw.officer_a)
    created = client.post("/api/v1/assessments", json={"title": "Sharp", "scenarios": [MEDIUM]},
                          headers=headers).json()
    done = client.post(f"/api/v1/assessments/{created['id']}/transition",
                       json={"status": "concluded", "conclusion": "unsafe",
                             "rationale": "Edge"}, headers=headers).json()
    assert done["status"] == "concluded" and len(done["warning_ids"]) == 1
    warning = client.get(f"/api/v1/warnings/{done['warning_ids'][0]}",
                         headers=_headers(db, aw.approver_a)).json()
    assert warning["assessment_id"] == created["id"] and warning["status"] == "draft"
    assert warning["level"] == "III"
    assert client.get(f"/api/v1/warnings/{warning['id']}",
                      headers=_headers(db, aw.officer_b)).status_code == 404
