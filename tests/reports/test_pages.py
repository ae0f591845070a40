"""The report pages through a browser-like client: portal forms with their token, files checked
by content, the tracking page, limits; console lists, details, status changes and identity."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.reports.conftest import EXE, png_bytes
from tests.web.conftest import HTML, form_sign_in

FORM = {"route": "market", "product_name": "儿童电动滑板车", "brand": "飞跃",
        "region_code": "310115", "description": "充电时电池起火，孩子的手被烫伤。",
        "injuries_count": "1", "injury_severity": "minor", "contact_email": "wang@example.cn"}


def _token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def _file(page: TestClient, files=None, **changes):  # type: ignore[no-untyped-def]
    form = page.get("/complaints/new")
    assert form.status_code == 200 and "rg_form" in page.cookies
    data = {**FORM, **changes, "form_token": _token(form.text)}
    return page.post("/complaints", data=data,
                     files=files or {"attachments": ("照片.png", png_bytes(), "image/png")})


def test_a_complaint_filed_on_the_portal_is_tracked_and_listed(app, places):
    with TestClient(app, headers={"Accept": HTML}) as page:
        home = page.get("/")
        assert 'href="/complaints/new"' in home.text and 'href="/track"' in home.text
        done = _file(page)
        assert done.status_code == 200, done.text[-2000:]
        number = re.search(r'id="tracking-number">([^<]+)<', done.text).group(1)
        code = re.search(r'id="access-code">([^<]+)<', done.text).group(1)
        assert "浦东新区市场监督管理局" in done.text
        # Posting the same form again (a reload) is refused: the form token was replaced.
        again = page.post("/complaints", data={**FORM, "form_token": _token(
            page.get("/complaints/new").text)})
        assert again.status_code != 403  # a fresh form works …
        tracked_form = page.get("/track")
        found = page.post("/track", data={"tracking_number": number.lower(), "access_code": code,
                                          "form_token": _token(tracked_form.text)})
        assert found.status_code == 200 and "已收到，待受理" in found.text
        assert code not in found.text
        wrong = page.post("/track", data={"tracking_number": number, "access_code": "AAAAA-AAAAA",
                                          "form_token": _token(tracked_form.text)})
        assert wrong.status_code == 404 and "没有与该查询编号和查询码相符" in wrong.text
    with TestClient(app, headers={"Accept": HTML}) as officer:
        form_sign_in(officer, "pdofficer")
        listing = officer.get("/console/complaints")
        assert number in listing.text and "儿童电动滑板车" in listing.text
        report_id = re.search(r'/console/complaints/(\d+)"><code>' + number, listing.text).group(1)
        detail = officer.get(f"/console/complaints/{report_id}")
        assert "wang@example.cn" in detail.text and "照片.png" in detail.text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', detail.text).group(1)
        moved = officer.post(f"/console/complaints/{report_id}/transition", data={
            "status": "accepted", "public_note": "已受理", "csrf_token": csrf},
            follow_redirects=False)
        assert moved.status_code == 303
        assert "已受理" in officer.get(f"/console/complaints/{report_id}").text
        refused = officer.post(f"/console/complaints/{report_id}/transition", data={
            "status": "rejected", "csrf_token": csrf})
        assert refused.status_code == 200 and "请填写不予受理的理由" in refused.text
    with TestClient(app, headers={"Accept": HTML}) as other:
        form_sign_in(other, "officer")  # customs: another tree
        assert number not in other.get("/console/complaints").text
        assert other.get(f"/console/complaints/{report_id}").status_code == 404


def test_portal_forms_need_their_token_and_check_files_by_content(app, places):
    with TestClient(app, headers={"Accept": HTML}) as page:
        page.get("/complaints/new")
        forged = page.post("/complaints", data={**FORM, "form_token": "forged"})
        assert forged.status_code == 403
        exe = _file(page, files={"attachments": ("photo.jpg", EXE, "image/jpeg")})
        assert exe.status_code == 422 and "photo.jpg" in exe.text and "按文件内容" in exe.text
        missing = _file(page, description="", product_name="")
        assert missing.status_code == 422 and 'id="product_name-error"' in missing.text
    with TestClient(app, headers={"Accept": HTML, "Accept-Language": "en"}) as page:
        exe = _file(page, files={"attachments": ("photo.jpg", EXE, "image/jpeg")})
        assert exe.status_code == 422 and "checked by its content" in exe.text


def test_the_portal_shows_a_friendly_page_when_limited(app, places, settings):
    settings.public_lookups_per_window = 2
    with TestClient(app, headers={"Accept": HTML}) as page:
        token = _token(page.get("/track").text)
        for _ in range(2):
            page.post("/track", data={"tracking_number": "x", "access_code": "y",
                                      "form_token": token})
        limited = page.post("/track", data={"tracking_number": "x", "access_code": "y",
                                            "form_token": token})
        assert limited.status_code == 429 and limited.headers["retry-after"]
        assert "text/html" in limited.headers["content-type"] and "请稍候再试" in limited.text


def test_whistleblower_identity_is_withheld_until_a_supervisor_opens_it(app, places):
    with TestClient(app, headers={"Accept": HTML}) as page:
        form = page.get("/whistleblower/new")
        done = page.post("/whistleblower", data={
            "route": "market", "product_name": "婴儿奶粉", "description": "过期奶粉重新贴标销售",
            "region_code": "310115", "anonymous": "0", "identity_name": "李举报",
            "identity_phone": "13800000000", "form_token": _token(form.text)})
        assert done.status_code == 200, done.text[-1500:]
        assert re.search(r'id="tracking-number">WB-', done.text)
    with TestClient(app, headers={"Accept": HTML}) as officer:
        form_sign_in(officer, "pdofficer")
        listing = officer.get("/console/whistleblower-reports")
        report_id = re.search(r'/console/whistleblower-reports/(\d+)"', listing.text).group(1)
        detail = officer.get(f"/console/whistleblower-reports/{report_id}")
        assert "已隐去" in detail.text and "李举报" not in detail.text
        assert "/identity" not in detail.text  # no button without the permission
    with TestClient(app, headers={"Accept": HTML}) as supervisor:
        csrf = form_sign_in(supervisor, "supervisor")
        detail = supervisor.get(f"/console/whistleblower-reports/{report_id}")
        assert "李举报" not in detail.text and "/identity" in detail.text
        shown = supervisor.post(f"/console/whistleblower-reports/{report_id}/identity",
                                data={"reason": "核实身份以发放奖励", "csrf_token": csrf})
        assert shown.status_code == 200 and "李举报" in shown.text
        assert shown.headers["cache-control"] == "no-store"


def test_an_enterprise_files_a_report_from_its_console(app, places):
    with TestClient(app, headers={"Accept": HTML}) as page:
        csrf = form_sign_in(page, "enterprise")
        assert "/console/my-reports" in page.get("/console").text
        form = page.get("/console/my-reports/new?kind=self_inspection")
        assert form.status_code == 200
        filed = page.post("/console/my-reports", data={
            "kind": "self_inspection", "route": "market", "product_name": "塑料玩具",
            "description": "季度自检报告", "result": "fail", "test_items": "邻苯二甲酸酯",
            "csrf_token": csrf}, files={"attachments": ("检测报告.pdf", b"%PDF-1.4\n%%EOF",
                                                        "application/pdf")})
        assert filed.status_code == 200 and "ER-" in filed.text and "不合格" in filed.text
        assert "检测报告.pdf" in filed.text
        assert "ER-" in page.get("/console/my-reports").text
    with TestClient(app, headers={"Accept": HTML}) as regulator:
        form_sign_in(regulator, "amrofficer")
        assert "塑料玩具" in regulator.get("/console/enterprise-reports").text
    with TestClient(app, headers={"Accept": HTML}) as other:
        form_sign_in(other, "fooduser")
        assert "ER-" not in other.get("/console/my-reports").text
