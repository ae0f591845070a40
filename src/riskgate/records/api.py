"""JSON routes for unified risk records: list, read, push one, push many."""

from __future__ import annotations

import datetime as dt

from fastapi import Query, Response

from riskgate.catalog.enums import HazardClass, SourceChannel
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.schemas import IntId, IntIdQuery
from riskgate.identity.permissions import Permission
from riskgate.records import service
from riskgate.records.models import RiskRecord
from riskgate.records.schemas import (
    PushBatchOut,
    PushResult,
    RecordBatchIn,
    RecordDetail,
    RecordIn,
    RecordOut,
)

router = api_router(prefix="/api/v1", tags=["records"])

# Not occurred_on: it may be empty, and a cursor cannot step over NULLs.
RECORD_SORTS = {
    "id": RiskRecord.id,
    "received_at": RiskRecord.received_at,
    "record_number": RiskRecord.record_number,
}


@router.get("/records", response_model=Page[RecordOut], summary="Risk records in my scope")
def list_records(
    channel: SourceChannel | None = None,
    hazard_class: HazardClass | None = None,
    country: str | None = Query(default=None, pattern="^[A-Za-z]{2}$", description="Origin"),
    hs_prefix: str | None = Query(default=None, pattern="^[0-9]{2,10}$"),
    occurred_from: dt.date | None = None,
    occurred_to: dt.date | None = None,
    batch_id: IntIdQuery = None,
    sort: str | None = Query(default=None, description="id, received_at, record_number; -desc"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.RECORD_READ),
) -> Page[RecordOut]:
    stmt = service.records_statement(
        ctx.actor, channel=channel, hazard_class=hazard_class, country=country,
        hs_prefix=hs_prefix, occurred_from=occurred_from, occurred_to=occurred_to,
        batch_id=batch_id,
    )  # fmt: skip
    rows, next_cursor = paginate(
        ctx.db, stmt, id_column=RiskRecord.id, allowed_sorts=RECORD_SORTS, sort=sort,
        default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[RecordOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/records/{record_id}", response_model=RecordDetail)
def get_record(record_id: IntId, ctx: RequestContext = require(Permission.RECORD_READ)):
    return RecordDetail.model_validate(service.get_record(ctx.db, ctx.actor, record_id))


@router.post("/records", response_model=PushResult, status_code=201, summary="Push one risk record")
def create_record(
    body: RecordIn, ctx: RequestContext = require(Permission.RECORD_WRITE)
) -> Response:
    """Idempotent on (source channel, external reference) and on Idempotency-Key."""

    def create() -> PushResult:
        (result,) = service.push_records(ctx.db, ctx.actor, [body.model_dump()])
        return PushResult.model_validate(result)

    return idempotent(ctx, body, create)


@router.post(
    "/records/batch", response_model=PushBatchOut, status_code=201,
    summary="Push up to 500 risk records (all valid or none)",
)  # fmt: skip
def create_records(
    body: RecordBatchIn, ctx: RequestContext = require(Permission.RECORD_WRITE)
) -> Response:
    def create() -> PushBatchOut:
        results = service.push_records(
            ctx.db, ctx.actor, [item.model_dump() for item in body.items], batch=True
        )
        created = sum(1 for r in results if r.created)
        return PushBatchOut(
            created=created,
            duplicates=len(results) - created,
            items=[PushResult.model_validate(r) for r in results],
        )

    return idempotent(ctx, body, create)
