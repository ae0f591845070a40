"""Console pages for user accounts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.core.db import utcnow
from riskgate.core.permissions import Role
from riskgate.identity.models import User
from tests.factories import PASSWORD, make_user
from tests.web.conftest import form_sign_in, sign_in_english


def _new_user(csrf: str, organisation_id: int, *roles: str, **changes: str) -> dict:  # type: ignore[type-arg]
    return {"csrf_token": csrf, "username": "li.ming", "display_name": "李明",
            "organisation_id": str(organisation_id), "password": "Li-Ming-Strong-2026!",
            "roles": list(roles) or ["risk_officer"], "email": "li.ming@example.org",
            "language": "zh-CN", **changes}


def _listed(html: str, world, *names: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {n for n in names if f'href="/console/users/{world[n].id}">{n}</a>' in html}


def test_list_with_filters(page, world) -> None:  # type: ignore[no-untyped-def]
    everyone = ("sysadmin", "secadmin", "auditor", "officer", "outsider")
    form_sign_in(page, "secadmin")
    html = page.get("/console/users").text
    assert _listed(html, world, *everyone) == {"sysadmin", "secadmin", "auditor", "officer"}
    assert "安全管理员" in html and "风险专员" in html  # roles translated
    html = page.get("/console/users", params={"role": "audit_admin"}).text
    assert _listed(html, world, *everyone) == {"auditor"}
    html = page.get("/console/users", params={"organisation_id": world["district"].id}).text
    assert _listed(html, world, *everyone) == {"officer"}
    html = page.get("/console/users", params={"q": "offic"}).text
    assert _listed(html, world, *everyone) == {"officer"}
    assert "没有匹配的用户。" in page.get("/console/users", params={"q": "zzz"}).text


def test_detail_shows_translated_roles(page, page_en, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "secadmin")
    html = page.get(f"/console/users/{world['auditor'].id}").text
    assert "审计管理员" in html and "测试用户" in html
    assert f"/console/users/{world['auditor'].id}/roles" in html  # ROLE_ASSIGN
    sign_in_english(page_en, "secadmin")
    assert "Audit administrator" in page_en.get(f"/console/users/{world['auditor'].id}").text


def test_user_of_another_tree_is_not_found(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "secadmin")
    outsider = world["outsider"].id
    for url in (f"/console/users/{outsider}", f"/console/users/{outsider}/edit",
                f"/console/users/{outsider}/roles", f"/console/users/{outsider}/password"):
        assert page.get(url).status_code == 404, url
    response = page.post(f"/console/users/{outsider}/unlock", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert "未找到该用户。" in response.text


def test_roles_are_needed(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "sysadmin")  # reads users, manages none
    assert page.get("/console/users").status_code == 200
    assert page.get("/console/users/new").status_code == 403
    assert page.post("/console/users", data=_new_user(csrf, world["head"].id)).status_code == 403
    assert page.get(f"/console/users/{world['officer'].id}/roles").status_code == 403
    page.cookies.clear()
    form_sign_in(page, "officer")  # a risk officer does not read users at all
    response = page.get("/console/users")
    assert response.status_code == 403
    assert "user.read" in response.text


def test_create_a_user_with_a_role(page, world, db) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "secadmin")
    form = page.get("/console/users/new").text
    assert 'type="checkbox" name="roles" value="audit_admin"' in form
    assert "其他市场监管局" not in form  # organisations limited to the scope
    response = page.post("/console/users", data=_new_user(csrf, world["district"].id, "approver"),
                         follow_redirects=False)
    assert response.status_code == 303
    user = db.execute(select(User).where(User.username == "li.ming")).unique().scalar_one()
    assert user.roles == {Role.APPROVER} and user.organisation_id == world["district"].id
    html = page.get(response.headers["location"]).text
    assert "用户 li.ming 已创建。" in html and "审批人" in html


def test_administrator_duties_are_exclusive(page, page_en, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "secadmin")
    data = _new_user(csrf, world["head"].id, "system_admin", "audit_admin")
    response = page.post("/console/users", data=data)
    assert response.status_code == 422
    assert "系统管理员、安全管理员、审计管理员须由不同账户担任（三员分立）" in response.text
    assert 'value="system_admin" checked' in response.text  # choices kept for correcting
    csrf = sign_in_english(page_en, "secadmin")
    response = page_en.post("/console/users", data={**data, "csrf_token": csrf})
    assert response.status_code == 422
    assert "must be held by different accounts" in response.text


def test_password_policy_and_required_fields(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "secadmin")
    response = page.post("/console/users", data=_new_user(csrf, world["head"].id, password="short"))
    assert response.status_code == 422
    assert "密码至少 10 个字符。" in response.text
    response = page.post("/console/users", data=_new_user(csrf, world["head"].id, username="",
                                                          roles=[]))
    assert response.status_code == 422
    assert "此项为必填。" in response.text and "至少 1 项。" in response.text
    response = page.post("/console/users",
                         data=_new_user(csrf, world["head"].id, username="officer"))
    assert response.status_code == 422
    assert "用户名 officer 已被占用。" in response.text


def test_edit_a_user(page, world, db) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "secadmin")
    officer = world["officer"]
    response = page.post(f"/console/users/{officer.id}/edit", data={
        "csrf_token": csrf, "display_name": "王芳", "email": "wang@example.org",
        "organisation_id": str(world["district"].id), "active": "1", "language": "en",
        "reason": "改名"}, follow_redirects=False)
    assert response.status_code == 303
    assert "已保存对 officer 的修改。" in page.get(response.headers["location"]).text
    db.expire_all()
    assert db.get(User, officer.id).display_name == "王芳"


def test_cannot_deactivate_oneself(page, world) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "secadmin")
    response = page.post(f"/console/users/{world['secadmin'].id}/edit", data={
        "csrf_token": csrf, "display_name": "安全", "organisation_id": str(world["head"].id),
        "language": "zh-CN"})
    assert response.status_code == 422
    assert "不能停用自己的账户。" in response.text


def test_set_roles(page, world, db) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "secadmin")
    officer = world["officer"]
    response = page.post(f"/console/users/{officer.id}/roles", data={
        "csrf_token": csrf, "roles": ["risk_officer", "approver"], "reason": "轮岗"},
        follow_redirects=False)
    assert response.status_code == 303
    db.expire_all()
    assert db.get(User, officer.id).roles == {Role.RISK_OFFICER, Role.APPROVER}
    response = page.post(f"/console/users/{officer.id}/roles", data={
        "csrf_token": csrf, "roles": ["security_admin", "audit_admin"]})
    assert response.status_code == 422
    assert "三员分立" in response.text
    response = page.post(f"/console/users/{officer.id}/roles", data={
        "csrf_token": csrf, "roles": ["enterprise_user"]})
    assert "企业用户角色只能授予企业的用户。" in response.text


def test_reset_password(page, world, db, settings) -> None:  # type: ignore[no-untyped-def]
    csrf = form_sign_in(page, "secadmin")
    officer = world["officer"]
    response = page.post(f"/console/users/{officer.id}/password",
                         data={"csrf_token": csrf, "new_password": "weak"})
    assert response.status_code == 422
    assert "密码至少 10 个字符。" in response.text
    response = page.post(f"/console/users/{officer.id}/password", data={
        "csrf_token": csrf, "new_password": "Brand-New-Pass-2026!"}, follow_redirects=False)
    assert response.status_code == 303
    assert "已重置 officer 的密码" in page.get(response.headers["location"]).text
    assert db.execute(select(AuditEntry).where(AuditEntry.action == "user.password_reset")
                      ).scalar_one().object_id == str(officer.id)


def test_unlock_a_locked_account(page, world, db) -> None:  # type: ignore[no-untyped-def]
    officer = db.get(User, world["officer"].id)
    officer.locked_until = utcnow() + dt.timedelta(minutes=10)
    db.commit()
    csrf = form_sign_in(page, "secadmin")
    html = page.get(f"/console/users/{officer.id}").text
    assert "已锁定" in html and f'action="/console/users/{officer.id}/unlock"' in html
    response = page.post(f"/console/users/{officer.id}/unlock",
                         data={"csrf_token": csrf, "reason": "本人来电"}, follow_redirects=False)
    assert response.status_code == 303
    assert "officer 已解锁。" in page.get(response.headers["location"]).text
    db.expire_all()
    assert db.get(User, officer.id).locked_until is None


def test_new_user_can_sign_in(page, world, settings, db) -> None:  # type: ignore[no-untyped-def]
    make_user(db, settings, world["district"], Role.EXPERT, username="expert1")
    db.commit()
    form_sign_in(page, "expert1", PASSWORD)
    assert "专家" in page.get("/console").text
