"""Control rules (布控) workflow steps (filled in by the control-rules owner)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from riskgate.core.context import Actor
    from riskgate.warnings.models import PublicWarning, WarningFollowUp


def on_warning_issued(db: Session, actor: Actor, warning: PublicWarning,
                      follow_up: WarningFollowUp | None) -> None:
    """Publication derives a control rule; an adjustment updates it; lifting retires it."""
