"""Bodies of the assessment reports API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, computed_field

from riskgate.analysis_reports.enums import (
    CategoryDimension,
    ReportFormat,
    ReportKind,
    ReportStatus,
)
from riskgate.core.schemas import InputModel, IntIdField, OutputModel

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


class ReportIn(InputModel):
    """A report to generate: a quarter ('2026Q3') or a start and end date; for a report by
    category, the dimension (hazard class, HS chapter, product category) and its value."""

    kind: ReportKind = ReportKind.quarterly
    format: ReportFormat = ReportFormat.pdf
    language: Literal["zh-CN", "en"] = "zh-CN"
    quarter: str | None = Field(default=None, max_length=10, examples=["2026Q3"])
    start: dt.date | None = Field(default=None, ge=EARLIEST, le=LATEST)
    end: dt.date | None = Field(default=None, ge=EARLIEST, le=LATEST)
    category_dimension: CategoryDimension | None = None
    category_value: str | None = Field(default=None, max_length=200)
    organisation_id: IntIdField | None = None


class ReportOut(OutputModel):
    id: int
    organisation_id: int
    kind: ReportKind
    status: ReportStatus
    title: str
    period_start: dt.date
    period_end: dt.date
    period_label: str
    category_dimension: CategoryDimension | None
    category_value: str | None
    language: str
    format: ReportFormat
    requested_at: dt.datetime
    requested_by: str
    scheduled: bool
    generated_at: dt.datetime | None
    file_name: str | None
    media_type: str | None
    sha256: str | None
    size: int | None
    error: str | None
    summary: dict[str, Any]

    @computed_field  # type: ignore[prop-decorator]  # mypy does not model pydantic's decorator
    @property
    def download_url(self) -> str | None:
        if self.status != ReportStatus.ready:
            return None
        return f"/api/v1/analysis-reports/{self.id}/download"
