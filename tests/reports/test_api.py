"""The reports API: public filing and tracking, bad input, limits, staff handling, scope."""

from __future__ import annotations

import os

from riskgate.core.permissions import Role
from tests.factories import auth_headers, make_user, token_for
from tests.reports.conftest import EXE, b64, complaint_body, png_bytes

ZH = {"Accept-Language": "zh-CN"}


def _file(client, **changes):  # type: ignore[no-untyped-def]
    body = complaint_body(
        attachments=[{"file_name": "照片.png", "content_base64": b64(png_bytes())}], **changes
    )
    response = client.post("/api/v1/complaints", json=body, headers=ZH)
    assert response.status_code == 201, response.text
    return response.json()


def test_the_public_files_and_tracks_a_complaint(client, places):
    filed = _file(client)
    assert (
        filed["status"] == "received"
        and filed["receiving_organisation"] == "浦东新区市场监督管理局"
    )
    number, code = filed["tracking_number"], filed["access_code"]
    found = client.get(f"/api/v1/complaints/track/{number}", headers={"X-Access-Code": code, **ZH})
    assert found.status_code == 200, found.text
    assert found.json()["status_label"] == "已收到，待受理" and found.json()["notes"] == []
    assert "contact_email" not in found.text and "wang@example.cn" not in found.text
    for headers in ({"X-Access-Code": "AAAAA-AAAAA"}, {}):
        missing = client.get(f"/api/v1/complaints/track/{number}", headers={**headers, **ZH})
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")
        assert "查询码" in missing.json()["detail"]
    bad = client.get("/api/v1/complaints/track/not-a-number", headers={"X-Access-Code": code})
    assert bad.status_code == 404
    # Complaints and whistleblower reports are looked up on their own routes.
    assert (
        client.get(
            f"/api/v1/whistleblower-reports/track/{number}", headers={"X-Access-Code": code}
        ).status_code
        == 404
    )


def test_files_are_checked_by_content_and_size(client, places, settings):
    disguised = complaint_body(attachments=[{"file_name": "photo.jpg", "content_base64": b64(EXE)}])
    refused = client.post("/api/v1/complaints", json=disguised, headers=ZH)
    assert refused.status_code == 415, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/attachment-refused")
    assert problem["errors"][0]["loc"] == "attachments.0"
    assert (
        "photo.jpg" in problem["errors"][0]["message"]
        and "按文件内容" in problem["errors"][0]["message"]
    )
    english = client.post("/api/v1/complaints", json=disguised, headers={"Accept-Language": "en"})
    assert "checked by its content" in english.json()["errors"][0]["message"]
    big = png_bytes() + os.urandom(settings.attachment_max_bytes)
    too_large = client.post(
        "/api/v1/complaints",
        headers=ZH,
        json=complaint_body(attachments=[{"file_name": "big.png", "content_base64": b64(big)}]),
    )
    assert too_large.status_code == 413, too_large.text[:300]
    not_base64 = client.post(
        "/api/v1/complaints",
        headers=ZH,
        json=complaint_body(attachments=[{"file_name": "x.png", "content_base64": "@@@"}]),
    )
    assert not_base64.status_code == 422
    assert not_base64.json()["errors"][0]["loc"] == "attachments.0.content_base64"


def test_bad_fields_are_reported_per_field(client, places):
    response = client.post(
        "/api/v1/complaints",
        headers=ZH,
        json=complaint_body(
            origin_country="Atlantis",
            region_code="999999",
            occurred_on="2999-01-01",
            contact_email="not-an-address",
            surprise=1,
        ),
    )
    assert response.status_code == 422
    locs = {e["loc"] for e in response.json()["errors"]}
    assert {"contact_email", "surprise"} <= locs
    response = client.post(
        "/api/v1/complaints",
        headers=ZH,
        json=complaint_body(
            origin_country="Atlantis", region_code="999999", occurred_on="2999-01-01"
        ),
    )
    assert response.status_code == 422
    assert {e["loc"] for e in response.json()["errors"]} == {
        "origin_country",
        "region_code",
        "occurred_on",
    }


def test_public_submissions_and_lookups_are_rate_limited(client, places, settings):
    for _ in range(settings.public_submissions_per_window):
        client.post("/api/v1/complaints", json={"product_name": "x"})  # invalid ones count too
    limited = client.post("/api/v1/complaints", json=complaint_body(), headers=ZH)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert "请求过于频繁" in limited.json()["title"]
    for _ in range(settings.public_lookups_per_window):
        client.get("/api/v1/complaints/track/TS-2026-AAAA-AAAA", headers={"X-Access-Code": "x"})
    assert client.get("/api/v1/complaints/track/TS-2026-AAAA-AAAA").status_code == 429


def test_filing_is_idempotent_per_client(client, places):
    body = complaint_body()
    first = client.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": "k-1"})
    again = client.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"


def test_staff_list_read_and_move_complaints_in_scope(client, db, settings, places):
    filed = _file(client)
    officer = auth_headers(token_for(db, places["pudong_officer"]), "zh-CN")
    outsider = auth_headers(token_for(db, places["customs_officer"]))
    approver = auth_headers(token_for(db, places["amr_approver"]))
    db.commit()
    listed = client.get("/api/v1/complaints", headers=officer).json()["items"]
    (item,) = [i for i in listed if i["tracking_number"] == filed["tracking_number"]]
    assert client.get("/api/v1/complaints", headers=outsider).json()["items"] == []
    detail = client.get(f"/api/v1/complaints/{item['id']}", headers=officer).json()
    assert detail["contact_email"] == "wang@example.cn" and len(detail["attachments"]) == 1
    assert client.get(f"/api/v1/complaints/{item['id']}", headers=outsider).status_code == 404
    moved = client.post(
        f"/api/v1/complaints/{item['id']}/transition",
        headers=officer,
        json={"status": "accepted", "public_note": "已受理"},
    )
    assert moved.status_code == 200 and moved.json()["status"] == "accepted"
    assert (
        client.post(
            f"/api/v1/complaints/{item['id']}/transition",
            headers=approver,
            json={"status": "closed"},
        ).status_code
        == 403
    )
    wrong = client.post(
        f"/api/v1/complaints/{item['id']}/transition", headers=officer, json={"status": "received"}
    )
    assert wrong.status_code == 409 and "已受理" in wrong.json()["detail"]
    tracked = client.get(
        f"/api/v1/complaints/track/{filed['tracking_number']}",
        headers={"X-Access-Code": filed["access_code"]},
    ).json()
    assert tracked["status"] == "accepted" and tracked["notes"][0]["body"] == "已受理"
    # The attachment: staff in scope download it; others do not see it.
    attachment = detail["attachments"][0]
    content = client.get(f"/api/v1/attachments/{attachment['id']}/content", headers=officer)
    assert content.status_code == 200 and content.content == png_bytes()
    assert content.headers["content-type"] == "image/png"
    assert "attachment;" in content.headers["content-disposition"]
    assert (
        client.get(f"/api/v1/attachments/{attachment['id']}/content", headers=outsider).status_code
        == 404
    )
    assert client.get(f"/api/v1/attachments/{attachment['id']}/content").status_code == 401
    listed = client.get(f"/api/v1/records/{item['record_id']}/attachments", headers=officer)
    assert [a["sha256"] for a in listed.json()] == [attachment["sha256"]]


def test_a_whistleblowers_identity_is_withheld_except_for_supervisors(client, db, settings, places):
    body = {
        "product_name": "婴儿奶粉",
        "description": "过期奶粉重新贴标销售",
        "region_code": "310115",
        "anonymous": False,
        "identity": {"name": "李举报", "email": "li@example.cn"},
    }
    filed = client.post("/api/v1/whistleblower-reports", json=body)
    assert filed.status_code == 201, filed.text
    assert filed.json()["tracking_number"].startswith("WB-")
    officer = auth_headers(token_for(db, places["pudong_officer"]))
    supervisor = auth_headers(token_for(db, places["supervisor"]))
    db.commit()
    (item,) = client.get("/api/v1/whistleblower-reports", headers=officer).json()["items"]
    for headers in (officer, supervisor):
        detail = client.get(f"/api/v1/whistleblower-reports/{item['id']}", headers=headers)
        assert detail.json()["identity"] == "withheld" and "李举报" not in detail.text
    assert (
        client.post(
            f"/api/v1/whistleblower-reports/{item['id']}/identity",
            headers=officer,
            json={"reason": "想知道是谁"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/whistleblower-reports/{item['id']}/identity", headers=supervisor, json={}
        ).status_code
        == 422
    )
    revealed = client.post(
        f"/api/v1/whistleblower-reports/{item['id']}/identity",
        headers=supervisor,
        json={"reason": "核实身份以发放奖励"},
    )
    assert revealed.status_code == 200 and revealed.json()["name"] == "李举报"
    named = client.post(
        "/api/v1/whistleblower-reports", headers=ZH, json={**body, "identity": {"name": "李举报"}}
    )
    assert named.status_code == 422 and named.json()["errors"][0]["loc"] == "identity.phone"


def test_enterprises_file_and_see_only_their_own_reports(client, db, settings, places):
    mine = auth_headers(token_for(db, places["enterprise"]), "zh-CN")
    theirs = auth_headers(token_for(db, places["food_user"]))
    regulator = auth_headers(token_for(db, places["amr_officer"]))
    db.commit()
    body = {
        "kind": "accident",
        "product_name": "毛绒玩具",
        "description": "儿童误吞配件，已送医",
        "injuries_count": 1,
        "injury_severity": "serious",
        "attachments": [{"file_name": "report.pdf", "content_base64": b64(b"%PDF-1.4\n%%EOF")}],
    }
    filed = client.post("/api/v1/enterprise-reports", json=body, headers=mine)
    assert filed.status_code == 201, filed.text
    report = filed.json()
    assert (
        report["reference"].startswith("ER-")
        and report["receiving_organisation"] == "浦东新区市场监督管理局"
    )
    assert [
        r["id"] for r in client.get("/api/v1/enterprise-reports", headers=mine).json()["items"]
    ] == [report["id"]]
    assert client.get("/api/v1/enterprise-reports", headers=theirs).json()["items"] == []
    assert (
        client.get(f"/api/v1/enterprise-reports/{report['id']}", headers=theirs).status_code == 404
    )
    assert (
        client.post("/api/v1/enterprise-reports", json=body, headers=regulator).status_code == 403
    )
    record = client.get(f"/api/v1/records/{report['record_id']}", headers=regulator)
    assert (
        record.status_code == 200
        and record.json()["source_channel"] == "enterprise_accident_report"
    )
    # The enterprise reads its report here, not the regulator's record.
    assert client.get(f"/api/v1/records/{report['record_id']}", headers=mine).status_code == 403
    bad = client.post(
        "/api/v1/enterprise-reports",
        headers=mine,
        json={"kind": "self_inspection", "product_name": "x", "description": "季度自检报告"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == "result"


def test_wrong_roles_and_anonymous_callers_are_refused(client, db, settings, places):
    expert = make_user(db, settings, places["sh_amr"], Role.EXPERT)
    headers = auth_headers(token_for(db, expert))
    db.commit()
    assert client.get("/api/v1/complaints", headers=headers).status_code == 403
    assert client.get("/api/v1/complaints").status_code == 401
    assert client.get("/api/v1/enterprise-reports", headers=headers).status_code == 403
