"""JSON routes of rapid response: cases, tasks and their reports, the overdue view (督查) and the
joint-disposal rules. Each route calls one service function."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from urllib.parse import quote

from fastapi import File, Form, Query, Response, UploadFile
from fastapi.responses import Response as RawResponse
from starlette.datastructures import UploadFile as StarletteUploadFile

from riskgate.core.db import utcnow
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.core.uploads import read_uploads
from riskgate.response import disposal, service, tasks
from riskgate.response.enums import ENDED_TASK_STATES, CaseStatus, TaskStatus
from riskgate.response.models import ResponseCase, ResponseTask, TaskEvidence
from riskgate.response.schemas import (
    CaseDetailOut,
    CaseOut,
    CloseCaseIn,
    DisposalRuleIn,
    DisposalRuleOut,
    DisposalRuleUpdate,
    EvidenceOut,
    OpenCaseIn,
    OverdueOut,
    QuantitiesIn,
    ReasonIn,
    ReportOut,
    TaskDetailOut,
    TaskOut,
)

router = api_router(prefix="/api/v1/response", tags=["response"])


def task_out(task: ResponseTask) -> TaskOut:
    out = TaskOut.model_validate(task)
    out.overdue = task.status not in ENDED_TASK_STATES and task.due_at < utcnow()
    return out


def case_out(ctx: RequestContext, case: ResponseCase, *, detail: bool = False) -> CaseOut:
    figures = service.task_figures(ctx.db, [case.id])[case.id]
    data = {**CaseOut.model_validate(case).model_dump(), "tasks_total": figures["total"],
            "tasks_done": figures["done"], "tasks_open": figures["open"],
            "tasks_waived": figures["waived"], "tasks_closed": figures["closed"],
            "tasks_overdue": figures["overdue"]}
    if not detail:
        return CaseOut.model_validate(data)
    return CaseDetailOut.model_validate({
        **data, "tasks": [task_out(t) for t in service.tasks_of(ctx.db, case.id)]})


def task_detail(ctx: RequestContext, task: ResponseTask) -> TaskDetailOut:
    reports = service.reports_of(ctx.db, task.id)
    files = tasks.evidence_of(ctx.db, [r.id for r in reports])
    return TaskDetailOut.model_validate({
        **task_out(task).model_dump(),
        "reports": [{**ReportOut.model_validate(r).model_dump(exclude={"evidence"}),
                     "evidence": [EvidenceOut.model_validate(e) for e in files[r.id]]}
                    for r in reports]})


@router.get("/cases", response_model=Page[CaseOut],
            summary="Cases owned in my scope or with a task for a unit in it")
def list_cases(status: CaseStatus | None = None,
               warning_id: int | None = Query(default=None, ge=1, le=2_147_483_647),
               limit: int | None = Query(default=None, ge=1, le=200),
               cursor: str | None = Query(default=None, max_length=500),
               ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Page[CaseOut]:
    stmt = service.cases_statement(ctx.actor, status=status, warning_id=warning_id)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=ResponseCase.id,
                                 allowed_sorts={"id": ResponseCase.id}, sort=None,
                                 default_sort="-id", limit=limit, cursor=cursor)
    figures = service.task_figures(ctx.db, [r.id for r in rows])
    items = [CaseOut.model_validate({
        **CaseOut.model_validate(r).model_dump(), "tasks_total": figures[r.id]["total"],
        "tasks_done": figures[r.id]["done"], "tasks_open": figures[r.id]["open"],
        "tasks_overdue": figures[r.id]["overdue"]}) for r in rows]
    return Page(items=items, next_cursor=next_cursor)


@router.post("/cases", response_model=CaseDetailOut, status_code=201,
             summary="Open a case by hand for a published warning without an open one")
def open_case(body: OpenCaseIn,
              ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    return idempotent(ctx, body, lambda: case_out(ctx, service.open_case(
        ctx.db, ctx.actor, body.warning_id, [m.value for m in body.measures]), detail=True))


@router.get("/cases/{case_id:int}", response_model=CaseDetailOut)
def get_case(case_id: IntId,
             ctx: RequestContext = require(Permission.RESPONSE_READ)) -> CaseOut:
    return case_out(ctx, service.get_case(ctx.db, ctx.actor, case_id), detail=True)


@router.post("/cases/{case_id:int}/close", response_model=CaseDetailOut,
             summary="Close a case whose tasks are all done or waived")
def close_case(case_id: IntId, body: CloseCaseIn,
               ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> CaseOut:
    return case_out(ctx, service.close_case(ctx.db, ctx.actor, case_id, body.note), detail=True)


@router.get("/tasks", response_model=Page[TaskOut], summary="My unit's tasks")
def list_tasks(status: TaskStatus | None = None, overdue: bool | None = None,
               limit: int | None = Query(default=None, ge=1, le=200),
               cursor: str | None = Query(default=None, max_length=500),
               ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Page[TaskOut]:
    stmt = tasks.inbox_statement(ctx.actor, status=status, overdue=overdue)
    rows, next_cursor = paginate(ctx.db, stmt, id_column=ResponseTask.id,
                                 allowed_sorts={"id": ResponseTask.id}, sort=None,
                                 default_sort="-id", limit=limit, cursor=cursor)
    return Page(items=[task_out(t) for t in rows], next_cursor=next_cursor)


@router.get("/tasks/{task_id:int}", response_model=TaskDetailOut)
def get_task(task_id: IntId,
             ctx: RequestContext = require(Permission.RESPONSE_READ)) -> TaskDetailOut:
    return task_detail(ctx, tasks.get_task(ctx.db, ctx.actor, task_id))


@router.post("/tasks/{task_id:int}/start", response_model=TaskDetailOut)
def start_task(task_id: IntId,
               ctx: RequestContext = require(Permission.RESPONSE_TASK_REPORT)) -> TaskDetailOut:
    return task_detail(ctx, tasks.start_task(ctx.db, ctx.actor, task_id))


@router.post("/tasks/{task_id:int}/reports", response_model=TaskDetailOut, status_code=201,
             summary="Report progress (multipart: fields and `evidence` files)")
def report_task(
    task_id: IntId,
    body: str = Form(min_length=1, max_length=5000),
    progress_percent: int = Form(default=0, ge=0, le=100),
    complete: bool = Form(default=False),
    seized_units: int | None = Form(default=None, ge=0, le=1_000_000_000),
    returned_units: int | None = Form(default=None, ge=0, le=1_000_000_000),
    destroyed_units: int | None = Form(default=None, ge=0, le=1_000_000_000),
    recalled_units: int | None = Form(default=None, ge=0, le=1_000_000_000),
    value_cny: Decimal | None = Form(default=None, ge=0, max_digits=16, decimal_places=2),
    evidence: list[UploadFile] | None = File(default=None),
    ctx: RequestContext = require(Permission.RESPONSE_TASK_REPORT),
) -> Response:
    quantities = QuantitiesIn(seized_units=seized_units, returned_units=returned_units,
                              destroyed_units=destroyed_units, recalled_units=recalled_units,
                              value_cny=value_cny)
    files: list[StarletteUploadFile] = list(evidence or [])
    uploads = read_uploads(files, ctx.settings.attachment_max_bytes)
    # What a retry with the same Idempotency-Key must repeat: the fields and the files' hashes.
    sent = {"task_id": task_id, "body": body.strip(), "progress_percent": progress_percent,
            "complete": complete, "quantities": quantities.model_dump(mode="json"),
            "evidence": [hashlib.sha256(u.data).hexdigest() for u in uploads]}

    def create() -> TaskDetailOut:
        tasks.report(ctx.db, ctx.actor, task_id, body=body.strip(),
                     progress_percent=progress_percent, complete=complete,
                     quantities=quantities.model_dump(), uploads=uploads,
                     root=ctx.settings.attachments_dir,
                     max_bytes=ctx.settings.attachment_max_bytes,
                     max_files=ctx.settings.attachment_max_files)
        return task_detail(ctx, tasks.get_task(ctx.db, ctx.actor, task_id))

    return idempotent(ctx, sent, create)


@router.post("/tasks/{task_id:int}/waive", response_model=TaskDetailOut)
def waive_task(task_id: IntId, body: ReasonIn,
               ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> TaskDetailOut:
    return task_detail(ctx, tasks.waive(ctx.db, ctx.actor, task_id, body.reason))


@router.post("/tasks/{task_id:int}/reopen", response_model=TaskDetailOut)
def reopen_task(task_id: IntId, body: ReasonIn,
                ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> TaskDetailOut:
    return task_detail(ctx, tasks.reopen(ctx.db, ctx.actor, task_id, body.reason))


@router.get("/tasks/{task_id:int}/evidence/{evidence_id:int}", response_class=RawResponse,
            summary="Download an evidence file")
def download_evidence(task_id: IntId, evidence_id: IntId,
                      ctx: RequestContext = require(Permission.RESPONSE_READ)) -> RawResponse:
    row = tasks.get_evidence(ctx.db, ctx.actor, task_id, evidence_id)
    return evidence_response(ctx, row)


def evidence_response(ctx: RequestContext, row: TaskEvidence) -> RawResponse:
    """The file as an attachment download (never rendered inline)."""
    data = tasks.read_evidence(ctx.settings.attachments_dir, row)
    return RawResponse(content=data, media_type=row.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.original_name)}",
        "X-Content-Type-Options": "nosniff"})


@router.get("/overdue", response_model=OverdueOut,
            summary="Overdue tasks of units in my scope, oldest first, with counts per unit")
def overdue(ctx: RequestContext = require(Permission.RESPONSE_SUPERVISE)) -> OverdueOut:
    found = tasks.overdue(ctx.db, ctx.actor)
    return OverdueOut.model_validate({"total": found["total"], "units": found["units"],
                                      "tasks": [task_out(t) for t in found["tasks"]]})


@router.get("/rules", response_model=list[DisposalRuleOut],
            summary="The joint-disposal rules (active and inactive)")
def list_rules(ctx: RequestContext = require(Permission.RESPONSE_READ)
               ) -> list[DisposalRuleOut]:
    return [DisposalRuleOut.model_validate(r) for r in disposal.list_rules(ctx.db)]


@router.post("/rules", response_model=DisposalRuleOut, status_code=201)
def create_rule(body: DisposalRuleIn,
                ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE)) -> Response:
    return idempotent(ctx, body, lambda: DisposalRuleOut.model_validate(
        disposal.create_rule(ctx.db, ctx.actor, body.model_dump())))


@router.patch("/rules/{rule_id:int}", response_model=DisposalRuleOut)
def update_rule(rule_id: IntId, body: DisposalRuleUpdate,
                ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE)
                ) -> DisposalRuleOut:
    return DisposalRuleOut.model_validate(disposal.update_rule(
        ctx.db, ctx.actor, rule_id, body.model_dump(exclude_unset=True)))


@router.post("/rules/{rule_id:int}/deactivate", response_model=DisposalRuleOut)
def deactivate_rule(rule_id: IntId, body: ReasonIn,
                    ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE)
                    ) -> DisposalRuleOut:
    return DisposalRuleOut.model_validate(disposal.deactivate_rule(ctx.db, ctx.actor, rule_id,
                                                                  body.reason))
