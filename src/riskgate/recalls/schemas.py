"""Request and response bodies of the recalls API.

Only types and bounds are checked here; the service checks what needs the database (the
enterprise exists, linked warnings, records and cases are in the actor's scope) and answers 422
naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field

from riskgate.core.schemas import InputModel, IntIdField, OutputModel
from riskgate.recalls.enums import RecallOrigin, RecallStatus, Remedy

Short = Annotated[str, Field(max_length=300)]
Text = Annotated[str, Field(max_length=20000)]
Reason = Annotated[str, Field(min_length=1, max_length=5000)]
MAX_UNITS = 2_000_000_000  # fits the integer column


class RecallIn(InputModel):
    """A recall as the regulator records it (ordered) or registers it (voluntary)."""

    origin: RecallOrigin = RecallOrigin.ordered
    organisation_id: IntIdField | None = None  # the owning regulator; default: the actor's
    enterprise_id: IntIdField | None = None
    enterprise_name: Short | None = None  # an enterprise not registered in riskgate
    title: Annotated[str, Field(min_length=1, max_length=300)]
    product_name: Annotated[str, Field(min_length=1, max_length=300)]
    category: Annotated[str, Field(max_length=100)] | None = None
    hs_code: Annotated[str, Field(max_length=10, pattern=r"^[0-9]{2,10}$")] | None = None
    brand: Annotated[str, Field(max_length=200)] | None = None
    model: Annotated[str, Field(max_length=200)] | None = None
    batch: Annotated[str, Field(max_length=200)] | None = None
    barcode: Annotated[str, Field(max_length=64)] | None = None
    units_affected: Annotated[int, Field(gt=0, le=MAX_UNITS)]
    remedies: Annotated[list[Remedy], Field(min_length=1, max_length=3)]
    plan: Text | None = None
    hazard: Text | None = None
    report_every_days: Annotated[int, Field(ge=1, le=365)] = 30
    warning_id: IntIdField | None = None
    record_id: IntIdField | None = None
    case_id: IntIdField | None = None
    public: bool = True


class RecallPatch(InputModel):
    """Changes to a draft recall (only the fields sent change)."""

    enterprise_id: IntIdField | None = None
    enterprise_name: Short | None = None
    title: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    product_name: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    category: Annotated[str, Field(max_length=100)] | None = None
    hs_code: Annotated[str, Field(max_length=10, pattern=r"^[0-9]{2,10}$")] | None = None
    brand: Annotated[str, Field(max_length=200)] | None = None
    model: Annotated[str, Field(max_length=200)] | None = None
    batch: Annotated[str, Field(max_length=200)] | None = None
    barcode: Annotated[str, Field(max_length=64)] | None = None
    units_affected: Annotated[int, Field(gt=0, le=MAX_UNITS)] | None = None
    remedies: Annotated[list[Remedy], Field(min_length=1, max_length=3)] | None = None
    plan: Text | None = None
    hazard: Text | None = None
    report_every_days: Annotated[int, Field(ge=1, le=365)] | None = None
    warning_id: IntIdField | None = None
    record_id: IntIdField | None = None
    case_id: IntIdField | None = None
    public: bool | None = None


class ProgressReportIn(InputModel):
    """A periodic progress report of the recalling enterprise. `final` says the recall is done
    (it is then marked completed even below 100 %)."""

    period_end: dt.date
    units_remedied: Annotated[int, Field(ge=0, le=MAX_UNITS)]
    by_remedy: dict[Remedy, Annotated[int, Field(ge=0, le=MAX_UNITS)]] = Field(
        default_factory=dict)
    note: Text | None = None
    final: bool = False


class ReasonIn(InputModel):
    reason: Reason


class CloseIn(InputModel):
    evaluation: Reason


class NoteIn(InputModel):
    note: Annotated[str, Field(max_length=5000)] | None = None


class ProgressReportOut(OutputModel):
    id: int
    recall_id: int
    author: str
    period_end: dt.date
    units_remedied: int
    by_remedy: dict[str, Any]
    note: str | None
    created_at: dt.datetime
    beyond_affected: bool = False  # the running sum passed units_affected with this report


class RecallOut(OutputModel):
    id: int
    number: str
    organisation_id: int
    enterprise_id: int | None
    enterprise_name: str
    origin: RecallOrigin
    status: RecallStatus
    title: str
    product_name: str
    category: str | None
    hs_code: str | None
    brand: str | None
    model: str | None
    batch: str | None
    barcode: str | None
    country: str | None
    hazard: str | None
    remedies: list[str]
    plan: str | None
    units_affected: int
    units_remedied: int
    completion_percent: float | None  # capped at 100; None when units affected are unknown
    over_reported: bool
    started_on: dt.date | None
    report_every_days: int
    next_report_due: dt.date | None
    public: bool
    warning_id: int | None
    record_id: int | None
    case_id: int | None
    source_url: str | None
    evaluation: str | None
    evaluated_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PublicRecallOut(OutputModel):
    """What the public sees of a recall: no internal links except a public warning."""

    id: int
    number: str
    enterprise_name: str
    origin: RecallOrigin
    status: RecallStatus
    title: str
    product_name: str
    category: str | None
    hs_code: str | None
    brand: str | None
    model: str | None
    batch: str | None
    barcode: str | None
    country: str | None
    hazard: str | None
    remedies: list[str]
    units_affected: int
    units_remedied: int
    completion_percent: float | None
    started_on: dt.date | None
    source_url: str | None
    url: str
