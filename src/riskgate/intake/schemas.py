"""Bodies of the import API: batches, quarantined rows, corrections, preview, profiles."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from riskgate.core.schemas import InputModel, IntIdField, OutputModel
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


class PreviewRowOut(OutputModel):
    line_number: int
    raw: str
    source: dict[str, Any] | None = Field(description="The row's values by column")
    fields: dict[str, Any] = Field(description="The record fields the row maps to")
    problems: list[ProblemOut]


class PreviewOut(OutputModel):
    profile: str
    encoding: str = Field(description="The CSV's encoding, or xlsx / xml")
    columns: list[str]
    ignored_columns: list[str]
    rows: list[PreviewRowOut]


class DryRunRowOut(OutputModel):
    line_number: int
    raw: str
    problems: list[ProblemOut]


class DryRunOut(OutputModel):
    """What committing the file would give; nothing was stored."""

    profile: str
    encoding: str | None
    rows_read: int
    imported: int = Field(description="Rows that would become new records")
    duplicates: int
    quarantined: int
    ignored_columns: list[str]
    problems: list[DryRunRowOut] = Field(description="The first 200 rows with problems")


ProfileName = Annotated[str, Field(min_length=2, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]+$")]
ProfileFormat = Literal["csv", "xlsx", "json", "xml"]
FieldName = Annotated[str, Field(min_length=1, max_length=40)]


class ProfileSettings(InputModel):
    """The settings of a saved profile that can be changed."""

    format: ProfileFormat = "csv"
    source_channel: str | None = Field(default=None, max_length=40)
    mapping: dict[Annotated[str, Field(min_length=1, max_length=200)], FieldName] = Field(
        default_factory=dict, max_length=200,
        description="Source column (XML: child element or @attribute) -> record field",
    )  # fmt: skip
    constants: dict[FieldName, Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, max_length=50, description="Record field -> value for every row"
    )
    date_format: str | None = Field(default=None, max_length=40, description="e.g. %d.%m.%Y")
    encoding: str | None = Field(default=None, max_length=20, description="CSV without BOM")
    record_path: str | None = Field(
        default=None, max_length=200, description="XML record element, or JSON dotted path"
    )
    restore_hs_zeros: bool = Field(
        default=False, description="Put back the leading zero an HS code lost in a number cell"
    )
    description: str | None = Field(default=None, max_length=500)


class ProfileCreate(ProfileSettings):
    name: ProfileName
    organisation_id: IntIdField | None = None


class ProfileUpdate(InputModel):
    format: ProfileFormat | None = None
    source_channel: str | None = Field(default=None, max_length=40)
    mapping: dict[Annotated[str, Field(min_length=1, max_length=200)], FieldName] | None = Field(
        default=None, max_length=200
    )
    constants: dict[FieldName, Annotated[str, Field(max_length=500)]] | None = Field(
        default=None, max_length=50
    )
    date_format: str | None = Field(default=None, max_length=40)
    encoding: str | None = Field(default=None, max_length=20)
    record_path: str | None = Field(default=None, max_length=200)
    restore_hs_zeros: bool | None = None
    description: str | None = Field(default=None, max_length=500)
    reason: str | None = Field(default=None, max_length=500)


class ProfileOut(OutputModel):
    id: int
    name: str
    organisation_id: int
    format: str
    source_channel: str | None
    mapping: dict[str, str]
    constants: dict[str, str]
    date_format: str | None
    encoding: str | None
    record_path: str | None
    restore_hs_zeros: bool
    description: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
