"""The declaration demo: declarations in all four lanes, a batch with a rejection, and a failed
inspection that became a risk record."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.border.models import Declaration, DeclarationLine, InspectionResult
from riskgate.demo import load_demo_data


def test_declarations_demo(db, settings):
    counts = load_demo_data(db, settings)  # loads the rules' demo, then the declarations'
    assert counts["declarations"] >= 30 and counts["failed_inspections"] == 1
    lanes = set(db.execute(select(DeclarationLine.lane)).scalars())
    assert {lane.value for lane in lanes} == {"red", "yellow", "green", "blue"}
    failed = db.execute(select(InspectionResult).where(InspectionResult.record_id.is_not(None))
                        ).scalar_one()
    assert db.get(Declaration, failed.declaration_id) is not None
