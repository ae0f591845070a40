"""Signals, the records behind them, detection runs and their per-series results, rule settings.

A signal belongs to the organisation that owns its records (the lowest common ancestor of their
organisations, so every unit whose subtree holds all of them sees it); `root_organisation_id` is
the top-level organisation whose subtree the series was built over, and with `series_key` it is
the key that deduplication and snoozes work on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.core.db import Base, TimestampMixin, string_enum
from riskgate.signals.enums import Granularity, Severity, SignalKind, SignalStatus


class Signal(TimestampMixin, Base):
    """One early-warning signal: why it fired (`explanation`), its records, its triage state."""

    __tablename__ = "signal"
    __table_args__ = (Index("ix_signal_root_key_status", "root_organisation_id", "series_key",
                            "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    root_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[SignalStatus] = mapped_column(string_enum(SignalStatus, 12), index=True)
    severity: Mapped[Severity] = mapped_column(string_enum(Severity, 10))
    kind: Mapped[SignalKind] = mapped_column(string_enum(SignalKind, 30))
    title: Mapped[str] = mapped_column(String(300))
    series_key: Mapped[str] = mapped_column(String(300))
    granularity: Mapped[Granularity | None] = mapped_column(string_enum(Granularity, 5))
    hazard_class: Mapped[str | None] = mapped_column(String(20))
    product: Mapped[str | None] = mapped_column(String(200))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    source_channel: Mapped[str | None] = mapped_column(String(40))
    region_code: Mapped[str | None] = mapped_column(String(12))
    algorithm: Mapped[str | None] = mapped_column(String(40))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Why it fired: the rule text, the series with its bounds, the alarms that joined it.
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    first_fired_at: Mapped[dt.datetime] = mapped_column(index=True)
    last_fired_at: Mapped[dt.datetime]
    fire_count: Mapped[int] = mapped_column(Integer, default=1)
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    deadline_at: Mapped[dt.datetime | None]
    overdue_notified_at: Mapped[dt.datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("risk_assessment.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("signal.id"))
    dismissal_reason: Mapped[str | None] = mapped_column(Text)
    snoozed_until: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]

    def snapshot(self) -> dict[str, Any]:
        """The audited triage fields."""
        return {
            "status": self.status, "severity": self.severity, "assignee_id": self.assignee_id,
            "deadline_at": self.deadline_at, "assessment_id": self.assessment_id,
            "merged_into_id": self.merged_into_id, "dismissal_reason": self.dismissal_reason,
            "snoozed_until": self.snoozed_until, "record_count": self.record_count,
            "organisation_id": self.organisation_id,
        }  # fmt: skip


class SignalRecord(Base):
    """A record behind a signal."""

    __tablename__ = "signal_record"

    signal_id: Mapped[int] = mapped_column(
        ForeignKey("signal.id", ondelete="CASCADE"), primary_key=True
    )
    record_id: Mapped[int] = mapped_column(
        ForeignKey("risk_record.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[dt.datetime]


class SignalSequence(Base):
    """The last signal number handed out in a year (SG-2026-0001)."""

    __tablename__ = "signal_sequence"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer)


class DetectionRun(Base):
    """One pass of the detection job over one top-level organisation's series."""

    __tablename__ = "detection_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    root_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    granularity: Mapped[Granularity] = mapped_column(string_enum(Granularity, 5))
    as_of: Mapped[dt.date] = mapped_column(Date)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    series_built: Mapped[int] = mapped_column(Integer, default=0)
    series_tested: Mapped[int] = mapped_column(Integer, default=0)
    alarms: Mapped[int] = mapped_column(Integer, default=0)
    signals_opened: Mapped[int] = mapped_column(Integer, default=0)
    signals_joined: Mapped[int] = mapped_column(Integer, default=0)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DetectionResult(Base):
    """The outcome of one algorithm on one tested series in a run (its latest period)."""

    __tablename__ = "detection_result"
    __table_args__ = (Index("ix_detection_result_key", "series_key", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("detection_run.id", ondelete="CASCADE"), index=True
    )
    series_key: Mapped[str] = mapped_column(String(300))
    algorithm: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[dt.date] = mapped_column(Date)
    history: Mapped[int] = mapped_column(Integer)
    observed: Mapped[int] = mapped_column(Integer)
    upperbound: Mapped[float | None] = mapped_column(Float)
    alarm: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(200))
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signal.id", ondelete="SET NULL"))


class SignalRule(Base):
    """An override of one detection or threshold setting (`rules.DEFAULTS` names them)."""

    __tablename__ = "signal_rule"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str] = mapped_column(String(100))
