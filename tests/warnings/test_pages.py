"""Console pages of warnings: list and filters, the draft form with its rows and field errors,
the warning page with its action forms through the whole life cycle, the enterprise's reply
during the comment window (and after it), and the issuing-authority table."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from riskgate.audit.models import AuditEntry
from riskgate.warnings.enums import WarningStatus
from riskgate.warnings.lifecycle import content, service
from riskgate.warnings.models import IssuingAuthorityRule, PublicWarning, WarningAttachment
from tests.factories import sign_in
from tests.warnings.helpers import (
    build_world,
    make_draft,
    make_published_warning,
    warning_input,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def ww(db, settings):  # type: ignore[no-untyped-def]
    world = build_world(db, settings)
    db.commit()
    return world


def _form(ww, **extra):  # type: ignore[no-untyped-def]
    data = {
        "title": "儿童玩具邻苯二甲酸酯超标", "title_en": "Phthalates in toys",
        "summary": "抽检发现邻苯二甲酸酯超标。", "hazard": "化学危害", "hazard_class": "chemical",
        "level": "III", "warning_type": "notice",
        "measures": ["suspend_sales", "defect_recall"], "origin_countries": ["CN", "VN"],
        "regions": ["310000"], "enterprise_instructions": "立即下架并召回。",
        "consumer_instructions": "停止使用。",
        "products-0-name": "塑料洋娃娃", "products-0-hs_code": "950300",
        "products-0-category": "玩具", "products-0-brand": "星童",
        "enterprises-0-organisation_id": str(ww.enterprise.id),
        "enterprises-0-role": "importer",
    }
    data.update(extra)
    return data


def _post(client, url, csrf, data, files=None):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": csrf}, files=files,
                       follow_redirects=False)


def test_draft_form_creates_edits_and_keeps_input_on_errors(client, db, ww):  # type: ignore[no-untyped-def]
    csrf = sign_in(client, ww.officer.username)
    new = client.get("/console/warnings/new")
    assert new.status_code == 200 and 'name="products-0-name"' in new.text
    assert "suspend_sales" in new.text and str(ww.enterprise.id) in new.text
    row = client.get("/console/warnings/product-row?index=1", headers={"HX-Request": "true"})
    assert 'name="products-1-hs_code"' in row.text and "index=2" in row.text
    ent = client.get("/console/warnings/enterprise-row?index=1", headers={"HX-Request": "true"})
    assert 'name="enterprises-1-organisation_id"' in ent.text and "index=2" in ent.text

    # Field errors beside their fields; everything typed comes back.
    bad = _post(client, "/console/warnings", csrf, _form(
        ww, title="", **{"products-0-hs_code": "12", "products-1-name": "第二个产品",
                         "products-1-hs_code": "9999999999", "origin_countries": ["CN", "ZZ"],
                         "evidence_record": "RR-2026-999999"}))
    assert bad.status_code == 422
    assert 'id="title-error"' in bad.text
    assert "RR-2026-999999" in bad.text and 'id="evidence_record-error"' in bad.text
    assert 'value="第二个产品"' in bad.text and 'value="塑料洋娃娃"' in bad.text
    # The title was fixed; the service now finds the bad HS code and country.
    bad = _post(client, "/console/warnings", csrf, _form(
        ww, **{"products-1-name": "第二个产品", "products-1-hs_code": "990000",
               "origin_countries": ["CN", "ZZ"]}))
    assert bad.status_code == 422, bad.text
    assert 'id="products-1-hs_code-error"' in bad.text and 'id="origin_countries-error"' in bad.text
    assert '<option value="ZZ" selected>' in bad.text
    assert db.execute(select(PublicWarning)).first() is None
    db.commit()

    created = _post(client, "/console/warnings", csrf, _form(ww, attachment_public="1"),
                    files=[("attachments", ("photo.png", PNG, "image/png"))])
    assert created.status_code == 303, created.text
    db.commit()  # a fresh snapshot
    db.expire_all()
    warning = db.execute(select(PublicWarning)).scalar_one()
    assert warning.status == WarningStatus.draft and warning.origin_countries == ["CN", "VN"]
    attachment = db.execute(select(WarningAttachment)).scalar_one()
    assert attachment.public and attachment.media_type == "image/png"
    page = client.get(created.headers["location"])
    assert page.status_code == 200 and warning.number in page.text
    assert "photo.png" in page.text and 'id="comment-window-form"' in page.text
    download = client.get(f"/console/warnings/{warning.id}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.content == PNG

    edit = client.get(f"/console/warnings/{warning.id}/edit")
    assert edit.status_code == 200 and 'value="塑料洋娃娃"' in edit.text
    refused = _post(client, f"/console/warnings/{warning.id}/edit", csrf, _form(ww),
                    files=[("attachments", ("x.exe", b"MZ\x90\x00", "image/png"))])
    assert refused.status_code == 415 or refused.status_code == 422
    assert 'id="attachments-error"' in refused.text
    saved = _post(client, f"/console/warnings/{warning.id}/edit", csrf, _form(
        ww, title="已修改的标题", **{"products-0-remove": "1", "products-1-name": "替换产品"}))
    assert saved.status_code == 303, saved.text
    db.commit()  # a fresh snapshot
    db.expire_all()
    assert db.get(PublicWarning, warning.id).title == "已修改的标题"
    assert [p.name for p in content.products_of(db, warning.id)] == ["替换产品"]


def test_list_filters_and_scope(client, db, ww):  # type: ignore[no-untyped-def]
    first = make_draft(ww, title="甲玩具预警", title_en=None)
    make_published_warning(ww, title="乙食品预警", title_en=None, level="IV")
    db.commit()
    sign_in(client, ww.officer.username)
    page = client.get("/console/warnings")
    assert page.status_code == 200 and "甲玩具预警" in page.text and "乙食品预警" in page.text
    assert 'class="badge level-IV"' in page.text
    drafts = client.get("/console/warnings?status=draft")
    assert "甲玩具预警" in drafts.text and "乙食品预警" not in drafts.text
    assert "乙食品预警" in client.get("/console/warnings?level=IV").text
    assert "甲玩具预警" not in client.get("/console/warnings?level=IV").text
    found = client.get("/console/warnings?q=甲玩具")
    assert "甲玩具预警" in found.text and "乙食品预警" not in found.text
    assert client.get(f"/console/warnings?q={first.number}").text.count(first.number) >= 1
    # Nonsense filters are ignored, never a 500.
    assert client.get("/console/warnings?status=nope&level=X&warning_type=zz").status_code == 200
    # Another regulator outside the issuer's subtree sees the published one, not the draft.
    client.cookies.clear()
    sign_in(client, ww.other_officer.username)
    other = client.get("/console/warnings")
    assert "乙食品预警" in other.text and "甲玩具预警" not in other.text
    assert client.get(f"/console/warnings/{first.id}").status_code == 404


def test_life_cycle_through_the_action_forms(client, db, ww):  # type: ignore[no-untyped-def]
    warning = make_draft(ww, warning_type="notice")
    db.commit()
    csrf = sign_in(client, ww.officer.username)
    url = f"/console/warnings/{warning.id}"
    bad_days = _post(client, f"{url}/comment-window", csrf, {"working_days": "99"})
    assert bad_days.status_code == 422 and 'id="working_days-error"' in bad_days.text
    assert _post(client, f"{url}/comment-window", csrf, {"working_days": "3"}).status_code == 303
    early = _post(client, f"{url}/submit", csrf, {})
    assert early.status_code == 409 and "comment" in early.text.lower()

    # The enterprise named replies.
    client.cookies.clear()
    ent_csrf = sign_in(client, ww.ent_user.username)
    assert "commenting" in client.get("/console/warnings").text or \
        warning.number in client.get("/console/warnings").text
    page = client.get(url)
    assert page.status_code == 200 and 'id="comment-form"' in page.text
    assert 'id="history"' not in page.text  # internal history is not for enterprises
    empty = _post(client, f"{url}/comments", ent_csrf, {"body": " "})
    assert empty.status_code == 422 and 'id="body-error"' in empty.text
    replied = _post(client, f"{url}/comments", ent_csrf, {"body": "该批次已全部召回。"})
    assert replied.status_code == 303
    assert "该批次已全部召回。" in client.get(url).text
    client.cookies.clear()
    # The second enterprise is not named: the draft does not exist for it.
    sign_in(client, ww.ent2_user.username)
    assert client.get(url).status_code == 404

    client.cookies.clear()
    csrf = sign_in(client, ww.officer.username)
    assert _post(client, f"{url}/submit", csrf, {}).status_code == 303
    page = client.get(url)
    assert "该批次已全部召回。" in page.text and 'data-status="in_review"' in page.text

    client.cookies.clear()
    csrf = sign_in(client, ww.city_approver.username)  # not in the issuer's subtree
    assert _post(client, f"{url}/approve", csrf, {}).status_code == 404
    client.cookies.clear()
    csrf = sign_in(client, ww.approver.username)
    missing = _post(client, f"{url}/return", csrf, {"reason": ""})
    assert missing.status_code == 422 and 'id="reason-error"' in missing.text
    assert _post(client, f"{url}/approve", csrf, {"note": "同意"}).status_code == 303
    assert _post(client, f"{url}/publish", csrf, {}).status_code == 303
    page = client.get(url)
    assert 'data-status="published"' in page.text and 'id="adjust-form"' in page.text

    nothing = _post(client, f"{url}/adjust", csrf, {
        "reason": "无变化", "level": "III", "measures": ["suspend_sales", "defect_recall"],
        "origin_countries": ["CN", "VN"], "regions": ["310000"]})
    assert nothing.status_code == 422
    adjusted = _post(client, f"{url}/adjust", csrf, {
        "reason": "扩大原产国范围", "level": "II", "measures": ["suspend_sales", "defect_recall"],
        "origin_countries": ["CN", "VN", "TH"], "regions": ["310000"],
        "consumer_instructions": warning.consumer_instructions or "",
        "enterprise_instructions": warning.enterprise_instructions or ""})
    assert adjusted.status_code == 303, adjusted.text
    no_eval = _post(client, f"{url}/lift", csrf, {"reason": "风险已消除", "evaluation": ""})
    assert no_eval.status_code == 422 and 'id="evaluation-error"' in no_eval.text
    assert _post(client, f"{url}/lift", csrf, {"reason": "风险已消除",
                                                "evaluation": "召回完成"}).status_code == 303
    # Level II now: the lifting is a request until a second approver confirms it (R2).
    page = client.get(url)
    assert 'id="pending-change"' in page.text and 'id="confirm-change-form"' not in page.text
    assert _post(client, f"{url}/confirm-change", csrf, {}).status_code == 403  # same person
    client.cookies.clear()
    csrf = sign_in(client, ww.approver2.username)
    assert _post(client, f"{url}/confirm-change", csrf, {}).status_code == 303
    page = client.get(url)
    assert 'data-status="lifted"' in page.text and 'data-sequence="2"' in page.text
    assert 'data-sequence="1"' in page.text and 'id="original"' in page.text
    assert page.text.index('data-action="warning.lift"') < page.text.index(
        'data-action="warning.publish"')  # newest first
    again = _post(client, f"{url}/adjust", csrf, {"reason": "再次调整", "level": "I"})
    assert again.status_code == 409
    db.commit()  # a fresh snapshot
    db.expire_all()
    assert db.get(PublicWarning, warning.id).follow_up_count == 2


def test_submission_names_what_is_missing(client, db, ww):  # type: ignore[no-untyped-def]
    warning = make_draft(ww, summary=None, products=[])
    db.commit()
    csrf = sign_in(client, ww.officer.username)
    refused = _post(client, f"/console/warnings/{warning.id}/submit", csrf, {})
    assert refused.status_code == 422
    assert "Summary: " in refused.text and "Products: " in refused.text
    assert 'id="submit-form"' in refused.text


def test_comment_after_the_deadline_is_refused_clearly(client, db, ww):  # type: ignore[no-untyped-def]
    warning = make_draft(ww, warning_type="notice")
    service.open_comment_window(db, ww.actor(ww.officer), warning.id, 1, settings=ww.settings)
    warning.comment_deadline = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # long past
    db.commit()
    csrf = sign_in(client, ww.ent_user.username)
    url = f"/console/warnings/{warning.id}"
    page = client.get(url)
    assert page.status_code == 200 and 'id="comment-form"' not in page.text
    assert 'id="comment-closed"' in page.text
    late = _post(client, f"{url}/comments", csrf, {"body": "迟到的意见"})
    assert late.status_code == 409 and 'id="comment-form"' not in late.text
    assert "2020-01-01" in late.text


def test_drafter_sees_why_approval_is_not_offered(client, db, ww):  # type: ignore[no-untyped-def]
    from riskgate.core.permissions import Role
    from tests.factories import make_user

    both = make_user(db, ww.settings, ww.national, Role.RISK_OFFICER, Role.APPROVER)
    warning = service.create_warning(db, ww.actor(both), warning_input(ww))
    service.submit_for_review(db, ww.actor(both), warning.id)
    db.commit()
    csrf = sign_in(client, both.username)
    page = client.get(f"/console/warnings/{warning.id}")
    assert 'id="approve-form"' not in page.text and 'id="approval-blocked"' in page.text
    refused = _post(client, f"/console/warnings/{warning.id}/approve", csrf, {})
    assert refused.status_code == 403


def test_authority_page_updates_rules_and_audits(client, db, ww):  # type: ignore[no-untyped-def]
    csrf = sign_in(client, ww.supervisor.username)
    page = client.get("/console/warnings/authority")
    assert page.status_code == 200 and 'id="rule-I"' in page.text
    empty = _post(client, "/console/warnings/authority", csrf, {"level": "II"})
    assert empty.status_code == 422 and "field-error" in empty.text
    saved = _post(client, "/console/warnings/authority", csrf,
                  {"level": "II", "org_levels": ["national", "provincial", "city"]})
    assert saved.status_code == 303
    db.commit()  # a fresh snapshot
    db.expire_all()
    assert db.get(IssuingAuthorityRule, "II").org_levels == ["national", "provincial", "city"]
    assert db.execute(select(AuditEntry).where(
        AuditEntry.action == "warning.authority.update")).first() is not None
    client.cookies.clear()
    sign_in(client, ww.officer.username)
    assert client.get("/console/warnings/authority").status_code == 403


def test_pages_in_english(client, db, ww):  # type: ignore[no-untyped-def]
    warning = make_published_warning(ww)
    db.commit()
    sign_in(client, ww.officer.username)
    page = client.get(f"/console/warnings/{warning.id}?lang=en")
    assert page.status_code == 200 and "Products" in page.text and "History" in page.text
    # The push and tracking parts' sections, for the issuer's staff.
    assert 'id="warning-deliveries"' in page.text and 'id="warning-tracking"' in page.text
    zh = client.get(f"/console/warnings/{warning.id}?lang=zh-CN")
    assert "产品" in zh.text
