"""Console pages of recalls: the regulator's list, the new-recall form and the recall page with
its progress and the start / complete / close / cancel forms; the enterprise's "my recalls"
page with the progress report form.

Every action is a form posting to its own route (one permission each) calling one service
function; a domain error renders the page again with the message and the values typed (422,
409), an object outside scope is the 404 page.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation
from riskgate.recalls import service
from riskgate.recalls.enums import RecallOrigin, RecallStatus, Remedy
from riskgate.recalls.models import Recall
from riskgate.recalls.schemas import CloseIn, NoteIn, ProgressReportIn, ReasonIn, RecallIn
from riskgate.web.forms import Form, Submitted, attempt, clean, form_data, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LIST_LIMIT = 200
_ENTERPRISE_TYPES = tuple(t.value for t in OrgType if t.is_enterprise)


def labels(ctx: RequestContext) -> dict[str, Any]:
    """Choices and helpers the recall templates share (labels come from the enums: `|label`)."""
    lang = ctx.language
    return {
        "statuses": RecallStatus.choices(lang), "origins": RecallOrigin.choices(lang),
        "remedies": Remedy.choices(lang), "Remedy": Remedy,
        "rate": service.completion_percent, "over_reported": service.over_reported,
    }


def _enterprise_options(ctx: RequestContext) -> list[tuple[str, str]]:
    rows = ctx.db.execute(select(Organisation.id, Organisation.name_zh).where(
        Organisation.org_type.in_(_ENTERPRISE_TYPES), Organisation.active.is_(True))
        .order_by(Organisation.name_zh).limit(2000)).all()
    return [(str(r.id), r.name_zh) for r in rows]


# ---------------------------------------------------------------- regulator

@router.get("/console/recalls", response_class=HTMLResponse)
def recalls_list(ctx: RequestContext = require(Permission.RECALL_READ)) -> Response:
    params = ctx.request.query_params
    filters = {"status": params.get("status") or "", "origin": params.get("origin") or "",
               "q": (params.get("q") or "").strip()[:100]}
    status = filters["status"] if filters["status"] in RecallStatus.__members__ else None
    origin = filters["origin"] if filters["origin"] in RecallOrigin.__members__ else None
    stmt = service.recalls_statement(
        ctx.actor, status=RecallStatus(status) if status else None,
        origin=RecallOrigin(origin) if origin else None, q=filters["q"] or None)
    rows = list(ctx.db.execute(stmt.order_by(Recall.id.desc()).limit(LIST_LIMIT + 1)).scalars())
    return render(ctx.request, "console/recalls/list.html", {
        "recalls": rows[:LIST_LIMIT], "truncated": len(rows) > LIST_LIMIT, "filters": filters,
        **labels(ctx)})


def _new_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/recalls/form.html", {
        "form": form, "enterprises": _enterprise_options(ctx), **labels(ctx)},
        status_code=status_code)


@router.get("/console/recalls/new", response_class=HTMLResponse)
def recall_new(ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    return _new_page(ctx, Form(values={"origin": "ordered", "report_every_days": "30",
                                       "units_affected": "", "remedies": [], "public": "1"}))


@router.post("/console/recalls/new", response_class=HTMLResponse)
def recall_create(submitted: Submitted = Depends(read_submitted),
                  ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    return submit(ctx, submitted, RecallIn,
                  act=lambda body: service.create_recall(ctx.db, ctx.actor, body),
                  done=lambda recall: (f"/console/recalls/{recall.id}",
                                       N_("Recall {number} was recorded."),
                                       {"number": recall.number}),
                  again=lambda form, status: _new_page(ctx, form, status))


def detail_page(ctx: RequestContext, recall_id: int, *, failed: str | None = None,
                form: Form | None = None, status_code: int = 200) -> Response:
    recall = service.get_recall(ctx.db, ctx.actor, recall_id)
    reports = service.reports_of(ctx.db, recall.id)
    return render(ctx.request, "console/recalls/detail.html", {
        "recall": recall, "reports": reports, "flags": service.report_flags(recall, reports),
        "failed": failed, "form": form or Form(), **labels(ctx)}, status_code=status_code)


@router.get("/console/recalls/{recall_id:int}", response_class=HTMLResponse)
def recall_page(recall_id: IntId, ctx: RequestContext = require(Permission.RECALL_READ)
                ) -> Response:
    return detail_page(ctx, recall_id)


def _act(ctx: RequestContext, recall_id: int, action: str, submitted: Submitted | None,
         model: Any, call: Any, message: str) -> Response:
    """One of the recall page's action forms: its fields through `model` (none for a button),
    the service call, back to the recall page."""
    def again(form: Form, status: int) -> Response:
        return detail_page(ctx, recall_id, failed=action, form=form, status_code=status)

    def done(_result: Any) -> tuple[str, str]:
        return f"/console/recalls/{recall_id}", message

    if model is None:
        return attempt(ctx, act=call, done=done, again=again)
    return submit(ctx, submitted, model, act=call, done=done, again=again)


@router.post("/console/recalls/{recall_id:int}/start", response_class=HTMLResponse)
def recall_start(recall_id: IntId, ctx: RequestContext = require(Permission.RECALL_MANAGE)
                 ) -> Response:
    return _act(ctx, recall_id, "start", None, None,
                lambda: service.start_recall(ctx.db, ctx.actor, recall_id),
                N_("The recall has started."))


@router.post("/console/recalls/{recall_id:int}/complete", response_class=HTMLResponse)
def recall_complete(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    return _act(ctx, recall_id, "complete", submitted, NoteIn,
                lambda body: service.complete_recall(ctx.db, ctx.actor, recall_id, body.note),
                N_("The recall is marked completed."))


@router.post("/console/recalls/{recall_id:int}/close", response_class=HTMLResponse)
def recall_close(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    return _act(ctx, recall_id, "close", submitted, CloseIn,
                lambda body: service.close_recall(ctx.db, ctx.actor, recall_id, body.evaluation),
                N_("The recall was evaluated and closed."))


@router.post("/console/recalls/{recall_id:int}/cancel", response_class=HTMLResponse)
def recall_cancel(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                  ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    return _act(ctx, recall_id, "cancel", submitted, ReasonIn,
                lambda body: service.cancel_recall(ctx.db, ctx.actor, recall_id, body.reason),
                N_("The recall was cancelled."))


# ---------------------------------------------------------------- enterprise

def my_recalls_page(ctx: RequestContext, *, failed: int | None = None,
                    form: Form | None = None, status_code: int = 200,
                    report_due: bool = False) -> Response:
    rows = list(ctx.db.execute(service.my_recalls_statement(ctx.actor, report_due=report_due)
                               .order_by(Recall.id.desc()).limit(LIST_LIMIT)).scalars())
    reports = service.reports_of_many(ctx.db, [r.id for r in rows])
    return render(ctx.request, "console/recalls/mine.html", {
        "recalls": rows, "reports": reports, "failed": failed, "form": form or Form(),
        "reportable": service.REPORTABLE_STATES, **labels(ctx)}, status_code=status_code)


@router.get("/console/my-recalls", response_class=HTMLResponse)
def my_recalls(report_due: bool = False,
               ctx: RequestContext = require(Permission.RECALL_REPORT)) -> Response:
    return my_recalls_page(ctx, report_due=report_due)


@router.post("/console/my-recalls/{recall_id:int}/reports", response_class=HTMLResponse)
def my_recall_report(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.RECALL_REPORT)) -> Response:
    service.get_my_recall(ctx.db, ctx.actor, recall_id)  # 404 before reading anything else
    # One number per remedy (by_repair, by_replace…) makes the report's by_remedy.
    values, data = form_data(ProgressReportIn, submitted)
    by_remedy = {r.value: clean(submitted.fields.get(f"by_{r.value}")) for r in Remedy}
    values.update({f"by_{remedy}": submitted.fields.get(f"by_{remedy}", "")
                   for remedy in by_remedy})
    data["by_remedy"] = {k: v for k, v in by_remedy.items() if v is not None}
    return submit(ctx, None, ProgressReportIn, form=Form(values=values), data=data,
                  act=lambda body: service.file_report(ctx.db, ctx.actor, recall_id, body),
                  done=lambda _: ("/console/my-recalls", N_("Your progress report was filed.")),
                  again=lambda form, status: my_recalls_page(ctx, failed=recall_id, form=form,
                                                             status_code=status))
