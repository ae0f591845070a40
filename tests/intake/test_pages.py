"""The console's import pages: upload with preview, dry run and import; correction; profiles."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from riskgate.core.permissions import Role
from riskgate.intake.models import ImportBatch, ImportProfile
from riskgate.records.models import RiskRecord
from tests.factories import make_org, make_user, sign_in
from tests.intake.conftest import FIXTURES


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(model)).scalar_one()


def _signed_in(client, db, settings, language="zh-CN"):  # type: ignore[no-untyped-def]
    organisation = make_org(db, name_zh="甲海关")
    user = make_user(db, settings, organisation, Role.RISK_OFFICER, language=language)
    db.commit()
    return {"X-CSRF-Token": sign_in(client, user.username)}


def test_upload_preview_dry_run_import_and_correct(client, db, settings):
    headers = _signed_in(client, db, settings)
    assert "文件导入" in client.get("/console/imports").text
    bad = (FIXTURES / "rasff_bad_values.csv").read_bytes()

    def step(name: str):  # type: ignore[no-untyped-def]
        return client.post("/console/imports", headers=headers, data={"profile": "rasff",
                           "step": name}, files={"file": ("bad.csv", bad)},
                           follow_redirects=False)  # fmt: skip

    shown = step("preview")
    assert shown.status_code == 200 and "不是可能存在的日期" in shown.text
    trial = step("dry-run")
    assert trial.status_code == 200 and "未保存任何数据" in trial.text
    assert _count(db, ImportBatch) == 0
    done = step("import")
    assert done.status_code == 303
    page = client.get(done.headers["location"].split("#")[0])
    assert page.status_code == 200 and "Feb 30, 2024" in page.text
    row_id = re.search(r'action="/console/imports/\d+/rows/(\d+)"', page.text)[1]
    batch_id = int(re.search(r"/console/imports/(\d+)", done.headers["location"])[1])
    fixed = client.post(f"/console/imports/{batch_id}/rows/{row_id}", headers=headers, data={
        "column": ["Date of Case"], "value": ["Feb 28, 2024"], "reason": "typo"},
        follow_redirects=False)  # fmt: skip
    assert fixed.status_code == 303
    db.rollback()  # a fresh snapshot
    assert _count(db, RiskRecord) == 2
    report = client.get(f"/console/imports/{batch_id}/report.csv")
    assert report.status_code == 200 and "line_number" in report.text
    template = client.get("/console/imports/template.xlsx")
    assert template.content[:2] == b"PK"


def test_refused_file_shows_the_reason_in_english(client, db, settings):
    headers = _signed_in(client, db, settings, language="en")
    response = client.post("/console/imports", headers={**headers, "Accept-Language": "en"},
                           data={"profile": "rasff", "step": "import"},
                           files={"file": ("e.csv", b"")})  # fmt: skip
    assert response.status_code == 422 and "The file is empty." in response.text
    assert _count(db, ImportBatch) == 0


def test_profile_from_the_columns_of_a_sample(client, db, settings):
    headers = _signed_in(client, db, settings)
    sample = b"No,Goods,Finding\nX-1,Tea,residue\n"
    columns = client.post("/console/import-profiles/columns", headers=headers,
                          data={"format": "csv"}, files={"file": ("s.csv", sample)})
    assert columns.status_code == 200
    assert all(f'name="column" value="{c}"' in columns.text for c in ("No", "Goods", "Finding"))
    saved = client.post("/console/import-profiles", headers=headers, follow_redirects=False,
                        data={"name": "tea_lab", "format": "csv", "source_channel": "lab_result",
                              "column": ["No", "Goods", "Finding"],
                              "target": ["external_reference", "product_name", "title"]})
    assert saved.status_code == 303, saved.text
    db.rollback()
    assert db.execute(select(ImportProfile.mapping)).scalar_one() == {
        "No": "external_reference", "Goods": "product_name", "Finding": "title"}
    assert "tea_lab" in client.get("/console/imports/new").text
    missing = client.post("/console/import-profiles", headers=headers,
                          data={"name": "x", "column": ["No"], "target": [""]})
    assert missing.status_code == 422 and "至少" in missing.text
