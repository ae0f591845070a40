"""Console pages: monitoring plans (targets, versions, tasks, progress chart), sampling tasks with
their results, and monitoring points with their weekly series chart.

Every form goes through the one form path (`web.forms.submit` / `attempt`). A refused form shows
its page again with status 422 whatever the service's error was (a refused move, a missing
permission for one action of a page the user may read): the page says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, File, Path, UploadFile
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog.reference import port
from riskgate.core.db import utcnow
from riskgate.core.errors import PayloadTooLarge
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.choices import organisation_choices
from riskgate.identity.models import Organisation, User
from riskgate.monitoring import points, progress, results, service
from riskgate.monitoring.enums import (
    Comparison,
    PointType,
    SchedulePeriod,
    TaskEvent,
    comparison_symbol,
)
from riskgate.monitoring.models import MonitoringPlan, MonitoringPoint, SamplingResult, SamplingTask
from riskgate.monitoring.results import ImportReport
from riskgate.monitoring.schemas import (
    AssignIn,
    PlanIn,
    PointIn,
    PointPatch,
    ResultIn,
    TargetIn,
    TaskTransitionIn,
)
from riskgate.monitoring.workflow import PLAN_FLOW, TASK_FLOW
from riskgate.web.flash import redirect
from riskgate.web.forms import (
    Form,
    Submitted,
    attempt,
    check_required,
    clean,
    form_data,
    read_submitted,
    submit,
)
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

VersionPath = Annotated[int, Path(ge=1, le=10_000)]


def port_label(code: str, lang: str) -> str:
    """A catalogue port's name (the code itself when the catalogue does not know it)."""
    found = port(code)
    return found.label(lang) if found is not None else code


# What every monitoring template may use: the enums whose plain stored codes it labels, the
# symbol of a comparison written before a limit, and the names of the ports of a target.
COMMON = {"SchedulePeriod": SchedulePeriod, "Comparison": Comparison,
          "symbol": comparison_symbol, "port_label": port_label}


def _today(ctx: RequestContext) -> dt.date:
    return utcnow().astimezone(ZoneInfo(ctx.settings.timezone)).date()


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]


def _typed(submitted: Submitted, names: tuple[str, ...]) -> dict[str, Any]:
    """The values as typed, to refill a form whose shape is not its input model's."""
    return {name: submitted.fields.get(name, "") for name in names}


def _refused(ctx: RequestContext,
             page: Callable[[Form], Response]) -> Callable[[Form, int], Response]:
    """The page again after a refused form: 422, with the database as it was (the request's
    changes so far are rolled back before the page reads it)."""
    def again(form: Form, _status: int) -> Response:
        ctx.db.rollback()
        return page(form)
    return again


# --- Plans ---------------------------------------------------------------------------------


def _plans_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    plans = ctx.db.execute(service.plans_statement(ctx.actor)
                           .order_by(MonitoringPlan.id.desc()).limit(200)).scalars().all()
    titles = {p.id: service.get_version(ctx.db, ctx.actor, p.id).title for p in plans}
    return render(ctx.request, "console/monitoring/plans.html", {
        **COMMON, "plans": plans, "titles": titles, "form": form,
        "periods": SchedulePeriod.choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/monitoring", response_class=HTMLResponse)
def plans_list(ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
    return _plans_page(ctx, Form(values={"year": _today(ctx).year, "period": "quarter"}))


@router.post("/console/monitoring/plans", response_class=HTMLResponse)
def plans_create(submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    values, data = form_data(PlanIn, submitted, ("year", "title", "period", "description"))
    return submit(
        ctx, None, PlanIn, form=Form(values=values), data=data,
        act=lambda body: service.create_plan(ctx.db, ctx.actor, body.model_dump()),
        done=lambda plan: (f"/console/monitoring/plans/{plan.id}",
                           N_("The monitoring plan was created.")),
        again=_refused(ctx, lambda form: _plans_page(ctx, form, 422)))


def _plan_page(ctx: RequestContext, plan_id: int, form: Form | None = None,
               status_code: int = 200) -> Response:
    plan = service.get_plan(ctx.db, ctx.actor, plan_id)
    version = service.get_version(ctx.db, ctx.actor, plan.id)
    tasks = ctx.db.execute(service.tasks_statement(ctx.actor, plan_id=plan.id)
                           .order_by(SamplingTask.period, SamplingTask.id)).scalars().all()
    return render(ctx.request, "console/monitoring/plan.html", {
        **COMMON, "plan": plan, "version": version, "tasks": tasks, "today": _today(ctx),
        "versions": service.versions(ctx.db, ctx.actor, plan.id),
        "labels": {t["key"]: service.target_label(t) for t in version.targets},
        "moves": PLAN_FLOW.next_states(plan),
        "form": form or Form(values={"samples": 4, "comparison": "le"}),
        "comparisons": Comparison.choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/monitoring/plans/{plan_id:int}", response_class=HTMLResponse)
def plan_detail(plan_id: IntId,
                ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
    return _plan_page(ctx, plan_id)


TARGET_FIELDS = ("product_category", "hs_code", "origin_countries", "port_codes", "samples",
                 "test_item", "hazard_type", "comparison", "limit", "unit", "reason")


def _add_target(ctx: RequestContext, plan_id: int, target: TargetIn, reason: str | None) -> Any:
    version = service.get_version(ctx.db, ctx.actor, plan_id)
    return service.revise_plan(ctx.db, ctx.actor, plan_id,
                               {"targets": [*version.targets, target.model_dump(mode="json")]},
                               reason)


@router.post("/console/monitoring/plans/{plan_id:int}/targets", response_class=HTMLResponse)
def plan_add_target(plan_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    """Add one target with one test item (more through the API) — a revision of the plan."""
    fields = submitted.fields
    data = {"product_category": clean(fields.get("product_category")),
            "hs_code": clean(fields.get("hs_code")),
            "origin_countries": _split(fields.get("origin_countries")),
            "port_codes": _split(fields.get("port_codes")),
            "samples": clean(fields.get("samples")), "test_items": [{
                "name": clean(fields.get("test_item")),
                "hazard_type": clean(fields.get("hazard_type")),
                "comparison": clean(fields.get("comparison")) or "le",
                "limit": clean(fields.get("limit")), "unit": clean(fields.get("unit"))}]}

    def again(form: Form, _status: int) -> Response:
        # The plan's other targets are not on this form: what is wrong with them goes on top.
        form.errors.setdefault("__all__", []).extend(form.errors.pop("targets", []))
        ctx.db.rollback()
        return _plan_page(ctx, plan_id, form, 422)

    return submit(
        ctx, None, TargetIn, form=Form(values=_typed(submitted, TARGET_FIELDS)),
        data=data,
        act=lambda body: _add_target(ctx, plan_id, body, clean(fields.get("reason"))),
        done=lambda _plan: (f"/console/monitoring/plans/{plan_id}", N_("The plan was revised.")),
        again=again)


def _plan_action(ctx: RequestContext, plan_id: int, action: Callable[[], Any],
                 message: str) -> Response:
    """A button of the plan page: back to the plan with the outcome as a flash message."""
    def again(form: Form, _status: int) -> Response:
        ctx.db.rollback()
        return redirect(ctx.request, f"/console/monitoring/plans/{plan_id}", form.message,
                        kind="error")

    return attempt(ctx, act=action, again=again,
                   done=lambda _result: (f"/console/monitoring/plans/{plan_id}", message))


@router.post("/console/monitoring/plans/{plan_id:int}/approve", response_class=HTMLResponse)
def plan_approve(plan_id: IntId, reason: str = FormField(default="", max_length=2000),
                 ctx: RequestContext = require(Permission.MONITORING_APPROVE)) -> Response:
    return _plan_action(ctx, plan_id, lambda: service.approve_plan(
        ctx.db, ctx.actor, plan_id, clean(reason)), N_("The plan was approved."))


@router.post("/console/monitoring/plans/{plan_id:int}/close", response_class=HTMLResponse)
def plan_close(plan_id: IntId, reason: str = FormField(default="", max_length=2000),
               ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    return _plan_action(ctx, plan_id, lambda: service.close_plan(
        ctx.db, ctx.actor, plan_id, clean(reason)), N_("The plan was closed."))


@router.post("/console/monitoring/plans/{plan_id:int}/tasks", response_class=HTMLResponse)
def plan_generate(plan_id: IntId,
                  ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    return _plan_action(ctx, plan_id, lambda: service.generate_tasks(ctx.db, ctx.actor, plan_id),
                        N_("The sampling tasks were generated."))


@router.get("/console/monitoring/plans/{plan_id:int}/progress", response_class=HTMLResponse)
def plan_progress(plan_id: IntId,
                  ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
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
                          .order_by(SamplingResult.id)).scalars().all()
    target = service.task_target(ctx.db, task)
    extra: dict[str, Any] = {}
    if ctx.actor.can(Permission.MONITORING_PLAN):
        point_rows = ctx.db.execute(points.points_statement(ctx.actor, active=True)
                                    .order_by(MonitoringPoint.code).limit(500)).scalars()
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
        "moves": TASK_FLOW.next_states(task),
        "action_form": action_form or Form(values={"samples_taken": task.samples_planned}),
        "assign_form": assign_form or Form(values={
            "organisation_id": task.organisation_id, "assignee_user_id": task.assignee_user_id,
            "monitoring_point_id": task.monitoring_point_id}),
        "plan": service.get_plan(ctx.db, ctx.actor, task.plan_id),
    }, status_code=status_code)


@router.get("/console/monitoring/tasks/{task_id:int}", response_class=HTMLResponse)
def task_detail(task_id: IntId,
                ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
    return _task_page(ctx, task_id)


@router.post("/console/monitoring/tasks/{task_id:int}/results", response_class=HTMLResponse)
def task_add_result(task_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.SAMPLING_RESULT)) -> Response:
    values, data = form_data(ResultIn, submitted, RESULT_FIELDS)
    # The verdict is a select: computed from the limit (blank), or an officer's pass / fail.
    data["passed"] = {"pass": True, "fail": False}.get(submitted.fields.get("passed", ""))
    values["passed"] = submitted.fields.get("passed", "")
    return submit(
        ctx, None, ResultIn, form=Form(values=values), data=data,
        act=lambda body: results.enter_result(ctx.db, ctx.actor, task_id, body.model_dump()),
        done=lambda _entered: (f"/console/monitoring/tasks/{task_id}",
                               N_("The result was recorded.")),
        again=_refused(ctx, lambda form: _task_page(ctx, task_id, form, 422)))


TRANSITION_FIELDS = ("event", "samples_taken", "reason")


@router.post("/console/monitoring/tasks/{task_id:int}/transition", response_class=HTMLResponse)
def task_transition(task_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.SAMPLING_RESULT)) -> Response:
    """Samples taken (with their number), task completed, or cancelled with a reason; a task
    becomes tested when its results are entered."""
    messages = {TaskEvent.sample: N_("The samples taken were recorded."),
                TaskEvent.complete: N_("The sampling task was completed."),
                TaskEvent.cancel: N_("The sampling task was cancelled.")}

    def act(body: TaskTransitionIn) -> TaskEvent:
        event = TaskEvent(body.event)
        service.transition_task(ctx.db, ctx.actor, task_id, event,
                                samples_taken=body.samples_taken, reason=body.reason)
        return event

    return submit(
        ctx, submitted, TaskTransitionIn, act=act,
        done=lambda event: (f"/console/monitoring/tasks/{task_id}", messages[event]),
        again=_refused(ctx, lambda form: _task_page(ctx, task_id, status_code=422,
                                                    action_form=form)))


@router.post("/console/monitoring/tasks/{task_id:int}/assign", response_class=HTMLResponse)
def task_assign(task_id: IntId, submitted: Submitted = Depends(read_submitted),
                ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    """Reassign an open task to a unit and/or one of its officers, and/or a monitoring point."""
    return submit(
        ctx, submitted, AssignIn,
        act=lambda body: service.assign_task(ctx.db, ctx.actor, task_id, **body.model_dump()),
        done=lambda _task: (f"/console/monitoring/tasks/{task_id}",
                            N_("The sampling task was assigned.")),
        again=_refused(ctx, lambda form: _task_page(ctx, task_id, status_code=422,
                                                    assign_form=form)))


# --- Monitoring points ---------------------------------------------------------------------

POINT_FORM = ("code", "name", "point_type", "region_code", "port_code", "hs_chapters",
              "product_categories", "description")


def _points_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    rows = ctx.db.execute(points.points_statement(ctx.actor)
                          .order_by(MonitoringPoint.code).limit(500)).scalars().all()
    return render(ctx.request, "console/monitoring/points.html", {
        **COMMON, "points": rows, "form": form, "types": PointType.choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/monitoring/points", response_class=HTMLResponse)
def points_list(ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
    return _points_page(ctx, Form(values={"point_type": "port"}))


def _point_data(submitted: Submitted, model: type[PointIn] | type[PointPatch],
                names: tuple[str, ...]) -> dict[str, Any]:
    """A point form's input: its chapters and categories are typed as comma-separated text."""
    _values, data = form_data(model, submitted, names)
    data["hs_chapters"] = _split(submitted.fields.get("hs_chapters"))
    data["product_categories"] = _split(submitted.fields.get("product_categories"))
    return data


@router.post("/console/monitoring/points", response_class=HTMLResponse)
def points_create(submitted: Submitted = Depends(read_submitted),
                  ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    return submit(
        ctx, None, PointIn, form=Form(values=_typed(submitted, POINT_FORM)),
        data=_point_data(submitted, PointIn, POINT_FORM),
        act=lambda body: points.create_point(ctx.db, ctx.actor, body.model_dump()),
        done=lambda point: (f"/console/monitoring/points/{point.id}",
                            N_("The monitoring point was registered.")),
        again=_refused(ctx, lambda form: _points_page(ctx, form, 422)))


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
        "types": PointType.choices(ctx.language),
        "total": points.point_record_count(ctx.db, point.id)}, status_code=status_code)


@router.get("/console/monitoring/points/{point_id:int}", response_class=HTMLResponse)
def point_detail(point_id: IntId,
                 ctx: RequestContext = require(Permission.MONITORING_READ)) -> Response:
    return _point_page(ctx, point_id)


@router.post("/console/monitoring/points/{point_id:int}", response_class=HTMLResponse)
def point_update(point_id: IntId, submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.MONITORING_PLAN)) -> Response:
    """Edit a monitoring point (the API's PATCH with every field of the form)."""
    active = bool(submitted.fields.get("active"))
    form = Form(values={**_typed(submitted, POINT_EDIT_FORM), "active": active})
    check_required(form, ctx.language, "name", "point_type")
    data = {**_point_data(submitted, PointPatch, POINT_EDIT_FORM), "active": active}
    return submit(
        ctx, None, PointPatch, form=form, data=data,
        act=lambda body: points.update_point(ctx.db, ctx.actor, point_id,
                                             body.model_dump(exclude={"reason"}), body.reason),
        done=lambda _point: (f"/console/monitoring/points/{point_id}",
                             N_("The monitoring point was updated.")),
        again=_refused(ctx, lambda form: _point_page(ctx, point_id, form, 422)))


# --- Plan versions, results import ---------------------------------------------------------


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


def _import(ctx: RequestContext, file: UploadFile, file_name: str) -> ImportReport:
    limit = ctx.settings.max_body_bytes
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(limit=limit)
    return results.import_results(ctx.db, ctx.actor, file.file, file_name)


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

    def outcome(report: ImportReport | None, status_code: int = 200) -> Response:
        return render(ctx.request, "console/monitoring/import.html",
                      {**context, "report": report}, status_code=status_code)

    def again(form: Form, _status: int) -> Response:
        ctx.db.rollback()
        context["error"] = form.message
        context["details"] = [m for _name, m in form.summary() if m != form.message]
        return outcome(None, 422)

    return attempt(ctx, act=lambda: _import(ctx, file, context["file_name"]),
                   done=outcome, again=again)
