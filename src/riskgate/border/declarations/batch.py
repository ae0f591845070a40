"""Batches of declarations (JSON list or a file): never all-or-nothing.

Each declaration is checked on its own. A bad header (number, port, trader, date…) or a number
already used rejects the declaration; a bad line rejects only that line, and the declaration's
other lines are screened (a declaration left with no good line is not stored). Every rejection is
kept as a `RejectedDeclarationLine` of the batch with its position and problems, so that it can
be corrected and sent again. Good declarations are screened in the order given against the
ports' ledgers and written with bulk inserts. One audit entry per batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.border.codes import normalise_enterprise_code
from riskgate.border.declarations import service as svc
from riskgate.border.declarations.schemas import (
    HEADER_FIELDS,
    LINE_FIELDS,
    CheckedDeclaration,
    check_declaration,
)
from riskgate.border.enums import CreditGrade, DeclarationSource
from riskgate.border.models import (
    Declaration,
    DeclarationBatch,
    DeclarationLine,
    RejectedDeclarationLine,
)
from riskgate.border.profiles.service import credit_grades
from riskgate.core.context import Actor
from riskgate.core.db import bulk_insert, utcnow
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_

MAX_BATCH_LINES = 100_000
REJECTED_SHOWN = 200


@dataclass
class BatchItem:
    """A declaration as given, with where it was: its index in the batch, or the file lines of
    its rows (one per declaration line)."""

    position: int
    data: Any
    line_positions: list[int] | None = None
    problems: list[FieldProblem] = field(default_factory=list)  # found while reading the file


@dataclass
class BatchResult:
    batch: DeclarationBatch
    rejected: list[RejectedDeclarationLine] = field(default_factory=list)


def _problem_dicts(problems: list[FieldProblem]) -> list[dict[str, Any]]:
    return [{"loc": p.loc, "message": p.message, "params": p.params} for p in problems]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k)[:100]: _jsonable(v) for k, v in list(value.items())[:100]}
    if isinstance(value, list):
        return [_jsonable(v) for v in value[:100]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:4000].replace("\x00", "")


def _header_raw(data: Any) -> dict[str, Any]:
    return _jsonable({k: v for k, v in data.items() if k != "lines"}) if isinstance(
        data, dict) else {}


def _rejected_rows(batch_id: int, item: BatchItem, checked: CheckedDeclaration,
                   extra: list[FieldProblem] | None = None) -> list[dict[str, Any]]:
    """Rows of the rejections of one declaration: the whole declaration (one row per line
    given) when its header is bad, else each bad line."""
    number = checked.header["number"] if checked.header else (
        str(checked.raw.get("number"))[:40] if checked.raw.get("number") is not None else None)
    header_problems = list(checked.header_problems) + list(extra or [])
    rows = []
    for line in checked.lines:
        if not header_problems and line.values is not None:
            continue
        position = (item.line_positions[line.index] if item.line_positions
                    and line.index < len(item.line_positions) else item.position)
        line_no = line.raw.get("line_no") if isinstance(line.raw, dict) else None
        if isinstance(line_no, str) and line_no.strip().isdigit() and len(line_no) < 10:
            line_no = int(line_no)
        rows.append({
            "batch_id": batch_id, "position": position, "declaration_number": number,
            "line_no": line_no if isinstance(line_no, int) and 0 <= line_no < 2**31 else None,
            "raw": {"declaration": _header_raw(checked.raw), "line": _jsonable(line.raw)},
            "problems": _problem_dicts(header_problems + line.problems),
        })  # fmt: skip
    if header_problems and not checked.lines:
        rows.append({"batch_id": batch_id, "position": item.position,
                     "declaration_number": number, "line_no": None,
                     "raw": {"declaration": _header_raw(checked.raw)},
                     "problems": _problem_dicts(header_problems)})
    return rows


def screen_batch(db: Session, actor: Actor, items: Sequence[BatchItem], *,
                 source: DeclarationSource = DeclarationSource.batch,
                 filename: str | None = None) -> BatchResult:
    """Screen the good declarations of a batch and keep the rejections; see the module doc."""
    if actor.organisation_id is None:
        raise ValidationFailed(fields=[FieldProblem(
            "organisation", N_("Declarations must belong to an organisation."))])
    total = sum(len(i.data.get("lines") or []) if isinstance(i.data, dict)
                and isinstance(i.data.get("lines"), list) else 1 for i in items)
    if total > MAX_BATCH_LINES:
        raise ValidationFailed(fields=[FieldProblem(
            "declarations", N_("At most {max} lines per batch."), {"max": MAX_BATCH_LINES})])
    batch = DeclarationBatch(organisation_id=actor.organisation_id, source=source,
                             filename=filename, declarations=0, lines_screened=0,
                             lines_rejected=0, lane_counts={}, created_by=actor.username)
    db.add(batch)
    db.flush()
    ports = svc.known_ports(db)
    checked = [check_declaration(item.data, ports) for item in items]
    numbers = [c.header["number"] for c in checked if c.header is not None]
    taken: set[str] = set()
    for start in range(0, len(numbers), 500):
        taken.update(db.execute(select(Declaration.number).where(
            Declaration.number.in_(numbers[start:start + 500]))).scalars())
    rejected_rows: list[dict[str, Any]] = []
    good: list[tuple[dict[str, Any], CheckedDeclaration]] = []  # (its header, the declaration)
    for item, decl in zip(items, checked, strict=True):
        extra: list[FieldProblem] = list(item.problems)
        if decl.header is not None and not extra:
            number = decl.header["number"]
            if number in taken:
                extra.append(FieldProblem("number", N_(
                    "The declaration number {number} is already taken."), {"number": number}))
            elif not decl.good_lines:
                pass  # every line is rejected below
            else:
                taken.add(number)
                good.append((decl.header, decl))
        rejected_rows.extend(_rejected_rows(batch.id, item, decl, extra))
    grades = credit_grades(db, [header["trader_code"] for header, _d in good])
    compiled, policy = svc.compiled_rules(db), svc.current_policy(db)
    day = svc.today()
    ledgers = svc.lock_ledgers(db, [header["port_code"] for header, _d in good], day) \
        if good else {}
    states = {port: svc.ledger_state(row) for port, row in ledgers.items()}
    now = utcnow()
    decided = []
    for header, decl in good:
        lines = [line.values for line in decl.good_lines if line.values is not None]
        grade = grades.get(normalise_enterprise_code(header["trader_code"]),
                           CreditGrade.ordinary)
        seed = header["seed"] if header["seed"] is not None else svc.seed_for(header["number"])
        before = states[header["port_code"]]
        decisions, states[header["port_code"]] = svc.decide(header, lines, grade.value, seed,
                                                            compiled, policy, before)
        decided.append((header, lines, decisions, grade, seed, before))
    info = svc.rule_info(db, [d for _h, _l, ds, *_ in decided for d in ds])
    declaration_rows = [{
        "number": h["number"], "organisation_id": actor.organisation_id, "batch_id": batch.id,
        "source": source, "direction": h["direction"], "port_code": h["port_code"],
        "trade_mode": h["trade_mode"], "declarant_name": h["declarant_name"],
        "declarant_code": h["declarant_code"], "trader_name": h["trader_name"],
        "trader_code": h["trader_code"], "origin_country": h["origin_country"],
        "destination_country": h["destination_country"], "declared_on": h["declared_on"],
        "received_at": now, "seed": seed, "lane": svc.worst_lane([d.lane for d in ds]),
        "credit_grade": grade, "created_by": actor.username,
        "ledger": {**before, "day": day.isoformat()},
    } for h, _lines, ds, grade, seed, before in decided]  # fmt: skip
    lane_counts = dict.fromkeys(svc.LANES, 0)
    line_rows: list[dict[str, Any]] = []
    if declaration_rows:
        bulk_insert(db, svc.table_of(Declaration), declaration_rows)
        ids = dict(db.execute(select(Declaration.number, Declaration.id).where(
            Declaration.batch_id == batch.id)).all())
        for header, lines, decisions, *_rest in decided:
            for line, decision in zip(lines, decisions, strict=True):
                line_rows.append(svc.line_row(ids[header["number"]], line, decision, info))
                lane_counts[decision.lane] += 1
        bulk_insert(db, svc.table_of(DeclarationLine), line_rows)
    if rejected_rows:
        bulk_insert(db, svc.table_of(RejectedDeclarationLine), rejected_rows)
    for port, row in ledgers.items():
        svc.save_ledger(row, states[port])
    batch.declarations = len(declaration_rows)
    batch.lines_screened = len(line_rows)
    batch.lines_rejected = len(rejected_rows)
    batch.lane_counts = lane_counts
    db.flush()
    audit.record(db, actor, "declaration.batch", object_type="declaration_batch",
                 object_id=batch.id, after={
                     "source": source.value, "filename": filename,
                     "declarations": batch.declarations, "lines": batch.lines_screened,
                     "rejected": batch.lines_rejected, "lanes": lane_counts,
                 })  # fmt: skip
    return BatchResult(batch, rejected_of(db, batch.id, limit=REJECTED_SHOWN))


def rejected_of(db: Session, batch_id: int, *, limit: int | None = None,
                offset: int = 0) -> list[RejectedDeclarationLine]:
    stmt = select(RejectedDeclarationLine).where(
        RejectedDeclarationLine.batch_id == batch_id).order_by(
        RejectedDeclarationLine.position, RejectedDeclarationLine.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.execute(stmt).scalars())


def retry_rejected(db: Session, actor: Actor, batch_id: int, row_id: int,
                   fields: dict[str, Any]) -> Declaration:
    """Merge corrected fields into a rejected line (line fields) and its declaration (header
    fields) and screen it again as a declaration of its own lines: only when the declaration
    was rejected as a whole (a rejected line of a stored declaration cannot join it later,
    as its draws and ledger counts are fixed). 409 when already resolved or not possible."""
    batch = svc.get_batch(db, actor, batch_id)
    row = db.execute(select(RejectedDeclarationLine).where(
        RejectedDeclarationLine.id == row_id, RejectedDeclarationLine.batch_id == batch.id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(N_("rejected line"))
    if row.resolved_at is not None:
        raise Conflict(N_("This rejected line was already sent again."))
    header = dict(row.raw.get("declaration") or {})
    line = dict(row.raw.get("line") or {})
    unknown = [k for k in fields if k not in HEADER_FIELDS and k not in LINE_FIELDS
               or k == "lines"]
    if unknown:
        raise ValidationFailed(fields=[FieldProblem(f"fields.{k}"[:200], N_("Unknown field."))
                                       for k in unknown[:20]])
    for key, value in fields.items():
        (line if key in LINE_FIELDS else header)[key] = value
    number = header.get("number")
    if number and db.execute(select(Declaration.id).where(
            Declaration.number == str(number))).first():
        raise Conflict(N_("The declaration number {number} is already taken."), number=number)
    # The other rejected rows of the same declaration go with it, unchanged.
    siblings = [r for r in rejected_of(db, batch.id) if r.id != row.id and r.resolved_at is None
                and r.declaration_number == row.declaration_number
                and "line" in r.raw] if row.declaration_number else []
    lines = ([line] if line else []) + [dict(r.raw.get("line") or {}) for r in siblings]
    declaration = svc.screen_declaration(db, actor, {**header, "lines": lines},
                                         DeclarationSource(batch.source))
    declaration.batch_id = batch.id
    now = utcnow()
    for resolved in [row, *siblings]:
        resolved.resolved_at, resolved.resolved_by = now, actor.username
    db.flush()
    return declaration
