"""Rapid response: joint-disposal rules, cases, tasks, and progress reports with evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.catalog.enums import MeasureType, WarningLevel, WarningType
from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow
from riskgate.identity.enums import OrgType
from riskgate.response.enums import CaseOrigin, CaseStatus, TaskStatus, UnitRole


class DisposalRule(TimestampMixin, Base):
    """A joint-disposal rule (联防联控规则, R1): for warnings of this level, type and product
    category (NULL = any), this measure is required, led by units of `lead_org_type` with
    `cooperating_org_types`, due `deadline_hours` after publication. The most specific active
    rule per measure wins (category, then type, then level)."""

    __tablename__ = "disposal_rule"
    __table_args__ = (Index("ix_disposal_rule_match", "active", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[WarningLevel | None] = mapped_column(string_enum(WarningLevel, 4))
    warning_type: Mapped[WarningType | None] = mapped_column(string_enum(WarningType, 20))
    category: Mapped[str | None] = mapped_column(String(100))
    measure: Mapped[MeasureType] = mapped_column(string_enum(MeasureType, 40))
    lead_org_type: Mapped[OrgType] = mapped_column(string_enum(OrgType, 40, validate_strings=False))
    cooperating_org_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline_hours: Mapped[int] = mapped_column(Integer)
    instructions: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class ResponseCase(TimestampMixin, Base):
    """A response case (处置案件) for one published warning: the tasks it set off and their
    progress. Owned by the warning's issuing organisation."""

    __tablename__ = "response_case"
    __table_args__ = (Index("ix_response_case_org_status", "organisation_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("public_warning.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[WarningLevel] = mapped_column(string_enum(WarningLevel, 4))
    origin: Mapped[CaseOrigin] = mapped_column(string_enum(CaseOrigin, 10))
    status: Mapped[CaseStatus] = mapped_column(string_enum(CaseStatus, 20), index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opened_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[dt.datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(100))
    close_note: Mapped[str | None] = mapped_column(Text)


class ResponseTask(TimestampMixin, Base):
    """One measure for one unit (lead or cooperating) with its deadline (G1)."""

    __tablename__ = "response_task"
    __table_args__ = (
        Index("ix_response_task_org_status", "organisation_id", "status"),
        Index("ix_response_task_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("response_case.id", ondelete="CASCADE"), index=True
    )
    measure: Mapped[MeasureType] = mapped_column(string_enum(MeasureType, 40))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    unit_role: Mapped[UnitRole] = mapped_column(string_enum(UnitRole, 20))
    disposal_rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("disposal_rule.id", ondelete="SET NULL")
    )
    instructions: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[dt.datetime]
    status: Mapped[TaskStatus] = mapped_column(string_enum(TaskStatus, 20))
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    waived_reason: Mapped[str | None] = mapped_column(Text)
    # Why a task was closed unfinished (status `closed`): "warning lifted" / "warning withdrawn".
    closed_reason: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(100))


class TaskReport(Base):
    """A progress report on a task, with the quantities handled (seized, returned, destroyed,
    recalled: units and value in CNY) and evidence files."""

    __tablename__ = "task_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("response_task.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    author: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    quantities: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TaskEvidence(Base):
    """An evidence file of a task report, stored by content hash like record attachments."""

    __tablename__ = "task_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("task_report.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
