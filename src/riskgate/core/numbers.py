"""Yearly human numbers (RA-2026-0001, RW-2026-0012, RC-2026-0003, BK-2026-0001…) for every
domain that numbers what it creates.

One row per (prefix, year) locked FOR UPDATE, so concurrent creators never get the same number.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from riskgate.core.db import Base, utcnow


class NumberSequence(Base):
    """The last number handed out per prefix and year (RA-2026-0001, PW-2026-0001)."""

    __tablename__ = "number_sequence"

    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer)


def next_number(db: Session, prefix: str, *, key: str | None = None) -> str:
    """The next number for `prefix` in the current (UTC) year: "RA-2026-0001". `key` (at most
    10 characters) counts apart under the same prefix, e.g. one sequence per organisation."""
    year = utcnow().year
    key = key or prefix
    stmt = select(NumberSequence).where(
        NumberSequence.prefix == key, NumberSequence.year == year
    ).with_for_update()
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
    return f"{prefix}-{year}-{sequence.last_value:04d}"
