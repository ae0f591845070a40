"""Console pages for the audit trail: search, diffs, object history, chain verification."""

from __future__ import annotations

from sqlalchemy import update

from riskgate.audit.models import AuditHead
from riskgate.core.permissions import Role
from riskgate.identity import service
from tests.factories import SYSTEM, make_user
from tests.web.conftest import form_sign_in, results, sign_in_english


def test_only_audit_administrators_read_the_trail(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "secadmin")
    assert page.get("/console/audit").status_code == 403
    assert page.get("/console/audit/verify").status_code == 403
    assert 'href="/console/audit"' not in page.get("/console").text


def test_search_shows_entries_with_readable_diffs(page, world, db) -> None:  # type: ignore[no-untyped-def]
    service.update_organisation(db, SYSTEM, world["district"].id,
                                {"name_zh": "深圳海关"}, "更正名称")
    db.commit()
    form_sign_in(page, "auditor")
    html = page.get("/console/audit").text
    assert "机构已修改" in html and "organisation.updated" in html
    assert "<del>深圳海关测试</del>" in html and "<ins>深圳海关</ins>" in html
    assert "更正名称" in html
    assert "用户已创建" in html
    # Each object links to its page and to its own history.
    assert f'href="/console/organisations/{world["district"].id}"' in html
    assert (f'href="/console/audit?object_type=organisation&amp;object_id={world["district"].id}"'
            in html)


def test_filters(page, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "auditor")
    html = results(page.get("/console/audit", params={"action": "user.created"}).text)
    assert "用户已创建" in html and "机构已创建" not in html
    html = page.get("/console/audit", params={"object_type": "user",
                                              "object_id": str(world["officer"].id)}).text
    assert html.count("<tr class=\"diff-added\">") >= 1
    assert "officer" in html and "sysadmin</td>" not in html
    html = page.get("/console/audit", params={"actor": "auditor"}).text
    assert "已登录" in html  # the auditor's own sign-in
    html = page.get("/console/audit", params={"q": "user.created"}).text
    assert "用户已创建" in html
    html = page.get("/console/audit", params={"since": "2000-01-01", "until": "2000-01-31"}).text
    assert "没有匹配的审计记录。" in html


def test_invalid_dates_are_field_errors(page, page_en, world) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "auditor")
    response = page.get("/console/audit", params={"since": "2026-13-01"})
    assert response.status_code == 422
    assert "须为日期（YYYY-MM-DD）。" in response.text
    response = page.get("/console/audit", params={"since": "2026-02-01", "until": "2026-01-01"})
    assert response.status_code == 422
    assert "结束日期不能早于起始日期。" in response.text
    sign_in_english(page_en, "auditor")
    response = page_en.get("/console/audit", params={"since": "yesterday"})
    assert "Must be a date (YYYY-MM-DD)." in response.text


def test_scope_of_an_auditor(page, world, db, settings) -> None:  # type: ignore[no-untyped-def]
    # An audit administrator of the district sees the district's entries, not the head office's.
    make_user(db, settings, world["district"], Role.AUDIT_ADMIN, username="district_auditor")
    db.commit()
    form_sign_in(page, "district_auditor")
    html = page.get("/console/audit", params={"action": "user.created"}).text
    assert f'href="/console/users/{world["officer"].id}"' in html
    assert f'href="/console/users/{world["sysadmin"].id}"' not in html


def test_verify_the_chain(page, world, db) -> None:  # type: ignore[no-untyped-def]
    form_sign_in(page, "auditor")
    html = page.get("/console/audit/verify").text
    assert "审计链完整" in html
    # Entries deleted at the end of the chain show as a head/count mismatch.
    db.execute(update(AuditHead).values(entry_count=AuditHead.entry_count + 3))
    db.commit()
    html = page.get("/console/audit/verify").text
    assert "审计链已断裂" in html and "条数不符" in html
