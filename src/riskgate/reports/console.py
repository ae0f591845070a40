"""Console pages of reports: complaints and whistleblower reports for the officers who receive
them (list, detail, status changes, notes; identity and reward for supervisors), enterprise
reports as received by regulators, and an enterprise's own reports with the forms to file them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response

from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.pagination import paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.core.uploads import read_uploads
from riskgate.identity.models import Organisation
from riskgate.records.models import RiskRecord
from riskgate.records.pages import catalogue_label
from riskgate.reports import enterprise, forms, service
from riskgate.reports.enums import (
    TEMPLATE_ENUMS,
    EnterpriseReportKind,
    InspectionResult,
    ReportKind,
    ReportStatus,
    RewardStatus,
)
from riskgate.reports.models import EnterpriseReport, PublicReport
from riskgate.reports.schemas import EnterpriseReportIn, NoteIn, RevealIn, RewardIn, TransitionIn
from riskgate.reports.workflow import FLOWS, REWARD_FLOW
from riskgate.web.flash import redirect
from riskgate.web.forms import Done, Form, Submitted, clean, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25
SORTS = {"id": PublicReport.id}
ENTERPRISE_SORTS = {"id": EnterpriseReport.id}
PREFIXES = {ReportKind.complaint: "complaints", ReportKind.whistleblower: "whistleblower-reports"}
LIST_TITLES = {ReportKind.complaint: "Complaints",
               ReportKind.whistleblower: "Whistleblower reports"}


def _detail(ctx: RequestContext, kind: ReportKind, report: PublicReport,
            identity: Any = None, revealed: bool = False) -> Response:
    view = service.detail_view(ctx.db, report)
    return render(ctx.request, "console/reports/detail.html", {
        "kind": kind, "prefix": PREFIXES[kind], "report": report, "view": view,
        "record": ctx.db.get(RiskRecord, report.record_id),
        "organisation": ctx.db.get(Organisation, report.organisation_id),
        # Only the moves the workflows allow from where the report and its reward stand.
        "targets": ReportStatus.choices(ctx.language, sorted(FLOWS[kind].next_states(report))),
        "reward_targets": RewardStatus.choices(ctx.language,
                                               sorted(REWARD_FLOW.next_states(report))),
        "identity": identity, "revealed": revealed, "label": catalogue_label, **TEMPLATE_ENUMS,
    })


def _refused(ctx: RequestContext, kind: ReportKind, report_id: int, path: str,
             message: str | None = None) -> Callable[[Form, int], Response]:
    """How the detail page's small forms answer a refusal: back to the page with the message
    flashed as an error (the fields' problems, else the service's message) — after making sure
    the report is in the actor's scope (404 otherwise)."""
    def again(form: Form, _status: int) -> Response:
        service.get_report(ctx.db, ctx.actor, kind, report_id)
        problems = [text for _name, text in form.summary()]
        text = message or (" ".join(problems) if problems else form.message or "")
        return redirect(ctx.request, path, text, "error")
    return again


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
        chosen = ReportStatus.parse(status)
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
            "q": q or "", "statuses": ReportStatus.choices(ctx.language), **TEMPLATE_ENUMS,
        })

    @router.get(base + "/{report_id:int}", response_class=HTMLResponse,
                name=f"console_detail_{kind.value}")
    def report_detail(report_id: IntId,
                      ctx: RequestContext = require(Permission.REPORT_READ)) -> Response:
        return _detail(ctx, kind, service.get_report(ctx.db, ctx.actor, kind, report_id))

    @router.post(base + "/{report_id:int}/transition", name=f"console_transition_{kind.value}")
    def report_transition(
        report_id: IntId,
        submitted: Submitted = Depends(read_submitted),
        ctx: RequestContext = require(Permission.REPORT_HANDLE),
    ) -> Response:
        target = f"{base}/{report_id}"
        return submit(
            ctx, submitted, TransitionIn,
            act=lambda body: service.transition(ctx.db, ctx.actor, kind, report_id, body),
            done=lambda report: (target, N_("Status changed to {status}."),
                                 {"status": report.status.label(ctx.language)}),
            again=_refused(ctx, kind, report_id, target))

    @router.post(base + "/{report_id:int}/notes", name=f"console_note_{kind.value}")
    def report_note(
        report_id: IntId,
        submitted: Submitted = Depends(read_submitted),
        ctx: RequestContext = require(Permission.REPORT_HANDLE),
    ) -> Response:
        target = f"{base}/{report_id}"
        fields = submitted.fields
        return submit(
            ctx, submitted, NoteIn, form=Form(values=dict(fields)),
            data={"body": clean(fields.get("body")) or "", "public": bool(fields.get("public"))},
            act=lambda note: service.add_note(ctx.db, ctx.actor, kind, report_id, note),
            done=lambda _note: (target, N_("Note added.")),
            again=_refused(ctx, kind, report_id, target))


_register_kind(ReportKind.complaint)
_register_kind(ReportKind.whistleblower)


@router.post("/console/whistleblower-reports/{report_id:int}/identity", response_class=HTMLResponse)
def whistleblower_identity(
    report_id: IntId,
    submitted: Submitted = Depends(read_submitted),
    ctx: RequestContext = require(Permission.WHISTLEBLOWER_IDENTITY_READ),
) -> Response:
    """Show the identity on the detail page, once, after recording why it was opened."""
    kind = ReportKind.whistleblower

    def show(body: RevealIn) -> Done:
        identity = service.reveal_identity(ctx.db, ctx.actor, report_id, body.reason)
        report = service.get_report(ctx.db, ctx.actor, kind, report_id)
        response = _detail(ctx, kind, report, identity, revealed=True)
        response.headers["Cache-Control"] = "no-store"
        return response

    reason = submitted.fields.get("reason", "")
    return submit(ctx, submitted, RevealIn, act=show, done=lambda page: page,
                  form=Form(values={"reason": reason}), data={"reason": clean(reason) or ""},
                  again=_refused(ctx, kind, report_id,
                                 f"/console/whistleblower-reports/{report_id}",
                                 gettext("Give the reason for opening the identity (at least 5 "
                                         "characters).", ctx.language)))


@router.post("/console/whistleblower-reports/{report_id:int}/reward")
def whistleblower_reward(
    report_id: IntId,
    submitted: Submitted = Depends(read_submitted),
    ctx: RequestContext = require(Permission.WHISTLEBLOWER_REWARD_MANAGE),
) -> Response:
    target = f"/console/whistleblower-reports/{report_id}"
    return submit(ctx, submitted, RewardIn,
                  act=lambda body: service.set_reward(ctx.db, ctx.actor, report_id, body),
                  done=lambda _report: (target, N_("Reward updated.")),
                  again=_refused(ctx, ReportKind.whistleblower, report_id, target))


# --- Enterprise reports, as received by regulators ------------------------------------------


def _enterprise_list(ctx: RequestContext, stmt: Any, cursor: str | None, *, own: bool) -> Response:
    rows, next_cursor = paginate(ctx.db, stmt, id_column=EnterpriseReport.id,
                                 allowed_sorts=ENTERPRISE_SORTS, sort="-id", default_sort="-id",
                                 limit=PAGE_SIZE, cursor=cursor)
    return render(ctx.request, "console/reports/enterprise_list.html", {
        "reports": [enterprise.view(ctx.db, r, ctx.language) for r in rows],
        "next_cursor": next_cursor, "own": own, **TEMPLATE_ENUMS,
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
        "view": enterprise.view(ctx.db, report, ctx.language), "own": False,
        "label": catalogue_label, **TEMPLATE_ENUMS})


# --- An enterprise's own reports ----------------------------------------------------------


@router.get("/console/my-reports", response_class=HTMLResponse)
def my_reports(cursor: str | None = Query(default=None, max_length=500),
               ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE)) -> Response:
    return _enterprise_list(ctx, enterprise.own_reports_statement(ctx.actor), cursor, own=True)


def _enterprise_form(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    return render(ctx.request, "console/reports/enterprise_form.html", {
        "form": form, **forms.common_choices(ctx.language),
        "kinds": EnterpriseReportKind.choices(ctx.language),
        "results": InspectionResult.choices(ctx.language),
        "max_files": ctx.settings.attachment_max_files,
        "max_megabytes": round(ctx.settings.attachment_max_bytes / 1024 / 1024, 1),
    }, status_code=status_code)


@router.get("/console/my-reports/new", response_class=HTMLResponse)
def my_report_new(kind: str | None = Query(default=None, max_length=20),
                  ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE)) -> Response:
    chosen = EnterpriseReportKind.parse(kind) or EnterpriseReportKind.accident
    return _enterprise_form(ctx, Form(values={"kind": chosen.value, "route": "market"}))


@router.post("/console/my-reports", response_class=HTMLResponse)
def my_report_create(submitted: Submitted = Depends(read_submitted),
                     ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE)) -> Response:
    """File an accident report or a self-inspection result with its attachments. A refused
    report shows the form again with 422, whatever refused it (a file refused by its content
    too), as it always has."""
    def file(body: EnterpriseReportIn) -> EnterpriseReport:
        uploads = read_uploads(submitted.files, ctx.settings.attachment_max_bytes)
        return enterprise.file_report(ctx.db, ctx.actor, ctx.settings, body,
                                      language=ctx.language, uploads=uploads)

    return submit(ctx, submitted, EnterpriseReportIn, act=file,
                  done=lambda report: (f"/console/my-reports/{report.id}",
                                       N_("Report {reference} filed."),
                                       {"reference": report.reference}),
                  again=lambda form, _status: _enterprise_form(ctx, form, 422))


@router.get("/console/my-reports/{report_id:int}", response_class=HTMLResponse)
def my_report(report_id: IntId,
              ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE)) -> Response:
    report = enterprise.get_own_report(ctx.db, ctx.actor, report_id)
    return render(ctx.request, "console/reports/enterprise_detail.html", {
        "view": enterprise.view(ctx.db, report, ctx.language), "own": True,
        "label": catalogue_label, **TEMPLATE_ENUMS})
