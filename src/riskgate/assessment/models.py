"""Risk assessments, the records they assess, and the yearly number sequences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.assessment.enums import (
    AssessmentStatus,
    Conclusion,
    ImpactScope,
    RiskLevel,
    Urgency,
)
from riskgate.catalog.enums import HazardClass, WarningLevel, WarningType
from riskgate.core.db import Base, TimestampMixin, string_enum


class RiskAssessment(TimestampMixin, Base):
    """One risk assessment (风险评估) of a product hazard, from draft to conclusion.

    The matrix inputs (`scenarios`: harm scenarios with their steps, each with a severity and step
    probabilities; `urgency`; `impact_scope`) and the outputs computed from them by
    `assessment.matrix` (`severity`, `probability` and `risk_level` of the decisive scenario, the
    recommended `warning_level`, `warning_type` and `measures`, and the full result with the
    sensitivity analysis in `matrix_result`) are stored together, so a conclusion can always be
    traced back to the numbers it rested on. `signal_id` is a plain integer: the signal table comes
    later in the migration chain.
    """

    __tablename__ = "risk_assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[AssessmentStatus] = mapped_column(string_enum(AssessmentStatus, 20), index=True)
    signal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    hazard_class: Mapped[HazardClass | None] = mapped_column(string_enum(HazardClass, 20))
    product_category: Mapped[str | None] = mapped_column(String(200))
    hs_code: Mapped[str | None] = mapped_column(String(10))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    # Matrix inputs.
    scenarios: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    urgency: Mapped[Urgency | None] = mapped_column(string_enum(Urgency, 20))
    impact_scope: Mapped[ImpactScope | None] = mapped_column(string_enum(ImpactScope, 20))
    # Matrix outputs (None until computed).
    severity: Mapped[int | None] = mapped_column(Integer)
    probability: Mapped[float | None] = mapped_column(Float)
    risk_level: Mapped[RiskLevel | None] = mapped_column(string_enum(RiskLevel, 10))
    warning_level: Mapped[WarningLevel | None] = mapped_column(string_enum(WarningLevel, 4))
    warning_type: Mapped[WarningType | None] = mapped_column(string_enum(WarningType, 20))
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    matrix_result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    computed_at: Mapped[dt.datetime | None]
    # Workflow.
    created_by: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[dt.datetime | None]
    conclusion: Mapped[Conclusion | None] = mapped_column(string_enum(Conclusion, 30))
    conclusion_rationale: Mapped[str | None] = mapped_column(Text)
    concluded_at: Mapped[dt.datetime | None]
    concluded_by: Mapped[str | None] = mapped_column(String(100))
    committee_meeting_id: Mapped[int | None] = mapped_column(Integer)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    def snapshot(self) -> dict[str, Any]:
        """The audited fields (before/after of every change)."""
        return {
            "number": self.number,
            "organisation_id": self.organisation_id,
            "title": self.title,
            "description": self.description,
            "status": self.status,
            "signal_id": self.signal_id,
            "hazard_class": self.hazard_class,
            "product_category": self.product_category,
            "hs_code": self.hs_code,
            "origin_country": self.origin_country,
            "scenarios": self.scenarios,
            "urgency": self.urgency,
            "impact_scope": self.impact_scope,
            "severity": self.severity,
            "probability": self.probability,
            "risk_level": self.risk_level,
            "warning_level": self.warning_level,
            "warning_type": self.warning_type,
            "measures": self.measures,
            "conclusion": self.conclusion,
            "conclusion_rationale": self.conclusion_rationale,
            "committee_meeting_id": self.committee_meeting_id,
            "withdrawn_reason": self.withdrawn_reason,
        }


class RiskAssessmentRecord(Base):
    """A risk record that an assessment rests on."""

    __tablename__ = "risk_assessment_record"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("risk_assessment.id", ondelete="CASCADE"), primary_key=True
    )
    record_id: Mapped[int] = mapped_column(
        ForeignKey("risk_record.id", ondelete="CASCADE"), primary_key=True, index=True
    )
