"""Risk records named as people type them: record numbers (`RR-2026-000063`, `rr-2026-63`) or
ids, separated by commas, spaces or Chinese punctuation, resolved in the actor's scope.

Every form that names records reads them here (`resolve_record_refs`), so a number accepted on
one page is accepted on all, and what cannot be found is refused by name (`refuse_unknown`),
never dropped silently. A record outside the actor's scope is "unknown", as a 404 would be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from riskgate.core.context import Actor
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.i18n import N_
from riskgate.records.models import RiskRecord
from riskgate.records.service import records_statement

_SPLIT = re.compile(r"[\s,，;；、]+")
_NUMBER = re.compile(r"^RR-(\d{4})-(\d{1,9})$", re.IGNORECASE)
MAX_ID = 2**31 - 1
UNKNOWN = N_("Unknown risk records: {ids}.")


@dataclass(frozen=True)
class RecordRefs:
    """The records found (ids, in the order typed, without repeats) and the references that
    name no record in scope, as typed."""

    ids: list[int] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def split_refs(text: str | Iterable[str] | None) -> list[str]:
    """The references in a text field (or in several), without repeats."""
    parts = [text] if isinstance(text, str) else list(text or [])
    tokens = [t for part in parts for t in _SPLIT.split(part or "") if t]
    return list(dict.fromkeys(tokens))


def normalise_number(token: str) -> str | None:
    """`rr-2026-63` → `RR-2026-000063`; None for what is not a record number."""
    match = _NUMBER.match(token)
    return f"RR-{match[1]}-{int(match[2]):06d}" if match else None


def resolve_record_refs(db: Session, actor: Actor, text: str | Iterable[str] | None
                        ) -> RecordRefs:
    """Record numbers and ids → the ids of the records the actor may see, and what is unknown."""
    tokens = split_refs(text)
    by_number = {t: n for t in tokens if (n := normalise_number(t))}
    by_id = {t: int(t) for t in tokens if t.isdigit() and 0 < int(t) <= MAX_ID}
    found_numbers: dict[str, int] = {}
    found_ids: set[int] = set()
    visible = records_statement(actor).with_only_columns(RiskRecord.id, RiskRecord.record_number)
    if by_number:
        found_numbers = {number: record_id for record_id, number in db.execute(
            visible.where(RiskRecord.record_number.in_(set(by_number.values()))))}
    if by_id:
        found_ids = {record_id for record_id, _number in db.execute(
            visible.where(RiskRecord.id.in_(set(by_id.values()))))}
    ids: list[int] = []
    unknown: list[str] = []
    for token in tokens:
        if token in by_number and by_number[token] in found_numbers:
            record_id: int | None = found_numbers[by_number[token]]
        elif token in by_id and by_id[token] in found_ids:
            record_id = by_id[token]
        else:
            record_id = None
        if record_id is None:
            unknown.append(token)
        elif record_id not in ids:
            ids.append(record_id)
    return RecordRefs(ids, unknown)


def refuse_unknown(refs: RecordRefs, field_name: str) -> list[int]:
    """The ids, or a field error on `field_name` naming every reference not found."""
    if refs.unknown:
        raise ValidationFailed(fields=[FieldProblem(
            field_name, UNKNOWN, {"ids": ", ".join(refs.unknown[:20])})])
    return refs.ids
