"""Monitoring plans with their versions, sampling tasks and results (M1); monitoring points and
the records attributed to them (M4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.catalog.enums import HazardType
from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow
from riskgate.monitoring.enums import (
    Comparison,
    PlanStatus,
    PointType,
    SchedulePeriod,
    TaskStatus,
)


class MonitoringPoint(TimestampMixin, Base):
    """A monitoring point (风险监测点): a port, zone, platform or market watched for a commodity
    focus (HS chapters, product categories), owned by an organisation."""

    __tablename__ = "monitoring_point"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    point_type: Mapped[PointType] = mapped_column(
        string_enum(PointType, 30, validate_strings=False)
    )
    region_code: Mapped[str | None] = mapped_column(String(12))
    port_code: Mapped[str | None] = mapped_column(String(40))
    hs_chapters: Mapped[list[str]] = mapped_column(JSON, default=list)
    product_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MonitoringPointRecord(Base):
    """A risk record attributed to a monitoring point (a link, so risk_record stays unchanged)."""

    __tablename__ = "monitoring_point_record"

    point_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_point.id", ondelete="CASCADE"), primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("risk_record.id", ondelete="CASCADE"), primary_key=True, index=True)
    attributed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MonitoringPlan(TimestampMixin, Base):
    """One unit's annual monitoring plan; its content lives in versions (`current_version`)."""

    __tablename__ = "monitoring_plan"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[PlanStatus] = mapped_column(string_enum(PlanStatus, 20, validate_strings=False))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    closed_at: Mapped[dt.datetime | None]

    @property
    def number(self) -> str:
        return f"MP-{self.year}-{self.id:04d}"


class MonitoringPlanVersion(Base):
    """The content of a plan as approved (or drafted) at one time; older versions stay readable.

    `targets` is a list of dicts (see `monitoring.schemas.TargetIn`), each with a stable `key`.
    A version is editable in place until it is approved; a change after that is version n+1.
    """

    __tablename__ = "monitoring_plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("monitoring_plan.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    period: Mapped[SchedulePeriod] = mapped_column(
        string_enum(SchedulePeriod, 10, validate_strings=False)
    )
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[dt.datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(100))


class SamplingTask(TimestampMixin, Base):
    """The samples of one plan target in one schedule period, assigned to a unit (and officer)."""

    __tablename__ = "sampling_task"
    __table_args__ = (UniqueConstraint("plan_id", "target_key", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("monitoring_plan.id"), index=True)
    plan_version: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    target_key: Mapped[str] = mapped_column(String(40))
    period: Mapped[int] = mapped_column(Integer)
    samples_planned: Mapped[int] = mapped_column(Integer)
    samples_taken: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[TaskStatus] = mapped_column(
        string_enum(TaskStatus, 20, validate_strings=False), index=True
    )
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    monitoring_point_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_point.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[dt.datetime | None]

    @property
    def number(self) -> str:
        return f"ST-{self.due_on.year}-{self.id:06d}"


class SamplingResult(TimestampMixin, Base):
    """One test item of one sample: measured value against the limit, pass or fail, lab.

    `passed` is computed from the limit and comparison unless an officer overrode it (with a
    reason). A failing result is stored as a risk record (`record_id`).
    """

    __tablename__ = "sampling_result"
    __table_args__ = (UniqueConstraint("task_id", "sample_code", "test_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("sampling_task.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    sample_code: Mapped[str] = mapped_column(String(60))
    test_item: Mapped[str] = mapped_column(String(200))
    hazard_type: Mapped[HazardType | None] = mapped_column(
        string_enum(HazardType, 40, validate_strings=False)
    )
    measured_value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(40))
    limit_value: Mapped[float | None] = mapped_column(Float)
    comparison: Mapped[Comparison] = mapped_column(
        string_enum(Comparison, 10, validate_strings=False)
    )
    computed_passed: Mapped[bool] = mapped_column(Boolean)
    passed: Mapped[bool] = mapped_column(Boolean)
    override_reason: Mapped[str | None] = mapped_column(Text)
    lab_name: Mapped[str | None] = mapped_column(String(200))
    tested_on: Mapped[dt.date | None] = mapped_column(Date)
    product_name: Mapped[str] = mapped_column(String(500))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    port_code: Mapped[str | None] = mapped_column(String(40))
    region_code: Mapped[str | None] = mapped_column(String(12))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18))
    enterprise_name: Mapped[str | None] = mapped_column(String(300))
    monitoring_point_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_point.id"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("risk_record.id"))
    entered_by: Mapped[str] = mapped_column(String(100))
