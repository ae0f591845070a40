"""Bodies of the monitoring API: plans and their versions, sampling tasks, results, points.

Catalogue values (HS codes, countries, ports, regions) are checked by the service, which names
the bad field in a translatable problem; these models check shapes and bounds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from riskgate.catalog.enums import HazardClass, HazardType
from riskgate.core.schemas import InputModel, IntIdField, OutputModel
from riskgate.monitoring.enums import (
    Comparison,
    PlanStatus,
    PointType,
    SchedulePeriod,
    TaskStatus,
)

Measured = Field(ge=-1e12, le=1e12, allow_inf_nan=False)
Code = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")


class TestItemIn(InputModel):
    """A test item of a target: what is measured, its hazard, and the limit to pass."""

    name: str = Field(min_length=1, max_length=200)
    hazard_type: HazardType | None = None
    comparison: Comparison = Comparison.le
    limit: float | None = Field(default=None, ge=-1e12, le=1e12, allow_inf_nan=False)
    unit: str | None = Field(default=None, max_length=40)


class TargetIn(InputModel):
    """What to sample (product category / HS code, hazards, origins, ports and markets), how
    many samples, spread over the periods, and which test items with which limits."""

    key: str | None = Field(default=None, min_length=1, max_length=40,
                            pattern=r"^[A-Za-z0-9_-]+$")
    product_category: str | None = Field(default=None, max_length=200)
    hs_code: str | None = Field(default=None, max_length=12)
    hazard_class: HazardClass | None = None
    hazard_types: list[HazardType] = Field(default_factory=list, max_length=20)
    origin_countries: list[str] = Field(default_factory=list, max_length=50)
    port_codes: list[str] = Field(default_factory=list, max_length=50)
    region_codes: list[str] = Field(default_factory=list, max_length=50)
    monitoring_point_ids: list[IntIdField] = Field(default_factory=list, max_length=20)
    organisation_id: IntIdField | None = None
    samples: int = Field(ge=1, le=100_000)
    distribution: list[int] | None = Field(default=None, min_length=4, max_length=12)
    test_items: list[TestItemIn] = Field(min_length=1, max_length=50)


class PlanIn(InputModel):
    organisation_id: IntIdField | None = None
    year: int = Field(ge=2000, le=2100)
    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    period: SchedulePeriod = SchedulePeriod.quarter
    targets: list[TargetIn] = Field(default_factory=list, max_length=200)


class RevisionIn(InputModel):
    """A change of the plan's content; a reason is required once the current version is
    approved (the change then becomes version n+1)."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    period: SchedulePeriod | None = None
    targets: list[TargetIn] | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=2000)


class PlanTransitionIn(InputModel):
    event: Literal["approve", "close"]
    reason: str | None = Field(default=None, max_length=2000)


class AssignIn(InputModel):
    organisation_id: IntIdField | None = None
    assignee_user_id: IntIdField | None = None
    monitoring_point_id: IntIdField | None = None


class TaskTransitionIn(InputModel):
    event: Literal["sample", "complete", "cancel"]
    samples_taken: int | None = Field(default=None, ge=0, le=100_000)
    reason: str | None = Field(default=None, max_length=2000)


class ResultIn(InputModel):
    """One test item of one sample. Hazard type, comparison, limit and unit default to the
    target's test item of the same name; `passed` overrides the computed verdict (with a reason)."""

    sample_code: str = Field(min_length=1, max_length=60)
    test_item: str = Field(min_length=1, max_length=200)
    hazard_type: HazardType | None = None
    measured_value: float = Measured
    unit: str | None = Field(default=None, max_length=40)
    limit: float | None = Field(default=None, ge=-1e12, le=1e12, allow_inf_nan=False)
    comparison: Comparison | None = None
    passed: bool | None = None
    override_reason: str | None = Field(default=None, max_length=2000)
    lab_name: str | None = Field(default=None, max_length=200)
    tested_on: dt.date | None = None
    product_name: str | None = Field(default=None, max_length=500)
    origin_country: str | None = Field(default=None, max_length=60)
    port_code: str | None = Field(default=None, max_length=40)
    region_code: str | None = Field(default=None, max_length=12)
    enterprise_uscc: str | None = Field(default=None, max_length=18)
    enterprise_name: str | None = Field(default=None, max_length=300)
    monitoring_point_id: IntIdField | None = None


class ResultsIn(InputModel):
    items: list[ResultIn] = Field(min_length=1, max_length=500)


class PointIn(InputModel):
    organisation_id: IntIdField | None = None
    code: str = Code
    name: str = Field(min_length=1, max_length=200)
    point_type: PointType
    region_code: str | None = Field(default=None, max_length=12)
    port_code: str | None = Field(default=None, max_length=40)
    hs_chapters: list[str] = Field(default_factory=list, max_length=99)
    product_categories: list[str] = Field(default_factory=list, max_length=50)
    description: str | None = Field(default=None, max_length=4000)
    active: bool = True


class PointPatch(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    point_type: PointType | None = None
    region_code: str | None = Field(default=None, max_length=12)
    port_code: str | None = Field(default=None, max_length=40)
    hs_chapters: list[str] | None = Field(default=None, max_length=99)
    product_categories: list[str] | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=4000)
    active: bool | None = None
    reason: str | None = Field(default=None, max_length=2000)


# --- Output --------------------------------------------------------------------------------


class VersionOut(OutputModel):
    version: int
    title: str
    description: str | None
    period: SchedulePeriod
    targets: list[dict[str, Any]]
    reason: str | None
    created_by: str
    created_at: dt.datetime
    approved_at: dt.datetime | None
    approved_by: str | None


class PlanOut(OutputModel):
    id: int
    number: str
    organisation_id: int
    year: int
    status: PlanStatus
    current_version: int
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    content: VersionOut | None = None


class TaskOut(OutputModel):
    id: int
    number: str
    plan_id: int
    plan_version: int
    organisation_id: int
    target_key: str
    period: int
    samples_planned: int
    samples_taken: int
    due_on: dt.date
    status: TaskStatus
    assignee_user_id: int | None
    monitoring_point_id: int | None
    cancel_reason: str | None
    done_at: dt.datetime | None


class GenerateOut(OutputModel):
    created: int
    existing: int
    tasks: list[TaskOut]


class ResultOut(OutputModel):
    id: int
    task_id: int
    sample_code: str
    test_item: str
    hazard_type: HazardType | None
    measured_value: float
    unit: str | None
    limit_value: float | None
    comparison: Comparison
    computed_passed: bool
    passed: bool
    override_reason: str | None
    lab_name: str | None
    tested_on: dt.date | None
    product_name: str
    origin_country: str | None
    port_code: str | None
    region_code: str | None
    enterprise_uscc: str | None
    enterprise_name: str | None
    monitoring_point_id: int | None
    record_id: int | None


class StoredResultOut(OutputModel):
    result: ResultOut
    created: bool


class ImportRowProblem(OutputModel):
    line: int
    raw: str
    problems: list[str]


class ImportOut(OutputModel):
    rows_read: int
    stored: int
    duplicates: int
    failed: int
    records: int
    rejected: list[ImportRowProblem]


class ProgressRow(OutputModel):
    target_key: str
    label: str
    period: int | None
    planned: int
    taken: int
    tested: int
    failed: int


class ProgressOut(OutputModel):
    plan_id: int
    period: SchedulePeriod
    totals: ProgressRow
    by_target: list[ProgressRow]
    by_period: list[ProgressRow]
    cells: list[ProgressRow]
    overdue: list[TaskOut]


class PointOut(OutputModel):
    id: int
    organisation_id: int
    code: str
    name: str
    point_type: PointType
    region_code: str | None
    port_code: str | None
    hs_chapters: list[str]
    product_categories: list[str]
    description: str | None
    active: bool


class SeriesPoint(OutputModel):
    week_start: dt.date
    count: int


class SeriesOut(OutputModel):
    point_id: int
    weeks: list[SeriesPoint]
