"""Targeted push of warnings to subscribers and named enterprises (filled by the push part)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from riskgate.warnings.models import PublicWarning, WarningFollowUp


def push_warning(db: Session, warning: PublicWarning, follow_up: WarningFollowUp | None) -> int:
    """Fan out a publication (follow_up None) or a follow-up; returns the deliveries made."""
    return 0
