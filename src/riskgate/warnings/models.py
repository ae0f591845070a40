"""Public warnings (预警): for now the draft created when an assessment concludes `unsafe`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.db import Base, TimestampMixin, string_enum
from riskgate.warnings.enums import WarningStatus


class PublicWarning(TimestampMixin, Base):
    """A risk warning drafted from an assessment: level I–IV, type (bulletin / notice /
    announcement) and the recommended rapid-response measures (MeasureType codes)."""

    __tablename__ = "public_warning"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("risk_assessment.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    level: Mapped[WarningLevel] = mapped_column(string_enum(WarningLevel, 4))
    warning_type: Mapped[WarningType] = mapped_column(string_enum(WarningType, 20))
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[WarningStatus] = mapped_column(string_enum(WarningStatus, 20), index=True)
    created_by: Mapped[str | None] = mapped_column(String(100))

    def snapshot(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "organisation_id": self.organisation_id,
            "assessment_id": self.assessment_id,
            "title": self.title,
            "level": self.level,
            "warning_type": self.warning_type,
            "measures": self.measures,
            "status": self.status,
        }
