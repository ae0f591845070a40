"""The expert committee over HTTP: its permission matrix, and bad input answered 4xx."""

from __future__ import annotations

from riskgate.core.permissions import Role
from riskgate.experts import service
from tests.experts.conftest import TOY_MAKER
from tests.factories import auth_headers, make_user, token_for
from tests.test_permission_matrix import CASES, _check_route, all_routes, build_world


def test_permission_matrix_of_the_committee_routes(app, db, settings):
    world = build_world(app, db, settings)
    failures: list[str] = []
    routes = {(m, p): perm for m, p, perm in all_routes(app) if "/experts" in p}
    for (method, path), permission in routes.items():
        _check_route(world, method, path, permission, CASES[(method, path)], failures)
    assert not failures, "\n".join(failures)


def _headers(committee, user, language="en"):  # type: ignore[no-untyped-def]
    raw = token_for(committee.db, user)
    committee.db.commit()
    return auth_headers(raw, language)


def test_bad_input(client, committee):
    c = committee
    review = service.refer(c.db, c.secretary, assessment_id=c.assessment().id,
                           panel_id=c.panel.id, expert_ids=[c.experts[0].id])
    c.db.commit()
    expert = _headers(c, c.experts[0])
    url = f"/api/v1/experts/workspace/{review.id}/vote"
    missing = client.post(url, json={"vote": "unsafe"}, headers=expert)
    assert missing.status_code == 422
    assert missing.headers["content-type"].startswith("application/problem+json")
    blank = client.post(url, json={"vote": "unsafe", "rationale": "   "}, headers=expert)
    assert blank.status_code == 422
    first = client.post(url, json={"vote": "safe", "rationale": "证据不足以认定"}, headers=expert)
    assert first.status_code == 201, first.text
    second = client.post(url, json={"vote": "unsafe", "rationale": "再投"}, headers=expert)
    assert second.status_code == 409 and second.json()["type"].endswith("already-voted")
    zh = client.post(url, json={"vote": "unsafe", "rationale": "再投"},
                     headers=_headers(c, c.experts[0], "zh-CN"))
    assert zh.status_code == 409 and "已" in zh.json()["detail"]
    other = _headers(c, c.experts[1])
    assert client.post(url, json={"vote": "safe", "rationale": "x"},
                       headers=other).status_code == 404
    assert client.get(f"/api/v1/experts/workspace/{review.id}", headers=other).status_code == 404
    # A conflicted assignment: 409 naming the conflict.
    service.declare_conflict(c.db, c.secretary, c.experts[1].id,
                            {"kind": "enterprise", "enterprise_uscc": TOY_MAKER})
    conflicted = c.assessment(enterprise_uscc=TOY_MAKER)
    c.db.commit()
    answer = client.post("/api/v1/experts/reviews", headers=_headers(c, c.officer), json={
        "assessment_id": conflicted.id, "panel_id": c.panel.id, "expert_ids": [c.experts[1].id]})
    assert answer.status_code == 409, answer.text
    assert TOY_MAKER in answer.json()["detail"]
    # Declaring a conflict without what it is about: 422.
    bad = client.post("/api/v1/experts/me/conflicts", json={"kind": "country"},
                      headers=_headers(c, c.experts[2]))
    assert bad.status_code == 422


def test_workspace_shows_the_assessment_to_the_assigned_expert_only(client, committee):
    c = committee
    review = service.refer(c.db, c.secretary, assessment_id=c.assessment().id,
                           panel_id=c.panel.id, expert_ids=[c.experts[0].id])
    outsider = make_user(c.db, c.settings, c.lab, Role.EXPERT)
    c.db.commit()
    mine = client.get("/api/v1/experts/workspace", headers=_headers(c, c.experts[0])).json()
    assert [i["review_id"] for i in mine] == [review.id]
    detail = client.get(f"/api/v1/experts/workspace/{review.id}",
                        headers=_headers(c, c.experts[0])).json()
    assert detail["assessment"]["number"].startswith("RA-") and len(detail["records"]) == 1
    assert client.get("/api/v1/experts/workspace", headers=_headers(c, outsider)).json() == []
    assert client.get(f"/api/v1/experts/reviews/{review.id}",
                      headers=_headers(c, outsider)).status_code == 404
