"""Request and response bodies of the assessment API.

Step probabilities and severities are only typed here, not ranged: `assessment.matrix` checks
them and says what is wrong in the caller's language (a probability may also be written
"1/500" or "20%").
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from riskgate.assessment.enums import (
    AssessmentStatus,
    Conclusion,
    ImpactScope,
    RiskLevel,
    Urgency,
)
from riskgate.catalog.enums import HazardClass, WarningLevel, WarningType
from riskgate.core.schemas import InputModel, IntIdField, OutputModel

Text = Annotated[str, Field(max_length=2000)]
Probability = float | Annotated[str, Field(max_length=40)]


class StepIn(InputModel):
    description: Text = ""
    probability: Probability


class ScenarioIn(InputModel):
    hazard: Text = ""
    injury: Text = ""
    user_group: Annotated[str, Field(max_length=40)] = "adults"
    severity: Annotated[int, Field(ge=-(2**31), le=2**31)]
    steps: Annotated[list[StepIn], Field(max_length=50)]


Scenarios = Annotated[list[ScenarioIn], Field(max_length=50)]


class MatrixIn(InputModel):
    """The inputs of a "what if" computation (nothing is stored)."""

    scenarios: Scenarios
    urgency: Urgency | None = None
    impact_scope: ImpactScope | None = None


class AssessmentIn(InputModel):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    organisation_id: IntIdField | None = None
    record_ids: Annotated[list[IntIdField], Field(max_length=500)] = []
    signal_id: IntIdField | None = None
    description: Annotated[str, Field(max_length=10000)] | None = None
    hazard_class: HazardClass | None = None
    product_category: Annotated[str, Field(max_length=200)] | None = None
    hs_code: Annotated[str, Field(pattern=r"^\d{2,10}$")] | None = None
    origin_country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")] | None = None
    scenarios: Scenarios = []
    urgency: Urgency | None = None
    impact_scope: ImpactScope | None = None


class AssessmentPatch(InputModel):
    """Edits of a draft; fields left out stay as they are."""

    title: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    record_ids: Annotated[list[IntIdField], Field(max_length=500)] | None = None
    description: Annotated[str, Field(max_length=10000)] | None = None
    hazard_class: HazardClass | None = None
    product_category: Annotated[str, Field(max_length=200)] | None = None
    hs_code: Annotated[str, Field(pattern=r"^\d{2,10}$")] | None = None
    origin_country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")] | None = None
    scenarios: Scenarios | None = None
    urgency: Urgency | None = None
    impact_scope: ImpactScope | None = None
    reason: Annotated[str, Field(max_length=2000)] | None = None


class TransitionIn(InputModel):
    """Move an assessment: to the committee, concluded by the officer (low/medium risk only),
    or withdrawn. A conclusion needs a rationale, a withdrawal a reason."""

    status: Literal["in_review", "concluded", "withdrawn"]
    conclusion: Conclusion | None = None
    rationale: Annotated[str, Field(max_length=10000)] | None = None
    reason: Annotated[str, Field(max_length=2000)] | None = None


class RecommendationOut(OutputModel):
    warning_level: WarningLevel | None
    warning_type: WarningType | None
    measures: list[str]
    raised_for_vulnerable: bool


class ScenarioResultOut(OutputModel):
    index: int
    severity: int
    probability: float
    band: int
    level: RiskLevel
    vulnerable: bool


class SensitivityOut(OutputModel):
    scenario: int
    step: int
    probability: float
    up_probability: float
    down_probability: float
    level_up: RiskLevel
    level_down: RiskLevel
    decisive: bool


class MatrixOut(OutputModel):
    scenarios: list[ScenarioResultOut]
    level: RiskLevel
    decisive_scenario: int
    severity: int
    probability: float
    sensitivity: list[SensitivityOut]
    decisive_steps: list[list[int]]
    stable: bool
    recommendation: RecommendationOut


class AssessmentOut(OutputModel):
    id: int
    number: str
    organisation_id: int
    title: str
    description: str | None
    status: AssessmentStatus
    signal_id: int | None
    hazard_class: HazardClass | None
    product_category: str | None
    hs_code: str | None
    origin_country: str | None
    scenarios: list[dict[str, Any]]
    urgency: Urgency | None
    impact_scope: ImpactScope | None
    severity: int | None
    probability: float | None
    risk_level: RiskLevel | None
    warning_level: WarningLevel | None
    warning_type: WarningType | None
    measures: list[str]
    computed_at: dt.datetime | None
    conclusion: Conclusion | None
    conclusion_rationale: str | None
    concluded_at: dt.datetime | None
    committee_meeting_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class AssessmentDetailOut(AssessmentOut):
    record_ids: list[int]
    matrix_result: dict[str, Any] | None
    warning_ids: list[int]
