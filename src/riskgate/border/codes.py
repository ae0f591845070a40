"""How the border writes the codes it compares, and the codes an organisation is known by.

Control rules, credit grades, screening and the rules derived from warnings all compare
enterprise codes and HS prefixes written the same way; this is the one place that says how.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskgate.identity.models import Organisation


def normalise_enterprise_code(code: str) -> str:
    """Enterprise codes (USCC, customs or foreign registration) compare upper-case, no spaces."""
    return "".join(code.split()).upper()


def normalise_hs(text: str) -> str:
    """Digits of an HS prefix with the usual separators (dots, spaces, dashes) dropped."""
    return "".join(ch for ch in text.strip() if ch not in ". -")


def enterprise_codes_of(db: Session, org_ids: list[int]) -> set[str]:
    """The codes an organisation is known by at the border: USCC and foreign registration."""
    if not org_ids:
        return set()
    codes: set[str] = set()
    for row in db.execute(select(Organisation.uscc, Organisation.foreign_registration_number)
                          .where(Organisation.id.in_(org_ids))):
        codes.update(normalise_enterprise_code(c) for c in row if c)
    return codes
