"""Warning numbers: RW-2026-0012, counted per issuing organisation and year (architecture §3),
shown in Chinese documents as 〔2026〕第0012号."""

from __future__ import annotations

from sqlalchemy.orm import Session

from riskgate.core.numbers import next_number

PREFIX = "RW"


def next_warning_number(db: Session, organisation_id: int) -> str:
    """The organisation's next number this year (one locked sequence per organisation)."""
    return next_number(db, PREFIX, key=f"{PREFIX}{organisation_id}"[:10])


def chinese_number(number: str) -> str:
    """RW-2026-0012 → 〔2026〕第0012号."""
    parts = number.split("-")
    if len(parts) == 3 and parts[1].isdigit():
        return f"〔{parts[1]}〕第{parts[2]}号"
    return number
