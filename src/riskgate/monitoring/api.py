"""JSON routes for monitoring plans, sampling tasks and results (M1), monitoring points (M4)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import File, Path, Query, Response, UploadFile
from pydantic import Field

from riskgate.core.db import utcnow
from riskgate.core.errors import PayloadTooLarge
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import InputModel, IntId
from riskgate.monitoring import points, progress, results, service
from riskgate.monitoring.enums import PlanStatus, TaskEvent, TaskStatus
from riskgate.monitoring.models import MonitoringPlan, MonitoringPoint, SamplingResult, SamplingTask
from riskgate.monitoring.schemas import (
    AssignIn,
    GenerateOut,
    ImportOut,
    PlanIn,
    PlanOut,
    PointIn,
    PointOut,
    PointPatch,
    ProgressOut,
    ProgressRow,
    ResultOut,
    ResultsIn,
    RevisionIn,
    SeriesOut,
    SeriesPoint,
    StoredResultOut,
    TaskOut,
    TaskTransitionIn,
    VersionOut,
)

router = api_router(prefix="/api/v1/monitoring", tags=["monitoring"])
Limit = Annotated[int | None, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=500)]
VersionPath = Annotated[int, Path(ge=1, le=10_000)]


class ReasonIn(InputModel):
    reason: str | None = Field(default=None, max_length=2000)


def _today(ctx: RequestContext) -> dt.date:
    return utcnow().astimezone(ZoneInfo(ctx.settings.timezone)).date()


def _plan_out(ctx: RequestContext, plan: MonitoringPlan) -> PlanOut:
    out = PlanOut.model_validate(plan)
    out.content = VersionOut.model_validate(service.get_version(ctx.db, ctx.actor, plan.id))
    return out


# --- Plans ---------------------------------------------------------------------------------


@router.get("/plans", response_model=Page[PlanOut], summary="Monitoring plans in my scope")
def list_plans(
    year: int | None = Query(default=None, ge=2000, le=2100),
    status: PlanStatus | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
    ctx: RequestContext = require(Permission.MONITORING_READ),
) -> Page[PlanOut]:
    rows, next_cursor = paginate(
        ctx.db, service.plans_statement(ctx.actor, year=year, status=status),
        id_column=MonitoringPlan.id, allowed_sorts={"id": MonitoringPlan.id}, sort=None,
        default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[PlanOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/plans", response_model=PlanOut, status_code=201,
             summary="Create a unit's annual monitoring plan (draft version 1)")
def create_plan(body: PlanIn,
                ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    def create() -> PlanOut:
        return _plan_out(ctx, service.create_plan(ctx.db, ctx.actor, body.model_dump()))

    return idempotent(ctx, body, create)


@router.get("/plans/{plan_id:int}", response_model=PlanOut,
            summary="A plan with its current version")
def get_plan(plan_id: IntId, ctx: RequestContext = require(Permission.MONITORING_READ)) -> PlanOut:
    return _plan_out(ctx, service.get_plan(ctx.db, ctx.actor, plan_id))


@router.get("/plans/{plan_id:int}/versions", response_model=list[VersionOut],
            summary="Every version of a plan, newest first")
def plan_versions(plan_id: IntId,
                  ctx: RequestContext = require(Permission.MONITORING_READ)) -> list[VersionOut]:
    return [VersionOut.model_validate(v) for v in service.versions(ctx.db, ctx.actor, plan_id)]


@router.get("/plans/{plan_id:int}/versions/{version}", response_model=VersionOut)
def plan_version(plan_id: IntId, version: VersionPath,
                 ctx: RequestContext = require(Permission.MONITORING_READ)) -> VersionOut:
    return VersionOut.model_validate(service.get_version(ctx.db, ctx.actor, plan_id, version))


@router.post("/plans/{plan_id:int}/revisions", response_model=PlanOut,
             summary="Revise the plan (a new version once the current one is approved)")
def revise_plan(plan_id: IntId, body: RevisionIn,
                ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> PlanOut:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    plan = service.revise_plan(ctx.db, ctx.actor, plan_id, changes, body.reason)
    return _plan_out(ctx, plan)


@router.post("/plans/{plan_id:int}/approve", response_model=PlanOut, summary="Approve the plan")
def approve_plan(plan_id: IntId, body: ReasonIn,
                 ctx: RequestContext = require(Permission.MONITORING_APPROVE)) -> PlanOut:
    return _plan_out(ctx, service.approve_plan(ctx.db, ctx.actor, plan_id, body.reason))


@router.post("/plans/{plan_id:int}/close", response_model=PlanOut, summary="Close the plan")
def close_plan(plan_id: IntId, body: ReasonIn,
               ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> PlanOut:
    return _plan_out(ctx, service.close_plan(ctx.db, ctx.actor, plan_id, body.reason))


@router.post("/plans/{plan_id:int}/tasks", response_model=GenerateOut,
             summary="Generate the sampling tasks (quota × schedule period) not yet generated")
def generate_tasks(plan_id: IntId,
                   ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> GenerateOut:
    created, kept = service.generate_tasks(ctx.db, ctx.actor, plan_id)
    return GenerateOut(created=len(created), existing=len(kept),
                       tasks=[TaskOut.model_validate(t) for t in created])


@router.get("/plans/{plan_id:int}/progress", response_model=ProgressOut,
            summary="Samples planned, taken, tested and failed; overdue tasks")
def plan_progress(plan_id: IntId,
                  ctx: RequestContext = require(Permission.MONITORING_READ)) -> ProgressOut:
    found = progress.plan_progress(ctx.db, ctx.actor, plan_id, _today(ctx))
    row = ProgressRow.model_validate
    return ProgressOut(
        plan_id=found.plan_id, period=found.period, totals=row(found.totals),
        by_target=[row(r) for r in found.by_target], by_period=[row(r) for r in found.by_period],
        cells=[row(r) for r in found.cells], overdue=[TaskOut.model_validate(t)
                                                     for t in found.overdue],
    )  # fmt: skip


# --- Tasks and results ---------------------------------------------------------------------


@router.get("/tasks", response_model=Page[TaskOut], summary="Sampling tasks in my scope")
def list_tasks(
    plan_id: int | None = Query(default=None, ge=1, le=2_147_483_647),
    status: TaskStatus | None = None,
    overdue: bool = False,
    limit: Limit = None,
    cursor: Cursor = None,
    ctx: RequestContext = require(Permission.MONITORING_READ),
) -> Page[TaskOut]:
    stmt = service.tasks_statement(ctx.actor, plan_id=plan_id, status=status,
                                   overdue_on=_today(ctx) if overdue else None)
    rows, next_cursor = paginate(
        ctx.db, stmt, id_column=SamplingTask.id, allowed_sorts={"id": SamplingTask.id},
        sort=None, default_sort="id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[TaskOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/tasks/{task_id:int}", response_model=TaskOut)
def get_task(task_id: IntId, ctx: RequestContext = require(Permission.MONITORING_READ)) -> TaskOut:
    return TaskOut.model_validate(service.get_task(ctx.db, ctx.actor, task_id))


@router.post("/tasks/{task_id:int}/assign", response_model=TaskOut,
             summary="Assign the task to a unit and/or one of its officers")
def assign_task(task_id: IntId, body: AssignIn,
                ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> TaskOut:
    task = service.assign_task(ctx.db, ctx.actor, task_id, **body.model_dump())
    return TaskOut.model_validate(task)


@router.post("/tasks/{task_id:int}/transition", response_model=TaskOut,
             summary="Samples taken, task completed or cancelled (with a reason)")
def transition_task(task_id: IntId, body: TaskTransitionIn,
                    ctx: RequestContext = require(Permission.SAMPLING_RESULT)) -> TaskOut:
    task = service.transition_task(ctx.db, ctx.actor, task_id, TaskEvent(body.event),
                                   samples_taken=body.samples_taken, reason=body.reason)
    return TaskOut.model_validate(task)


@router.get("/tasks/{task_id:int}/results", response_model=Page[ResultOut])
def list_results(
    task_id: IntId,
    limit: Limit = None,
    cursor: Cursor = None,
    ctx: RequestContext = require(Permission.MONITORING_READ),
) -> Page[ResultOut]:
    task = service.get_task(ctx.db, ctx.actor, task_id)
    rows, next_cursor = paginate(
        ctx.db, results.results_statement(ctx.actor, task_id=task.id),
        id_column=SamplingResult.id, allowed_sorts={"id": SamplingResult.id}, sort=None,
        default_sort="id", limit=limit, cursor=cursor,
    )  # fmt: skip
    return Page(items=[ResultOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/tasks/{task_id:int}/results", response_model=list[StoredResultOut], status_code=201,
             summary="Enter results; failing ones become risk records; repeats are no-ops")
def enter_results(task_id: IntId, body: ResultsIn,
                  ctx: RequestContext = require(Permission.SAMPLING_RESULT)) -> Response:
    def create() -> list[StoredResultOut]:
        entered = results.enter_results(ctx.db, ctx.actor, task_id,
                                        [i.model_dump() for i in body.items])
        return [StoredResultOut(result=ResultOut.model_validate(e.result), created=e.created)
                for e in entered]

    return idempotent(ctx, body, create)


@router.post("/results/import", response_model=ImportOut,
             summary="Import a results sheet (CSV or .xlsx); bad rows are reported")
def import_results(
    file: UploadFile = File(description="CSV (UTF-8 or GB18030) or .xlsx with a header row"),
    ctx: RequestContext = require(Permission.SAMPLING_RESULT),
) -> ImportOut:
    limit = ctx.settings.max_body_bytes
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(limit=limit)
    report = results.import_results(ctx.db, ctx.actor, file.file, file.filename or "upload")
    return ImportOut.model_validate(report)


# --- Monitoring points ---------------------------------------------------------------------


@router.get("/points", response_model=Page[PointOut], summary="Monitoring points in my scope")
def list_points(
    active: bool | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
    ctx: RequestContext = require(Permission.MONITORING_READ),
) -> Page[PointOut]:
    rows, next_cursor = paginate(
        ctx.db, points.points_statement(ctx.actor, active=active), id_column=MonitoringPoint.id,
        allowed_sorts={"id": MonitoringPoint.id}, sort=None, default_sort="id", limit=limit,
        cursor=cursor,
    )  # fmt: skip
    return Page(items=[PointOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/points", response_model=PointOut, status_code=201,
             summary="Register a monitoring point")
def create_point(body: PointIn,
                 ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    def create() -> PointOut:
        return PointOut.model_validate(points.create_point(ctx.db, ctx.actor, body.model_dump()))

    return idempotent(ctx, body, create)


@router.get("/points/{point_id:int}", response_model=PointOut)
def get_point(point_id: IntId,
              ctx: RequestContext = require(Permission.MONITORING_READ)) -> PointOut:
    return PointOut.model_validate(points.get_point(ctx.db, ctx.actor, point_id))


@router.patch("/points/{point_id:int}", response_model=PointOut)
def update_point(point_id: IntId, body: PointPatch,
                 ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> PointOut:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    return PointOut.model_validate(
        points.update_point(ctx.db, ctx.actor, point_id, changes, body.reason))


@router.get("/points/{point_id:int}/series", response_model=SeriesOut,
            summary="Weekly counts of the records attributed to the point (zero-filled)")
def point_series(
    point_id: IntId,
    weeks: int = Query(default=26, ge=1, le=points.MAX_WEEKS),
    ctx: RequestContext = require(Permission.MONITORING_READ),
) -> SeriesOut:
    series = points.point_series(ctx.db, ctx.actor, point_id, weeks, _today(ctx))
    return SeriesOut(point_id=point_id,
                     weeks=[SeriesPoint(week_start=d, count=c) for d, c in series])


@router.put("/points/{point_id:int}/records/{record_id:int}", status_code=204,
            summary="Attribute a risk record to the point")
def attribute_record(point_id: IntId, record_id: IntId,
                     ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    points.attribute_record(ctx.db, ctx.actor, point_id, record_id)
    return Response(status_code=204)
