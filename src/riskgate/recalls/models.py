"""Recalls and the enterprise's progress reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow
from riskgate.recalls.enums import RecallOrigin, RecallStatus


class Recall(TimestampMixin, Base):
    """A recall (召回, R3) of a defective product: who recalls (the enterprise), which products,
    how many units, the remedy and plan, and how far it has got. Owned by the supervising
    regulator (`organisation_id`); foreign recalls come from an intake record."""

    __tablename__ = "recall"
    __table_args__ = (Index("ix_recall_public", "public", "status", "started_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(300))
    origin: Mapped[RecallOrigin] = mapped_column(string_enum(RecallOrigin, 20))
    status: Mapped[RecallStatus] = mapped_column(string_enum(RecallStatus, 20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    product_name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(100))
    hs_code: Mapped[str | None] = mapped_column(String(10))
    brand: Mapped[str | None] = mapped_column(String(200))
    model: Mapped[str | None] = mapped_column(String(200))
    batch: Mapped[str | None] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))  # country of the recall (foreign)
    hazard: Mapped[str | None] = mapped_column(Text)
    remedies: Mapped[list[str]] = mapped_column(JSON, default=list)
    plan: Mapped[str | None] = mapped_column(Text)
    units_affected: Mapped[int] = mapped_column(Integer, default=0)
    units_remedied: Mapped[int] = mapped_column(Integer, default=0)  # sum of the reports
    started_on: Mapped[dt.date | None]
    report_every_days: Mapped[int] = mapped_column(Integer, default=30)
    next_report_due: Mapped[dt.date | None]
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("public_warning.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("risk_record.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("response_case.id"), index=True)
    source_url: Mapped[str | None] = mapped_column(String(500))
    evaluation: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[dt.datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(100))


class RecallProgressReport(Base):
    """A periodic progress report of the recalling enterprise: units remedied in the period,
    by remedy."""

    __tablename__ = "recall_progress_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recall_id: Mapped[int] = mapped_column(
        ForeignKey("recall.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    author: Mapped[str] = mapped_column(String(100))
    period_end: Mapped[dt.date]
    units_remedied: Mapped[int] = mapped_column(Integer)
    by_remedy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
