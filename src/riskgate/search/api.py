"""JSON routes of record search: the list of risk records in scope with search and filters, and
its export (CSV or Excel). Records themselves are read and pushed through riskgate.records.api."""

from __future__ import annotations

import datetime as dt

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse

from riskgate.catalog.enums import HazardClass, SourceChannel
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntIdQuery
from riskgate.records.schemas import RecordOut
from riskgate.search import export as search_export
from riskgate.search import service as search
from riskgate.search.service import MAX_QUERY, RecordFilters

router = api_router(prefix="/api/v1", tags=["records"])


def record_filters(
    channel: SourceChannel | None = None,
    hazard_class: HazardClass | None = None,
    country: str | None = Query(default=None, pattern="^[A-Za-z]{2}$", description="Origin"),
    hs_prefix: str | None = Query(default=None, pattern="^[0-9]{2,10}$"),
    occurred_from: dt.date | None = None,
    occurred_to: dt.date | None = None,
    batch_id: IntIdQuery = None,
    enterprise: str | None = Query(
        default=None, max_length=300, description="USCC, or part of an enterprise's name"
    ),
) -> RecordFilters:
    """The filters shared by the list, the search and the export."""
    return RecordFilters(
        channel=channel, hazard_class=hazard_class, country=country, hs_prefix=hs_prefix,
        occurred_from=occurred_from, occurred_to=occurred_to, batch_id=batch_id,
        enterprise=enterprise,
    )  # fmt: skip


SEARCH_TEXT = Query(
    default=None, max_length=MAX_QUERY,
    description="Search text (Chinese or other words; all must match); empty lists everything",
)  # fmt: skip


@router.get("/records", response_model=Page[RecordOut], summary="Risk records in my scope")
def list_records(
    q: str | None = SEARCH_TEXT,
    filters: RecordFilters = Depends(record_filters),
    sort: str | None = Query(default=None, description="id, received_at, record_number; -desc"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.RECORD_READ),
) -> Page[RecordOut]:
    """With `q` and no `sort`, results are ranked (best match, then newest) and the cursor
    pages by offset up to 1,000 results; otherwise keyset cursors over the sort order."""
    rows, next_cursor = search.list_records(
        ctx.db, ctx.actor, q, filters, sort=sort, limit=limit, cursor=cursor
    )
    return Page(items=[RecordOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/records/export", summary="Export risk records (CSV or Excel), at most 100,000",
    response_class=StreamingResponse,
    responses={200: {"content": {t: {} for t in search_export.FORMATS.values()}}},
)  # fmt: skip
def export_records(
    format: str = Query(default="csv", pattern="^(csv|xlsx)$"),  # noqa: A002
    q: str | None = SEARCH_TEXT,
    filters: RecordFilters = Depends(record_filters),
    ctx: RequestContext = require(Permission.RECORD_EXPORT),
) -> StreamingResponse:
    """The records the same search would list; headers in the caller's language; audited."""
    file, count = search_export.export_records(
        ctx.db, ctx.actor, q, filters, format, ctx.language
    )
    stamp = dt.datetime.now(search_export.TIME_ZONE).strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(
        search_export.chunks(file),
        media_type=search_export.FORMATS[format],
        headers={
            "Content-Disposition": f'attachment; filename="risk-records-{stamp}.{format}"',
            "X-Export-Rows": str(count),
            "X-Export-Limit": str(search_export.MAX_EXPORT_ROWS),
        },
    )
