"""JSON routes of warning tracking (W3): one warning's way from its first record to publication
and after, and the performance view per issuing organisation.

Registered before the other warning routers: `/warnings/performance` must not be taken for a
warning id.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from fastapi import Query

from riskgate.catalog.enums import WarningLevel
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId, OutputModel
from riskgate.warnings import tracking

router = api_router(prefix="/api/v1", tags=["warnings"])


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


def tracking_out(result: dict) -> TrackingOut:  # type: ignore[type-arg]
    follow_ups = result["follow_ups"]
    return TrackingOut.model_validate({
        **result,
        "follow_ups": {**follow_ups, "level_changes": [
            {"sequence": c["sequence"], "from_level": c["from"], "to_level": c["to"],
             "at": c["at"]} for c in follow_ups["level_changes"]]},
    })  # fmt: skip


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 90 days up to today."""
    return today - dt.timedelta(days=89), today


@router.get("/warnings/performance", response_model=PerformanceOut,
            summary="Warning performance per issuing organisation in my scope")
def warning_performance(
    start: dt.date | None = Query(default=None, description="First day (local), inclusive"),
    end: dt.date | None = Query(default=None, description="Last day (local), inclusive"),
    ctx: RequestContext = require(Permission.WARNING_TRACKING_READ),
) -> PerformanceOut:
    timezone = ctx.settings.timezone
    first, last = default_period(dt.datetime.now(ZoneInfo(timezone)).date())
    result = tracking.performance(ctx.db, ctx.actor, start=start or first, end=end or last,
                                  timezone=timezone)
    return PerformanceOut.model_validate(result)


@router.get("/warnings/{warning_id:int}/tracking", response_model=TrackingOut,
            summary="Tracking and evaluation of one warning")
def warning_tracking(
    warning_id: IntId, ctx: RequestContext = require(Permission.WARNING_TRACKING_READ)
) -> TrackingOut:
    return tracking_out(tracking.tracking_of(ctx.db, ctx.actor, warning_id))
