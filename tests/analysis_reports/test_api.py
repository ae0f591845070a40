"""The assessment-report API and console pages: request, list, download, errors."""

from __future__ import annotations

import re

import pytest

from riskgate.analysis_reports import render
from riskgate.core.permissions import Role
from tests.analysis_reports.helpers import organisations, pdf_text, push
from tests.factories import auth_headers, make_user, sign_in, token_for

pytestmark = pytest.mark.skipif(not render.chinese_font_installed(),
                                reason="fonts-wqy-microhei is not installed")


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    w = organisations(db, settings)
    push(db, w.officer_a, title="电暖器起火致一人死亡", product_name="电暖器",
         injury_severity="fatal", hazard_class="physical", source_channel="injury")
    w.approver_a = make_user(db, settings, w.a, Role.APPROVER, username="approver_a")
    db.commit()
    w.token = {u.username: token_for(db, u) for u in
               (w.officer_a, w.officer_b, w.approver_a, w.supervisor_root)}
    db.commit()
    return w


def headers(world, user, lang: str = "en") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return auth_headers(world.token[user.username], lang)


def test_request_list_and_download(client, world, generate):
    officer = headers(world, world.officer_a)
    response = client.post("/api/v1/analysis-reports", headers=officer,
                           json={"quarter": "2026Q4", "language": "zh-CN"})
    assert response.status_code == 202, response.text
    report = response.json()
    assert report["status"] == "pending" and report["download_url"] is None
    # Not ready yet: 409 with a problem document.
    early = client.get(f"/api/v1/analysis-reports/{report['id']}/download", headers=officer)
    assert early.status_code == 409
    assert early.headers["content-type"].startswith("application/problem+json")
    generate()
    ready = client.get(f"/api/v1/analysis-reports/{report['id']}", headers=officer).json()
    assert ready["status"] == "ready" and ready["summary"]["signals"] == 1
    listed = client.get("/api/v1/analysis-reports", headers=officer).json()
    assert [i["id"] for i in listed["items"]] == [report["id"]]
    file = client.get(ready["download_url"], headers=officer)
    assert file.status_code == 200 and file.headers["content-type"] == "application/pdf"
    assert "attachment" in file.headers["content-disposition"]
    assert "季度风险评估报告" in pdf_text(file.content)
    # Approvers read and download but do not generate; B sees nothing of A's.
    approver = headers(world, world.approver_a)
    assert client.get(ready["download_url"], headers=approver).status_code == 200
    assert client.post("/api/v1/analysis-reports", headers=approver,
                       json={"quarter": "2026Q4"}).status_code == 403
    other = headers(world, world.officer_b)
    assert client.get(ready["download_url"], headers=other).status_code == 404
    assert client.get("/api/v1/analysis-reports", headers=other).json()["items"] == []


def test_idempotent_request(client, world):
    officer = {**headers(world, world.officer_a), "Idempotency-Key": "report-1"}
    first = client.post("/api/v1/analysis-reports", headers=officer, json={"quarter": "2026Q3"})
    again = client.post("/api/v1/analysis-reports", headers=officer, json={"quarter": "2026Q3"})
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(("body", "lang", "text"), [
    ({"quarter": "2026Q9"}, "en", "Give a quarter like 2026Q3."),
    ({"quarter": "2026Q9"}, "zh-CN", "请按 2026Q3 的格式填写季度。"),
    ({"start": "2024-05-01", "end": "2024-04-01"}, "zh-CN", "结束日期早于开始日期"),
    ({"kind": "category", "quarter": "2025Q1"}, "en", "Choose the category"),
    ({"start": "1900-01-01", "end": "2024-04-01"}, "en", "Must be at least 2000-01-01"),
    ({"quarter": "2025Q1", "colour": "red"}, "en", "colour"),
    ({"quarter": "2025Q1", "format": "docx"}, "en", "format"),
])
def test_bad_input_is_a_problem_document(client, world, body, lang, text):
    response = client.post("/api/v1/analysis-reports", headers=headers(world, world.officer_a,
                                                                        lang), json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert text in response.text


def test_other_organisation_is_not_found(client, world):
    response = client.post("/api/v1/analysis-reports", headers=headers(world, world.officer_b),
                           json={"quarter": "2026Q3", "organisation_id": world.a.id})
    assert response.status_code == 404


def test_console_page_generates_and_downloads(client, world, generate):
    csrf = sign_in(client, world.officer_a.username)
    page = client.get("/console/analysis-reports")
    assert page.status_code == 200 and "生成报告" in page.text
    bad = client.post("/console/analysis-reports", data={
        "csrf_token": csrf, "kind": "category", "quarter": "2026Q4",
        "category_dimension": "hs_chapter", "category_value": "99x"})
    assert bad.status_code == 422 and "未知的 HS 章" in bad.text
    done = client.post("/console/analysis-reports", data={
        "csrf_token": csrf, "kind": "category", "quarter": "2026Q4",
        "category_dimension": "hazard_class", "category_value": "physical", "format": "xlsx",
        "language": "zh-CN"}, follow_redirects=False)
    assert done.status_code == 303
    listing = client.get("/console/analysis-reports").text
    assert "生成中" in listing and 'hx-trigger="every 5s"' in listing
    generate()
    listing = client.get("/console/analysis-reports").text
    (link,) = re.findall(r'href="(/console/analysis-reports/\d+/download)"', listing)
    file = client.get(link)
    assert file.status_code == 200 and file.content[:2] == b"PK"
    assert "every 5s" not in listing
