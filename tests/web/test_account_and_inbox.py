"""My account (profile, language, password, API tokens) and the inbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from riskgate.identity import auth_service
from riskgate.identity.models import ApiToken, User
from riskgate.outbox.models import InboxMessage
from tests.factories import PASSWORD
from tests.web.conftest import HTML, form_sign_in, sign_in_english


def test_profile(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "officer")
    html = page.get("/console/account").text
    assert "officer" in html and "深圳海关测试" in html and "风险专员" in html
    assert "查看机构" in html  # what the roles allow, in words


def test_language_preference(page, world, db) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "officer")
    response = page.post("/console/account/language", data={"csrf_token": csrf, "language": "en"},
                         follow_redirects=False)
    assert response.status_code == 303
    assert response.cookies.get("rg_lang") == "en"
    html = page.get("/console/account").text
    assert "Language preference saved." in html and '<html lang="en">' in html
    db.expire_all()
    assert db.get(User, world["officer"].id).language == "en"


def test_change_password(page, page_en, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "officer")
    response = page.post("/console/account/password", data={
        "csrf_token": csrf, "current_password": "wrong", "new_password": "Fresh-Passw0rd-2026!",
        "confirm_password": "Fresh-Passw0rd-2026!"})
    assert response.status_code == 422
    assert "当前密码不正确。" in response.text
    response = page.post("/console/account/password", data={
        "csrf_token": csrf, "current_password": PASSWORD, "new_password": "Fresh-Passw0rd-2026!",
        "confirm_password": "Other-Passw0rd-2026!"})
    assert "两次输入的新密码不一致。" in response.text
    response = page.post("/console/account/password", data={
        "csrf_token": csrf, "current_password": PASSWORD, "new_password": "password123",
        "confirm_password": "password123"})
    assert "密码过于常见，请另选。" in response.text
    response = page.post("/console/account/password", data={
        "csrf_token": csrf, "current_password": PASSWORD, "new_password": "Fresh-Passw0rd-2026!",
        "confirm_password": "Fresh-Passw0rd-2026!"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "密码已修改，请使用新密码重新登录。" in page.get("/login").text
    # The session ended; the new password works.
    assert page.get("/console", follow_redirects=False).status_code == 303
    form_sign_in(page, "officer", "Fresh-Passw0rd-2026!")
    csrf = sign_in_english(page_en, "secadmin")
    response = page_en.post("/console/account/password", data={
        "csrf_token": csrf, "current_password": "wrong", "new_password": "x",
        "confirm_password": "x"})
    assert "The current password is wrong." in response.text


def test_api_tokens(page, world, db) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "officer")
    response = page.post("/console/account/tokens", data={
        "csrf_token": csrf, "name": "nightly export", "expires_in_days": "30",
        "scopes": ["org.read", "catalog.read"]})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    secret = re.search(r'value="(rg_[A-Za-z0-9_-]+)"', response.text).group(1)
    assert "它只显示这一次" in response.text
    # The secret works on the API, within its scopes.
    me = page.get("/api/v1/organisations", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    # Listed afterwards without the secret.
    html = page.get("/console/account/tokens").text
    assert "nightly export" in html and secret not in html
    token = db.execute(select(ApiToken).where(ApiToken.name == "nightly export")).scalar_one()
    assert token.scopes == "catalog.read org.read"
    response = page.post(f"/console/account/tokens/{token.id}/revoke", data={"csrf_token": csrf},
                         follow_redirects=False)
    assert response.status_code == 303
    assert "令牌“nightly export”已吊销。" in page.get("/console/account/tokens").text
    assert page.get("/api/v1/organisations",
                    headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_token_form_errors(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "officer")
    response = page.post("/console/account/tokens", data={"csrf_token": csrf, "name": ""})
    assert response.status_code == 422 and "此项为必填。" in response.text
    response = page.post("/console/account/tokens", data={
        "csrf_token": csrf, "name": "too much", "scopes": ["audit.read"]})
    assert response.status_code == 422
    assert "不能授予令牌您本人没有的权限：audit.read。" in response.text


def test_someone_elses_token_cannot_be_revoked(page, world, db) -> None:  # type: ignore[no-untyped-def]
    user = db.get(User, world["secadmin"].id)
    token, _raw = auth_service.create_api_token(db, auth_service.actor_for(user, "zh-CN"),
                                                name="theirs", scopes=None, expires_in_days=5)
    db.commit()
    csrf = form_sign_in(page, "officer")
    response = page.post(f"/console/account/tokens/{token.id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 404


def _message(db, user_id: int, subject: str) -> InboxMessage:  # type: ignore[no-untyped-def]
    message = InboxMessage(event_uid=f"uid-{subject}", user_id=user_id, topic="test",
                           subject=subject, body=f"{subject} body", link="/console/account")
    db.add(message)
    db.commit()
    return message


def test_inbox_lists_own_messages(page, world, db) -> None:  # type: ignore[no-untyped-def]
    mine = _message(db, world["officer"].id, "预警通报")
    _message(db, world["secadmin"].id, "别人的消息")
    form_sign_in(page, "officer")
    html = page.get("/console/inbox").text
    assert "预警通报" in html and "别人的消息" not in html
    assert f'hx-post="/console/inbox/{mine.id}/read"' in html
    assert 'href="/console/account"' in html  # the message's link
    assert "预警通报" in page.get("/console/inbox", params={"unread": "true"}).text


def test_mark_read_without_javascript(page, world, db) -> None:  # type: ignore[no-untyped-def]
    mine = _message(db, world["officer"].id, "预警通报")
    csrf = form_sign_in(page, "officer")
    response = page.post(f"/console/inbox/{mine.id}/read", data={"csrf_token": csrf},
                         follow_redirects=False)
    assert response.status_code == 303
    assert "消息已标为已读。" in page.get("/console/inbox").text
    assert "预警通报" not in page.get("/console/inbox", params={"unread": "true"}).text


def test_mark_read_inline_with_htmx(page, world, db) -> None:  # type: ignore[no-untyped-def]
    mine = _message(db, world["officer"].id, "预警通报")
    csrf = form_sign_in(page, "officer")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf, "Accept": HTML}
    response = page.post(f"/console/inbox/{mine.id}/read", headers=headers)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li class="message" id="message-{mine.id}">')
    assert "已读于" in response.text and "<html" not in response.text
    # Without the header (and no form field) the CSRF check refuses.
    other = _message(db, world["officer"].id, "第二条")
    response = page.post(f"/console/inbox/{other.id}/read", headers={"HX-Request": "true"})
    assert response.status_code == 403


def test_someone_elses_message_is_not_found(page, world, db) -> None:  # type: ignore[no-untyped-def]
    theirs = _message(db, world["secadmin"].id, "别人的消息")
    csrf = form_sign_in(page, "officer")
    response = page.post(f"/console/inbox/{theirs.id}/read", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert "未找到该消息。" in response.text
