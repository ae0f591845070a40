from riskgate.core.permissions import Role
from tests.factories import auth_headers, make_org, make_user, token_for


def test_audit_search_filters_and_scope(client, db, settings):
    org = make_org(db, name_zh="审计测试机构")
    auditor = make_user(db, settings, org, Role.AUDIT_ADMIN)
    make_user(db, settings, org, Role.RISK_OFFICER, username="someone")
    headers = auth_headers(token_for(db, auditor))
    db.commit()
    response = client.get("/api/v1/audit", params={"action": "user.created"}, headers=headers)
    assert response.status_code == 200
    items = response.json()["items"]
    assert {i["action"] for i in items} == {"user.created"}
    assert any(i["after"]["username"] == "someone" for i in items)
    # Newest first, with a cursor for the next page.
    page = client.get("/api/v1/audit", params={"limit": 1}, headers=headers).json()
    assert page["next_cursor"]
    following = client.get(
        "/api/v1/audit", params={"limit": 1, "cursor": page["next_cursor"]}, headers=headers
    ).json()
    assert following["items"][0]["id"] < page["items"][0]["id"]
