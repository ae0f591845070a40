"""Inspection results (查验结果): the port officer records pass or fail for an inspected line; a
failure becomes a risk record (source channel inspection supervision, product, origin and
importer/exporter from the declaration, hazard from the findings), which closes the loop from
the border back into risk analysis. One result per line (a second is 409); audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.border.declarations.service import get_declaration
from riskgate.border.enums import Direction, InspectionOutcome, Lane
from riskgate.border.models import Declaration, DeclarationLine, InspectionResult
from riskgate.catalog.enums import HazardType, SourceChannel
from riskgate.core.context import Actor
from riskgate.core.db import utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.identity.service import validate_uscc
from riskgate.records.models import RiskRecord
from riskgate.records.service import store_drafts
from riskgate.records.standard import Problems, finish, map_standard

INSPECTED_LANES = frozenset({Lane.red, Lane.yellow})


def line_in_scope(db: Session, actor: Actor, line_id: int) -> tuple[DeclarationLine,
                                                                       Declaration]:
    line = db.execute(select(DeclarationLine).where(DeclarationLine.id == line_id)
                      ).scalar_one_or_none()
    if line is None:
        raise NotFound(N_("declaration line"))
    try:
        declaration = get_declaration(db, actor, line.declaration_id)
    except NotFound:
        raise NotFound(N_("declaration line")) from None
    return line, declaration


def _record_draft(line: DeclarationLine, declaration: Declaration, findings: str,
                  hazard_type: str | None) -> dict[str, Any]:
    direction = Direction(declaration.direction)
    role = "importer" if direction == Direction.import_ else "exporter"
    try:
        uscc = validate_uscc(declaration.trader_code)
    except ValidationFailed:
        uscc = None
    product = " ".join(p for p in (line.description, line.brand, line.model) if p)
    row = {
        "source_channel": SourceChannel.inspection_supervision.value,
        "external_reference": f"INSP-{declaration.number}-{line.line_no}",
        "title": f"口岸查验不合格：{product}"[:300],
        "description": findings, "language": "zh", "product_name": line.description,
        "brand": line.brand, "model": line.model, "barcode": line.barcode,
        "hs_code": line.hs_code, "origin_country": line.origin_country
        or declaration.origin_country, "trade_direction": direction.value,
        "hazard_type": hazard_type, "port_code": declaration.port_code,
        "occurred_on": utcnow().date().isoformat(), "measures_taken": None,
        "enterprises": [{"role": role, "name": declaration.trader_name, "uscc": uscc}],
    }  # fmt: skip
    problems = Problems()
    draft = finish(map_standard(row, problems), problems)
    if problems.items:
        raise ValidationFailed(fields=[FieldProblem(str(p["field"]), p["message"],
                                                    p.get("params") or {})
                                       for p in problems.items])
    return draft


def record_inspection(db: Session, actor: Actor, line_id: int, outcome: str,
                      findings: str | None, hazard_type: str | None = None) -> InspectionResult:
    """Record the result of inspecting a red or yellow line; a failure creates a risk record
    and links it. Findings are required when the line failed."""
    line, declaration = line_in_scope(db, actor, line_id)
    problems = []
    try:
        result_outcome = InspectionOutcome(outcome)
    except ValueError:
        problems.append(FieldProblem("outcome", N_("Choose pass or fail.")))
        result_outcome = None
    findings = (findings or "").strip() or None
    if result_outcome == InspectionOutcome.failed and not findings:
        problems.append(FieldProblem("findings", N_("Findings are required when the line "
                                                    "fails inspection.")))
    hazard = (hazard_type or "").strip() or None
    if hazard is not None and hazard not in HazardType.__members__:
        problems.append(FieldProblem("hazard_type", N_("Unknown hazard type {value}."),
                                     {"value": hazard[:60]}))
    if problems:
        raise ValidationFailed(fields=problems)
    assert result_outcome is not None  # refused above otherwise
    if Lane(line.lane) not in INSPECTED_LANES:
        raise Conflict(N_("Only lines routed red or yellow are inspected."))
    if db.execute(select(InspectionResult.id).where(InspectionResult.line_id == line.id)).first():
        raise Conflict(N_("This line already has an inspection result."))
    record_id = record_number = None
    if result_outcome == InspectionOutcome.failed:
        assert findings is not None
        draft = _record_draft(line, declaration, findings, hazard)
        stored = store_drafts(db, [(draft, None)], channel=None,
                              organisation_id=declaration.organisation_id)[0]
        record_id, record_number = stored.record_id, stored.record_number
    result = InspectionResult(
        line_id=line.id, declaration_id=declaration.id,
        organisation_id=declaration.organisation_id, outcome=result_outcome,
        findings=findings, inspected_by=actor.username, record_id=record_id)
    db.add(result)
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError as error:
        raise Conflict(N_("This line already has an inspection result.")) from error
    audit.record(db, actor, "inspection.record", object_type="inspection_result",
                 object_id=result.id, organisation_id=declaration.organisation_id, after={
                     "declaration": declaration.number, "line_no": line.line_no,
                     "outcome": result_outcome.value, "findings": findings,
                     "record": record_number,
                 })  # fmt: skip
    return result


def results_of(db: Session, declaration_id: int) -> dict[int, InspectionResult]:
    """The inspection results of a declaration's lines, by line id."""
    rows = db.execute(select(InspectionResult).where(
        InspectionResult.declaration_id == declaration_id)).scalars()
    return {row.line_id: row for row in rows}


def record_numbers(db: Session, record_ids: list[int]) -> dict[int, str]:
    if not record_ids:
        return {}
    return dict(db.execute(select(RiskRecord.id, RiskRecord.record_number).where(
        RiskRecord.id.in_(record_ids))).all())


def inspected_lines(db: Session, since: dt.datetime, until: dt.datetime
                    ) -> list[tuple[bool, dt.datetime, list[int]]]:
    """Every line inspected between `since` and `until` (both included): whether it failed,
    when, and the ids of the control rules it matched (for the effect of a warning's rules)."""
    rows = db.execute(select(InspectionResult.outcome, InspectionResult.inspected_at,
                             DeclarationLine.rule_ids)
                      .join(DeclarationLine, DeclarationLine.id == InspectionResult.line_id)
                      .where(InspectionResult.inspected_at >= since,
                             InspectionResult.inspected_at <= until)).all()
    return [(outcome == InspectionOutcome.failed, inspected_at, list(rule_ids or []))
            for outcome, inspected_at, rule_ids in rows]
