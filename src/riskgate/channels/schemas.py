"""Bodies of the channels API: feed subscriptions, expectations, submissions, health."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from riskgate.catalog.enums import SourceChannel
from riskgate.channels.enums import FeedFormat, SubmissionStatus
from riskgate.channels.feeds import DEFAULTABLE, MAPPABLE
from riskgate.core.schemas import InputModel, IntIdField, OutputModel


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// address")
    return value


def _check_defaults(value: dict[str, Any]) -> dict[str, Any]:
    for key, item in value.items():
        if key not in DEFAULTABLE:
            raise ValueError(f"unknown field {key!r}; allowed: {', '.join(DEFAULTABLE)}")
        if not isinstance(item, str) or len(item) > 200:
            raise ValueError(f"{key} must be text of at most 200 characters")
    return value


def _check_field_map(value: dict[str, Any]) -> dict[str, Any]:
    for key, item in value.items():
        if key not in MAPPABLE:
            raise ValueError(f"unknown field {key!r}; allowed: {', '.join(MAPPABLE)}")
        if not isinstance(item, str) or not 1 <= len(item) <= 100:
            raise ValueError(f"{key} must name a key of 1 to 100 characters")
    return value


class FeedIn(InputModel):
    name: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=8, max_length=2000)
    format: FeedFormat
    source_channel: SourceChannel
    poll_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    enabled: bool = True
    defaults: dict[str, Any] = Field(default_factory=dict, max_length=len(DEFAULTABLE))
    field_map: dict[str, Any] = Field(default_factory=dict, max_length=len(MAPPABLE))
    organisation_id: IntIdField | None = None

    @field_validator("url")
    @classmethod
    def check_url(cls, value: str) -> str:
        return _check_url(value)

    @field_validator("defaults")
    @classmethod
    def check_defaults(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_defaults(value)

    @field_validator("field_map")
    @classmethod
    def check_field_map(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_field_map(value)


class FeedPatch(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    url: str | None = Field(default=None, min_length=8, max_length=2000)
    format: FeedFormat | None = None
    source_channel: SourceChannel | None = None
    poll_minutes: int | None = Field(default=None, ge=5, le=7 * 24 * 60)
    enabled: bool | None = None
    defaults: dict[str, Any] | None = Field(default=None, max_length=len(DEFAULTABLE))
    field_map: dict[str, Any] | None = Field(default=None, max_length=len(MAPPABLE))
    reason: str | None = Field(default=None, max_length=500)

    @field_validator("url")
    @classmethod
    def check_url(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)

    @field_validator("defaults")
    @classmethod
    def check_defaults(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else _check_defaults(value)

    @field_validator("field_map")
    @classmethod
    def check_field_map(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else _check_field_map(value)


class FeedOut(OutputModel):
    id: int
    organisation_id: int
    name: str
    url: str
    format: FeedFormat
    source_channel: SourceChannel
    poll_minutes: int
    enabled: bool
    defaults: dict[str, Any]
    field_map: dict[str, Any]
    next_poll_at: dt.datetime | None
    last_polled_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_status: int | None
    last_error: str | None
    consecutive_failures: int
    last_batch_id: int | None


class ExpectationIn(InputModel):
    cadence_days: int = Field(ge=1, le=366)
    monitored: bool = True
    reason: str | None = Field(default=None, max_length=500)


class ExpectationOut(OutputModel):
    source_channel: SourceChannel
    cadence_days: int
    monitored: bool
    overridden: bool


class SilenceOut(OutputModel):
    id: int
    source_channel: SourceChannel
    organisation_id: int
    last_record_at: dt.datetime
    cadence_days: int
    detected_at: dt.datetime
    cleared_at: dt.datetime | None
    notified_users: int


class ChannelHealthOut(OutputModel):
    channel: SourceChannel
    last_received_at: dt.datetime | None
    total: int
    last_day: int
    last_week: int
    weekly: list[int] = Field(description="Records per week, oldest first (weeks start Monday)")
    daily: list[int] = Field(description="Records per day over the last 30 days, oldest first")
    rows_read: int
    quarantined: int
    rejection_rate: float | None
    cadence_days: int
    monitored: bool
    silent: bool


class HealthOut(OutputModel):
    generated_at: dt.datetime
    days: list[dt.date]
    weeks: list[dt.date]
    channels: list[ChannelHealthOut]
    mixed_files: dict[str, Any]


class UnitIn(InputModel):
    active: bool = True


class UnitOut(OutputModel):
    id: int
    organisation_id: int
    active: bool


class SubmitIn(InputModel):
    organisation_id: IntIdField | None = None
    note: str | None = Field(default=None, max_length=2000)


class SubmissionOut(OutputModel):
    id: int
    organisation_id: int
    year: int
    quarter: int
    status: SubmissionStatus
    due_on: dt.date
    submitted_at: dt.datetime | None
    submitted_by: str | None
    batch_ids: list[int]
    record_count: int
    note: str | None


class UploadOut(OutputModel):
    submission: SubmissionOut
    batch_id: int
    counts: dict[str, int]


class CellOut(OutputModel):
    year: int
    quarter: int
    status: SubmissionStatus
    due_on: dt.date
    overdue: bool
    submitted_at: dt.datetime | None
    record_count: int
    submission_id: int | None


class MatrixRowOut(OutputModel):
    organisation_id: int
    code: str
    name_zh: str
    name_en: str | None
    cells: list[CellOut]
