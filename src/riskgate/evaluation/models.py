"""Effect evaluations of response cases, and lifting petitions with their evidence files. The
tables kept their names when they moved here from the response domain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow
from riskgate.evaluation.enums import PetitionStatus, Recommendation


class CaseEvaluation(Base):
    """An effect evaluation (效果评估, R2) of a case: the figures measured and what they propose
    for the warning (keep, downgrade, lift)."""

    __tablename__ = "case_evaluation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("response_case.id", ondelete="CASCADE"), index=True
    )
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recommendation: Mapped[Recommendation] = mapped_column(string_enum(Recommendation, 20))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LiftingPetition(TimestampMixin, Base):
    """An enterprise's petition to lift a measure or control rule that names it, with evidence
    (third-party laboratory results, consignments found clean); reviewed by the issuer."""

    __tablename__ = "lifting_petition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("public_warning.id"), index=True)
    control_rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("control_rule.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    clean_consignments: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[PetitionStatus] = mapped_column(string_enum(PetitionStatus, 20), index=True)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)


class PetitionEvidence(Base):
    """An evidence file of a lifting petition."""

    __tablename__ = "petition_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("lifting_petition.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
