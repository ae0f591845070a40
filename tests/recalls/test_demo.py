"""The demo loader makes recalls in every state, one at 100 %, and foreign recalls."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.demo import load_demo_data
from riskgate.recalls.enums import RecallOrigin, RecallStatus
from riskgate.recalls.models import Recall, RecallProgressReport


def test_demo_recalls(db, settings):  # type: ignore[no-untyped-def]
    counts = load_demo_data(db, settings)
    db.commit()
    assert counts["recalls"] >= 6 and counts["foreign_recalls"] == 2
    recalls = db.execute(select(Recall)).scalars().all()
    assert {r.status for r in recalls} == set(RecallStatus)
    assert any(r.units_remedied == r.units_affected and r.status == RecallStatus.completed
               for r in recalls)
    foreign = [r for r in recalls if r.origin == RecallOrigin.foreign]
    assert {r.units_affected for r in foreign} == {24000, 1_100_000}
    assert db.execute(select(RecallProgressReport)).scalars().first() is not None
