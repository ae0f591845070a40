"""Warning numbers: RW-2026-0012, counted per issuing organisation and year (architecture §3),
shown in Chinese documents as 〔2026〕第0012号."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from riskgate.assessment.models import NumberSequence
from riskgate.core.db import utcnow

PREFIX = "RW"


def next_warning_number(db: Session, organisation_id: int) -> str:
    """The organisation's next number this (UTC) year; the sequence row is locked FOR UPDATE so
    concurrent drafters never share one."""
    year = utcnow().year
    key = f"RW{organisation_id}"[:10]
    stmt = select(NumberSequence).where(
        NumberSequence.prefix == key, NumberSequence.year == year).with_for_update()
    sequence = db.execute(stmt).scalar_one_or_none()
    if sequence is None:
        try:
            with db.begin_nested():
                db.add(NumberSequence(prefix=key, year=year, last_value=0))
        except IntegrityError:
            pass  # another transaction created it first
        sequence = db.execute(stmt).scalar_one()
    sequence.last_value += 1
    db.flush()
    return f"{PREFIX}-{year}-{sequence.last_value:04d}"


def chinese_number(number: str) -> str:
    """RW-2026-0012 → 〔2026〕第0012号."""
    parts = number.split("-")
    if len(parts) == 3 and parts[1].isdigit():
        return f"〔{parts[1]}〕第{parts[2]}号"
    return number
