"""The import API with bad input: every case answers a specific 4xx problem (zh-CN and en) or a
balanced batch, never a 500; preview and dry run store nothing; saved profiles over HTTP."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from riskgate.core.permissions import Role
from riskgate.intake.models import ImportBatch
from riskgate.records.models import RiskRecord
from tests.factories import auth_headers, make_org, make_user, token_for
from tests.intake.conftest import FIXTURES


@pytest.fixture
def officer(db, settings):  # type: ignore[no-untyped-def]
    organisation = make_org(db, name_zh="甲海关")
    user = make_user(db, settings, organisation, Role.RISK_OFFICER)
    raw = token_for(db, user)
    db.commit()
    return raw


def _post(client, token, path, name, content, profile="rasff", language="en", **data):  # type: ignore[no-untyped-def]
    return client.post(
        path, files={"file": (name, content)}, data={"profile": profile, **data},
        headers=auth_headers(token, language),
    )  # fmt: skip


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(model)).scalar_one()


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RASFF = (FIXTURES / "rasff_sample.csv").read_bytes()
REFUSED = [
    ("empty.csv", b"", "rasff", "The file is empty.", "空"),
    ("header.csv", RASFF.split(b"\n")[0] + b"\n", "rasff", None, None),
    ("missing.csv", (FIXTURES / "rasff_missing_columns.csv").read_bytes(), "rasff",
     "Required columns are missing", "缺少"),
    ("cut.xlsx", _xlsx([["a"], *[[str(i) * 40] for i in range(3000)]])[:4000], "unit_template",
     "damaged or truncated", "损坏"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unit_template", ".xls",
     ".xls"),
    ("x.json", b"<not json>", "cpsc", "not a JSON array", None),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "profile", "english", "chinese"), REFUSED)
def test_refused_files_answer_a_specific_problem(
    client, db, officer, name, content, profile, english, chinese
):
    for path in ("/api/v1/imports", "/api/v1/imports/dry-run", "/api/v1/imports/preview"):
        response = _post(client, officer, path, name, content, profile)
        if english is None:  # header only: an empty batch, not an error
            assert response.status_code in (200, 201), response.text
            assert response.json().get("rows_read", 0) == 0
            continue
        assert response.status_code == 422, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert english in response.json()["detail"]
        if chinese:
            zh = _post(client, officer, path, name, content, profile, language="zh-CN")
            assert chinese in zh.json()["detail"]
    assert _count(db, RiskRecord) == 0


def test_bad_rows_over_http_are_reported_per_line(client, db, officer):
    gbk = (FIXTURES / "riskgate_gbk.csv").read_bytes()
    done = _post(client, officer, "/api/v1/imports", "g.csv", gbk, "riskgate_csv", "zh-CN")
    assert done.status_code == 201
    batch = done.json()
    assert batch["encoding"] == "gb18030" and batch["quarantined"] == 3
    detail = client.get(f"/api/v1/imports/{batch['id']}", headers=auth_headers(officer, "zh-CN"))
    rows = detail.json()["quarantined_rows"]
    assert all(r["line_number"] > 1 and r["problems"] for r in rows)
    assert any("商品编码" in p["message"] or "HS" in p["message"]
               for r in rows for p in r["problems"])  # fmt: skip


def test_preview_and_dry_run_over_http_store_nothing(client, db, officer):
    bad = (FIXTURES / "rasff_bad_values.csv").read_bytes()
    shown = _post(client, officer, "/api/v1/imports/preview", "b.csv", bad, rows="2")
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert [r["line_number"] for r in body["rows"]] == [2, 3]
    assert body["rows"][0]["problems"][0]["msgid"] == "{value} is not a possible date."
    trial = _post(client, officer, "/api/v1/imports/dry-run", "b.csv", bad)
    assert trial.status_code == 200, trial.text
    assert (trial.json()["imported"], trial.json()["quarantined"]) == (1, 3)
    assert (_count(db, RiskRecord), _count(db, ImportBatch)) == (0, 0)
    real = _post(client, officer, "/api/v1/imports", "b.csv", bad)
    assert (real.json()["imported"], real.json()["quarantined"]) == (1, 3)


def test_template_download_and_round_trip_over_http(client, db, officer):
    response = client.get("/api/v1/imports/template.xlsx", headers=auth_headers(officer))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    row = {"来源渠道": "hotline_12315", "标题": "电暖器起火", "产品名称": "电暖器",
           "本单位编号": "API-1", "贸易方向": "国内"}  # fmt: skip
    for header, value in row.items():
        sheet.cell(row=2, column=headers.index(header) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    done = _post(client, officer, "/api/v1/imports", "q.xlsx", buffer.getvalue(), "unit_template")
    assert done.status_code == 201, done.text
    assert (done.json()["imported"], done.json()["encoding"]) == (1, "xlsx")


def test_xml_with_xxe_is_refused_over_http(client, db, officer):
    created = client.post("/api/v1/import-profiles", headers=auth_headers(officer), json={
        "name": "xml_notices", "format": "xml", "record_path": "notice",
        "source_channel": "foreign_notice", "mapping": {"t": "title", "p": "product_name"},
    })  # fmt: skip
    assert created.status_code == 201, created.text
    xxe = (b'<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<ns><notice><t>&x;</t><p>x</p></notice></ns>")  # fmt: skip
    response = _post(client, officer, "/api/v1/imports", "n.xml", xxe, "xml_notices")
    assert response.status_code == 422 and "DTD" in response.json()["detail"]
    assert "root:" not in response.text


def test_saved_profiles_over_http(client, db, settings, officer):
    headers = auth_headers(officer)
    body = {"name": "lab_csv", "format": "csv", "source_channel": "lab_result",
            "mapping": {"No": "external_reference", "Goods": "product_name", "Goods2": "title"}}
    created = client.post("/api/v1/import-profiles", json=body, headers=headers)
    assert created.status_code == 201, created.text
    profile_id = created.json()["id"]
    again = client.post("/api/v1/import-profiles", json=body, headers=headers)
    assert again.status_code == 409
    bad = client.post("/api/v1/import-profiles", headers=headers, json={
        **body, "name": "lab2", "mapping": {"No": "not_a_field"}})  # fmt: skip
    assert bad.status_code == 422
    changed = client.patch(f"/api/v1/import-profiles/{profile_id}", headers=headers,
                           json={"date_format": "%d.%m.%Y", "reason": "German dates"})
    assert changed.status_code == 200 and changed.json()["date_format"] == "%d.%m.%Y"
    listed = client.get("/api/v1/import-profiles", headers=headers).json()["items"]
    assert [p["name"] for p in listed] == ["lab_csv"]
    outsider = make_user(db, settings, make_org(db, name_zh="丙海关"), Role.RISK_OFFICER)
    other = auth_headers(token_for(db, outsider))
    db.commit()
    assert client.get(f"/api/v1/import-profiles/{profile_id}", headers=other).status_code == 404
    assert client.get("/api/v1/import-profiles", headers=other).json()["items"] == []
    csv = b"No,Goods,Goods2\nX-1,Tea,Tea finding\n"
    refused = _post(client, outsider_token(db, outsider), "/api/v1/imports", "l.csv", csv,
                    "lab_csv")  # fmt: skip
    assert refused.status_code == 422
    done = _post(client, officer, "/api/v1/imports", "l.csv", csv, "lab_csv")
    assert done.status_code == 201 and done.json()["imported"] == 1
    deleted = client.delete(f"/api/v1/import-profiles/{profile_id}", headers=headers)
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/import-profiles/{profile_id}", headers=headers).status_code == 404


def outsider_token(db, user) -> str:  # type: ignore[no-untyped-def]
    raw = token_for(db, user)
    db.commit()
    return raw


def test_a_zip_bomb_upload_is_refused(client, officer):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (40 * 1024 * 1024))
    response = _post(client, officer, "/api/v1/imports", "b.xlsx", bomb.getvalue(),
                     "unit_template")  # fmt: skip
    assert response.status_code == 422 and "zip bomb" in response.json()["detail"]
