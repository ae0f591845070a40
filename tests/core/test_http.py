"""API conventions: problem+json in the caller's language, limits, request ids, pagination,
idempotency, health and metrics."""

import pytest

from riskgate.core.permissions import Role
from tests.factories import auth_headers, make_org, make_user, token_for


@pytest.fixture
def admin_headers(db, settings):
    org = make_org(db)
    user = make_user(db, settings, org, Role.SYSTEM_ADMIN)
    raw = token_for(db, user)
    db.commit()
    return org, raw


def test_unknown_field_is_rejected_in_chinese_and_english(client, admin_headers):
    org, raw = admin_headers
    body = {"code": "X1", "name_zh": "x", "org_type": "lab", "parent_id": org.id, "colour": "red"}
    zh = client.post("/api/v1/organisations", json=body, headers=auth_headers(raw, "zh-CN"))
    assert zh.status_code == 422
    assert zh.headers["content-type"] == "application/problem+json"
    problem = zh.json()
    assert problem["type"].endswith("/validation-failed")
    assert problem["title"] == "校验未通过"
    assert {"loc": "colour", "message": "未知字段，请删除。"} in problem["errors"]
    en = client.post("/api/v1/organisations", json=body, headers=auth_headers(raw, "en"))
    assert {"loc": "colour", "message": "Unknown field; remove it."} in en.json()["errors"]


def test_field_errors_name_the_field(client, admin_headers):
    org, raw = admin_headers
    body = {"code": "X1", "name_zh": "", "org_type": "spaceship", "parent_id": org.id}
    problem = client.post("/api/v1/organisations", json=body, headers=auth_headers(raw)).json()
    locs = {e["loc"] for e in problem["errors"]}
    assert {"name_zh", "org_type"} <= locs


def test_domain_error_fields_are_translated(client, admin_headers):
    org, raw = admin_headers
    body = {
        "code": "ENT1",
        "name_zh": "某企业",
        "org_type": "enterprise",
        "parent_id": org.id,
        "uscc": "91310000000000000X",
    }
    problem = client.post(
        "/api/v1/organisations", json=body, headers=auth_headers(raw, "zh-CN")
    ).json()
    assert problem["status"] == 422
    assert problem["errors"][0]["loc"] == "uscc"
    assert problem["errors"][0]["message"].startswith("统一社会信用代码无效")


def test_not_found_is_a_problem(client, admin_headers):
    _org, raw = admin_headers
    response = client.get("/api/v1/organisations/999999", headers=auth_headers(raw, "en"))
    assert response.status_code == 404
    assert response.json()["detail"] == "The organisation was not found."
    assert client.get("/api/v1/nothing-here").json()["status"] == 404


def test_malformed_json_is_a_422(client, admin_headers):
    _org, raw = admin_headers
    response = client.post(
        "/api/v1/organisations",
        content=b"{not json",
        headers={**auth_headers(raw), "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_oversized_body_is_refused_with_413(client, admin_headers, settings):
    _org, raw = admin_headers
    big = b"x" * (settings.max_body_bytes + 1)
    response = client.post(
        "/api/v1/organisations",
        content=big,
        headers={**auth_headers(raw), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["type"].endswith("/payload-too-large")


def test_request_id_is_returned_and_kept(client):
    assert len(client.get("/healthz").headers["x-request-id"]) == 32
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc12345-trace"}).headers["x-request-id"]
        == "abc12345-trace"
    )
    assert (
        client.get("/healthz", headers={"X-Request-ID": "bad id!"}).headers["x-request-id"]
        != "bad id!"
    )


def test_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


def test_cursor_pagination_walks_every_item_once(client, db, settings, admin_headers):
    org, raw = admin_headers
    for _ in range(7):
        make_org(db, parent=org)
    db.commit()
    seen, cursor = [], None
    while True:
        params = {"limit": 3, "sort": "-created_at"}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/organisations", params=params, headers=auth_headers(raw)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 8


def test_bad_sort_and_cursor_are_explained(client, admin_headers):
    _org, raw = admin_headers
    bad_sort = client.get(
        "/api/v1/organisations", params={"sort": "password"}, headers=auth_headers(raw, "en")
    )
    assert (
        bad_sort.status_code == 422
        and "Cannot sort by password" in bad_sort.json()["errors"][0]["message"]
    )
    bad_cursor = client.get(
        "/api/v1/organisations", params={"cursor": "!!!"}, headers=auth_headers(raw, "en")
    )
    assert bad_cursor.status_code == 422


def test_idempotency_key_replays_and_refuses_reuse(client, admin_headers, db):
    from riskgate.identity.models import Organisation

    org, raw = admin_headers
    headers = {**auth_headers(raw), "Idempotency-Key": "create-lab-1"}
    body = {"code": "LAB9", "name_zh": "实验室", "org_type": "lab", "parent_id": org.id}
    first = client.post("/api/v1/organisations", json=body, headers=headers)
    again = client.post("/api/v1/organisations", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert db.query(Organisation).filter(Organisation.code == "LAB9").count() == 1
    other = client.post("/api/v1/organisations", json={**body, "code": "LAB10"}, headers=headers)
    assert other.status_code == 422 and other.json()["type"].endswith("/idempotency-key-reused")


def test_health_readiness_and_metrics(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    client.get("/api/v1/catalog/warning-levels")
    metrics = client.get("/metrics").text
    assert "riskgate_http_requests_total" in metrics


def test_language_negotiation():
    from riskgate.core.i18n import negotiate_language

    assert negotiate_language("en-US,en;q=0.9") == "en"
    assert negotiate_language("fr-FR, zh-TW;q=0.5, en;q=0.4") == "zh-CN"
    assert negotiate_language("de") == "zh-CN"
    assert negotiate_language("zh-CN;q=0, en") == "en"
    assert negotiate_language(None) == "zh-CN"
