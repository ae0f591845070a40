"""Bodies of the signals API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, JsonValue

from riskgate.core.schemas import InputModel, IntIdField, OutputModel
from riskgate.signals.enums import Granularity, Severity, SignalKind, SignalStatus


class SignalOut(OutputModel):
    id: int
    number: str
    organisation_id: int
    status: SignalStatus
    severity: Severity
    kind: SignalKind
    title: str
    series_key: str
    granularity: Granularity | None
    hazard_class: str | None
    product: str | None
    origin_country: str | None
    source_channel: str | None
    region_code: str | None
    algorithm: str | None
    first_fired_at: dt.datetime
    last_fired_at: dt.datetime
    fire_count: int
    record_count: int
    deadline_at: dt.datetime | None
    overdue: bool = False
    assignee_id: int | None
    assessment_id: int | None
    merged_into_id: int | None
    dismissal_reason: str | None
    snoozed_until: dt.datetime | None


class RecordRef(OutputModel):
    id: int
    record_number: str
    title: str
    source_channel: str
    occurred_on: dt.date | None


class ResultOut(OutputModel):
    series_key: str
    algorithm: str
    period_start: dt.date
    history: int
    observed: int
    upperbound: float | None
    alarm: bool
    reason: str | None


class SignalDetailOut(SignalOut):
    parameters: dict[str, Any]
    explanation: dict[str, Any]
    rule_text: str | None = None
    records: list[RecordRef] = Field(default_factory=list)
    results: list[ResultOut] = Field(default_factory=list)


class TransitionIn(InputModel):
    """Move a signal: to `triage`, `assessment`, `dismissed` (reason required, optional snooze
    in days) or `merged` (into the signal `merge_into`)."""

    status: SignalStatus
    reason: str | None = Field(default=None, max_length=2000)
    snooze_days: int | None = Field(default=None, ge=0, le=365)
    merge_into: IntIdField | None = None


class AssignIn(InputModel):
    """The officer to assign (null: nobody)."""

    assignee_id: IntIdField | None = None


class RunOut(OutputModel):
    jobs: list[str]


class RuleIn(InputModel):
    value: JsonValue
    reason: str | None = Field(default=None, max_length=500)


class RuleOut(OutputModel):
    name: str
    value: Any
