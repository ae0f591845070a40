"""JSON routes of warning tracking (W3): one warning's way from its first record to publication
and after, and the performance view per issuing organisation. (Ids in paths are `:int`, so
`/warnings/performance` is never taken for a warning id.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Query

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.warnings.tracking import service as tracking
from riskgate.warnings.tracking.schemas import PerformanceOut, TrackingOut

router = api_router(prefix="/api/v1", tags=["warnings"])


def tracking_out(result: dict[str, Any]) -> TrackingOut:
    follow_ups = result["follow_ups"]
    return TrackingOut.model_validate({
        **result,
        "follow_ups": {**follow_ups, "level_changes": [
            {"sequence": c["sequence"], "from_level": c["from"], "to_level": c["to"],
             "at": c["at"]} for c in follow_ups["level_changes"]]},
    })  # fmt: skip


@router.get("/warnings/performance", response_model=PerformanceOut,
            summary="Warning performance per issuing organisation in my scope")
def warning_performance(
    start: dt.date | None = Query(default=None, description="First day (local), inclusive"),
    end: dt.date | None = Query(default=None, description="Last day (local), inclusive"),
    ctx: RequestContext = require(Permission.WARNING_TRACKING_READ),
) -> PerformanceOut:
    timezone = ctx.settings.timezone
    first, last = tracking.default_period(timezone)
    result = tracking.performance(ctx.db, ctx.actor, start=start or first, end=end or last,
                                  timezone=timezone)
    return PerformanceOut.model_validate(result)


@router.get("/warnings/{warning_id:int}/tracking", response_model=TrackingOut,
            summary="Tracking and evaluation of one warning")
def warning_tracking(
    warning_id: IntId, ctx: RequestContext = require(Permission.WARNING_TRACKING_READ)
) -> TrackingOut:
    return tracking_out(tracking.tracking_of(ctx.db, ctx.actor, warning_id))
