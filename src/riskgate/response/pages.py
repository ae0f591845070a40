"""Console pages of rapid response: the case board, a case with its tasks and timeline, my
unit's task inbox, a task with its report form (evidence upload), the overdue view (督查) and
the joint-disposal rules editor. Each POST calls one service function and redirects, or shows
the page again with the service's message (status 4xx rolls the transaction back)."""

from __future__ import annotations

from typing import Any

from fastapi import File, Query, UploadFile
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog.enums import MeasureType, WarningLevel, WarningType
from riskgate.catalog.reference import measure_type, warning_level, warning_type
from riskgate.core.db import utcnow
from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.enums import ORG_TYPE_LABELS, OrgType
from riskgate.identity.models import Organisation
from riskgate.reports.forms import read_uploads
from riskgate.response import api as response_api
from riskgate.response import disposal, evaluation, service, tasks
from riskgate.response.enums import FINISHED_TASK_STATES, CaseStatus, TaskStatus
from riskgate.response.schemas import (
    DisposalRuleIn,
    OpenCaseIn,
    QuantitiesIn,
    ReasonIn,
    TaskReportIn,
)
from riskgate.response.transitions import CASE_STATUS_LABELS, TASK_STATUS_LABELS
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, clean, optional_int, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

TIMELINE_LABELS = {
    "warning.publish": N_("Warning published"),
    "warning.adjust": N_("Warning adjusted"),
    "warning.lift": N_("Warning lifted"),
    "warning.withdraw": N_("Warning withdrawn"),
    "response.case.open": N_("Case opened"),
    "response.case.close": N_("Case closed"),
    "response.case.cancel": N_("Case cancelled"),
    "response.case.reopen": N_("Case reopened"),
    "response.task.create": N_("Task created"),
    "response.task.start": N_("Task started"),
    "response.task.report": N_("Progress reported"),
    "response.task.complete": N_("Task done"),
    "response.task.waive": N_("Task waived"),
    "response.task.reopen": N_("Task reopened"),
    "response.task.remind": N_("Reminder sent"),
    "response.task.escalate": N_("Escalated to supervisors"),
    "case.evaluate": N_("Effect evaluated"),
}
ROLE_LABELS = {"lead": N_("Lead unit"), "cooperating": N_("Cooperating unit")}
QUANTITY_LABELS = {"seized_units": N_("Units seized"), "returned_units": N_("Units returned"),
                   "destroyed_units": N_("Units destroyed"),
                   "recalled_units": N_("Units recalled"), "value_cny": N_("Value (CNY)")}
REGULATOR_TYPES = [t for t in OrgType if not t.is_enterprise]


def _names(ctx: RequestContext, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = ctx.db.query(Organisation.id, Organisation.name_zh, Organisation.name_en).filter(
        Organisation.id.in_(ids)).all()
    return {i: (en if ctx.language == "en" and en else zh) for i, zh, en in rows}


def _common(ctx: RequestContext) -> dict[str, Any]:
    return {"measure_type": measure_type, "warning_level": warning_level, "now": utcnow(),
            "task_status_labels": {k.value: v for k, v in TASK_STATUS_LABELS.items()},
            "case_status_labels": {k.value: v for k, v in CASE_STATUS_LABELS.items()},
            "role_labels": ROLE_LABELS, "quantity_labels": QUANTITY_LABELS,
            "finished": {s.value for s in FINISHED_TASK_STATES},
            "org_type_name": lambda code: ORG_TYPE_LABELS[OrgType(code)][
                1 if ctx.language == "en" else 0]}


# ---------------------------------------------------------------- cases

def _board(ctx: RequestContext, status: CaseStatus | None = None, form: Form | None = None,
           status_code: int = 200) -> Response:
    stmt = service.cases_statement(ctx.actor, status=status)
    cases = list(ctx.db.execute(stmt.order_by(service.ResponseCase.id.desc()).limit(300))
                 .scalars())
    columns = {s.value: [c for c in cases if c.status == s] for s in CaseStatus}
    may_open = ctx.actor.can(Permission.RESPONSE_MANAGE)
    return render(ctx.request, "console/response/cases.html", {
        **_common(ctx), "cases": cases, "columns": columns, "status": status.value if status
        else None, "figures": service.task_figures(ctx.db, [c.id for c in cases]),
        "names": _names(ctx, {c.organisation_id for c in cases}), "may_open": may_open,
        "open_warnings": [(str(w.id), f"{w.number} {w.title}") for w in
                          service.warnings_without_case(ctx.db, ctx.actor)] if may_open else [],
        "measure_options": [(m.value, measure_type(m.value).label(ctx.language))  # type: ignore[union-attr]
                            for m in MeasureType],
        "form": form or Form()}, status_code=status_code)


@router.get("/console/response/cases", response_class=HTMLResponse)
def response_case_board(status: CaseStatus | None = None,
                        ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    return _board(ctx, status)


@router.post("/console/response/cases", response_class=HTMLResponse)
def response_case_open(warning_id: str = FormField(default=""),
                       measures: list[str] = FormField(default=[]),
                       ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    """Open a case by hand for a warning in force without an open one."""
    form = Form(values={"warning_id": warning_id, "measures": measures})
    body = parse(form, OpenCaseIn, {"warning_id": optional_int(warning_id) or "",
                                    "measures": [m for m in measures if m]}, ctx.language)
    if body is None:
        return _board(ctx, form=form, status_code=422)
    try:
        case = service.open_case(ctx.db, ctx.actor, body.warning_id,
                                 [m.value for m in body.measures])
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, fields=("warning_id", "measures"))
        return _board(ctx, form=form, status_code=error.status)
    return redirect(ctx.request, f"/console/response/cases/{case.id}",
                    gettext("Case {number} was opened.", ctx.language, number=case.number))


def _case_page(ctx: RequestContext, case_id: int, form: Form | None = None,
               status_code: int = 200) -> Response:
    case = service.get_case(ctx.db, ctx.actor, case_id)
    case_tasks = service.tasks_of(ctx.db, case.id)
    owner = bool(_scope_ids(ctx, {case.organisation_id}))
    return render(ctx.request, "console/response/case.html", {
        "evaluations": evaluation.evaluations_of(ctx.db, ctx.actor, case.id)[:5] if owner else [],
        "recommendation_labels": RECOMMENDATION_LABELS,
        **_common(ctx), "case": case, "tasks": case_tasks,
        "figures": service.task_figures(ctx.db, [case.id])[case.id],
        "timeline": service.timeline(ctx.db, case), "timeline_labels": TIMELINE_LABELS,
        "names": _names(ctx, {t.organisation_id for t in case_tasks} | {case.organisation_id}),
        "may_manage": owner and ctx.actor.can(Permission.RESPONSE_MANAGE),
        "form": form or Form()}, status_code=status_code)


def _scope_ids(ctx: RequestContext, ids: set[int]) -> set[int]:
    """Those of `ids` inside the actor's subtree (all of them for the system)."""
    from sqlalchemy import select

    from riskgate.identity.scope import in_subtree

    if ctx.actor.is_system:
        return set(ids)
    if not ctx.actor.organisation_path:
        return set()
    return set(ctx.db.execute(select(Organisation.id).where(
        Organisation.id.in_(ids), in_subtree(Organisation.path, ctx.actor.organisation_path))
    ).scalars())


@router.get("/console/response/cases/{case_id:int}", response_class=HTMLResponse)
def response_case_page(case_id: IntId,
                       ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    return _case_page(ctx, case_id)


@router.post("/console/response/cases/{case_id:int}/close", response_class=HTMLResponse)
def response_case_close(case_id: IntId, note: str = FormField(default=""),
                        ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    form = Form(values={"note": note})
    if len(note) > 5000:
        form.add("note", gettext("At most {max} characters.", ctx.language, max=5000))
        return _case_page(ctx, case_id, form, 422)
    try:
        service.close_case(ctx.db, ctx.actor, case_id, clean(note))
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, fields=("note",))
        return _case_page(ctx, case_id, form, error.status)
    return redirect(ctx.request, f"/console/response/cases/{case_id}",
                    gettext("The case was closed.", ctx.language))


RECOMMENDATION_LABELS = {"keep": N_("Keep the warning"), "downgrade": N_("Downgrade the warning"),
                         "lift": N_("Lift the warning")}


@router.post("/console/response/cases/{case_id:int}/evaluate", response_class=HTMLResponse)
def response_case_evaluate(case_id: IntId,
                           ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    """Measure the case's effect now (R2); the figures and the proposal show on the case page."""
    result = evaluation.evaluate_case(ctx.db, ctx.actor, case_id)
    return redirect(ctx.request, f"/console/response/cases/{case_id}#evaluations", gettext(
        "Evaluated: {proposal}.", ctx.language,
        proposal=gettext(RECOMMENDATION_LABELS[result.recommendation.value], ctx.language)))


# ---------------------------------------------------------------- tasks

@router.get("/console/response/tasks", response_class=HTMLResponse)
def response_task_inbox(status: TaskStatus | None = None,
                        overdue: bool | None = Query(default=None),
                        ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    rows = tasks.inbox(ctx.db, ctx.actor, status=status, overdue=overdue)
    cases = {c.id: c for c in ctx.db.query(service.ResponseCase).filter(
        service.ResponseCase.id.in_({t.case_id for t in rows})).all()} if rows else {}
    return render(ctx.request, "console/response/tasks.html", {
        **_common(ctx), "tasks": rows, "cases": cases,
        "status": status.value if status else None, "overdue": overdue})


def _task_page(ctx: RequestContext, task_id: int, *, failed: str | None = None,
               form: Form | None = None, status_code: int = 200) -> Response:
    task = tasks.get_task(ctx.db, ctx.actor, task_id)
    case = ctx.db.get(service.ResponseCase, task.case_id)
    assert case is not None
    reports = service.reports_of(ctx.db, task.id)
    open_task = task.status not in FINISHED_TASK_STATES and case.status == CaseStatus.open
    own = ctx.actor.organisation_id == task.organisation_id
    owner = bool(_scope_ids(ctx, {case.organisation_id}))
    forms = {"report": Form(values={"progress_percent": str(task.progress_percent)}),
             "waive": Form(), "reopen": Form()}
    if failed and form is not None:
        forms[failed] = form
    return render(ctx.request, "console/response/task.html", {
        **_common(ctx), "task": task, "case": case, "reports": reports,
        "evidence": tasks.evidence_of(ctx.db, [r.id for r in reports]),
        "names": _names(ctx, {task.organisation_id, case.organisation_id}),
        "may_report": own and open_task and ctx.actor.can(Permission.RESPONSE_TASK_REPORT),
        "may_start": own and task.status == TaskStatus.pending and case.status == CaseStatus.open
        and ctx.actor.can(Permission.RESPONSE_TASK_REPORT),
        "may_waive": owner and open_task and ctx.actor.can(Permission.RESPONSE_MANAGE),
        "may_reopen": owner and task.status == TaskStatus.done
        and case.status == CaseStatus.open and ctx.actor.can(Permission.RESPONSE_MANAGE),
        "overdue": task.status not in FINISHED_TASK_STATES and task.due_at < utcnow(),
        "forms": forms, "failed": failed}, status_code=status_code)


@router.get("/console/response/tasks/{task_id:int}", response_class=HTMLResponse)
def response_task_page(task_id: IntId,
                       ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    return _task_page(ctx, task_id)


def _task_action(ctx: RequestContext, task_id: int, action: str, form: Form, call: Any,
                 message: str) -> Response:
    try:
        call()
    except DomainError as error:
        apply_domain_error(form, error, ctx.language)
        return _task_page(ctx, task_id, failed=action, form=form, status_code=error.status)
    return redirect(ctx.request, f"/console/response/tasks/{task_id}",
                    gettext(message, ctx.language))


@router.post("/console/response/tasks/{task_id:int}/start", response_class=HTMLResponse)
def response_task_start(task_id: IntId,
                        ctx: RequestContext = require(Permission.RESPONSE_TASK_REPORT)
                        ) -> Response:
    return _task_action(ctx, task_id, "report", Form(),
                        lambda: tasks.start_task(ctx.db, ctx.actor, task_id),
                        N_("Work on the task has started."))


@router.post("/console/response/tasks/{task_id:int}/report", response_class=HTMLResponse)
def response_task_report(
    task_id: IntId,
    body: str = FormField(default=""),
    progress_percent: str = FormField(default="0"),
    complete: str = FormField(default=""),
    seized_units: str = FormField(default=""),
    returned_units: str = FormField(default=""),
    destroyed_units: str = FormField(default=""),
    recalled_units: str = FormField(default=""),
    value_cny: str = FormField(default=""),
    evidence: list[UploadFile] | None = File(default=None),
    ctx: RequestContext = require(Permission.RESPONSE_TASK_REPORT),
) -> Response:
    amounts = {"seized_units": seized_units, "returned_units": returned_units,
               "destroyed_units": destroyed_units, "recalled_units": recalled_units,
               "value_cny": value_cny}
    form = Form(values={"body": body, "progress_percent": progress_percent,
                        "complete": complete, **amounts})
    quantities = parse(form, QuantitiesIn, {k: clean(v) for k, v in amounts.items()
                                            if clean(v) is not None}, ctx.language)
    parsed = parse(form, TaskReportIn, {"body": clean(body) or "", "complete": complete == "1",
                                        "progress_percent": clean(progress_percent) or "0"},
                   ctx.language)
    if parsed is None or quantities is None:
        return _task_page(ctx, task_id, failed="report", form=form, status_code=422)
    return _task_action(
        ctx, task_id, "report", form,
        lambda: tasks.report(ctx.db, ctx.actor, task_id, body=parsed.body,
                             progress_percent=parsed.progress_percent, complete=parsed.complete,
                             quantities=quantities.model_dump(),
                             uploads=read_uploads(evidence, ctx.settings.attachment_max_bytes),
                             root=ctx.settings.attachments_dir,
                             max_bytes=ctx.settings.attachment_max_bytes,
                             max_files=ctx.settings.attachment_max_files),
        N_("Your progress report was saved."))


def _reason(ctx: RequestContext, reason: str) -> tuple[Form, ReasonIn | None]:
    form = Form(values={"reason": reason})
    return form, parse(form, ReasonIn, {"reason": clean(reason) or ""}, ctx.language)


@router.post("/console/response/tasks/{task_id:int}/waive", response_class=HTMLResponse)
def response_task_waive(task_id: IntId, reason: str = FormField(default=""),
                        ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    form, body = _reason(ctx, reason)
    if body is None:
        return _task_page(ctx, task_id, failed="waive", form=form, status_code=422)
    return _task_action(ctx, task_id, "waive", form,
                        lambda: tasks.waive(ctx.db, ctx.actor, task_id, body.reason),
                        N_("The task was waived."))


@router.post("/console/response/tasks/{task_id:int}/reopen", response_class=HTMLResponse)
def response_task_reopen(task_id: IntId, reason: str = FormField(default=""),
                         ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    form, body = _reason(ctx, reason)
    if body is None:
        return _task_page(ctx, task_id, failed="reopen", form=form, status_code=422)
    return _task_action(ctx, task_id, "reopen", form,
                        lambda: tasks.reopen(ctx.db, ctx.actor, task_id, body.reason),
                        N_("The task was reopened."))


@router.get("/console/response/tasks/{task_id:int}/evidence/{evidence_id:int}")
def response_task_evidence(task_id: IntId, evidence_id: IntId,
                           ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    row = tasks.get_evidence(ctx.db, ctx.actor, task_id, evidence_id)
    return response_api.evidence_response(ctx, row)


# ---------------------------------------------------------------- 督查 and rules

@router.get("/console/response/overdue", response_class=HTMLResponse)
def response_overdue_page(ctx: RequestContext = require(Permission.RESPONSE_SUPERVISE)
                          ) -> Response:
    found = tasks.overdue(ctx.db, ctx.actor)
    cases = {c.id: c for c in ctx.db.query(service.ResponseCase).filter(
        service.ResponseCase.id.in_({t.case_id for t in found["tasks"]})).all()} \
        if found["tasks"] else {}
    return render(ctx.request, "console/response/overdue.html",
                  {**_common(ctx), **found, "cases": cases})


def _rules_page(ctx: RequestContext, form: Form | None = None,
                status_code: int = 200) -> Response:
    return render(ctx.request, "console/response/rules.html", {
        **_common(ctx), "rules": disposal.list_rules(ctx.db), "form": form or Form(),
        "level_options": [(lv.value, warning_level(lv.value).display(ctx.language))  # type: ignore[union-attr]
                          for lv in WarningLevel],
        "type_options": [(t.value, warning_type(t.value).label(ctx.language))  # type: ignore[union-attr]
                         for t in WarningType],
        "measure_options": [(m.value, measure_type(m.value).label(ctx.language))  # type: ignore[union-attr]
                            for m in MeasureType],
        "org_options": [(t.value, ORG_TYPE_LABELS[t][1 if ctx.language == "en" else 0])
                        for t in REGULATOR_TYPES]}, status_code=status_code)


@router.get("/console/response/rules", response_class=HTMLResponse)
def response_rules_page(ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE)
                        ) -> Response:
    return _rules_page(ctx)


@router.post("/console/response/rules", response_class=HTMLResponse)
def response_rule_create(
    name: str = FormField(default=""), level: str = FormField(default=""),
    warning_type: str = FormField(default=""), category: str = FormField(default=""),
    measure: str = FormField(default=""), lead_org_type: str = FormField(default=""),
    cooperating_org_types: list[str] = FormField(default=[]),
    deadline_hours: str = FormField(default=""), instructions: str = FormField(default=""),
    ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE),
) -> Response:
    values = {"name": name, "level": level, "warning_type": warning_type, "category": category,
              "measure": measure, "lead_org_type": lead_org_type,
              "deadline_hours": deadline_hours, "instructions": instructions}
    form = Form(values={**values, "cooperating_org_types": cooperating_org_types})
    data: dict[str, Any] = {k: clean(v) for k, v in values.items() if clean(v) is not None}
    data["cooperating_org_types"] = [c for c in cooperating_org_types if c]
    for required in ("name", "measure", "lead_org_type", "deadline_hours"):
        if required not in data:
            form.add(required, gettext("This field is required.", ctx.language))
    parsed = parse(form, DisposalRuleIn, data, ctx.language)
    if parsed is None:
        return _rules_page(ctx, form, 422)
    try:
        disposal.create_rule(ctx.db, ctx.actor, parsed.model_dump())
    except DomainError as error:
        apply_domain_error(form, error, ctx.language)
        return _rules_page(ctx, form, error.status)
    return redirect(ctx.request, "/console/response/rules",
                    gettext("The joint-disposal rule was saved.", ctx.language))


@router.post("/console/response/rules/{rule_id:int}/deactivate", response_class=HTMLResponse)
def response_rule_deactivate(rule_id: IntId,
                             ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE)
                             ) -> Response:
    disposal.deactivate_rule(ctx.db, ctx.actor, rule_id)
    return redirect(ctx.request, "/console/response/rules",
                    gettext("The joint-disposal rule was deactivated.", ctx.language))
