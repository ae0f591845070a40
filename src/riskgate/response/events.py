"""What the response stage asks of later stages (see core.events)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from riskgate.core.context import Actor
from riskgate.core.events import StageQuery


@dataclass(frozen=True)
class CaseSection:
    """What a later stage shows on a response case's page: the values its section's template
    (declared in its domain.py as a `response_case` section) reads as `followed[key]`."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ShownOnCase(StageQuery):
    """Asked by a response case's page, for the reader: what followed the case (its effect
    evaluations). Each answer is a `CaseSection`."""

    name: ClassVar[str] = "response.case_page"
    case_id: int
    actor: Actor
