"""What the assessment stage announces, and what it asks of later stages (see core.events)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from riskgate.assessment.models import RiskAssessment
from riskgate.core.context import Actor
from riskgate.core.events import StageEvent, StageQuery


@dataclass(frozen=True)
class AssessmentConcluded(StageEvent):
    """An assessment reached its conclusion (by the officer, or by the committee's decision);
    the warnings stage drafts a public warning when it is `unsafe`."""

    name: ClassVar[str] = "assessment.concluded"
    actor: Actor
    assessment: RiskAssessment


@dataclass(frozen=True)
class AssessmentWithdrawn(StageEvent):
    """An assessment was withdrawn; the expert committee closes its open reviews with it."""

    name: ClassVar[str] = "assessment.withdrawn"
    actor: Actor
    assessment_id: int


@dataclass(frozen=True)
class DraftedWarning:
    """A warning drafted from an assessment, as the assessment's pages and API show it."""

    id: int
    number: str
    title: str


@dataclass(frozen=True)
class WarningsOfAssessment(StageQuery):
    """Asked by the assessment pages: the warnings drafted from this assessment, oldest first."""

    name: ClassVar[str] = "assessment.warnings"
    assessment_id: int
