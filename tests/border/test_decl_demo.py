"""The declaration demo: declarations in all four lanes, a batch with a rejection, and a failed
inspection that became a risk record."""

from __future__ import annotations

from sqlalchemy import select

from riskgate.border.decl_demo import load_declarations_demo
from riskgate.border.models import ControlRule, Declaration, DeclarationLine, InspectionResult
from riskgate.border.rules_demo import load_rules_demo
from riskgate.demo import load_demo_data


def test_declarations_demo(db, settings):
    load_demo_data(db, settings)
    if db.execute(select(ControlRule.id).where(ControlRule.warning_id.is_(None))).first() is None:
        load_rules_demo(db, settings)  # until the main demo loads the rules itself
    counts = load_declarations_demo(db, settings)
    assert counts["declarations"] >= 30 and counts["failed_inspections"] == 1
    lanes = set(db.execute(select(DeclarationLine.lane)).scalars())
    assert {lane.value for lane in lanes} == {"red", "yellow", "green", "blue"}
    failed = db.execute(select(InspectionResult).where(InspectionResult.record_id.is_not(None))
                        ).scalar_one()
    assert db.get(Declaration, failed.declaration_id) is not None
