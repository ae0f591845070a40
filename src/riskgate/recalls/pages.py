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

from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.enums import OrgType
from riskgate.identity.models import Organisation
from riskgate.recalls import service
from riskgate.recalls.enums import RecallOrigin, RecallStatus, Remedy
from riskgate.recalls.models import Recall
from riskgate.recalls.schemas import CloseIn, NoteIn, ProgressReportIn, ReasonIn, RecallIn
from riskgate.recalls.transitions import STATUS_LABELS
from riskgate.web.flash import redirect
from riskgate.web.forms import (
    Form,
    Submitted,
    apply_domain_error,
    clean,
    optional_int,
    parse,
    read_submitted,
)
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LIST_LIMIT = 200
ORIGIN_LABELS = {RecallOrigin.voluntary: N_("Voluntary recall"),
                 RecallOrigin.ordered: N_("Ordered recall"),
                 RecallOrigin.foreign: N_("Foreign recall")}
REMEDY_LABELS = {Remedy.repair: N_("Repair"), Remedy.replace: N_("Replace"),
                 Remedy.refund: N_("Refund")}
TEXT_FIELDS = ("title", "product_name", "category", "hs_code", "brand", "model", "batch",
               "barcode", "plan", "hazard", "enterprise_name")
_ENTERPRISE_TYPES = tuple(t.value for t in OrgType if t.is_enterprise)


def labels(ctx: RequestContext) -> dict[str, Any]:
    """Label tables and helpers the recall templates share."""
    lang = ctx.language
    return {
        "status_labels": STATUS_LABELS, "origin_labels": ORIGIN_LABELS,
        "remedy_labels": REMEDY_LABELS,
        "statuses": [(s.value, gettext(STATUS_LABELS[s], lang)) for s in RecallStatus],
        "origins": [(o.value, gettext(ORIGIN_LABELS[o], lang)) for o in RecallOrigin],
        "remedies": [(r.value, gettext(REMEDY_LABELS[r], lang)) for r in Remedy],
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
    fields = submitted.fields
    values: dict[str, Any] = {name: fields.get(name, "") for name in (
        *TEXT_FIELDS, "origin", "enterprise_id", "units_affected", "report_every_days",
        "warning_id", "record_id", "case_id")}
    values["remedies"] = submitted.lists.get("remedies", [])
    values["public"] = fields.get("public") == "1"
    form = Form(values=values)
    data: dict[str, Any] = {name: clean(values[name]) for name in TEXT_FIELDS}
    data.update({
        "origin": clean(values["origin"]) or "ordered", "remedies": values["remedies"],
        "public": values["public"],
        **{name: optional_int(values[name]) for name in (
            "enterprise_id", "units_affected", "report_every_days", "warning_id", "record_id",
            "case_id")},
    })
    data = {k: v for k, v in data.items() if v is not None}
    if "units_affected" not in data:
        form.add("units_affected", gettext("This field is required.", ctx.language))
    parsed = parse(form, RecallIn, data, ctx.language)
    if parsed is None:
        return _new_page(ctx, form, 422)
    try:
        recall = service.create_recall(ctx.db, ctx.actor, parsed)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language)
        return _new_page(ctx, form, error.status)
    return redirect(ctx.request, f"/console/recalls/{recall.id}",
                    gettext("Recall {number} was recorded.", ctx.language, number=recall.number))


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


def _act(ctx: RequestContext, recall_id: int, action: str, form: Form, call: Any,
         message: str) -> Response:
    try:
        call()
    except DomainError as error:
        apply_domain_error(form, error, ctx.language)
        return detail_page(ctx, recall_id, failed=action, form=form,
                           status_code=error.status)
    return redirect(ctx.request, f"/console/recalls/{recall_id}", gettext(message, ctx.language))


def _text_form(ctx: RequestContext, recall_id: int, action: str, submitted: Submitted,
               name: str, model: Any) -> tuple[Form, Any]:
    form = Form(values={name: submitted.fields.get(name, "")})
    parsed = parse(form, model, {name: clean(submitted.fields.get(name))}, ctx.language)
    return form, parsed


@router.post("/console/recalls/{recall_id:int}/start", response_class=HTMLResponse)
def recall_start(recall_id: IntId, ctx: RequestContext = require(Permission.RECALL_MANAGE)
                 ) -> Response:
    return _act(ctx, recall_id, "start", Form(),
                lambda: service.start_recall(ctx.db, ctx.actor, recall_id),
                N_("The recall has started."))


@router.post("/console/recalls/{recall_id:int}/complete", response_class=HTMLResponse)
def recall_complete(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                    ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    form, parsed = _text_form(ctx, recall_id, "complete", submitted, "note", NoteIn)
    if parsed is None:
        return detail_page(ctx, recall_id, failed="complete", form=form, status_code=422)
    return _act(ctx, recall_id, "complete", form,
                lambda: service.complete_recall(ctx.db, ctx.actor, recall_id, parsed.note),
                N_("The recall is marked completed."))


@router.post("/console/recalls/{recall_id:int}/close", response_class=HTMLResponse)
def recall_close(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                 ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    form, parsed = _text_form(ctx, recall_id, "close", submitted, "evaluation", CloseIn)
    if parsed is None:
        return detail_page(ctx, recall_id, failed="close", form=form, status_code=422)
    return _act(ctx, recall_id, "close", form,
                lambda: service.close_recall(ctx.db, ctx.actor, recall_id, parsed.evaluation),
                N_("The recall was evaluated and closed."))


@router.post("/console/recalls/{recall_id:int}/cancel", response_class=HTMLResponse)
def recall_cancel(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                  ctx: RequestContext = require(Permission.RECALL_MANAGE)) -> Response:
    form, parsed = _text_form(ctx, recall_id, "cancel", submitted, "reason", ReasonIn)
    if parsed is None:
        return detail_page(ctx, recall_id, failed="cancel", form=form, status_code=422)
    return _act(ctx, recall_id, "cancel", form,
                lambda: service.cancel_recall(ctx.db, ctx.actor, recall_id, parsed.reason),
                N_("The recall was cancelled."))


# ---------------------------------------------------------------- enterprise

def my_recalls_page(ctx: RequestContext, *, failed: int | None = None,
                    form: Form | None = None, status_code: int = 200) -> Response:
    rows = list(ctx.db.execute(service.my_recalls_statement(ctx.actor)
                               .order_by(Recall.id.desc()).limit(LIST_LIMIT)).scalars())
    reports = service.reports_of_many(ctx.db, [r.id for r in rows])
    return render(ctx.request, "console/recalls/mine.html", {
        "recalls": rows, "reports": reports, "failed": failed, "form": form or Form(),
        "reportable": service.REPORTABLE_STATES, **labels(ctx)}, status_code=status_code)


@router.get("/console/my-recalls", response_class=HTMLResponse)
def my_recalls(ctx: RequestContext = require(Permission.RECALL_REPORT)) -> Response:
    return my_recalls_page(ctx)


@router.post("/console/my-recalls/{recall_id:int}/reports", response_class=HTMLResponse)
def my_recall_report(recall_id: IntId, submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.RECALL_REPORT)) -> Response:
    service.get_my_recall(ctx.db, ctx.actor, recall_id)  # 404 before reading anything else
    fields = submitted.fields
    names = ("period_end", "units_remedied", "note", *(f"by_{r.value}" for r in Remedy))
    form = Form(values={name: fields.get(name, "") for name in names})
    form.values["final"] = fields.get("final") == "1"
    by_remedy = {r.value: optional_int(fields.get(f"by_{r.value}")) for r in Remedy}
    data = {"period_end": clean(fields.get("period_end")),
            "units_remedied": optional_int(fields.get("units_remedied")),
            "by_remedy": {k: v for k, v in by_remedy.items() if v is not None},
            "note": clean(fields.get("note")), "final": form.values["final"]}
    for name in ("period_end", "units_remedied"):
        if data[name] is None:
            form.add(name, gettext("This field is required.", ctx.language))
    parsed = parse(form, ProgressReportIn, {k: v for k, v in data.items() if v is not None},
                   ctx.language)
    if parsed is None:
        return my_recalls_page(ctx, failed=recall_id, form=form, status_code=422)
    try:
        service.file_report(ctx.db, ctx.actor, recall_id, parsed)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language)
        return my_recalls_page(ctx, failed=recall_id, form=form, status_code=error.status)
    return redirect(ctx.request, "/console/my-recalls",
                    gettext("Your progress report was filed.", ctx.language))
