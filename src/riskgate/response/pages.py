"""Console pages of rapid response: the case board, a case with its tasks and timeline (and the
sections later stages add to it), my unit's task inbox, a task with its report form (evidence
upload), the overdue view (督查) and the joint-disposal rules editor. Each POST goes through the
one form path (`web.forms`): one service function, then a redirect, or the page again with the
problems beside their fields (a 4xx status rolls the transaction back)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, File, Query, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from starlette.datastructures import UploadFile as StarletteUploadFile

from riskgate.audit.labels import action_label
from riskgate.catalog.enums import MeasureType, WarningLevel, WarningType
from riskgate.catalog.reference import measure_type, warning_level, warning_type
from riskgate.core import domain as registry
from riskgate.core.db import utcnow
from riskgate.core.events import ask
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.core.uploads import read_uploads
from riskgate.identity.enums import OrgType
from riskgate.identity.exchange import service as exchange
from riskgate.identity.models import Organisation
from riskgate.identity.scope import in_subtree
from riskgate.response import api as response_api
from riskgate.response import disposal, service, tasks
from riskgate.response.enums import ENDED_TASK_STATES, CaseStatus, TaskStatus
from riskgate.response.events import ShownOnCase
from riskgate.response.models import ResponseCase, ResponseTask
from riskgate.response.schemas import (
    CloseCaseIn,
    DisposalRuleIn,
    OpenCaseIn,
    QuantitiesIn,
    ReasonIn,
    TaskReportIn,
)
from riskgate.response.workflow import CASE_FLOW, TASK_FLOW
from riskgate.web.forms import (
    Form,
    Submitted,
    attempt,
    form_data,
    parse,
    read_submitted,
    submit,
)
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

QUANTITY_LABELS = {"seized_units": N_("Units seized"), "returned_units": N_("Units returned"),
                   "destroyed_units": N_("Units destroyed"),
                   "recalled_units": N_("Units recalled"), "value_cny": N_("Value (CNY)")}
REGULATOR_TYPES = [t for t in OrgType if not t.is_enterprise]


def _names(ctx: RequestContext, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = ctx.db.execute(select(Organisation.id, Organisation.name_zh, Organisation.name_en)
                          .where(Organisation.id.in_(ids))).all()
    return {i: (en if ctx.language == "en" and en else zh) for i, zh, en in rows}


def _measure_options(language: str) -> list[tuple[str, str]]:
    """Measures for a select, in the catalogue's order of codes (the code when it lacks one)."""
    return [(m.value, entry.label(language) if (entry := measure_type(m.value)) else m.value)
            for m in MeasureType]


def _common(ctx: RequestContext) -> dict[str, Any]:
    """What every response page shares (labels of stored codes come from the enums: `|label`)."""
    return {"measure_type": measure_type, "warning_level": warning_level, "now": utcnow(),
            "quantity_labels": QUANTITY_LABELS, "OrgType": OrgType,
            "finished": {s.value for s in ENDED_TASK_STATES}}


# ---------------------------------------------------------------- cases

def _board(ctx: RequestContext, status: CaseStatus | None = None, form: Form | None = None,
           status_code: int = 200) -> Response:
    stmt = service.cases_statement(ctx.actor, status=status)
    cases = list(ctx.db.execute(stmt.order_by(ResponseCase.id.desc()).limit(300)).scalars())
    columns = {s.value: [c for c in cases if c.status == s] for s in CaseStatus}
    may_open = ctx.actor.can(Permission.RESPONSE_MANAGE)
    return render(ctx.request, "console/response/cases.html", {
        **_common(ctx), "cases": cases, "columns": columns, "status": status.value if status
        else None, "figures": service.task_figures(ctx.db, [c.id for c in cases]),
        "case_statuses": CaseStatus.choices(ctx.language),
        "names": _names(ctx, {c.organisation_id for c in cases}), "may_open": may_open,
        "origins": exchange.origins(ctx.db, ctx.actor, cases, ctx.language),
        "open_warnings": [(str(w.id), f"{w.number} {w.title}") for w in
                          service.warnings_without_case(ctx.db, ctx.actor)] if may_open else [],
        "measure_options": _measure_options(ctx.language),
        "form": form or Form()}, status_code=status_code)


@router.get("/console/response/cases", response_class=HTMLResponse)
def response_case_board(status: CaseStatus | None = None,
                        ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    return _board(ctx, status)


@router.post("/console/response/cases", response_class=HTMLResponse)
def response_case_open(submitted: Submitted = Depends(read_submitted),
                       ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    """Open a case by hand for a warning in force without an open one."""
    return submit(ctx, submitted, OpenCaseIn,
                  act=lambda body: service.open_case(ctx.db, ctx.actor, body.warning_id,
                                                     [m.value for m in body.measures]),
                  done=lambda case: (f"/console/response/cases/{case.id}",
                                     N_("Case {number} was opened."), {"number": case.number}),
                  again=lambda form, status: _board(ctx, form=form, status_code=status))


def _scope_ids(ctx: RequestContext, ids: set[int]) -> set[int]:
    """Those of `ids` inside the actor's subtree (all of them for the system)."""
    if ctx.actor.is_system:
        return set(ids)
    if not ctx.actor.organisation_path:
        return set()
    return set(ctx.db.execute(select(Organisation.id).where(
        Organisation.id.in_(ids), in_subtree(Organisation.path, ctx.actor.organisation_path))
    ).scalars())


def case_page(ctx: RequestContext, case_id: int, form: Form | None = None,
              status_code: int = 200) -> Response:
    """A case with its tasks, its timeline and the sections later stages add (they answer
    `ShownOnCase`; their templates read `followed[key]`)."""
    case = service.get_case(ctx.db, ctx.actor, case_id)
    case_tasks = service.tasks_of(ctx.db, case.id)
    owner = bool(_scope_ids(ctx, {case.organisation_id}))
    lang = ctx.language
    return render(ctx.request, "console/response/case.html", {
        **_common(ctx), "case": case, "tasks": case_tasks,
        "figures": service.task_figures(ctx.db, [case.id])[case.id],
        "timeline": service.timeline(ctx.db, case),
        "action_label": lambda code: action_label(code, lang),
        "names": _names(ctx, {t.organisation_id for t in case_tasks} | {case.organisation_id}),
        "may_manage": owner and ctx.actor.can(Permission.RESPONSE_MANAGE),
        "may_close": CaseStatus.closed in CASE_FLOW.next_states(case),
        "sections": registry.sections("response_case"),
        "followed": {s.key: s.values for s in ask(ctx.db, ShownOnCase(case.id, ctx.actor))},
        "form": form or Form()}, status_code=status_code)


@router.get("/console/response/cases/{case_id:int}", response_class=HTMLResponse)
def response_case_page(case_id: IntId,
                       ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    return case_page(ctx, case_id)


@router.post("/console/response/cases/{case_id:int}/close", response_class=HTMLResponse)
def response_case_close(case_id: IntId, submitted: Submitted = Depends(read_submitted),
                        ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    return submit(ctx, submitted, CloseCaseIn,
                  act=lambda body: service.close_case(ctx.db, ctx.actor, case_id, body.note),
                  done=lambda _case: (f"/console/response/cases/{case_id}",
                                      N_("The case was closed.")),
                  again=lambda form, status: case_page(ctx, case_id, form, status))


# ---------------------------------------------------------------- tasks

@router.get("/console/response/tasks", response_class=HTMLResponse)
def response_task_inbox(status: TaskStatus | None = None,
                        overdue: bool | None = Query(default=None),
                        due_within: int | None = Query(default=None, ge=1, le=720),
                        ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    rows = tasks.inbox(ctx.db, ctx.actor, status=status, overdue=overdue,
                       due_within_hours=due_within)
    return render(ctx.request, "console/response/tasks.html", {
        **_common(ctx), "tasks": rows, "cases": _cases_of(ctx, rows),
        "task_statuses": TaskStatus.choices(ctx.language),
        "status": status.value if status else None, "overdue": overdue})


def _cases_of(ctx: RequestContext, rows: list[ResponseTask]) -> dict[int, ResponseCase]:
    if not rows:
        return {}
    return {c.id: c for c in ctx.db.execute(select(ResponseCase).where(
        ResponseCase.id.in_({t.case_id for t in rows}))).scalars()}


def _task_page(ctx: RequestContext, task_id: int, *, failed: str | None = None,
               form: Form | None = None, status_code: int = 200) -> Response:
    task = tasks.get_task(ctx.db, ctx.actor, task_id)
    case = ctx.db.get(ResponseCase, task.case_id)
    assert case is not None
    reports = service.reports_of(ctx.db, task.id)
    case_open = case.status == CaseStatus.open
    open_task = task.status not in ENDED_TASK_STATES and case_open
    own = ctx.actor.organisation_id == task.organisation_id
    owner = bool(_scope_ids(ctx, {case.organisation_id}))
    moves = TASK_FLOW.next_states(task)
    forms = {"report": Form(values={"progress_percent": str(task.progress_percent)}),
             "waive": Form(), "reopen": Form()}
    if failed and form is not None:
        forms[failed] = form
    return render(ctx.request, "console/response/task.html", {
        **_common(ctx), "task": task, "case": case, "reports": reports,
        "evidence": tasks.evidence_of(ctx.db, [r.id for r in reports]),
        "names": _names(ctx, {task.organisation_id, case.organisation_id}),
        "may_report": own and open_task and ctx.actor.can(Permission.RESPONSE_TASK_REPORT),
        "may_start": own and task.status == TaskStatus.pending and case_open
        and ctx.actor.can(Permission.RESPONSE_TASK_REPORT),
        "may_waive": owner and open_task and TaskStatus.waived in moves
        and ctx.actor.can(Permission.RESPONSE_MANAGE),
        "may_reopen": owner and task.status == TaskStatus.done and case_open
        and ctx.actor.can(Permission.RESPONSE_MANAGE),
        "overdue": task.status not in ENDED_TASK_STATES and task.due_at < utcnow(),
        "forms": forms, "failed": failed}, status_code=status_code)


@router.get("/console/response/tasks/{task_id:int}", response_class=HTMLResponse)
def response_task_page(task_id: IntId,
                       ctx: RequestContext = require(Permission.RESPONSE_READ)) -> Response:
    return _task_page(ctx, task_id)


def _task_again(ctx: RequestContext, task_id: int,
                action: str) -> Callable[[Form, int], Response]:
    """The task page again with the failed form's problems and values (`again` of the forms)."""
    def again(form: Form, status: int) -> Response:
        return _task_page(ctx, task_id, failed=action, form=form, status_code=status)
    return again


def _task_done(task_id: int, message: str) -> Callable[[object], tuple[str, str]]:
    """Back to the task's page with `message` (`done` of the forms)."""
    return lambda _result: (f"/console/response/tasks/{task_id}", message)


@router.post("/console/response/tasks/{task_id:int}/start", response_class=HTMLResponse)
def response_task_start(task_id: IntId,
                        ctx: RequestContext = require(Permission.RESPONSE_TASK_REPORT)
                        ) -> Response:
    return attempt(ctx, act=lambda: tasks.start_task(ctx.db, ctx.actor, task_id),
                   done=_task_done(task_id, N_("Work on the task has started.")),
                   again=_task_again(ctx, task_id, "report"))


@router.post("/console/response/tasks/{task_id:int}/report", response_class=HTMLResponse)
def response_task_report(task_id: IntId, submitted: Submitted = Depends(read_submitted),
                         evidence: list[UploadFile] | None = File(default=None),
                         ctx: RequestContext = require(Permission.RESPONSE_TASK_REPORT)
                         ) -> Response:
    """A progress report: its text and figures, the quantities handled (each checked beside its
    field) and evidence files."""
    values, data = form_data(TaskReportIn, submitted, ("body", "progress_percent", "complete"))
    amounts, amount_data = form_data(QuantitiesIn, submitted)
    form = Form(values={**values, **amounts, "complete": submitted.fields.get("complete", "")})
    quantities = parse(form, QuantitiesIn, amount_data, ctx.language)
    data["quantities"] = quantities.model_dump() if quantities is not None else {}
    files: list[StarletteUploadFile] = list(evidence or [])

    def act(body: TaskReportIn) -> object:
        return tasks.report(ctx.db, ctx.actor, task_id, body=body.body,
                            progress_percent=body.progress_percent, complete=body.complete,
                            quantities=body.quantities.model_dump(),
                            uploads=read_uploads(files, ctx.settings.attachment_max_bytes),
                            root=ctx.settings.attachments_dir,
                            max_bytes=ctx.settings.attachment_max_bytes,
                            max_files=ctx.settings.attachment_max_files)

    return submit(ctx, None, TaskReportIn, form=form, data=data, act=act,
                  done=_task_done(task_id, N_("Your progress report was saved.")),
                  again=_task_again(ctx, task_id, "report"))


@router.post("/console/response/tasks/{task_id:int}/waive", response_class=HTMLResponse)
def response_task_waive(task_id: IntId, submitted: Submitted = Depends(read_submitted),
                        ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    return submit(ctx, submitted, ReasonIn,
                  act=lambda body: tasks.waive(ctx.db, ctx.actor, task_id, body.reason),
                  done=_task_done(task_id, N_("The task was waived.")),
                  again=_task_again(ctx, task_id, "waive"))


@router.post("/console/response/tasks/{task_id:int}/reopen", response_class=HTMLResponse)
def response_task_reopen(task_id: IntId, submitted: Submitted = Depends(read_submitted),
                         ctx: RequestContext = require(Permission.RESPONSE_MANAGE)) -> Response:
    return submit(ctx, submitted, ReasonIn,
                  act=lambda body: tasks.reopen(ctx.db, ctx.actor, task_id, body.reason),
                  done=_task_done(task_id, N_("The task was reopened.")),
                  again=_task_again(ctx, task_id, "reopen"))


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
    cases = _cases_of(ctx, found["tasks"])
    names = {**found["names"], **_names(ctx, {c.organisation_id for c in cases.values()})}
    return render(ctx.request, "console/response/overdue.html",
                  {**_common(ctx), **found, "names": names, "cases": cases})


def _rules_page(ctx: RequestContext, form: Form | None = None,
                status_code: int = 200) -> Response:
    lang = ctx.language
    return render(ctx.request, "console/response/rules.html", {
        **_common(ctx), "rules": disposal.list_rules(ctx.db), "form": form or Form(),
        "level_options": [(lv.value, entry.display(lang) if (entry := warning_level(lv.value))
                           else lv.value) for lv in WarningLevel],
        "type_options": [(t.value, kind.label(lang) if (kind := warning_type(t.value))
                          else t.value) for t in WarningType],
        "type_label": lambda code: (kind.label(lang) if (kind := warning_type(code)) else code),
        "measure_options": _measure_options(lang),
        "org_options": OrgType.choices(lang, REGULATOR_TYPES)}, status_code=status_code)


@router.get("/console/response/rules", response_class=HTMLResponse)
def response_rules_page(ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE)
                        ) -> Response:
    return _rules_page(ctx)


@router.post("/console/response/rules", response_class=HTMLResponse)
def response_rule_create(submitted: Submitted = Depends(read_submitted),
                         ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE)
                         ) -> Response:
    return submit(ctx, submitted, DisposalRuleIn,
                  act=lambda body: disposal.create_rule(ctx.db, ctx.actor, body.model_dump()),
                  done=lambda _rule: ("/console/response/rules",
                                      N_("The joint-disposal rule was saved.")),
                  again=lambda form, status: _rules_page(ctx, form, status))


@router.post("/console/response/rules/{rule_id:int}/deactivate", response_class=HTMLResponse)
def response_rule_deactivate(rule_id: IntId,
                             ctx: RequestContext = require(Permission.DISPOSAL_RULE_MANAGE)
                             ) -> Response:
    return attempt(ctx, act=lambda: disposal.deactivate_rule(ctx.db, ctx.actor, rule_id),
                   done=lambda _rule: ("/console/response/rules",
                                       N_("The joint-disposal rule was deactivated.")),
                   again=lambda form, status: _rules_page(ctx, form, status))
