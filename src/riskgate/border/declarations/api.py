"""JSON routes of declaration screening (U3): one declaration, batches and files, the list and
detail with reasons in words (and each line's inspection), replay, batch reports with their
rejected lines. Each route calls one service function."""

from __future__ import annotations

import datetime as dt

from fastapi import File, Query, Response, UploadFile
from sqlalchemy.orm import Session

from riskgate.border.declarations import batch as decl_batch
from riskgate.border.declarations import files as decl_files
from riskgate.border.declarations import service
from riskgate.border.declarations.reasons import reason_text
from riskgate.border.declarations.schemas import (
    BatchOut,
    DeclarationBatchIn,
    DeclarationIn,
    DeclarationOut,
    DeclarationSummaryOut,
    LineOut,
    RejectedOut,
    ReplayOut,
    RetryIn,
)
from riskgate.border.enums import Lane
from riskgate.border.inspection import service as inspection
from riskgate.border.models import Declaration, DeclarationBatch
from riskgate.core.errors import PayloadTooLarge
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId

router = api_router(prefix="/api/v1/border", tags=["border"])


def detail(db: Session, declaration: Declaration, language: str, *,
           fresh: bool = False) -> DeclarationOut:
    """The declaration with each line's lane, reasons (raw and in words) and inspection
    (`fresh`: just screened, so there is no inspection to look up)."""
    lines = service.lines_of(db, declaration.id)
    results = {} if fresh else inspection.results_of(db, declaration.id)
    numbers = inspection.record_numbers(db, [r.record_id for r in results.values()
                                             if r.record_id])
    line_items = []
    for line in lines:
        result = results.get(line.id)
        line_items.append(LineOut.model_validate({
            **{name: getattr(line, name) for name in LineOut.model_fields
               if name not in ("reasons", "inspection", "lane")},
            "lane": line.lane.value,
            "reasons": [{**reason, "text": reason_text(reason, language)}
                        for reason in line.reasons],
            "inspection": None if result is None else {
                "outcome": result.outcome.value, "findings": result.findings,
                "record_id": result.record_id,
                "record_number": numbers.get(result.record_id or 0)},
        }))  # fmt: skip
    return DeclarationOut.model_validate({
        **{name: getattr(declaration, name) for name in DeclarationOut.model_fields
           if name != "lines"},
        "lines": line_items,
    })


def batch_out(db: Session, batch: DeclarationBatch, offset: int = 0,
              limit: int = decl_batch.REJECTED_SHOWN) -> BatchOut:
    rejected = decl_batch.rejected_of(db, batch.id, limit=limit + 1, offset=offset)
    return BatchOut.model_validate({
        **{name: getattr(batch, name) for name in BatchOut.model_fields
           if name not in ("rejected", "rejected_more")},
        "rejected": [RejectedOut.model_validate(r) for r in rejected[:limit]],
        "rejected_more": len(rejected) > limit,
    })


@router.post("/declarations", response_model=DeclarationOut, status_code=201,
             summary="Screen one declaration: each line's lane and the reasons for it")
def submit_declaration(body: DeclarationIn,
                       ctx: RequestContext = require(Permission.DECLARATION_SUBMIT)) -> Response:
    def create() -> DeclarationOut:
        declaration = service.screen_declaration(ctx.db, ctx.actor,
                                                 body.model_dump(mode="json"))
        return detail(ctx.db, declaration, ctx.language, fresh=True)

    return idempotent(ctx, body, create)


@router.get("/declarations", response_model=Page[DeclarationSummaryOut],
            summary="Declarations screened in my scope")
def list_declarations(
    lane: Lane | None = None,
    port: str | None = Query(default=None, max_length=40),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    batch_id: int | None = Query(default=None, ge=1, le=2**31 - 1),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.DECLARATION_READ),
) -> Page[DeclarationSummaryOut]:
    stmt = service.declarations_statement(ctx.actor, lane=lane, port=port, date_from=date_from,
                                          date_to=date_to, batch_id=batch_id)
    rows, next_cursor = paginate(
        ctx.db, stmt, id_column=Declaration.id, allowed_sorts={"id": Declaration.id},
        sort=None, default_sort="-id", limit=limit, cursor=cursor)
    return Page(items=[DeclarationSummaryOut.model_validate(r) for r in rows],
                next_cursor=next_cursor)


@router.post("/declarations/batch", response_model=BatchOut,
             summary="Screen a batch; bad declarations and lines are reported, not fatal")
def submit_batch(body: DeclarationBatchIn,
                 ctx: RequestContext = require(Permission.DECLARATION_SUBMIT)) -> BatchOut:
    items = [decl_batch.BatchItem(index, data) for index, data in enumerate(body.declarations)]
    result = decl_batch.screen_batch(ctx.db, ctx.actor, items)
    return batch_out(ctx.db, result.batch)


@router.post("/declarations/file", response_model=BatchOut,
             summary="Screen a CSV or .xlsx file, one row per declaration line")
def submit_file(
    file: UploadFile = File(description="CSV (UTF-8 or GB18030) or .xlsx with a header row"),
    ctx: RequestContext = require(Permission.DECLARATION_SUBMIT),
) -> BatchOut:
    limit = ctx.settings.max_batch_body_bytes
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(limit=limit)
    result = decl_files.screen_file(ctx.db, ctx.actor, file.file, file.filename or "upload")
    return batch_out(ctx.db, result.batch)


@router.get("/declarations/{declaration_id:int}", response_model=DeclarationOut)
def get_declaration(declaration_id: IntId,
                    ctx: RequestContext = require(Permission.DECLARATION_READ)) -> DeclarationOut:
    return detail(ctx.db, service.get_declaration(ctx.db, ctx.actor, declaration_id),
                  ctx.language)


@router.post("/declarations/{declaration_id:int}/replay", response_model=ReplayOut,
             summary="Redo the screening with the stored seed and ledger; do the lanes agree?")
def replay_declaration(declaration_id: IntId,
                       ctx: RequestContext = require(Permission.DECLARATION_READ)) -> ReplayOut:
    return ReplayOut.model_validate(service.replay(ctx.db, ctx.actor, declaration_id))


@router.get("/batches/{batch_id:int}", response_model=BatchOut,
            summary="A batch's counts and its rejected lines")
def get_batch(batch_id: IntId, offset: int = Query(default=0, ge=0, le=10_000_000),
              limit: int = Query(default=decl_batch.REJECTED_SHOWN, ge=1, le=1000),
              ctx: RequestContext = require(Permission.DECLARATION_READ)) -> BatchOut:
    return batch_out(ctx.db, service.get_batch(ctx.db, ctx.actor, batch_id), offset, limit)


@router.post("/batches/{batch_id:int}/rejected/{row_id:int}/retry", response_model=DeclarationOut,
             status_code=201, summary="Correct a rejected declaration and screen it again")
def retry_rejected(batch_id: IntId, row_id: IntId, body: RetryIn,
                   ctx: RequestContext = require(Permission.DECLARATION_SUBMIT)
                   ) -> DeclarationOut:
    declaration = decl_batch.retry_rejected(ctx.db, ctx.actor, batch_id, row_id, body.fields)
    return detail(ctx.db, declaration, ctx.language)
