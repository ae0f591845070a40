"""The unified risk record (风险信息) and the enterprises involved in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgate.catalog.enums import HazardClass, HazardType, SourceChannel
from riskgate.core.db import Base, TimestampMixin, string_enum
from riskgate.records.enums import Confidentiality, EnterpriseRole, InjurySeverity, TradeDirection


class RiskRecord(TimestampMixin, Base):
    """One piece of risk information in the unified collection standard, whatever its source.

    `external_reference` is the source's own number (RASFF 2024.8046, CPSC 24726), unique per
    source channel; `content_hash` identifies records that have none, so re-imports are no-ops.
    """

    __tablename__ = "risk_record"
    __table_args__ = (
        UniqueConstraint("source_channel", "external_reference"),
        Index("ix_risk_record_org_occurred", "organisation_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_number: Mapped[str] = mapped_column(String(20), unique=True)
    source_channel: Mapped[SourceChannel] = mapped_column(
        string_enum(SourceChannel, 40), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    external_reference: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[dt.datetime]
    occurred_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    product_name: Mapped[str] = mapped_column(String(500))
    brand: Mapped[str | None] = mapped_column(String(200))
    model: Mapped[str | None] = mapped_column(String(200))
    batch_number: Mapped[str | None] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(100))
    hs_code: Mapped[str | None] = mapped_column(String(10), index=True)
    product_category: Mapped[str | None] = mapped_column(String(200))
    hazard_class: Mapped[HazardClass | None] = mapped_column(
        string_enum(HazardClass, 20), index=True
    )
    hazard_type: Mapped[HazardType | None] = mapped_column(string_enum(HazardType, 40))
    hazard_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    hazard_substance: Mapped[str | None] = mapped_column(Text)
    injuries_count: Mapped[int | None] = mapped_column(Integer)
    injury_severity: Mapped[InjurySeverity | None] = mapped_column(string_enum(InjurySeverity, 10))
    injury_age_group: Mapped[str | None] = mapped_column(String(50))
    origin_country: Mapped[str | None] = mapped_column(String(2), index=True)
    notifying_country: Mapped[str | None] = mapped_column(String(2))
    trade_direction: Mapped[TradeDirection] = mapped_column(string_enum(TradeDirection, 10))
    region_code: Mapped[str | None] = mapped_column(String(12))
    port_code: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[str | None] = mapped_column(String(200))
    measures_taken: Mapped[str | None] = mapped_column(Text)
    confidentiality: Mapped[Confidentiality] = mapped_column(string_enum(Confidentiality, 10))
    raw_payload: Mapped[str | None] = mapped_column(Text)
    # What riskgate.intake.classify suggested (the source's own values stay in the fields above;
    # hazard_class/hazard_type are filled from the suggestion only when the source left them empty).
    suggested_hazard_class: Mapped[HazardClass | None] = mapped_column(string_enum(HazardClass, 20))
    suggested_hazard_type: Mapped[HazardType | None] = mapped_column(string_enum(HazardType, 40))
    suggested_product_category: Mapped[str | None] = mapped_column(String(200))
    suggested_hs_chapter: Mapped[str | None] = mapped_column(String(2))
    classification_confidence: Mapped[float | None] = mapped_column(Float)
    classification_method: Mapped[str | None] = mapped_column(String(10))

    enterprises: Mapped[list[RecordEnterprise]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="RecordEnterprise.id",
        lazy="selectin",
    )

    def snapshot(self) -> dict[str, Any]:
        """The audited fields of a new record."""
        return {
            "record_number": self.record_number,
            "source_channel": self.source_channel,
            "external_reference": self.external_reference,
            "title": self.title,
            "organisation_id": self.organisation_id,
        }


class RecordEnterprise(Base):
    """An enterprise involved in a record: a Chinese one by USCC, a foreign one by name+country."""

    __tablename__ = "record_enterprise"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("risk_record.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[EnterpriseRole] = mapped_column(string_enum(EnterpriseRole, 20))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))

    record: Mapped[RiskRecord] = relationship(back_populates="enterprises")


class RecordSequence(Base):
    """The last record number handed out in a year (RR-2026-000123)."""

    __tablename__ = "record_sequence"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer)
