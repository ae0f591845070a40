"""JSON routes of recalls: the regulator's list and life cycle, the enterprise's progress
reports. Each route calls one service function."""

from __future__ import annotations

from fastapi import Query, Response

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.recalls import service
from riskgate.recalls.enums import RecallOrigin, RecallStatus
from riskgate.recalls.models import Recall
from riskgate.recalls.schemas import (
    CloseIn,
    NoteIn,
    ProgressReportIn,
    ProgressReportOut,
    ReasonIn,
    RecallIn,
    RecallOut,
    RecallPatch,
)

router = api_router(prefix="/api/v1", tags=["recalls"])


def out(recall: Recall) -> RecallOut:
    return RecallOut.model_validate(service.to_out(recall))


def reports_out(ctx: RequestContext, recall: Recall) -> list[ProgressReportOut]:
    reports = service.reports_of(ctx.db, recall.id)
    flags = service.report_flags(recall, reports)
    return [ProgressReportOut.model_validate({
        **{name: getattr(r, name) for name in ProgressReportOut.model_fields if hasattr(r, name)},
        "beyond_affected": flags.get(r.id, False)}) for r in reports]


@router.get("/recalls", response_model=Page[RecallOut],
            summary="Recalls owned in my organisation's subtree")
def list_recalls(
    status: RecallStatus | None = None,
    origin: RecallOrigin | None = None,
    q: str | None = Query(default=None, max_length=100),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.RECALL_READ),
) -> Page[RecallOut]:
    stmt = service.recalls_statement(ctx.actor, status=status, origin=origin, q=q)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=Recall.id,
                                 allowed_sorts={"id": Recall.id}, sort=None, default_sort="-id",
                                 limit=limit, cursor=cursor)
    return Page(items=[out(r) for r in rows], next_cursor=next_cursor)


@router.post("/recalls", response_model=RecallOut, status_code=201,
             summary="Record an ordered recall or register a voluntary one (a draft)")
def create_recall(body: RecallIn,
                  ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    return idempotent(ctx, body, lambda: out(service.create_recall(ctx.db, ctx.actor, body)))


@router.get("/my-recalls", response_model=Page[RecallOut],
            summary="The recalls of my enterprise")
def list_my_recalls(limit: int | None = Query(default=None, ge=1, le=200),
                    cursor: str | None = Query(default=None, max_length=500),
                    ctx: RequestContext = require(Permission.RECALL_REPORT)) -> Page[RecallOut]:
    rows, next_cursor = paginate(ctx.db, service.my_recalls_statement(ctx.actor),
                                 id_column=Recall.id, allowed_sorts={"id": Recall.id}, sort=None,
                                 default_sort="-id", limit=limit, cursor=cursor)
    return Page(items=[out(r) for r in rows], next_cursor=next_cursor)


@router.get("/recalls/{recall_id:int}", response_model=RecallOut)
def get_recall(recall_id: IntId,
               ctx: RequestContext = require(Permission.RECALL_READ)) -> RecallOut:
    return out(service.get_recall(ctx.db, ctx.actor, recall_id))


@router.patch("/recalls/{recall_id:int}", response_model=RecallOut,
              summary="Change a draft recall")
def update_recall(recall_id: IntId, body: RecallPatch,
                  ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> RecallOut:
    return out(service.update_recall(ctx.db, ctx.actor, recall_id, body))


@router.post("/recalls/{recall_id:int}/start", response_model=RecallOut)
def start_recall(recall_id: IntId,
                 ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> RecallOut:
    return out(service.start_recall(ctx.db, ctx.actor, recall_id))


@router.post("/recalls/{recall_id:int}/complete", response_model=RecallOut)
def complete_recall(recall_id: IntId, body: NoteIn,
                    ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> RecallOut:
    return out(service.complete_recall(ctx.db, ctx.actor, recall_id, body.note))


@router.post("/recalls/{recall_id:int}/close", response_model=RecallOut,
             summary="Evaluate a completed recall and close it")
def close_recall(recall_id: IntId, body: CloseIn,
                 ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> RecallOut:
    return out(service.close_recall(ctx.db, ctx.actor, recall_id, body.evaluation))


@router.post("/recalls/{recall_id:int}/cancel", response_model=RecallOut)
def cancel_recall(recall_id: IntId, body: ReasonIn,
                  ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> RecallOut:
    return out(service.cancel_recall(ctx.db, ctx.actor, recall_id, body.reason))


@router.get("/recalls/{recall_id:int}/reports", response_model=list[ProgressReportOut],
            summary="The progress reports of a recall")
def list_reports(recall_id: IntId, ctx: RequestContext = require(Permission.RECALL_READ)
                 ) -> list[ProgressReportOut]:
    return reports_out(ctx, service.get_recall(ctx.db, ctx.actor, recall_id))


@router.post("/recalls/{recall_id:int}/reports", response_model=ProgressReportOut, status_code=201,
             summary="File a progress report on a recall of my enterprise")
def file_report(recall_id: IntId, body: ProgressReportIn,
                ctx: RequestContext = require(Permission.RECALL_REPORT)) -> Response:
    def create() -> ProgressReportOut:
        report = service.file_report(ctx.db, ctx.actor, recall_id, body)
        recall = service.get_my_recall(ctx.db, ctx.actor, recall_id)
        flags = service.report_flags(recall, service.reports_of(ctx.db, recall_id))
        return ProgressReportOut.model_validate({
            **{n: getattr(report, n) for n in ProgressReportOut.model_fields
               if hasattr(report, n)}, "beyond_affected": flags.get(report.id, False)})

    return idempotent(ctx, body, create)
