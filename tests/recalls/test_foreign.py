"""Foreign recalls from the real CPSC sample: one per record, none twice on re-import."""

from __future__ import annotations

from sqlalchemy import func, select

from riskgate.recalls.enums import RecallOrigin, RecallStatus
from riskgate.recalls.foreign import import_foreign_recalls, remedies_from, units_from
from riskgate.recalls.models import Recall
from riskgate.records.models import RiskRecord
from tests.intake.conftest import ingest, owner  # noqa: F401  (fixture)


def _count(db) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(Recall)).scalar_one()


def test_every_cpsc_record_becomes_a_foreign_recall_once(db, owner):  # noqa: F811
    ingest(db, owner, "cpsc_sample.json", "cpsc")
    records = db.execute(select(func.count()).select_from(RiskRecord)).scalar_one()
    assert records == 63 and _count(db) == 63
    recall = db.execute(select(Recall).join(RiskRecord, Recall.record_id == RiskRecord.id)
                        .where(RiskRecord.external_reference == "24726")).scalar_one()
    assert recall.origin == RecallOrigin.foreign and recall.country == "US"
    assert recall.status == RecallStatus.in_progress and recall.public
    assert recall.units_affected == 9500 and recall.remedies == ["refund"]
    assert recall.source_url.startswith("https://www.cpsc.gov/Recalls/2024/Foiresoft")
    assert recall.number.startswith("RCL-") and recall.organisation_id == owner.organisation.id
    ingest(db, owner, "cpsc_sample.json", "cpsc")  # re-import: duplicates, no new recall
    assert _count(db) == 63
    ids = list(db.execute(select(RiskRecord.id)).scalars())
    assert import_foreign_recalls(db, owner.actor, ids) == []  # backfill is idempotent


def test_rasff_records_are_not_recalls(db, owner):  # noqa: F811
    ingest(db, owner, "rasff_sample.csv", "rasff")
    assert _count(db) == 0


def test_units_and_remedies_from_text():
    assert units_from("About 9,500") == 9500
    assert units_from("About 1.2 million") == 1_200_000
    assert units_from("unknown") == 0 and units_from(None) == 0
    assert remedies_from("Refund Replace") == ["refund", "replace"]
