"""Full-text index of published warnings for the portal search (filled by the portal part)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from riskgate.warnings.models import PublicWarning


def index_warning(db: Session, warning: PublicWarning) -> None:
    """(Re)index a published warning; called by the service after publish/adjust/lift/withdraw."""
    return None
