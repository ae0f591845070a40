"""JSON routes for file imports: upload, batches, quarantined rows, corrections, the report."""

from __future__ import annotations

from fastapi import File, Form, Query, Response, UploadFile

from riskgate.core.errors import PayloadTooLarge
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page, paginate
from riskgate.core.schemas import IntId
from riskgate.identity.permissions import Permission
from riskgate.intake import service
from riskgate.intake.errors_text import translate_problem
from riskgate.intake.models import ImportBatch, QuarantinedRow
from riskgate.intake.schemas import BatchDetail, BatchOut, QuarantinedRowOut, RowCorrection

router = api_router(prefix="/api/v1", tags=["imports"])
BATCH_SORTS = {"id": ImportBatch.id, "started_at": ImportBatch.started_at}


def _row_out(row: QuarantinedRow, language: str) -> QuarantinedRowOut:
    return QuarantinedRowOut(
        id=row.id,
        line_number=row.line_number,
        raw_content=row.raw_content,
        fields=row.fields,
        status=row.status,
        record_id=row.record_id,
        problems=[
            {
                "field": p["field"],
                "message": translate_problem(p, language),
                "msgid": p["message"],
                "params": p.get("params") or {},
            }
            for p in row.problems
        ],
    )


@router.post("/imports", response_model=BatchOut, status_code=201, summary="Import a file")
def upload_import(
    file: UploadFile = File(description="CSV (UTF-8, UTF-8 BOM, GBK/GB18030) or JSON"),
    profile: str = Form(max_length=40, description="rasff, safety_gate, cpsc, riskgate_csv"),
    organisation_id: int | None = Form(default=None, ge=1, le=2_147_483_647),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> BatchOut:
    """Re-importing the same file changes nothing: every row is then a duplicate."""
    limit = ctx.settings.max_body_bytes
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(limit=limit)
    batch = service.ingest_batch(
        ctx.db, ctx.actor, profile_name=profile, binary=file.file,
        file_name=file.filename or "upload", organisation_id=organisation_id,
    )  # fmt: skip
    return BatchOut.model_validate(batch)


@router.get("/imports", response_model=Page[BatchOut], summary="Import batches in my scope")
def list_imports(
    sort: str | None = Query(default=None, description="id, started_at; -desc"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.IMPORT_READ),
) -> Page[BatchOut]:
    rows, next_cursor = paginate(
        ctx.db, service.batches_statement(ctx.actor), id_column=ImportBatch.id,
        allowed_sorts=BATCH_SORTS, sort=sort, default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[BatchOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/imports/{batch_id}", response_model=BatchDetail)
def get_import(batch_id: IntId, ctx: RequestContext = require(Permission.IMPORT_READ)):
    batch = service.get_batch(ctx.db, ctx.actor, batch_id)
    rows = service.quarantined_rows(ctx.db, batch)
    return BatchDetail(
        **BatchOut.model_validate(batch).model_dump(),
        quarantined_rows=[_row_out(r, ctx.language) for r in rows],
    )


@router.post(
    "/imports/{batch_id}/quarantine/{row_id}",
    response_model=QuarantinedRowOut,
    summary="Correct a quarantined row and process it again",
)
def reprocess_row(
    batch_id: IntId,
    row_id: IntId,
    body: RowCorrection,
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> QuarantinedRowOut:
    row = service.reprocess_row(ctx.db, ctx.actor, batch_id, row_id, body.fields, body.reason)
    return _row_out(row, ctx.language)


@router.get("/imports/{batch_id}/report.csv", summary="The batch report (CSV)")
def import_report(batch_id: IntId, ctx: RequestContext = require(Permission.IMPORT_READ)):
    content = "".join(service.report_csv(ctx.db, ctx.actor, batch_id, ctx.language))
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{batch_id}-report.csv"'},
    )
