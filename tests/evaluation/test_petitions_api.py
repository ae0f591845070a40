"""Lifting petitions over the JSON API (multipart) and the console pages."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from riskgate.border.models import ControlRule
from tests.factories import auth_headers, sign_in, token_for
from tests.warnings.helpers import build_world, make_published_warning

PDF = ("lab.pdf", b"%PDF-1.4 third-party report\n%%EOF", "application/pdf")


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _headers(db, user):  # type: ignore[no-untyped-def]
    raw = token_for(db, user)
    db.commit()
    return auth_headers(raw)


def test_petition_over_the_api(client, db, settings, tmp_path):
    settings.attachments_dir = tmp_path
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    rule = db.execute(select(ControlRule).where(ControlRule.warning_id == warning.id)
                      ).scalar_one()
    db.commit()
    enterprise = _headers(db, world.ent_user)
    form = {"body": "检测合格", "control_rule_id": str(rule.id), "clean_consignments": "3"}
    missing = client.post("/api/v1/response/petitions", data=form, headers=enterprise)
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == "evidence"
    wrong = client.post("/api/v1/response/petitions", data=form, files=[("evidence", PDF)],
                        headers=_headers(db, world.ent2_user))
    assert wrong.status_code == 404
    created = client.post("/api/v1/response/petitions", data=form, headers=enterprise, files=[
        ("evidence", PDF), ("evidence", ("batches.xlsx", _xlsx(), "application/octet-stream"))])
    assert created.status_code == 201, created.text
    petition = created.json()
    assert len(petition["evidence"]) == 2 and petition["status"] == "submitted"
    assert {e["media_type"] for e in petition["evidence"]} == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    url = f"/api/v1/response/petitions/{petition['id']}"
    reviewer = _headers(db, world.approver)
    assert client.get(url, headers=enterprise).status_code == 200
    assert client.get(url, headers=_headers(db, world.ent2_user)).status_code == 404
    assert client.get(url, headers=_headers(db, world.other_officer)).status_code == 404
    listed = client.get("/api/v1/response/petitions", headers=reviewer).json()["items"]
    assert [p["id"] for p in listed] == [petition["id"]]
    assert client.post(f"{url}/decide", json={"accept": True, "note": ""},
                       headers=reviewer).status_code == 422
    assert client.post(f"{url}/decide", json={"accept": True, "note": "同意"},
                       headers=enterprise).status_code == 403
    decided = client.post(f"{url}/decide", json={"accept": True, "note": "同意"},
                          headers=reviewer)
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert client.post(f"{url}/decide", json={"accept": False, "note": "再议"},
                       headers=reviewer).status_code == 409
    db.expire_all()
    assert world.enterprise.uscc not in db.get(ControlRule, rule.id).enterprise_codes


def test_petition_pages(client, db, settings, tmp_path):
    settings.attachments_dir = tmp_path
    world = build_world(db, settings)
    warning = make_published_warning(world, level="I")
    db.commit()
    csrf = sign_in(client, world.ent_user.username)
    page = client.get("/console/my-petitions")
    assert page.status_code == 200 and warning.number in page.text
    no_file = client.post("/console/my-petitions", data={
        "csrf_token": csrf, "warning_id": str(warning.id), "body": "检测合格"})
    assert no_file.status_code == 422
    sent = client.post("/console/my-petitions", data={
        "csrf_token": csrf, "warning_id": str(warning.id), "body": "检测合格",
        "clean_consignments": "2"}, files=[("evidence", PDF)], follow_redirects=False)
    assert sent.status_code == 303, sent.text
    location = sent.headers["location"]
    assert client.get(location).status_code == 200
    petition_id = location.rsplit("/", 1)[1]
    client.post("/logout", data={"csrf_token": csrf})
    csrf = sign_in(client, world.approver.username)
    assert petition_id in client.get("/console/petitions").text
    page = client.get(f"/console/petitions/{petition_id}")
    assert page.status_code == 200 and "lab.pdf" in page.text
    evidence = client.get(f"/console/petitions/{petition_id}/evidence/1")
    assert evidence.status_code == 200 and evidence.content.startswith(b"%PDF")
    bad = client.post(f"/console/petitions/{petition_id}/decide",
                      data={"csrf_token": csrf, "decision": "reject", "note": ""})
    assert bad.status_code == 422
    done = client.post(f"/console/petitions/{petition_id}/decide", data={
        "csrf_token": csrf, "decision": "reject", "note": "证据不足"}, follow_redirects=False)
    assert done.status_code == 303
