"""Demo data for every role and every domain: the identity demo's organisations and users, then
each domain's own demo, in loop order (each declares its loader in its `domain.py`). Everything
is generated and marked `is_demo`; do not load it in production.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from riskgate.core import domain
from riskgate.core.settings import Settings
from riskgate.identity.demo import DEMO_PASSWORD, demo_exists

__all__ = ["DEMO_PASSWORD", "demo_exists", "load_demo_data"]


def load_demo_data(session: Session, settings: Settings, progress: Any = None) -> dict[str, int]:
    """Load every installed domain's demo in one transaction; what each created, counted."""
    loaders = domain.resolve("demo")
    task = progress.add_task("Loading demo data", total=len(loaders)) if progress else None
    summary: dict[str, int] = {}
    for load in loaders:
        summary.update(load(session, settings))
        if progress is not None:
            progress.advance(task)
    return summary
