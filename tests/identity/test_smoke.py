from riskgate.core.permissions import Role
from tests.factories import auth_headers, make_org, make_user, token_for


def test_me_with_token(client, db, settings):
    org = make_org(db)
    user = make_user(db, settings, org, Role.RISK_OFFICER)
    token = token_for(db, user)
    db.commit()
    response = client.get("/api/v1/me", headers=auth_headers(token))
    assert response.status_code == 200, response.text
    assert response.json()["username"] == user.username
