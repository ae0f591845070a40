"""Console pages: monitoring plans (targets, versions, tasks, progress chart), sampling tasks with
their results, and monitoring points with their weekly series chart."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import File, Path, UploadFile
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.core.db import utcnow
from riskgate.core.errors import DomainError, PayloadTooLarge
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.choices import organisation_choices
from riskgate.identity.models import Organisation, User
from riskgate.monitoring import points, progress, results, service
from riskgate.monitoring.enums import (
    PLAN_LABELS,
    POINT_TYPE_LABELS,
    TASK_LABELS,
    Comparison,
    PointType,
    SchedulePeriod,
    TaskEvent,
)
from riskgate.monitoring.schemas import (
    AssignIn,
    PlanIn,
    PointIn,
    PointPatch,
    ResultIn,
    TargetIn,
    TaskTransitionIn,
)
from riskgate.web.flash import redirect
from riskgate.web.forms import (
    Form,
    apply_domain_error,
    check_required,
    clean,
    optional_int,
    parse,
)
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

VersionPath = Annotated[int, Path(ge=1, le=10_000)]
COMMON = {"plan_labels": PLAN_LABELS, "task_labels": TASK_LABELS,
          "point_labels": POINT_TYPE_LABELS}


def _today(ctx: RequestContext) -> dt.date:
    return utcnow().astimezone(ZoneInfo(ctx.settings.timezone)).date()


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]


# --- Plans ---------------------------------------------------------------------------------


def _plans_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    plans = ctx.db.execute(service.plans_statement(ctx.actor)
                           .order_by(service.MonitoringPlan.id.desc()).limit(200)).scalars().all()
    titles = {p.id: service.get_version(ctx.db, ctx.actor, p.id).title for p in plans}
    return render(ctx.request, "console/monitoring/plans.html", {
        **COMMON, "plans": plans, "titles": titles, "form": form,
        "periods": [(p.value, p.value) for p in SchedulePeriod],
    }, status_code=status_code)


@router.get("/console/monitoring", response_class=HTMLResponse)
def plans_list(ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
    return _plans_page(ctx, Form(values={"year": _today(ctx).year, "period": "quarter"}))


@router.post("/console/monitoring/plans", response_class=HTMLResponse)
def plans_create(
    year: str = FormField(default="", max_length=10),
    title: str = FormField(default="", max_length=600),
    period: str = FormField(default="quarter", max_length=20),
    description: str = FormField(default="", max_length=8000),
    ctx: RequestContext = require(Permission.MONITORING_PLAN),
) -> Response:
    data = {"year": clean(year), "title": clean(title), "period": clean(period),
            "description": clean(description)}
    form = Form(values=data)
    body = parse(form, PlanIn, data, ctx.language)
    plan = None
    try:
        if body is not None:
            plan = service.create_plan(ctx.db, ctx.actor, body.model_dump())
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, tuple(data))
    if plan is None or form.invalid:
        ctx.db.rollback()
        return _plans_page(ctx, form, 422)
    return redirect(ctx.request, f"/console/monitoring/plans/{plan.id}",
                    gettext("The monitoring plan was created.", ctx.language))


def _plan_page(ctx: RequestContext, plan_id: int, form: Form | None = None,
               status_code: int = 200) -> Response:
    plan = service.get_plan(ctx.db, ctx.actor, plan_id)
    version = service.get_version(ctx.db, ctx.actor, plan.id)
    tasks = ctx.db.execute(service.tasks_statement(ctx.actor, plan_id=plan.id)
                           .order_by(service.SamplingTask.period, service.SamplingTask.id)
                           ).scalars().all()
    return render(ctx.request, "console/monitoring/plan.html", {
        **COMMON, "plan": plan, "version": version, "tasks": tasks, "today": _today(ctx),
        "versions": service.versions(ctx.db, ctx.actor, plan.id),
        "labels": {t["key"]: service.target_label(t) for t in version.targets},
        "form": form or Form(values={"samples": 4, "comparison": "le"}),
        "comparisons": [(c.value, c.value) for c in Comparison],
    }, status_code=status_code)


@router.get("/console/monitoring/plans/{plan_id:int}", response_class=HTMLResponse)
def plan_detail(plan_id: IntId, ctx: RequestContext = require(Permission.MONITORING_READ)):
    return _plan_page(ctx, plan_id)


TARGET_FIELDS = ("product_category", "hs_code", "origin_countries", "port_codes", "samples",
                 "test_item", "hazard_type", "comparison", "limit", "unit", "reason")


@router.post("/console/monitoring/plans/{plan_id:int}/targets", response_class=HTMLResponse)
def plan_add_target(
    plan_id: IntId,
    product_category: str = FormField(default="", max_length=400),
    hs_code: str = FormField(default="", max_length=20),
    origin_countries: str = FormField(default="", max_length=400),
    port_codes: str = FormField(default="", max_length=800),
    samples: str = FormField(default="", max_length=10),
    test_item: str = FormField(default="", max_length=400),
    hazard_type: str = FormField(default="", max_length=60),
    comparison: str = FormField(default="le", max_length=10),
    limit: str = FormField(default="", max_length=30),
    unit: str = FormField(default="", max_length=80),
    reason: str = FormField(default="", max_length=2000),
    ctx: RequestContext = require(Permission.MONITORING_PLAN),
) -> Response:
    """Add one target with one test item (more through the API) — a revision of the plan."""
    values = dict(zip(TARGET_FIELDS, (product_category, hs_code, origin_countries, port_codes,
                                      samples, test_item, hazard_type, comparison, limit, unit,
                                      reason), strict=True))
    form = Form(values=values)
    data = {"product_category": clean(product_category), "hs_code": clean(hs_code),
            "origin_countries": _split(origin_countries), "port_codes": _split(port_codes),
            "samples": clean(samples), "test_items": [{
                "name": clean(test_item), "hazard_type": clean(hazard_type),
                "comparison": clean(comparison) or "le", "limit": clean(limit),
                "unit": clean(unit)}]}
    body = parse(form, TargetIn, data, ctx.language)
    try:
        if body is not None:
            version = service.get_version(ctx.db, ctx.actor, plan_id)
            service.revise_plan(ctx.db, ctx.actor, plan_id,
                                {"targets": [*version.targets, body.model_dump(mode="json")]},
                                clean(reason))
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, TARGET_FIELDS)
        for loc in [k for k in form.errors if k == "targets"]:
            form.errors.setdefault("__all__", []).extend(form.errors.pop(loc))
    if body is None or form.invalid:
        ctx.db.rollback()
        return _plan_page(ctx, plan_id, form, 422)
    return redirect(ctx.request, f"/console/monitoring/plans/{plan_id}",
                    gettext("The plan was revised.", ctx.language))


def _plan_action(ctx: RequestContext, plan_id: int, action: Any, message: str) -> Response:
    try:
        action()
    except DomainError as error:
        if error.status == 404:
            raise
        ctx.db.rollback()
        return redirect(ctx.request, f"/console/monitoring/plans/{plan_id}",
                        error.translated(ctx.language), kind="error")
    return redirect(ctx.request, f"/console/monitoring/plans/{plan_id}",
                    gettext(message, ctx.language))


@router.post("/console/monitoring/plans/{plan_id:int}/approve", response_class=HTMLResponse)
def plan_approve(plan_id: IntId, reason: str = FormField(default="", max_length=2000),
                 ctx: RequestContext = require(Permission.MONITORING_APPROVE)) -> Response:
    return _plan_action(ctx, plan_id, lambda: service.approve_plan(
        ctx.db, ctx.actor, plan_id, clean(reason)), "The plan was approved.")


@router.post("/console/monitoring/plans/{plan_id:int}/close", response_class=HTMLResponse)
def plan_close(plan_id: IntId, reason: str = FormField(default="", max_length=2000),
               ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    return _plan_action(ctx, plan_id, lambda: service.close_plan(
        ctx.db, ctx.actor, plan_id, clean(reason)), "The plan was closed.")


@router.post("/console/monitoring/plans/{plan_id:int}/tasks", response_class=HTMLResponse)
def plan_generate(plan_id: IntId,
                  ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    return _plan_action(ctx, plan_id, lambda: service.generate_tasks(ctx.db, ctx.actor, plan_id),
                        "The sampling tasks were generated.")


@router.get("/console/monitoring/plans/{plan_id:int}/progress", response_class=HTMLResponse)
def plan_progress(plan_id: IntId, ctx: RequestContext = require(Permission.MONITORING_READ)):
    plan = service.get_plan(ctx.db, ctx.actor, plan_id)
    figures = progress.plan_progress(ctx.db, ctx.actor, plan.id, _today(ctx))
    chart = {
        "categories": [r.label for r in figures.by_target],
        "series": [{"name": gettext(name, ctx.language),
                    "data": [getattr(r, key) for r in figures.by_target]}
                   for key, name in (("planned", "Planned"), ("taken", "Taken"),
                                     ("tested", "Tested"), ("failed", "Failed"))],
        "title": gettext("Samples by target", ctx.language),
    }
    return render(ctx.request, "console/monitoring/progress.html", {
        **COMMON, "plan": plan, "figures": figures, "chart": chart,
        "version": service.get_version(ctx.db, ctx.actor, plan.id),
    })


# --- Tasks ---------------------------------------------------------------------------------

RESULT_FIELDS = ("sample_code", "test_item", "measured_value", "lab_name", "tested_on",
                 "product_name", "enterprise_name", "passed", "override_reason")


def _task_page(ctx: RequestContext, task_id: int, form: Form | None = None,
               status_code: int = 200, *, action_form: Form | None = None,
               assign_form: Form | None = None) -> Response:
    task = service.get_task(ctx.db, ctx.actor, task_id)
    rows = ctx.db.execute(results.results_statement(ctx.actor, task_id=task.id)
                          .order_by(results.SamplingResult.id)).scalars().all()
    target = service.task_target(ctx.db, task)
    extra: dict[str, Any] = {}
    if ctx.actor.can(Permission.MONITORING_PLAN):
        point_rows = ctx.db.execute(points.points_statement(ctx.actor, active=True)
                                    .order_by(points.MonitoringPoint.code).limit(500)).scalars()
        extra = {
            "organisations": organisation_choices(ctx),
            "samplers": [(u.id, u.display_name or u.username)
                         for u in service.unit_samplers(ctx.db, task.organisation_id)],
            "point_choices": [(p.id, f"{p.code} {p.name}") for p in point_rows],
        }
    holder = ctx.db.get(Organisation, task.organisation_id)
    assignee = ctx.db.get(User, task.assignee_user_id) if task.assignee_user_id else None
    return render(ctx.request, "console/monitoring/task.html", {
        **COMMON, **extra, "task": task, "holder": holder.name(ctx.language) if holder else "",
        "assignee": (assignee.display_name or assignee.username) if assignee else None,
        "results": rows, "target": target,
        "label": service.target_label(target), "form": form or Form(),
        "action_form": action_form or Form(values={"samples_taken": task.samples_planned}),
        "assign_form": assign_form or Form(values={
            "organisation_id": task.organisation_id, "assignee_user_id": task.assignee_user_id,
            "monitoring_point_id": task.monitoring_point_id}),
        "plan": service.get_plan(ctx.db, ctx.actor, task.plan_id),
    }, status_code=status_code)


@router.get("/console/monitoring/tasks/{task_id:int}", response_class=HTMLResponse)
def task_detail(task_id: IntId, ctx: RequestContext = require(Permission.MONITORING_READ)):
    return _task_page(ctx, task_id)


@router.post("/console/monitoring/tasks/{task_id:int}/results", response_class=HTMLResponse)
def task_add_result(
    task_id: IntId,
    sample_code: str = FormField(default="", max_length=120),
    test_item: str = FormField(default="", max_length=400),
    measured_value: str = FormField(default="", max_length=40),
    lab_name: str = FormField(default="", max_length=400),
    tested_on: str = FormField(default="", max_length=20),
    product_name: str = FormField(default="", max_length=1000),
    enterprise_name: str = FormField(default="", max_length=600),
    passed: str = FormField(default="", max_length=10),
    override_reason: str = FormField(default="", max_length=2000),
    ctx: RequestContext = require(Permission.SAMPLING_RESULT),
) -> Response:
    values = dict(zip(RESULT_FIELDS, (sample_code, test_item, measured_value, lab_name,
                                      tested_on, product_name, enterprise_name, passed,
                                      override_reason), strict=True))
    form = Form(values=values)
    data = {k: clean(v) for k, v in values.items()}
    data["passed"] = {"pass": True, "fail": False}.get(data["passed"] or "")
    body = parse(form, ResultIn, data, ctx.language)
    try:
        if body is not None:
            results.enter_results(ctx.db, ctx.actor, task_id, [body.model_dump()])
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, RESULT_FIELDS)
        for problem in error.fields:
            name = problem.loc.split(".")[-1]
            if name in RESULT_FIELDS:
                form.add(name, problem.translated(ctx.language))
    if body is None or form.invalid:
        ctx.db.rollback()
        return _task_page(ctx, task_id, form, 422)
    return redirect(ctx.request, f"/console/monitoring/tasks/{task_id}",
                    gettext("The result was recorded.", ctx.language))


# --- Monitoring points ---------------------------------------------------------------------

POINT_FORM = ("code", "name", "point_type", "region_code", "port_code", "hs_chapters",
              "product_categories", "description")


def _points_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    rows = ctx.db.execute(points.points_statement(ctx.actor)
                          .order_by(points.MonitoringPoint.code).limit(500)).scalars().all()
    return render(ctx.request, "console/monitoring/points.html", {
        **COMMON, "points": rows, "form": form,
        "types": [(t.value, gettext(POINT_TYPE_LABELS[t], ctx.language)) for t in PointType],
    }, status_code=status_code)


@router.get("/console/monitoring/points", response_class=HTMLResponse)
def points_list(ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
    return _points_page(ctx, Form(values={"point_type": "port"}))


@router.post("/console/monitoring/points", response_class=HTMLResponse)
def points_create(
    code: str = FormField(default="", max_length=80),
    name: str = FormField(default="", max_length=400),
    point_type: str = FormField(default="", max_length=40),
    region_code: str = FormField(default="", max_length=24),
    port_code: str = FormField(default="", max_length=80),
    hs_chapters: str = FormField(default="", max_length=400),
    product_categories: str = FormField(default="", max_length=2000),
    description: str = FormField(default="", max_length=8000),
    ctx: RequestContext = require(Permission.MONITORING_PLAN),
) -> Response:
    values = dict(zip(POINT_FORM, (code, name, point_type, region_code, port_code, hs_chapters,
                                   product_categories, description), strict=True))
    form = Form(values=values)
    data: dict[str, Any] = {k: clean(v) for k, v in values.items()}
    data["hs_chapters"] = _split(hs_chapters)
    data["product_categories"] = _split(product_categories)
    body = parse(form, PointIn, data, ctx.language)
    point = None
    try:
        if body is not None:
            point = points.create_point(ctx.db, ctx.actor, body.model_dump())
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, POINT_FORM)
    if point is None or form.invalid:
        ctx.db.rollback()
        return _points_page(ctx, form, 422)
    return redirect(ctx.request, f"/console/monitoring/points/{point.id}",
                    gettext("The monitoring point was registered.", ctx.language))


POINT_EDIT_FORM = ("name", "point_type", "region_code", "port_code", "hs_chapters",
                   "product_categories", "description", "reason")


def _point_page(ctx: RequestContext, point_id: int, form: Form | None = None,
                status_code: int = 200) -> Response:
    point = points.get_point(ctx.db, ctx.actor, point_id)
    series = points.point_series(ctx.db, ctx.actor, point.id, 26, _today(ctx))
    chart = {"categories": [d.isoformat() for d, _c in series],
             "series": [{"name": gettext("Records", ctx.language),
                         "data": [c for _d, c in series]}],
             "title": gettext("Records attributed to the point per week", ctx.language),
             "kind": "bar"}
    form = form or Form(values={
        "name": point.name, "point_type": point.point_type.value,
        "region_code": point.region_code, "port_code": point.port_code,
        "hs_chapters": ", ".join(point.hs_chapters or []),
        "product_categories": ", ".join(point.product_categories or []),
        "description": point.description, "active": point.active})
    return render(ctx.request, "console/monitoring/point.html", {
        **COMMON, "point": point, "chart": chart, "form": form,
        "types": [(t.value, gettext(POINT_TYPE_LABELS[t], ctx.language)) for t in PointType],
        "total": points.point_record_count(ctx.db, point.id)}, status_code=status_code)


@router.get("/console/monitoring/points/{point_id:int}", response_class=HTMLResponse)
def point_detail(point_id: IntId, ctx: RequestContext = require(Permission.MONITORING_READ)):
    return _point_page(ctx, point_id)


@router.post("/console/monitoring/points/{point_id:int}", response_class=HTMLResponse)
def point_update(
    point_id: IntId,
    name: str = FormField(default="", max_length=400),
    point_type: str = FormField(default="", max_length=40),
    region_code: str = FormField(default="", max_length=24),
    port_code: str = FormField(default="", max_length=80),
    hs_chapters: str = FormField(default="", max_length=400),
    product_categories: str = FormField(default="", max_length=2000),
    description: str = FormField(default="", max_length=8000),
    active: str = FormField(default="", max_length=10),
    reason: str = FormField(default="", max_length=2000),
    ctx: RequestContext = require(Permission.MONITORING_PLAN),
) -> Response:
    """Edit a monitoring point (the API's PATCH with every field of the form)."""
    values = dict(zip(POINT_EDIT_FORM, (name, point_type, region_code, port_code, hs_chapters,
                                        product_categories, description, reason), strict=True))
    form = Form(values={**values, "active": bool(active)})
    data: dict[str, Any] = {k: clean(v) for k, v in values.items()}
    data["hs_chapters"] = _split(hs_chapters)
    data["product_categories"] = _split(product_categories)
    data["active"] = bool(active)
    check_required(form, ctx.language, "name", "point_type")
    body = parse(form, PointPatch, data, ctx.language)
    try:
        if body is not None:
            points.update_point(ctx.db, ctx.actor, point_id,
                                body.model_dump(exclude={"reason"}), body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, POINT_EDIT_FORM)
    if body is None or form.invalid:
        ctx.db.rollback()
        return _point_page(ctx, point_id, form, 422)
    return redirect(ctx.request, f"/console/monitoring/points/{point_id}",
                    gettext("The monitoring point was updated.", ctx.language))


# --- Plan versions, task workflow, results import ------------------------------------------


@router.get("/console/monitoring/plans/{plan_id:int}/versions/{version}",
            response_class=HTMLResponse)
def plan_version(plan_id: IntId, version: VersionPath,
                 ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
    """One version of a plan as it was, read-only (older versions stay for the record)."""
    plan = service.get_plan(ctx.db, ctx.actor, plan_id)
    shown = service.get_version(ctx.db, ctx.actor, plan.id, version)
    return render(ctx.request, "console/monitoring/version.html", {
        **COMMON, "plan": plan, "shown": shown,
        "labels": {t["key"]: service.target_label(t) for t in shown.targets},
    })


TRANSITION_FIELDS = ("event", "samples_taken", "reason")


@router.post("/console/monitoring/tasks/{task_id:int}/transition", response_class=HTMLResponse)
def task_transition(
    task_id: IntId,
    event: str = FormField(default="", max_length=20),
    samples_taken: str = FormField(default="", max_length=10),
    reason: str = FormField(default="", max_length=2000),
    ctx: RequestContext = require(Permission.SAMPLING_RESULT),
) -> Response:
    """Samples taken (with their number), task completed, or cancelled with a reason; a task
    becomes tested when its results are entered."""
    form = Form(values={"event": event, "samples_taken": samples_taken, "reason": reason})
    body = parse(form, TaskTransitionIn, {"event": clean(event),
                                          "samples_taken": optional_int(samples_taken),
                                          "reason": clean(reason)}, ctx.language)
    try:
        if body is not None:
            service.transition_task(ctx.db, ctx.actor, task_id, TaskEvent(body.event),
                                    samples_taken=body.samples_taken, reason=body.reason)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, TRANSITION_FIELDS)
    if body is None or form.invalid:
        ctx.db.rollback()
        return _task_page(ctx, task_id, status_code=422, action_form=form)
    message = {"sample": N_("The samples taken were recorded."),
               "complete": N_("The sampling task was completed."),
               "cancel": N_("The sampling task was cancelled.")}[body.event]
    return redirect(ctx.request, f"/console/monitoring/tasks/{task_id}",
                    gettext(message, ctx.language))


ASSIGN_FIELDS = ("organisation_id", "assignee_user_id", "monitoring_point_id")


@router.post("/console/monitoring/tasks/{task_id:int}/assign", response_class=HTMLResponse)
def task_assign(
    task_id: IntId,
    organisation_id: str = FormField(default="", max_length=12),
    assignee_user_id: str = FormField(default="", max_length=12),
    monitoring_point_id: str = FormField(default="", max_length=12),
    ctx: RequestContext = require(Permission.MONITORING_PLAN),
) -> Response:
    """Reassign an open task to a unit and/or one of its officers, and/or a monitoring point."""
    values = {"organisation_id": organisation_id, "assignee_user_id": assignee_user_id,
              "monitoring_point_id": monitoring_point_id}
    form = Form(values=values)
    body = parse(form, AssignIn, {k: optional_int(v) for k, v in values.items()}, ctx.language)
    try:
        if body is not None:
            service.assign_task(ctx.db, ctx.actor, task_id, **body.model_dump())
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ASSIGN_FIELDS)
    if body is None or form.invalid:
        ctx.db.rollback()
        return _task_page(ctx, task_id, status_code=422, assign_form=form)
    return redirect(ctx.request, f"/console/monitoring/tasks/{task_id}",
                    gettext("The sampling task was assigned.", ctx.language))


@router.post("/console/monitoring/results/import", response_class=HTMLResponse)
def results_import(
    file: UploadFile = File(),
    task_id: int | None = FormField(default=None, ge=1, le=2_147_483_647),
    ctx: RequestContext = require(Permission.SAMPLING_RESULT),
) -> Response:
    """Import a results sheet (CSV or .xlsx, one row per sample and test item, the task number in
    a column) and show the outcome: rows stored, duplicates, rejected rows with their line."""
    back = service.get_task(ctx.db, ctx.actor, task_id) if task_id else None
    context: dict[str, Any] = {**COMMON, "task": back, "file_name": file.filename or "upload",
                               "report": None, "error": None, "details": []}
    try:
        limit = ctx.settings.max_body_bytes
        if file.size is not None and file.size > limit:
            raise PayloadTooLarge(limit=limit)
        context["report"] = results.import_results(ctx.db, ctx.actor, file.file,
                                                   context["file_name"])
    except DomainError as error:
        if error.status == 404:
            raise
        ctx.db.rollback()
        context["error"] = error.translated(ctx.language)
        context["details"] = [p.translated(ctx.language) for p in error.fields]
        return render(ctx.request, "console/monitoring/import.html", context, status_code=422)
    return render(ctx.request, "console/monitoring/import.html", context)
