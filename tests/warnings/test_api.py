"""The warning life-cycle API: the whole path over HTTP, and the bad inputs of issue 5 as
problem+json (never a 500)."""

from __future__ import annotations

import pytest

from riskgate.core.permissions import Role
from tests.factories import auth_headers, make_user, token_for
from tests.warnings.helpers import build_world, make_published_warning, warning_input


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
    return warning_input(world, **overrides).model_dump(mode="json")


def test_the_whole_life_cycle_over_http(client, world):
    officer, approver = _headers(world, world.officer), _headers(world, world.approver)
    enterprise = _headers(world, world.ent_user)
    created = client.post("/api/v1/warnings", json=_body(world, warning_type="notice"),
                          headers=officer)
    assert created.status_code == 201, created.text
    warning = created.json()
    assert warning["status"] == "draft" and warning["products"][0]["hs_code"] == "950300"
    wid = warning["id"]
    opened = client.post(f"/api/v1/warnings/{wid}/comment-window", json={"working_days": 2},
                         headers=officer)
    assert opened.json()["status"] == "commenting"
    comment = client.post(f"/api/v1/warnings/{wid}/comments", json={"body": "批次已召回"},
                          headers=enterprise)
    assert comment.status_code == 201
    seen = client.get(f"/api/v1/warnings/{wid}", headers=enterprise).json()
    assert [c["body"] for c in seen["comments"]] == ["批次已召回"]
    assert client.post(f"/api/v1/warnings/{wid}/submit", headers=officer).json()[
        "status"] == "in_review"
    assert client.post(f"/api/v1/warnings/{wid}/approve", json={}, headers=approver).json()[
        "status"] == "approved"
    published = client.post(f"/api/v1/warnings/{wid}/publish", headers=approver).json()
    assert published["status"] == "published" and published["original"]["level"] == "III"
    adjusted = client.post(f"/api/v1/warnings/{wid}/adjustments",
                           json={"reason": "扩大到泰国", "origin_countries": ["CN", "VN", "TH"]},
                           headers=approver)
    assert adjusted.status_code == 201 and adjusted.json()["sequence"] == 1
    lifted = client.post(f"/api/v1/warnings/{wid}/lift",
                         json={"reason": "风险消除", "evaluation": "召回完成率100%"},
                         headers=approver)
    assert lifted.json()["kind"] == "lifting"
    final = client.get(f"/api/v1/warnings/{wid}", headers=officer).json()
    assert final["status"] == "lifted" and [f["sequence"] for f in final["follow_ups"]] == [1, 2]
    again = client.post(f"/api/v1/warnings/{wid}/adjustments",
                        json={"reason": "x", "level": "IV"}, headers=approver)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


def test_bad_codes_are_422_with_fields_in_chinese(client, world):
    response = client.post("/api/v1/warnings", headers=_headers(world, world.officer, "zh-CN"),
                           json=_body(world, origin_countries=["XX"],
                                      products=[{"name": "x", "hs_code": "12"}],
                                      enterprises=[{"organisation_id": 999999}]))
    assert response.status_code == 422
    fields = {e["loc"] if isinstance(e["loc"], str) else ".".join(map(str, e["loc"]))
              for e in response.json()["errors"]}
    assert any("origin_countries" in f for f in fields)
    assert any("enterprises" in f for f in fields)


def test_publication_without_required_fields_is_422(client, world):
    officer = _headers(world, world.officer)
    created = client.post("/api/v1/warnings", headers=officer,
                          json={"title": "仅标题", "level": "IV", "warning_type": "bulletin"})
    assert created.status_code == 201
    submitted = client.post(f"/api/v1/warnings/{created.json()['id']}/submit", headers=officer)
    assert submitted.status_code == 422
    assert "measures" in submitted.text and "products" in submitted.text


def test_authority_four_eyes_and_second_approval(client, world):
    prov = _headers(world, world.prov_officer)
    created = client.post("/api/v1/warnings", headers=prov, json=_body(world, level="I"))
    wid = created.json()["id"]
    client.post(f"/api/v1/warnings/{wid}/submit", headers=prov)
    refused = client.post(f"/api/v1/warnings/{wid}/approve", json={},
                          headers=_headers(world, world.prov_approver))
    assert refused.status_code == 403 and "National" in refused.json()["detail"]  # a label
    approver = _headers(world, world.approver)
    assert client.post(f"/api/v1/warnings/{wid}/approve", json={},
                       headers=approver).status_code == 200
    second = client.post(f"/api/v1/warnings/{wid}/approve", json={},
                         headers=_headers(world, world.approver2))
    assert second.status_code == 409
    both = make_user(world.db, world.settings, world.national, Role.RISK_OFFICER, Role.APPROVER)
    both_headers = _headers(world, both)
    own = client.post("/api/v1/warnings", headers=both_headers, json=_body(world)).json()["id"]
    client.post(f"/api/v1/warnings/{own}/submit", headers=both_headers)
    four_eyes = client.post(f"/api/v1/warnings/{own}/approve", json={}, headers=both_headers)
    assert four_eyes.status_code == 403 and four_eyes.json()["type"].endswith("four-eyes")


def test_enterprise_cannot_comment_after_window_or_on_others(client, world):
    officer = _headers(world, world.officer)
    wid = client.post("/api/v1/warnings", headers=officer,
                      json=_body(world, warning_type="notice")).json()["id"]
    closed = client.post(f"/api/v1/warnings/{wid}/comments", json={"body": "早了"},
                         headers=_headers(world, world.ent_user))
    assert closed.status_code == 404  # a draft is not shown before its window opens
    client.post(f"/api/v1/warnings/{wid}/comment-window", json={}, headers=officer)
    other = client.post(f"/api/v1/warnings/{wid}/comments", json={"body": "?"},
                        headers=_headers(world, world.ent2_user))
    assert other.status_code == 404


def test_authority_rules_api(client, world):
    rules = client.get("/api/v1/warning-authority", headers=_headers(world, world.officer))
    assert {r["level"]: r["org_levels"] for r in rules.json()}["I"] == ["national"]
    bad = client.put("/api/v1/warning-authority/I", json={"org_levels": ["nowhere"]},
                     headers=_headers(world, world.supervisor))
    assert bad.status_code == 422


def test_four_eyes_lifting_over_http(client, world):  # type: ignore[no-untyped-def]
    """Level I–II: the first approver's lift is a request (202), the same approver cannot
    confirm it (403), a second approver confirms (201) and the warning is lifted."""
    warning = make_published_warning(world, level="II")
    world.db.commit()
    first, second = _headers(world, world.approver), _headers(world, world.approver2)
    url = f"/api/v1/warnings/{warning.id}"
    requested = client.post(f"{url}/lift", headers=first,
                            json={"reason": "风险已消除", "evaluation": "召回完成率100%"})
    assert requested.status_code == 202, requested.text
    assert requested.json()["pending_change"]["kind"] == "lift"
    assert client.post(f"{url}/confirm-change", headers=first).status_code == 403
    confirmed = client.post(f"{url}/confirm-change", headers=second)
    assert confirmed.status_code == 201, confirmed.text
    assert client.get(url, headers=second).json()["status"] == "lifted"
    again = client.post(f"{url}/cancel-change", headers=second, json={"reason": "无"})
    assert again.status_code == 409  # nothing waits any more
