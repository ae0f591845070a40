"""Bodies of the import API: batches, quarantined rows, corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from riskgate.core.schemas import InputModel, OutputModel
from riskgate.intake.enums import BatchStatus, QuarantineStatus


class BatchOut(OutputModel):
    id: int
    organisation_id: int
    profile: str
    file_name: str
    sha256: str
    encoding: str | None
    actor_name: str
    status: BatchStatus
    rows_read: int
    imported: int
    duplicates: int
    quarantined: int
    ignored_columns: list[str]
    started_at: dt.datetime
    finished_at: dt.datetime | None


class ProblemOut(OutputModel):
    field: str
    message: str = Field(description="In the caller's language")
    msgid: str
    params: dict[str, Any]


class QuarantinedRowOut(OutputModel):
    id: int
    line_number: int
    raw_content: str
    fields: dict[str, Any] | None
    problems: list[ProblemOut]
    status: QuarantineStatus
    record_id: int | None


class BatchDetail(BatchOut):
    quarantined_rows: list[QuarantinedRowOut] = Field(
        description="The first 200 quarantined rows; the CSV report has them all"
    )


class RowCorrection(InputModel):
    """New values for some of the row's fields (by the file's column names)."""

    fields: dict[str, Any] = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=500)
