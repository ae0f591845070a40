"""Sign-in, lockout, sessions, CSRF and API tokens, through the real HTTP endpoints."""

import datetime as dt

from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core import actor_cache
from riskgate.core.db import utcnow
from riskgate.core.permissions import Permission, Role
from riskgate.identity.models import User, WebSession
from tests.factories import PASSWORD, auth_headers, make_org, make_user, sign_in, token_for


def _user(db, settings, *roles, **kw):
    org = make_org(db)
    user = make_user(db, settings, org, *(roles or (Role.RISK_OFFICER,)), **kw)
    db.commit()
    return user


def test_sign_in_opens_session_and_audits(client, db, settings):
    user = _user(db, settings)
    sign_in(client, user.username)
    assert client.get("/console").status_code == 200
    actions = (
        db.execute(select(AuditEntry.action).where(AuditEntry.object_id == str(user.id)))
        .scalars()
        .all()
    )
    assert "user.signed_in" in actions


def test_wrong_password_is_refused_in_the_user_language(client, db, settings):
    user = _user(db, settings)
    response = client.post("/login", data={"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.text
    response = client.post("/login?lang=en", data={"username": user.username, "password": "nope"})
    assert "The user name or password is wrong." in response.text


def test_lockout_after_five_failures_for_fifteen_minutes(client, db, settings):
    user = _user(db, settings)
    for _ in range(5):
        client.post("/login", data={"username": user.username, "password": "wrong-password"})
    db.expire_all()
    locked = db.get(User, user.id)
    assert locked.locked_until is not None
    minutes = (locked.locked_until - utcnow()).total_seconds() / 60
    assert 14 < minutes <= 15
    # Even the right password is refused while locked.
    response = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD},
        headers={"Accept-Language": "en"},
        follow_redirects=False,
    )
    assert response.status_code == 200 and "locked" in response.text
    actions = db.execute(select(AuditEntry.action)).scalars().all()
    assert actions.count("user.sign_in_failed") >= 5 and "user.locked" in actions


def test_idle_session_times_out(client, db, settings):
    user = _user(db, settings)
    sign_in(client, user.username)
    web_session = db.execute(select(WebSession).where(WebSession.user_id == user.id)).scalar_one()
    web_session.last_seen_at = utcnow() - dt.timedelta(minutes=settings.session_idle_minutes + 1)
    db.commit()
    actor_cache.invalidate()  # as if the few seconds of credential caching had passed
    response = client.get("/console", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_sign_out_revokes_the_session(client, db, settings):
    user = _user(db, settings)
    csrf = sign_in(client, user.username)
    assert (
        client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_unsafe_request_with_cookie_needs_csrf(client, db, settings):
    user = _user(db, settings)
    csrf = sign_in(client, user.username)
    body = {"name": "cli", "expires_in_days": 5}
    refused = client.post("/api/v1/tokens", json=body)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/csrf-failed")
    allowed = client.post("/api/v1/tokens", json=body, headers={"X-CSRF-Token": csrf})
    assert allowed.status_code == 201


def test_token_lifecycle(client, db, settings):
    user = _user(db, settings, Role.SECURITY_ADMIN)
    raw = token_for(db, user)
    db.commit()
    headers = auth_headers(raw)
    created = client.post(
        "/api/v1/tokens",
        headers=headers,
        json={"name": "narrow", "scopes": ["account.self"], "expires_in_days": 1},
    )
    assert created.status_code == 201
    narrow = created.json()["token"]
    # A token narrowed to account.self cannot list users, although its owner could.
    assert client.get("/api/v1/users", headers=auth_headers(narrow)).status_code == 403
    assert client.get("/api/v1/users", headers=headers).status_code == 200
    # Secrets are hashed at rest: the raw value is nowhere in the database.
    listed = client.get("/api/v1/tokens", headers=headers).json()
    assert all("token" not in t for t in listed)
    revoked = client.delete(f"/api/v1/tokens/{created.json()['id']}", headers=headers)
    assert revoked.status_code == 200
    assert client.get("/api/v1/me", headers=auth_headers(narrow)).status_code == 401


def test_token_cannot_exceed_the_owner_permissions(client, db, settings):
    user = _user(db, settings)
    headers = auth_headers(token_for(db, user))
    db.commit()
    response = client.post(
        "/api/v1/tokens",
        headers=headers,
        json={"name": "x", "scopes": [Permission.USER_MANAGE.value]},
    )
    assert response.status_code == 422
    assert "user.manage" in response.json()["detail"]


def test_expired_and_garbage_tokens_are_refused(client, db, settings):
    from riskgate.identity.models import ApiToken

    user = _user(db, settings)
    raw = token_for(db, user)
    db.commit()
    token = db.execute(select(ApiToken)).scalars().all()[-1]
    token.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.commit()
    for value in (raw, "rg_nothing_here", "garbage", raw + "x"):
        response = client.get("/api/v1/me", headers=auth_headers(value))
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_open_redirect_after_sign_in_is_refused(client, db, settings):
    user = _user(db, settings)
    response = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/console"


def test_null_for_a_required_user_field_is_a_422(client, db, settings):
    admin = _user(db, settings, Role.SECURITY_ADMIN)
    target = _user(db, settings)
    headers = auth_headers(token_for(db, admin))
    db.commit()
    for field in ("active", "display_name", "organisation_id", "language"):
        answer = client.patch(f"/api/v1/users/{target.id}", json={field: None}, headers=headers)
        assert answer.status_code == 422, (field, answer.text)
        assert answer.json()["errors"][0]["loc"] == field
