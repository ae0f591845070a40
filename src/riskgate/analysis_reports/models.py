"""Assessment reports: what was asked for (kind, period, category, language, format), by whom,
and the generated file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.analysis_reports.enums import (
    CategoryDimension,
    ReportFormat,
    ReportKind,
    ReportStatus,
)
from riskgate.core.db import Base, string_enum


class AnalysisReport(Base):
    """One requested report about one organisation's subtree for a period, and its file.

    A request creates the row `pending`; the worker's job generates the PDF or Excel file outside
    any long transaction and marks it `ready` (or `failed`, with the error). The file lives on
    disk under `analysis_reports_dir`, named by its SHA-256 (content-addressed, so the same bytes
    are stored once); the row keeps hash and size so that a download is checked against them.
    `summary` keeps the headline figures for the list; `scheduled` marks the reports the
    quarterly job requested (it requests each one once).
    """

    __tablename__ = "analysis_report"
    __table_args__ = (
        Index("ix_analysis_report_schedule", "organisation_id", "kind", "period_start",
              "scheduled"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[ReportKind] = mapped_column(string_enum(ReportKind, 20))
    status: Mapped[ReportStatus] = mapped_column(string_enum(ReportStatus, 10), index=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    period_label: Mapped[str] = mapped_column(String(40))
    category_dimension: Mapped[CategoryDimension | None] = mapped_column(
        string_enum(CategoryDimension, 20))
    category_value: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10))
    format: Mapped[ReportFormat] = mapped_column(string_enum(ReportFormat, 10))
    requested_at: Mapped[dt.datetime] = mapped_column(index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requested_by: Mapped[str] = mapped_column(String(100))
    scheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    generated_at: Mapped[dt.datetime | None]
    file_name: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
