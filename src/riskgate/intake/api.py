"""JSON routes for file imports: upload, preview, dry run, batches, quarantined rows, corrections,
the report, the submission template."""

from __future__ import annotations

from typing import Any

from fastapi import File, Form, Query, Response, UploadFile

from riskgate.core.errors import PayloadTooLarge
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.intake import profile_service, service, template, trial
from riskgate.intake.errors_text import translate_problem
from riskgate.intake.models import ImportBatch, ImportProfile, QuarantinedRow
from riskgate.intake.schemas import (
    BatchDetail,
    BatchOut,
    DryRunOut,
    DryRunRowOut,
    PreviewOut,
    PreviewRowOut,
    ProblemOut,
    ProfileCreate,
    ProfileOut,
    ProfileUpdate,
    QuarantinedRowOut,
    RowCorrection,
)

router = api_router(prefix="/api/v1", tags=["imports"])
BATCH_SORTS = {"id": ImportBatch.id, "started_at": ImportBatch.started_at}


def problems_out(problems: list[dict[str, Any]], language: str) -> list[ProblemOut]:
    """Stored row problems (msgid + params) with their message in the caller's language."""
    return [
        ProblemOut(field=p["field"], message=translate_problem(p, language), msgid=p["message"],
                   params=p.get("params") or {})
        for p in problems
    ]


def _row_out(row: QuarantinedRow, language: str) -> QuarantinedRowOut:
    return QuarantinedRowOut(
        id=row.id,
        line_number=row.line_number,
        raw_content=row.raw_content,
        fields=row.fields,
        status=row.status,
        record_id=row.record_id,
        problems=problems_out(row.problems, language),
    )


def _check_size(file: UploadFile, ctx: RequestContext) -> None:
    """The body limit stops the upload itself; this says so for a declared size too.

    Starlette spools an upload above 1 MB to a temporary file, and the readers stream from it.
    """
    limit = ctx.settings.max_body_bytes
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(limit=limit)


FILE_HELP = "CSV (UTF-8, UTF-8 BOM, GBK/GB18030), Excel .xlsx, JSON or XML"
PROFILE_HELP = "rasff, safety_gate, cpsc, riskgate_csv, unit_template or a saved profile"


@router.get(
    "/imports/template.xlsx",
    summary="The units' submission template (Excel, Chinese headers)",
    response_class=Response,
)
def download_template(ctx: RequestContext = require(Permission.IMPORT_READ)) -> Response:
    """Import a filled-in copy with the profile unit_template."""
    return Response(
        template.build_template(),
        media_type=template.XLSX_TYPE,
        headers={"Content-Disposition": 'attachment; filename="riskgate-unit-template.xlsx"'},
    )


@router.post("/imports/preview", response_model=PreviewOut, summary="Preview a file's first rows")
def preview_import(
    file: UploadFile = File(description=FILE_HELP),
    profile: str = Form(max_length=40, description=PROFILE_HELP),
    rows: int = Form(default=20, ge=1, le=200),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> PreviewOut:
    """The first rows mapped to record fields with their problems; nothing is stored."""
    _check_size(file, ctx)
    result = trial.preview(ctx.db, ctx.actor, profile_name=profile, binary=file.file, limit=rows)
    return PreviewOut(
        profile=result.profile, encoding=result.encoding, columns=result.columns,
        ignored_columns=result.ignored_columns,
        rows=[
            PreviewRowOut(line_number=r.line_number, raw=r.raw, source=r.source, fields=r.fields,
                          problems=problems_out(r.problems, ctx.language))
            for r in result.rows
        ],
    )  # fmt: skip


@router.post("/imports/dry-run", response_model=DryRunOut, summary="Dry run of a whole file")
def dry_run_import(
    file: UploadFile = File(description=FILE_HELP),
    profile: str = Form(max_length=40, description=PROFILE_HELP),
    organisation_id: int | None = Form(default=None, ge=1, le=2_147_483_647),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> DryRunOut:
    """Counts (would import, duplicates, quarantined) and problems; nothing is stored."""
    _check_size(file, ctx)
    result = trial.dry_run(
        ctx.db, ctx.actor, profile_name=profile, binary=file.file,
        file_name=file.filename or "upload", organisation_id=organisation_id,
    )  # fmt: skip
    return DryRunOut(
        **{k: v for k, v in vars(result).items() if k != "problems"},
        problems=[
            DryRunRowOut(line_number=p["line_number"], raw=p["raw"],
                         problems=problems_out(p["problems"], ctx.language))
            for p in result.problems
        ],
    )  # fmt: skip


@router.post("/imports", response_model=BatchOut, status_code=201, summary="Import a file")
def upload_import(
    file: UploadFile = File(description=FILE_HELP),
    profile: str = Form(max_length=40, description=PROFILE_HELP),
    organisation_id: int | None = Form(default=None, ge=1, le=2_147_483_647),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> BatchOut:
    """Re-importing the same file changes nothing: every row is then a duplicate."""
    _check_size(file, ctx)
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


@router.get("/imports/{batch_id:int}", response_model=BatchDetail)
def get_import(batch_id: IntId,
               ctx: RequestContext = require(Permission.IMPORT_READ)) -> BatchDetail:
    batch = service.get_batch(ctx.db, ctx.actor, batch_id)
    rows = service.quarantined_rows(ctx.db, batch)
    return BatchDetail(
        **BatchOut.model_validate(batch).model_dump(),
        quarantined_rows=[_row_out(r, ctx.language) for r in rows],
    )


@router.post(
    "/imports/{batch_id:int}/quarantine/{row_id:int}",
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


@router.get("/imports/{batch_id:int}/report.csv", summary="The batch report (CSV)")
def import_report(batch_id: IntId,
                  ctx: RequestContext = require(Permission.IMPORT_READ)) -> Response:
    content = "".join(service.report_csv(ctx.db, ctx.actor, batch_id, ctx.language))
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{batch_id}-report.csv"'},
    )


# --- saved import profiles (custom column mappings) ----------------------------------------

PROFILE_SORTS = {"id": ImportProfile.id, "name": ImportProfile.name}


@router.get("/import-profiles", response_model=Page[ProfileOut], summary="Saved import profiles")
def list_profiles(
    sort: str | None = Query(default=None, description="id, name; -desc"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.IMPORT_READ),
) -> Page[ProfileOut]:
    """The column mappings saved by organisations in my scope (built-in profiles are in code)."""
    rows, next_cursor = paginate(
        ctx.db, profile_service.profiles_statement(ctx.actor), id_column=ImportProfile.id,
        allowed_sorts=PROFILE_SORTS, sort=sort, default_sort="name", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[ProfileOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/import-profiles", response_model=ProfileOut, status_code=201, summary="Save a profile"
)
def create_profile(body: ProfileCreate,
                   ctx: RequestContext = require(Permission.IMPORT_RUN)) -> Response:
    def create() -> ProfileOut:
        saved = profile_service.create_profile(ctx.db, ctx.actor, body.model_dump())
        return ProfileOut.model_validate(saved)

    return idempotent(ctx, body, create)


@router.get("/import-profiles/{profile_id:int}", response_model=ProfileOut)
def get_profile(
    profile_id: IntId, ctx: RequestContext = require(Permission.IMPORT_READ)
) -> ProfileOut:
    return ProfileOut.model_validate(profile_service.get_profile(ctx.db, ctx.actor, profile_id))


@router.patch("/import-profiles/{profile_id:int}", response_model=ProfileOut)
def update_profile(
    profile_id: IntId, body: ProfileUpdate, ctx: RequestContext = require(Permission.IMPORT_RUN)
) -> ProfileOut:
    """Change the given settings; the name and the owning organisation stay."""
    data = body.model_dump(exclude_unset=True)
    reason = data.pop("reason", None)
    saved = profile_service.update_profile(ctx.db, ctx.actor, profile_id, data, reason)
    return ProfileOut.model_validate(saved)


@router.delete("/import-profiles/{profile_id:int}", status_code=204, response_class=Response)
def delete_profile(
    profile_id: IntId,
    reason: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.IMPORT_RUN),
) -> Response:
    """Withdraw the profile; batches imported with it can still be corrected."""
    profile_service.delete_profile(ctx.db, ctx.actor, profile_id, reason)
    return Response(status_code=204)
