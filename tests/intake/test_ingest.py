"""Importing the three real feeds and the malformed files: nothing lost, nothing doubled."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from riskgate.audit.models import AuditEntry
from riskgate.audit.service import verify_chain
from riskgate.core.errors import translate
from riskgate.intake.service import (
    ImportRefused,
    quarantined_rows,
    report_csv,
    reprocess_row,
)
from riskgate.records.models import RecordEnterprise, RiskRecord
from tests.intake.conftest import FIXTURES, SHARED_DATA, balanced, ingest


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize(
    ("name", "profile", "rows"),
    [
        ("rasff_sample.csv", "rasff", 200),
        ("safety_gate_sample.csv", "safety_gate", 120),
        ("cpsc_sample.json", "cpsc", 63),
    ],
)
def test_feed_samples_import_completely_and_reimport_changes_nothing(
    db, owner, name, profile, rows
):
    first = ingest(db, owner, name, profile)
    assert (first.rows_read, first.imported, first.quarantined) == (rows, rows, 0)
    stored = _count(db, RiskRecord)
    second = ingest(db, owner, name, profile)
    assert (second.rows_read, second.imported, second.duplicates) == (rows, 0, rows)
    assert _count(db, RiskRecord) == stored
    audits = db.execute(select(AuditEntry).where(AuditEntry.action == "import.batch")).scalars()
    assert [a.object_id for a in audits] == [str(first.id), str(second.id)]  # one per batch
    assert verify_chain(db).ok


def test_rasff_fields_are_normalised(db, owner):
    ingest(db, owner, "rasff_sample.csv", "rasff")
    record = db.execute(
        select(RiskRecord).where(RiskRecord.external_reference == "2024.8046")
    ).scalar_one()
    assert record.occurred_on.isoformat() == "2024-10-30"
    assert (record.notifying_country, record.origin_country) == ("IT", "IE")
    assert (record.hazard_class, record.hazard_type) == ("biological", "pathogenic_microorganisms")
    assert record.source_channel == "feed_rasff"
    assert record.raw_payload.startswith('"Oct 30, 2024",2024.8046,Italy,Ireland')
    assert record.record_number.startswith("RR-") and len(record.record_number) == 14


def test_safety_gate_keeps_every_risk_type(db, owner):
    ingest(db, owner, "safety_gate_sample.csv", "safety_gate")
    record = db.execute(
        select(RiskRecord).where(RiskRecord.external_reference == "A12/00017/20")
    ).scalar_one()
    assert record.hazard_types == ["fire", "injuries"]
    assert record.origin_country == "GB" and record.brand == "Bentley"


def test_cpsc_products_injuries_and_enterprises(db, owner):
    ingest(db, owner, "cpsc_sample.json", "cpsc")
    record = db.execute(
        select(RiskRecord).where(RiskRecord.external_reference == "24726")
    ).scalar_one()
    assert record.hazard_type == "strangulation" and record.origin_country == "KR"
    assert record.quantity == "About 9,500" and record.injuries_count == 0
    assert record.notifying_country == "US" and "Refund" in record.measures_taken
    roles = {e.role for e in record.enterprises}
    assert roles == {"importer", "retailer"}
    # The records that came through a CSV round-trip (Python-repr lists) import too.
    assert (
        db.execute(select(RiskRecord).where(RiskRecord.external_reference == "25016"))
        .scalar_one()
        .product_name
    )
    assert _count(db, RecordEnterprise) > 60


def test_duplicate_rows_within_a_file_count_as_duplicates(db, owner):
    batch = ingest(db, owner, "rasff_duplicates.csv", "rasff")
    assert (batch.rows_read, batch.imported, batch.duplicates) == (7, 5, 2)


def test_missing_columns_refuse_the_whole_file(db, owner):
    with pytest.raises(ImportRefused) as refused:
        ingest(db, owner, "rasff_missing_columns.csv", "rasff")
    db.rollback()
    text = refused.value.translated("en")
    assert "Reference, Product" in text and "Date of Case" in text
    assert "缺少" in refused.value.translated("zh-CN")
    assert _count(db, RiskRecord) == 0


@pytest.mark.parametrize("name", ["empty.csv", "header_only_blank.csv"])
def test_empty_files_are_refused(db, owner, name):
    with pytest.raises(ImportRefused) as refused:
        ingest(db, owner, name, "rasff")
    assert refused.value.message == "The file is empty."


def test_extra_columns_are_ignored_and_reported_once(db, owner):
    batch = ingest(db, owner, "rasff_extra_columns.csv", "rasff")
    assert batch.ignored_columns == ["Remarks", "Internal id"]
    assert batch.imported == 4


def test_bad_values_are_quarantined_with_their_problems(db, owner):
    batch = ingest(db, owner, "rasff_bad_values.csv", "rasff")
    assert (batch.imported, batch.quarantined) == (1, 3) and balanced(batch)
    rows = quarantined_rows(db, batch)
    assert [r.line_number for r in rows] == [2, 3, 4]
    problems = {(r.line_number, p["field"], p["message"]) for r in rows for p in r.problems}
    assert (2, "Date of Case", "{value} is not a possible date.") in problems
    assert (3, "Country Origin", "Unknown country: {value}.") in problems
    assert {p[1] for p in problems if p[0] == 4} == {"Date of Case", "Notification From"}
    assert rows[0].raw_content.startswith('"Feb 30, 2024"')
    first = rows[0].problems[0]
    assert (
        translate(first["message"], "zh-CN", first["params"]) == "Feb 30, 2024 不是可能存在的日期。"
    )


def test_truncated_csv_keeps_the_broken_row_verbatim(db, owner):
    batch = ingest(db, owner, "rasff_truncated.csv", "rasff")
    assert balanced(batch) and batch.quarantined == 1 and batch.imported == 5
    (row,) = quarantined_rows(db, batch)
    assert (FIXTURES / "rasff_truncated.csv").read_text(encoding="utf-8").endswith(row.raw_content)
    assert "broken quoting" in row.problems[0]["message"]


def test_gbk_file_with_chinese_values(db, owner):
    batch = ingest(db, owner, "riskgate_gbk.csv", "riskgate_csv")
    assert batch.encoding == "gb18030" and balanced(batch)
    assert (batch.imported, batch.quarantined) == (2, 3)
    toy = db.execute(
        select(RiskRecord).where(RiskRecord.external_reference == "CIQ-2026-0001")
    ).scalar_one()
    assert (toy.hs_code, toy.origin_country, toy.hazard_class) == ("950300", "VN", "chemical")
    assert toy.title == "进口儿童玩具邻苯二甲酸酯超标" and toy.trade_direction == "import"
    heater = db.execute(
        select(RiskRecord).where(RiskRecord.external_reference == "12315-2026-88")
    ).scalar_one()
    assert heater.occurred_on.isoformat() == "2026-03-05" and heater.injuries_count == 1
    fields = {p["field"] for r in quarantined_rows(db, batch) for p in r.problems}
    assert {"occurred_on", "hs_code", "origin_country", "source_channel"} <= fields
    assert {"trade_direction", "injuries_count"} <= fields
    # The same rows in UTF-8 are the same records.
    again = ingest(db, owner, "riskgate_utf8.csv", "riskgate_csv")
    assert (again.encoding, again.imported, again.duplicates) == ("utf-8", 0, 2)


def test_json_with_wrong_types(db, owner):
    batch = ingest(db, owner, "cpsc_wrong_types.json", "cpsc")
    assert balanced(batch) and (batch.imported, batch.quarantined) == (1, 4)
    rows = quarantined_rows(db, batch)
    assert [r.line_number for r in rows] == [1, 2, 3, 4]
    assert rows[0].problems[0]["field"] == "Products"
    assert rows[1].problems[0]["field"] == "Title"
    assert rows[2].problems[0]["message"] == "{value} is not a possible date."
    assert rows[3].raw_content == "42" and rows[3].fields is None


def test_truncated_json(db, owner):
    batch = ingest(db, owner, "cpsc_truncated.json", "cpsc")
    assert balanced(batch) and batch.quarantined == 1 and batch.imported >= 2


def test_correcting_a_quarantined_row(db, owner):
    batch = ingest(db, owner, "rasff_bad_values.csv", "rasff")
    rows = quarantined_rows(db, batch)
    still_bad = reprocess_row(
        db, owner.actor, batch.id, rows[0].id, {"Date of Case": "Feb 31, 2024"}
    )
    assert still_bad.status == "open" and batch.quarantined == 3
    fixed = reprocess_row(
        db,
        owner.actor,
        batch.id,
        rows[0].id,
        {"Date of Case": "Feb 28, 2024"},
        reason="typo in the source",
    )
    db.commit()
    assert fixed.status == "resolved" and fixed.record_id is not None
    assert (batch.imported, batch.quarantined) == (2, 2) and balanced(batch)
    record = db.get(RiskRecord, fixed.record_id)
    assert record.occurred_on.isoformat() == "2024-02-28" and record.import_batch_id == batch.id
    actions = db.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions.count("import.quarantine_reprocess") == 2


def test_report_lists_every_problem(db, owner):
    batch = ingest(db, owner, "rasff_bad_values.csv", "rasff")
    text = "".join(report_csv(db, owner.actor, batch.id, "zh-CN"))
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = lines.index(["line_number", "status", "field", "problem", "raw_content"])
    body = lines[header + 1 :]
    assert len(body) == 4 and {line[0] for line in body} == {"2", "3", "4"}
    assert any("未知国家或地区" in line[3] for line in body)


FULL_FILES = [
    ("rasff_2020_2024/rasff_2020_to_2024-10-30.csv", "rasff", 21871),
    ("eu_safety_gate_sample/safety_gate_alerts.csv", "safety_gate", 353),
    ("cpsc_recalls/cpsc_recalls_2023-12_2026-04.json", "cpsc", 902),
]


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_DATA.exists(), reason="the shared data folder is absent")
def test_full_real_files_lose_nothing_and_reimport_changes_nothing(db, owner):
    for relative, profile, rows in FULL_FILES:
        batch = ingest(db, owner, "", profile, path=SHARED_DATA / relative)
        assert batch.rows_read == rows and balanced(batch), relative
        assert batch.imported == rows, (relative, batch.counts())
    total = _count(db, RiskRecord)
    assert total == sum(rows for _r, _p, rows in FULL_FILES)
    for relative, profile, rows in FULL_FILES:
        again = ingest(db, owner, "", profile, path=SHARED_DATA / relative)
        assert (again.imported, again.duplicates, again.quarantined) == (0, rows, 0)
    assert _count(db, RiskRecord) == total


def test_cli_import_prints_a_summary_and_refuses_bad_files(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "RISKGATE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def riskgate(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "riskgate.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert riskgate("db", "upgrade").returncode == 0
    assert riskgate("load-demo").returncode == 0
    sample = str(FIXTURES / "safety_gate_sample.csv")
    done = riskgate("import", sample, "--profile", "safety_gate", "--organisation", "GACC")
    assert done.returncode == 0, done.stderr
    assert "imported" in done.stdout and "120" in done.stdout
    again = riskgate("import", sample, "--profile", "safety_gate")
    assert again.returncode == 0 and "duplicates" in again.stdout
    trial = riskgate("import", str(FIXTURES / "rasff_bad_values.csv"), "--profile", "rasff",
                     "--dry-run")  # fmt: skip
    assert trial.returncode == 0 and "would import" in trial.stdout and "line 2" in trial.stdout
    workbook = tmp_path / "template.xlsx"
    from riskgate.intake.template import build_template

    workbook.write_bytes(build_template())
    empty = riskgate("import", str(workbook), "--profile", "unit_template")
    assert empty.returncode == 0 and "rows_read" in empty.stdout
    refused = riskgate("import", str(FIXTURES / "empty.csv"), "--profile", "rasff")
    assert refused.returncode == 1 and "The file is empty." in refused.stderr


def test_nul_bytes_are_quarantined_and_stored_on_every_database(db, owner, tmp_path):
    source = (FIXTURES / "rasff_extra_columns.csv").read_bytes()
    broken = tmp_path / "nul.csv"
    broken.write_bytes(source.replace(b"Italy", b"It\x00aly", 1))
    batch = ingest(db, owner, "", "rasff", path=broken)
    assert balanced(batch) and batch.rows_read == 4
    for row in quarantined_rows(db, batch):
        assert "\x00" not in row.raw_content
