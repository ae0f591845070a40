"""Response bodies of warning tracking (W3): one warning's way from its first record to
publication and after, and the performance view per issuing organisation."""

from __future__ import annotations

import datetime as dt

from riskgate.catalog.enums import WarningLevel
from riskgate.core.schemas import OutputModel


class MilestoneOut(OutputModel):
    key: str
    at: dt.datetime | None
    hours_since_previous: float | None


class DurationsOut(OutputModel):
    record_to_publication_hours: float | None
    signal_to_publication_hours: float | None
    assessment_to_publication_hours: float | None


class EvidenceCountsOut(OutputModel):
    records: int
    signals: int
    assessments: int


class AcknowledgementOut(OutputModel):
    deliveries: int
    acknowledged: int
    pending: int
    overdue: int
    rate: float | None


class MeasureProgressOut(OutputModel):
    code: str
    name_zh: str
    name_en: str
    recipients: int
    acknowledged: int


class LevelChangeOut(OutputModel):
    sequence: int
    from_level: WarningLevel
    to_level: WarningLevel
    at: dt.datetime


class FollowUpSummaryOut(OutputModel):
    count: int
    adjustments: int
    liftings: int
    withdrawals: int
    level_changes: list[LevelChangeOut]


class TrackingOut(OutputModel):
    warning_id: int
    number: str
    status: str
    level: WarningLevel
    warning_type: str
    milestones: list[MilestoneOut]
    durations: DurationsOut
    evidence: EvidenceCountsOut
    acknowledgement: AcknowledgementOut
    measures: list[MeasureProgressOut]
    follow_ups: FollowUpSummaryOut
    days_in_force: int | None


class OrganisationPerformanceOut(OutputModel):
    organisation_id: int
    name_zh: str
    name_en: str
    issued: int
    by_level: dict[str, int]
    by_type: dict[str, int]
    median_hours_record_to_publication: float | None
    median_hours_signal_to_publication: float | None
    median_hours_assessment_to_publication: float | None
    adjustments: int
    liftings: int
    withdrawals: int
    deliveries: int
    acknowledged: int
    overdue: int
    acknowledgement_rate: float | None


class PerformanceOut(OutputModel):
    start: dt.date
    end: dt.date
    organisations: list[OrganisationPerformanceOut]
    totals: dict[str, int]
