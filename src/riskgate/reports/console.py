"""Console pages of reports: complaints and whistleblower reports for the officers who receive
them (list, detail, status changes, notes; identity and reward for supervisors), enterprise
reports as received by regulators, and an enterprise's own reports with the forms to file them.
"""

from __future__ import annotations

from typing import Any

from fastapi import File, Query, UploadFile
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.models import Organisation
from riskgate.records.models import RiskRecord
from riskgate.reports import enterprise, forms, labels, service
from riskgate.reports.enums import (
    ENTERPRISE_KIND_LABELS,
    RESULT_LABELS,
    REWARD_LABELS,
    STATUS_LABELS,
    EnterpriseReportKind,
    ReportKind,
    ReportStatus,
)
from riskgate.reports.models import EnterpriseReport, PublicReport
from riskgate.reports.schemas import EnterpriseReportIn, NoteIn, RevealIn, RewardIn, TransitionIn
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, clean, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
SORTS = {"id": PublicReport.id}
ENTERPRISE_SORTS = {"id": EnterpriseReport.id}
PREFIXES = {ReportKind.complaint: "complaints", ReportKind.whistleblower: "whistleblower-reports"}
LIST_TITLES = {ReportKind.complaint: "Complaints",
               ReportKind.whistleblower: "Whistleblower reports"}
ENTERPRISE_FIELDS = ("kind", "route", "product_name", "brand", "model", "batch_number",
                     "barcode", "hs_code", "region_code", "occurred_on", "origin_country",
                     "description", "quantity", "injuries_count", "injury_severity",
                     "injury_age_group", "measures_taken", "result", "test_items", "standard",
                     "laboratory", "attachments")


def _error_message(error: DomainError, language: str) -> str:
    parts = [error.translated(language)]
    parts += [f.translated(language) for f in error.fields]
    return " ".join(parts)


def _detail(ctx: RequestContext, kind: ReportKind, report: PublicReport,
            identity: Any = None, revealed: bool = False) -> Response:
    view = service.detail_view(ctx.db, report)
    return render(ctx.request, "console/reports/detail.html", {
        "kind": kind, "prefix": PREFIXES[kind], "report": report, "view": view,
        "record": ctx.db.get(RiskRecord, report.record_id),
        "organisation": ctx.db.get(Organisation, report.organisation_id),
        "targets": [(s.value, gettext(STATUS_LABELS[s], ctx.language))
                    for s in sorted(service.TRANSITIONS[report.status])],
        "reward_targets": [(s.value, gettext(REWARD_LABELS[s], ctx.language))
                           for s in sorted(service.REWARD_TRANSITIONS[report.reward_status])],
        "identity": identity, "revealed": revealed, **labels.HELPERS,
    })


def _register_kind(kind: ReportKind) -> None:
    prefix = PREFIXES[kind]
    base = f"/console/{prefix}"

    @router.get(base, response_class=HTMLResponse, name=f"console_list_{kind.value}")
    def report_list(
        status: str | None = Query(default=None, max_length=20),
        q: str | None = Query(default=None, max_length=40),
        cursor: str | None = Query(default=None, max_length=500),
        ctx: RequestContext = require(Permission.REPORT_READ),
    ) -> Response:
        chosen = ReportStatus(status) if status in ReportStatus._value2member_map_ else None
        stmt = service.reports_statement(ctx.actor, kind, status=chosen,
                                         tracking_number=clean(q))
        rows, next_cursor = paginate(ctx.db, stmt, id_column=PublicReport.id,
                                     allowed_sorts=SORTS, sort="-id", default_sort="-id",
                                     limit=PAGE_SIZE, cursor=cursor)
        record_ids = [r.record_id for r in rows]
        titles = dict(ctx.db.query(RiskRecord.id, RiskRecord.title).filter(
            RiskRecord.id.in_(record_ids)).all()) if record_ids else {}
        return render(ctx.request, "console/reports/list.html", {
            "kind": kind, "prefix": prefix, "title": LIST_TITLES[kind], "reports": rows,
            "titles": titles, "next_cursor": next_cursor, "status": chosen.value if chosen else "",
            "q": q or "", "statuses": [(s.value, gettext(STATUS_LABELS[s], ctx.language))
                                       for s in ReportStatus],
            **labels.HELPERS,
        })

    @router.get(base + "/{report_id}", response_class=HTMLResponse,
                name=f"console_detail_{kind.value}")
    def report_detail(report_id: IntId,
                      ctx: RequestContext = require(Permission.REPORT_READ)) -> Response:
        return _detail(ctx, kind, service.get_report(ctx.db, ctx.actor, kind, report_id))

    @router.post(base + "/{report_id}/transition", name=f"console_transition_{kind.value}")
    def report_transition(
        report_id: IntId,
        status: str = FormField(default="", max_length=20),
        reason: str = FormField(default="", max_length=2000),
        public_note: str = FormField(default="", max_length=2000),
        ctx: RequestContext = require(Permission.REPORT_HANDLE),
    ) -> Response:
        target = f"{base}/{report_id}"
        form = Form(values={})
        body = parse(form, TransitionIn, {k: v for k, v in {
            "status": clean(status), "reason": clean(reason),
            "public_note": clean(public_note)}.items() if v is not None}, ctx.language)
        if body is None:
            return redirect(ctx.request, target, " ".join(m for _n, m in form.summary()),
                            "error")
        try:
            report = service.transition(ctx.db, ctx.actor, kind, report_id, body)
        except DomainError as error:
            service.get_report(ctx.db, ctx.actor, kind, report_id)  # 404 outside scope
            return redirect(ctx.request, target, _error_message(error, ctx.language), "error")
        return redirect(ctx.request, target, gettext(
            "Status changed to {status}.", ctx.language,
            status=gettext(STATUS_LABELS[report.status], ctx.language)))

    @router.post(base + "/{report_id}/notes", name=f"console_note_{kind.value}")
    def report_note(
        report_id: IntId,
        body: str = FormField(default="", max_length=2000),
        public: str = FormField(default="", max_length=5),
        ctx: RequestContext = require(Permission.REPORT_HANDLE),
    ) -> Response:
        target = f"{base}/{report_id}"
        form = Form(values={})
        note = parse(form, NoteIn, {"body": clean(body) or "", "public": bool(public)},
                     ctx.language)
        if note is None:
            service.get_report(ctx.db, ctx.actor, kind, report_id)
            return redirect(ctx.request, target, " ".join(m for _n, m in form.summary()),
                            "error")
        service.add_note(ctx.db, ctx.actor, kind, report_id, note)
        return redirect(ctx.request, target, gettext("Note added.", ctx.language))


_register_kind(ReportKind.complaint)
_register_kind(ReportKind.whistleblower)


@router.post("/console/whistleblower-reports/{report_id:int}/identity", response_class=HTMLResponse)
def whistleblower_identity(
    report_id: IntId,
    reason: str = FormField(default="", max_length=500),
    ctx: RequestContext = require(Permission.WHISTLEBLOWER_IDENTITY_READ),
) -> Response:
    """Show the identity on the detail page, once, after recording why it was opened."""
    target = f"/console/whistleblower-reports/{report_id}"
    form = Form(values={})
    body = parse(form, RevealIn, {"reason": clean(reason) or ""}, ctx.language)
    if body is None:
        service.get_report(ctx.db, ctx.actor, ReportKind.whistleblower, report_id)
        return redirect(ctx.request, target, gettext(
            "Give the reason for opening the identity (at least 5 characters).", ctx.language),
            "error")
    identity = service.reveal_identity(ctx.db, ctx.actor, report_id, body.reason)
    report = service.get_report(ctx.db, ctx.actor, ReportKind.whistleblower, report_id)
    response = _detail(ctx, ReportKind.whistleblower, report, identity, revealed=True)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/console/whistleblower-reports/{report_id:int}/reward")
def whistleblower_reward(
    report_id: IntId,
    status: str = FormField(default="", max_length=20),
    amount: str = FormField(default="", max_length=20),
    reason: str = FormField(default="", max_length=2000),
    ctx: RequestContext = require(Permission.WHISTLEBLOWER_REWARD_MANAGE),
) -> Response:
    target = f"/console/whistleblower-reports/{report_id}"
    form = Form(values={})
    data = {k: v for k, v in {"status": clean(status), "amount": clean(amount),
                              "reason": clean(reason)}.items() if v is not None}
    body = parse(form, RewardIn, data, ctx.language)
    try:
        if body is None:
            service.get_report(ctx.db, ctx.actor, ReportKind.whistleblower, report_id)
            return redirect(ctx.request, target, " ".join(m for _n, m in form.summary()),
                            "error")
        service.set_reward(ctx.db, ctx.actor, report_id, body)
    except DomainError as error:
        service.get_report(ctx.db, ctx.actor, ReportKind.whistleblower, report_id)
        return redirect(ctx.request, target, _error_message(error, ctx.language), "error")
    return redirect(ctx.request, target, gettext("Reward updated.", ctx.language))


# --- Enterprise reports, as received by regulators ------------------------------------------


def _enterprise_list(ctx: RequestContext, stmt: Any, cursor: str | None, *, own: bool) -> Response:
    rows, next_cursor = paginate(ctx.db, stmt, id_column=EnterpriseReport.id,
                                 allowed_sorts=ENTERPRISE_SORTS, sort="-id", default_sort="-id",
                                 limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/reports/enterprise_list.html", {
        "reports": [enterprise.view(ctx.db, r, ctx.language) for r in rows],
        "next_cursor": next_cursor, "own": own, **labels.HELPERS,
    })


@router.get("/console/enterprise-reports", response_class=HTMLResponse)
def received_enterprise_reports(
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.REPORT_READ),
) -> Response:
    return _enterprise_list(ctx, enterprise.received_reports_statement(ctx.actor), cursor,
                            own=False)


@router.get("/console/enterprise-reports/{report_id:int}", response_class=HTMLResponse)
def received_enterprise_report(report_id: IntId,
                               ctx: RequestContext = require(Permission.REPORT_READ)) -> Response:
    report = enterprise.get_received_report(ctx.db, ctx.actor, report_id)
    return render(ctx.request, "console/reports/enterprise_detail.html", {
        "view": enterprise.view(ctx.db, report, ctx.language), "own": False, **labels.HELPERS})


# --- An enterprise's own reports ----------------------------------------------------------


@router.get("/console/my-reports", response_class=HTMLResponse)
def my_reports(cursor: str | None = Query(default=None, max_length=500),
               ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE)) -> Response:
    return _enterprise_list(ctx, enterprise.own_reports_statement(ctx.actor), cursor, own=True)


def _enterprise_form(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/reports/enterprise_form.html", {
        "form": form, **forms.common_choices(ctx.language),
        "kinds": forms.choices(ENTERPRISE_KIND_LABELS, ctx.language),
        "results": forms.choices(RESULT_LABELS, ctx.language),
        "max_files": ctx.settings.attachment_max_files,
        "max_megabytes": round(ctx.settings.attachment_max_bytes / 1024 / 1024, 1),
    }, status_code=status_code)


@router.get("/console/my-reports/new", response_class=HTMLResponse)
def my_report_new(kind: str | None = Query(default=None, max_length=20),
                  ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE)) -> Response:
    chosen = kind if kind in EnterpriseReportKind._value2member_map_ else "accident"
    return _enterprise_form(ctx, Form(values={"kind": chosen, "route": "market"}))


@router.post("/console/my-reports", response_class=HTMLResponse)
def my_report_create(
    kind: str = FormField(default="", max_length=20),
    route: str = FormField(default="", max_length=20),
    product_name: str = FormField(default="", max_length=1000),
    brand: str = FormField(default="", max_length=1000),
    model: str = FormField(default="", max_length=1000),
    batch_number: str = FormField(default="", max_length=1000),
    barcode: str = FormField(default="", max_length=1000),
    hs_code: str = FormField(default="", max_length=100),
    region_code: str = FormField(default="", max_length=20),
    occurred_on: str = FormField(default="", max_length=40),
    origin_country: str = FormField(default="", max_length=100),
    description: str = FormField(default="", max_length=20000),
    quantity: str = FormField(default="", max_length=1000),
    injuries_count: str = FormField(default="", max_length=20),
    injury_severity: str = FormField(default="", max_length=20),
    injury_age_group: str = FormField(default="", max_length=20),
    measures_taken: str = FormField(default="", max_length=20000),
    result: str = FormField(default="", max_length=20),
    test_items: str = FormField(default="", max_length=5000),
    standard: str = FormField(default="", max_length=1000),
    laboratory: str = FormField(default="", max_length=1000),
    attachments: list[UploadFile] | None = File(default=None),
    ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE),
) -> Response:
    values = {"kind": kind, "route": route, "product_name": product_name, "brand": brand,
              "model": model, "batch_number": batch_number, "barcode": barcode,
              "hs_code": hs_code, "region_code": region_code, "occurred_on": occurred_on,
              "origin_country": origin_country, "description": description,
              "quantity": quantity, "injuries_count": injuries_count,
              "injury_severity": injury_severity, "injury_age_group": injury_age_group,
              "measures_taken": measures_taken, "result": result, "test_items": test_items,
              "standard": standard, "laboratory": laboratory}
    form = Form(values=values)
    data = {k: clean(v) for k, v in values.items() if clean(v) is not None}
    body = parse(form, EnterpriseReportIn, data, ctx.language)
    if body is None:
        return _enterprise_form(ctx, form, 422)
    uploads = forms.read_uploads(attachments, ctx.settings.attachment_max_bytes)
    try:
        report = enterprise.file_report(ctx.db, ctx.actor, ctx.settings, body,
                                        language=ctx.language, uploads=uploads)
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, ENTERPRISE_FIELDS)
        return _enterprise_form(ctx, form, 422)
    return redirect(ctx.request, f"/console/my-reports/{report.id}", gettext(
        "Report {reference} filed.", ctx.language, reference=report.reference))


@router.get("/console/my-reports/{report_id:int}", response_class=HTMLResponse)
def my_report(report_id: IntId,
              ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE)) -> Response:
    report = enterprise.get_own_report(ctx.db, ctx.actor, report_id)
    return render(ctx.request, "console/reports/enterprise_detail.html", {
        "view": enterprise.view(ctx.db, report, ctx.language), "own": True, **labels.HELPERS})
