"""JSON routes for unified risk records: read one, push one, push many (the list, search and
export are the search domain's: riskgate.search.api)."""

from __future__ import annotations

from fastapi import Response

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.records import service
from riskgate.records.schemas import (
    PushBatchOut,
    PushResult,
    RecordBatchIn,
    RecordDetail,
    RecordIn,
)

router = api_router(prefix="/api/v1", tags=["records"])


@router.get("/records/{record_id:int}", response_model=RecordDetail)
def get_record(record_id: IntId,
               ctx: RequestContext = require(Permission.RECORD_READ)) -> RecordDetail:
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
