"""The JSON API of control rules and risk profiles: problem+json naming the field, scope, 409."""

from __future__ import annotations

from riskgate.core.permissions import Role
from tests.factories import auth_headers, make_user, token_for
from tests.warnings.helpers import build_world

RULE = {"title": "进口玩具布控", "hs_prefixes": ["9503"], "countries": ["CN"],
        "action": "physical_inspection", "sampling_rate": 0.5}


def _headers(db, user):  # type: ignore[no-untyped-def]
    raw = token_for(db, user)
    db.commit()
    return auth_headers(raw)


def test_rule_life_cycle_over_the_api(client, db, settings):
    world = build_world(db, settings)
    headers = _headers(db, world.officer)
    response = client.post("/api/v1/border/control-rules", json=RULE, headers=headers)
    assert response.status_code == 201, response.text
    rule = response.json()
    assert rule["number"].startswith("BK-") and rule["status"] == "active"
    bad = client.post("/api/v1/border/control-rules",
                      json={**RULE, "hs_prefixes": [], "countries": []}, headers=headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [e["loc"] for e in bad.json()["errors"]] == ["hs_prefixes"]
    bad = client.post("/api/v1/border/control-rules", json={**RULE, "countries": ["ZZ"]},
                      headers=headers)
    assert bad.status_code == 422 and "countries" in bad.text
    url = f"/api/v1/border/control-rules/{rule['id']}"
    patched = client.patch(url, json={"countries": ["VN"], "reason": "调整"}, headers=headers)
    assert patched.status_code == 200 and patched.json()["version"] == 2
    assert client.post(f"{url}/resume", json={}, headers=headers).status_code == 409
    assert client.post(f"{url}/suspend", json={}, headers=headers).json()["status"] == "suspended"
    assert client.post(f"{url}/retire", json={}, headers=headers).status_code == 422
    retired = client.post(f"{url}/retire", json={"reason": "不再需要"}, headers=headers)
    assert retired.json()["status"] == "retired"
    listed = client.get("/api/v1/border/control-rules?status=retired", headers=headers).json()
    assert [r["id"] for r in listed["items"]] == [rule["id"]]
    other = _headers(db, world.other_officer)
    assert client.get(url, headers=other).status_code == 404
    assert client.get("/api/v1/border/control-rules", headers=other).json()["items"] == []


def test_port_officer_sees_live_rules_for_its_port(client, db, settings):
    from riskgate.identity.enums import OrgLevel, OrgType
    from tests.factories import make_org

    world = build_world(db, settings)
    headers = _headers(db, world.officer)
    everywhere = client.post("/api/v1/border/control-rules", json=RULE, headers=headers).json()
    elsewhere = client.post("/api/v1/border/control-rules",
                            json={**RULE, "ports": ["shanghai_waigaoqiao"]},
                            headers=headers).json()
    port_org = make_org(db, org_type=OrgType.SUBORDINATE_CUSTOMS, level=OrgLevel.CITY,
                        port_code="shanghai_yangshan")
    port_user = make_user(db, settings, port_org, Role.PORT_OFFICER, language="en")
    port_headers = _headers(db, port_user)
    items = client.get("/api/v1/border/control-rules", headers=port_headers).json()["items"]
    assert [r["id"] for r in items] == [everywhere["id"]]
    assert client.get(f"/api/v1/border/control-rules/{elsewhere['id']}",
                      headers=port_headers).status_code == 404
    # reading is not changing
    assert client.post(f"/api/v1/border/control-rules/{everywhere['id']}/suspend", json={},
                       headers=port_headers).status_code == 403


def test_profiles_api(client, db, settings):
    world = build_world(db, settings)
    keeper = make_user(db, settings, world.national, Role.SUPERVISOR, language="en")
    headers = _headers(db, keeper)
    base = "/api/v1/border/profiles"
    ok = client.put(f"{base}/credit-grades", json={
        "enterprise_code": world.enterprise.uscc, "name": "星童", "grade": "certified"},
        headers=headers)
    assert ok.status_code == 200 and ok.json()["organisation_id"] == world.enterprise.id
    assert client.put(f"{base}/country-risks", json={"country": "VN", "score": 1.5},
                      headers=headers).status_code == 422
    assert client.put(f"{base}/commodity-risks", json={"hs_prefix": "9503", "score": 0.7},
                      headers=headers).status_code == 200
    bad = client.put(f"{base}/port-targets", json={
        "port_code": "shanghai_yangshan", "red_rate": 0.5, "yellow_rate": 0.4, "blue_rate": 0.2,
        "min_random_rate": 0.6}, headers=headers)
    assert bad.status_code == 422 and "blue_rate" in bad.text and "min_random_rate" in bad.text
    csv = ("enterprise_code,name,grade\n91310000000000001X,甲,dishonest\n"
           "BAD CODE!,乙,ordinary\nX2,丙,nonsense\n").encode()
    upload = client.post(f"{base}/credit-grades/upload", headers=headers,
                         files={"file": ("grades.csv", csv, "text/csv")})
    assert upload.status_code == 200, upload.text
    assert upload.json()["applied"] == 1
    assert [p["line"] for p in upload.json()["problems"]] == [3, 4]
    grades = client.get(f"{base}/credit-grades", headers=_headers(db, world.officer)).json()
    assert len(grades) == 2
    assert client.delete(f"{base}/credit-grades/91310000000000001X",
                         headers=headers).status_code == 204
    assert client.delete(f"{base}/credit-grades/91310000000000001X",
                         headers=headers).status_code == 404
    assert client.put(f"{base}/credit-grades", json={
        "enterprise_code": "X", "name": "x", "grade": "ordinary"},
        headers=_headers(db, world.officer)).status_code == 403
