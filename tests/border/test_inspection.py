"""Inspection results: a failure becomes a risk record; one result per line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from riskgate.border.declarations import service as declarations
from riskgate.border.inspection import service as inspection
from riskgate.core.errors import Conflict, NotFound, ValidationFailed
from riskgate.records.models import RiskRecord
from tests.border.decl_world import build, declaration, line, safe_line


def _screened(world):  # type: ignore[no-untyped-def]
    stored = declarations.screen_declaration(world.db, world.actor(), declaration(
        [line(1), safe_line(2)]))
    return stored, declarations.lines_of(world.db, stored.id)


def test_failed_inspection_creates_a_linked_record(db, settings):
    world = build(db, settings)
    stored, (red, _green) = _screened(world)
    result = inspection.record_inspection(db, world.actor(), red.id, "fail",
                                          "小零件脱落，存在窒息风险", "choking")
    record = db.get(RiskRecord, result.record_id)
    assert record is not None
    assert record.source_channel.value == "inspection_supervision"
    assert record.hs_code == red.hs_code and record.origin_country == "VN"
    assert record.port_code == stored.port_code
    assert record.external_reference == f"INSP-{stored.number}-1"
    assert record.organisation_id == stored.organisation_id
    with pytest.raises(Conflict):
        inspection.record_inspection(db, world.actor(), red.id, "pass", None)


def test_pass_needs_no_findings_and_makes_no_record(db, settings):
    world = build(db, settings)
    _stored, (red, _green) = _screened(world)
    result = inspection.record_inspection(db, world.actor(), red.id, "pass", None)
    assert result.record_id is None
    assert db.execute(select(RiskRecord)).first() is None


def test_bad_inspection_input(db, settings):
    world = build(db, settings)
    _stored, (red, green) = _screened(world)
    with pytest.raises(ValidationFailed) as caught:
        inspection.record_inspection(db, world.actor(), red.id, "fail", "  ")
    assert [p.loc for p in caught.value.fields] == ["findings"]
    with pytest.raises(ValidationFailed):
        inspection.record_inspection(db, world.actor(), red.id, "maybe", None)
    with pytest.raises(Conflict):
        inspection.record_inspection(db, world.actor(), green.id, "pass", None)
    with pytest.raises(NotFound):
        inspection.record_inspection(db, world.actor(world.other_officer), red.id, "pass",
                                     None)
