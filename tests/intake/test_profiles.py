"""Saved import profiles (custom column mappings), XML files, preview and dry run."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from riskgate.audit.models import AuditEntry
from riskgate.core.errors import NotFound, ValidationFailed
from riskgate.core.permissions import Role
from riskgate.identity.auth_service import actor_for
from riskgate.intake import profile_service
from riskgate.intake.models import ImportBatch, QuarantinedRow
from riskgate.intake.service import ImportRefused, quarantined_rows, reprocess_row
from riskgate.intake.trial import dry_run, preview
from riskgate.records.models import RiskRecord
from tests.factories import make_org, make_user
from tests.intake.conftest import FIXTURES, balanced, ingest


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(model)).scalar_one()


LAB_CSV = (
    "Sample no;Date;Goods;Trade mark;Origin;Tariff code;Finding\n"
    "L-1;05.03.2026;Green tea;Longjing;China;0902;pesticide residue\n"
    "L-2;06.03.2026;Coffee;Brand;Brazil;901;ochratoxin\n"
    "L-3;2026-03-07;Cocoa;Brand;Ghana;1801;\n"
)
LAB_MAPPING = {
    "Sample no": "external_reference", "Date": "occurred_on", "Goods": "product_name",
    "Trade mark": "brand", "Origin": "origin_country", "Tariff code": "hs_code",
    "Finding": "hazard_substance",
}  # fmt: skip


def _lab_profile(db, owner, **extra):  # type: ignore[no-untyped-def]
    data = {
        "name": "lab_results", "format": "csv", "source_channel": "lab_result",
        "mapping": {**LAB_MAPPING, "Goods": "product_name"},
        "constants": {"title": "Lab finding", "trade_direction": "import"},
        "date_format": "%d.%m.%Y", **extra,
    }
    saved = profile_service.create_profile(db, owner.actor, data)
    db.commit()
    return saved


def _semicolons(text: str) -> bytes:
    return text.replace(";", ",").encode()


def test_custom_profile_maps_columns_constants_and_date_format(db, owner, tmp_path):
    _lab_profile(db, owner, restore_hs_zeros=True)
    path = tmp_path / "lab.csv"
    path.write_bytes(_semicolons(LAB_CSV))
    batch = ingest(db, owner, "", "lab_results", path=path)
    assert (batch.profile, batch.imported, batch.quarantined) == ("lab_results", 2, 1)
    tea = db.execute(select(RiskRecord).where(RiskRecord.external_reference == "L-1")).scalar_one()
    assert (tea.source_channel, tea.title) == ("lab_result", "Lab finding")
    assert tea.origin_country == "CN"
    assert tea.occurred_on.isoformat() == "2026-03-05" and tea.trade_direction == "import"
    coffee = db.execute(select(RiskRecord).where(RiskRecord.external_reference == "L-2")).one()
    assert coffee[0].hs_code == "0901"  # the profile asked for the leading zero back
    (bad,) = quarantined_rows(db, batch)
    assert bad.problems[0]["field"] == "Date"  # the file's own column, not occurred_on
    fixed = reprocess_row(db, owner.actor, batch.id, bad.id, {"Date": "07.03.2026"}, "format")
    assert fixed.status == "resolved" and balanced(batch)


def test_without_restoring_zeros_the_lost_zero_is_reported(db, owner, tmp_path):
    _lab_profile(db, owner)
    path = tmp_path / "lab.csv"
    path.write_bytes(_semicolons(LAB_CSV))
    batch = ingest(db, owner, "", "lab_results", path=path)
    problems = [p for r in quarantined_rows(db, batch) for p in r.problems]
    assert any(p["field"] == "Tariff code" and "leading zero" in p["params"]["problem"]
               for p in problems)  # fmt: skip


def test_profile_settings_are_validated(db, owner):
    with pytest.raises(ValidationFailed) as failed:
        profile_service.create_profile(db, owner.actor, {
            "name": "rasff", "format": "pdf", "mapping": {"A": "nonsense"},
            "date_format": "%Q", "encoding": "klingon",
        })  # fmt: skip
    fields = {p.loc for p in failed.value.fields}
    assert {"name", "format", "mapping", "date_format", "encoding", "source_channel"} <= fields
    with pytest.raises(ValidationFailed) as failed:
        profile_service.create_profile(db, owner.actor, {
            "name": "x_xml", "format": "xml", "source_channel": "lab_result",
            "mapping": {"a": "title", "b": "product_name"},
        })  # fmt: skip
    assert [p.loc for p in failed.value.fields] == ["record_path"]


def test_profiles_are_scoped_audited_and_deleted_softly(db, owner, settings, tmp_path):
    saved = _lab_profile(db, owner)
    other_org = make_org(db, name_zh="广州海关")
    stranger = actor_for(make_user(db, settings, other_org, Role.RISK_OFFICER), "en")
    db.commit()
    with pytest.raises(NotFound):
        profile_service.get_profile(db, stranger, saved.id)
    with pytest.raises(ValidationFailed):
        profile_service.profile_named("lab_results", db, stranger)
    assert "lab_results" in dict(profile_service.profile_choices(db, owner.actor))
    profile_service.update_profile(
        db, owner.actor, saved.id, {"constants": {"title": "Laboratory"}}, "wording"
    )
    path = tmp_path / "lab.csv"
    path.write_bytes(_semicolons(LAB_CSV))
    batch = ingest(db, owner, "", "lab_results", path=path)
    profile_service.delete_profile(db, owner.actor, saved.id, "no longer used")
    db.commit()
    assert "lab_results" not in dict(profile_service.profile_choices(db, owner.actor))
    with pytest.raises(ValidationFailed):
        ingest(db, owner, "", "lab_results", path=path)
    db.rollback()
    # The batch's quarantined row can still be corrected through the deleted profile.
    bad = next(r for r in quarantined_rows(db, batch) if r.problems[0]["field"] == "Date")
    assert reprocess_row(db, owner.actor, batch.id, bad.id, {"Date": "07.03.2026"}).record_id
    actions = db.execute(
        select(AuditEntry.action).where(AuditEntry.object_type == "import_profile")
    ).scalars().all()
    assert actions == ["import.profile_create", "import.profile_update", "import.profile_delete"]


NOTICES_XML = """<?xml version="1.0" encoding="UTF-8"?>
<notices xmlns="urn:example:notices">
  <notice id="N-1"><title>Toy with lead paint</title><product><name>Toy car</name></product>
    <country>China</country><date>2026-01-05</date></notice>
  <notice id="N-2"><title>Heater fire</title><product><name>Heater</name></product>
    <country>Atlantis</country><date>2026-01-06</date></notice>
</notices>
"""


def _xml_profile(db, owner):  # type: ignore[no-untyped-def]
    profile_service.create_profile(db, owner.actor, {
        "name": "notices_xml", "format": "xml", "record_path": "notice",
        "source_channel": "foreign_notice",
        "mapping": {"@id": "external_reference", "title": "title",
                    "product/name": "product_name", "country": "origin_country",
                    "date": "occurred_on"},
    })  # fmt: skip
    db.commit()


def test_xml_records_through_a_saved_profile(db, owner, tmp_path):
    _xml_profile(db, owner)
    path = tmp_path / "n.xml"
    path.write_text(NOTICES_XML, encoding="utf-8")
    batch = ingest(db, owner, "", "notices_xml", path=path)
    assert (batch.rows_read, batch.imported, batch.quarantined) == (2, 1, 1)
    record = db.execute(select(RiskRecord).where(RiskRecord.external_reference == "N-1")).one()
    assert record[0].product_name == "Toy car" and record[0].origin_country == "CN"
    (bad,) = quarantined_rows(db, batch)
    assert bad.raw_content.startswith("<ns0:notice") and bad.problems[0]["field"] == "country"
    fixed = reprocess_row(db, owner.actor, batch.id, bad.id, {"country": "Greece"})
    assert fixed.status == "resolved"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         "<notices><notice><title>&x;</title></notice></notices>", "DTD"),
        ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
         "<notices><notice><title>&b;</title></notice></notices>", "DTD"),
        ("<notices><other/></notices>", "no <notice> record"),
        ("", "The file is empty."),
        ("<notices><notice><title>cut", "cannot be read"),
    ],
)  # fmt: skip
def test_bad_xml_is_refused(db, owner, tmp_path, content, expected):
    _xml_profile(db, owner)
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        ingest(db, owner, "", "notices_xml", path=path)
    assert expected in refused.value.translated("en")
    db.rollback()
    assert _count(db, RiskRecord) == 0


def test_xml_truncated_after_some_records_keeps_them_and_reports_the_rest(db, owner, tmp_path):
    _xml_profile(db, owner)
    path = tmp_path / "cut.xml"
    path.write_text(NOTICES_XML[: NOTICES_XML.index("Heater")], encoding="utf-8")
    batch = ingest(db, owner, "", "notices_xml", path=path)
    assert (batch.imported, batch.quarantined) == (1, 1) and balanced(batch)
    assert "truncated" in quarantined_rows(db, batch)[0].problems[0]["message"]


def test_json_profile_with_a_path(db, owner, tmp_path):
    profile_service.create_profile(db, owner.actor, {
        "name": "api_dump", "format": "json", "record_path": "data.items",
        "source_channel": "public_opinion",
        "mapping": {"ref": "external_reference", "headline": "title", "what": "product_name"},
    })  # fmt: skip
    path = tmp_path / "d.json"
    path.write_text('{"data": {"items": [{"ref": "P1", "headline": "h", "what": "w"}, 3]}}')
    batch = ingest(db, owner, "", "api_dump", path=path)
    assert (batch.imported, batch.quarantined) == (1, 1)


def test_preview_and_dry_run_store_nothing_and_predict_the_import(db, owner):
    source = FIXTURES / "rasff_bad_values.csv"
    shown = preview(db, owner.actor, profile_name="rasff", binary=io.BytesIO(source.read_bytes()),
                    limit=2)  # fmt: skip
    assert [r.line_number for r in shown.rows] == [2, 3] and shown.columns[0] == "Date of Case"
    assert shown.rows[0].problems[0]["field"] == "Date of Case"
    ingest(db, owner, "rasff_duplicates.csv", "rasff")
    records, batches = _count(db, RiskRecord), _count(db, ImportBatch)
    audits = _count(db, AuditEntry)
    duplicates = (FIXTURES / "rasff_duplicates.csv").read_bytes()
    trial = dry_run(db, owner.actor, profile_name="rasff", binary=io.BytesIO(duplicates),
                    file_name="again.csv")  # fmt: skip
    assert (trial.rows_read, trial.imported, trial.duplicates) == (7, 0, 7)
    fresh = dry_run(db, owner.actor, profile_name="rasff",
                    binary=io.BytesIO(source.read_bytes()), file_name="bad.csv")  # fmt: skip
    assert (fresh.rows_read, fresh.quarantined) == (4, 3) and len(fresh.problems) == 3
    db.commit()
    assert (_count(db, RiskRecord), _count(db, ImportBatch)) == (records, batches)
    assert _count(db, AuditEntry) == audits and _count(db, QuarantinedRow) == 0
    real = ingest(db, owner, "rasff_bad_values.csv", "rasff")
    assert (real.imported, real.duplicates, real.quarantined) == (
        fresh.imported, fresh.duplicates, fresh.quarantined)


def test_dry_run_counts_duplicates_within_the_file_across_chunks(db, owner, tmp_path, monkeypatch):
    from riskgate.intake import service

    monkeypatch.setattr(service, "CHUNK", 3)  # the duplicates fall in different chunks
    content = (FIXTURES / "rasff_duplicates.csv").read_bytes()
    trial = dry_run(db, owner.actor, profile_name="rasff", binary=io.BytesIO(content),
                    file_name="d.csv")  # fmt: skip
    assert (trial.imported, trial.duplicates) == (5, 2)
    assert _count(db, RiskRecord) == 0
