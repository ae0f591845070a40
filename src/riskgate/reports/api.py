"""JSON routes of reports: public filing and tracking, staff handling, enterprise reports,
attachment downloads.

Public routes are rate-limited per client (`ratelimit.limited`, 429 with Retry-After). Filing is
idempotent on `Idempotency-Key`; for the anonymous public the key is bound to the client address
as well, so a key guessed by someone else is refused (422) instead of replaying another
person's tracking number and access code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Header, Query, Response
from fastapi import Path as PathParam

from riskgate.core import ratelimit
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.records import service as records
from riskgate.reports import attachments, enterprise, service
from riskgate.reports.enums import EnterpriseReportKind, ReportKind, ReportStatus
from riskgate.reports.models import EnterpriseReport, PublicReport
from riskgate.reports.schemas import (
    AttachmentOut,
    ComplaintIn,
    EnterpriseReportIn,
    EnterpriseReportOut,
    IdentityOut,
    NoteIn,
    NoteOut,
    ReportDetail,
    ReportOut,
    RevealIn,
    RewardIn,
    SubmittedOut,
    TrackOut,
    TransitionIn,
    WhistleblowerIn,
)

router = api_router(prefix="/api/v1", tags=["reports"])
REPORT_SORTS = {"id": PublicReport.id, "created_at": PublicReport.created_at}
ENTERPRISE_SORTS = {"id": EnterpriseReport.id, "created_at": EnterpriseReport.created_at}
TrackingNumber = PathParam(min_length=1, max_length=40)
AccessCode = Header(default=None, max_length=40, alias="X-Access-Code",
                    description="The access code shown when the report was filed")


def _client_bound(ctx: RequestContext, body: Any) -> Any:
    if ctx.actor.is_authenticated:
        return body
    client = ctx.request.client.host if ctx.request.client else ""
    return {"body": body, "client": client}


def _submitted(submitted: service.Submitted, language: str) -> SubmittedOut:
    return SubmittedOut(tracking_number=submitted.report.tracking_number,
                        access_code=submitted.access_code, status=submitted.report.status,
                        receiving_organisation=submitted.organisation.name(language))


@router.post("/complaints", response_model=SubmittedOut, status_code=201,
             summary="File a consumer complaint (public, anonymous allowed)",
             dependencies=[ratelimit.limited("submit", ratelimit.SUBMISSIONS)])
def file_complaint(body: ComplaintIn, ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """Returns the tracking number and the access code, which are shown only this once."""

    def create() -> SubmittedOut:
        submitted = service.submit_complaint(ctx.db, ctx.actor, ctx.settings, body,
                                             language=ctx.language)
        return _submitted(submitted, ctx.language)

    return idempotent(ctx, _client_bound(ctx, body), create)


@router.post("/whistleblower-reports", response_model=SubmittedOut, status_code=201,
             summary="File a whistleblower report (public, anonymous allowed)",
             dependencies=[ratelimit.limited("submit", ratelimit.SUBMISSIONS)])
def file_whistleblower_report(body: WhistleblowerIn,
                              ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    def create() -> SubmittedOut:
        submitted = service.submit_whistleblower_report(ctx.db, ctx.actor, ctx.settings, body,
                                                        language=ctx.language)
        return _submitted(submitted, ctx.language)

    return idempotent(ctx, _client_bound(ctx, body), create)


def _register_kind(kind: ReportKind, prefix: str) -> None:
    """The routes complaints and whistleblower reports share: tracking, list, detail, handling."""

    @router.get(f"/{prefix}/track/{{tracking_number}}", response_model=TrackOut,
                summary=f"Look up a {kind.value} by tracking number and access code (public)",
                dependencies=[ratelimit.limited("lookup", ratelimit.LOOKUPS)],
                name=f"track_{kind.value}")
    def track(tracking_number: str = TrackingNumber, access_code: str | None = AccessCode,
              ctx: RequestContext = require(Permission.PUBLIC)) -> TrackOut:
        report = service.track(ctx.db, tracking_number, access_code, kind)
        return TrackOut.model_validate(service.public_view(ctx.db, report, ctx.language))

    @router.get(f"/{prefix}", response_model=Page[ReportOut], name=f"list_{kind.value}",
                summary=f"{kind.value} reports received in my scope")
    def list_reports(
        status: ReportStatus | None = None,
        tracking_number: str | None = Query(default=None, max_length=40),
        sort: str | None = Query(default=None, description="id, created_at; -desc"),
        limit: int | None = Query(default=None, ge=1, le=200),
        cursor: str | None = Query(default=None, max_length=500),
        ctx: RequestContext = require(Permission.REPORT_READ),
    ) -> Page[ReportOut]:
        stmt = service.reports_statement(ctx.actor, kind, status=status,
                                         tracking_number=tracking_number)
        rows, next_cursor = paginate(ctx.db, stmt, id_column=PublicReport.id,
                                     allowed_sorts=REPORT_SORTS, sort=sort, default_sort="-id",
                                     limit=limit, cursor=cursor)
        return Page(items=[ReportOut.model_validate(r) for r in rows], next_cursor=next_cursor)

    @router.get(f"/{prefix}/{{report_id:int}}", response_model=ReportDetail,
                name=f"get_{kind.value}")
    def get_report(report_id: IntId,
                   ctx: RequestContext = require(Permission.REPORT_READ)) -> ReportDetail:
        report = service.get_report(ctx.db, ctx.actor, kind, report_id)
        return ReportDetail.model_validate(service.detail_view(ctx.db, report))

    @router.post(f"/{prefix}/{{report_id:int}}/transition", response_model=ReportOut,
                 name=f"transition_{kind.value}", summary="Change the status")
    def change_status(report_id: IntId, body: TransitionIn,
                      ctx: RequestContext = require(Permission.REPORT_HANDLE)) -> ReportOut:
        return ReportOut.model_validate(
            service.transition(ctx.db, ctx.actor, kind, report_id, body))

    @router.post(f"/{prefix}/{{report_id:int}}/notes", response_model=NoteOut, status_code=201,
                 name=f"note_{kind.value}", summary="Add a progress note")
    def add_note(report_id: IntId, body: NoteIn,
                 ctx: RequestContext = require(Permission.REPORT_HANDLE)) -> NoteOut:
        return NoteOut.model_validate(service.add_note(ctx.db, ctx.actor, kind, report_id, body))


_register_kind(ReportKind.complaint, "complaints")
_register_kind(ReportKind.whistleblower, "whistleblower-reports")


@router.post("/whistleblower-reports/{report_id:int}/identity", response_model=IdentityOut | None,
             summary="Reveal the reporter's identity (audited, with a reason)")
def reveal_identity(report_id: IntId, body: RevealIn,
                    ctx: RequestContext = require(Permission.WHISTLEBLOWER_IDENTITY_READ),
                    ) -> IdentityOut | None:
    """`null` for an anonymous report."""
    identity = service.reveal_identity(ctx.db, ctx.actor, report_id, body.reason)
    return IdentityOut.model_validate(identity) if identity is not None else None


@router.post("/whistleblower-reports/{report_id:int}/reward", response_model=ReportOut,
             summary="Propose, approve, decline or mark paid the reporter's reward")
def change_reward(report_id: IntId, body: RewardIn,
                  ctx: RequestContext = require(Permission.WHISTLEBLOWER_REWARD_MANAGE),
                  ) -> ReportOut:
    return ReportOut.model_validate(service.set_reward(ctx.db, ctx.actor, report_id, body))


# --- Enterprise reports --------------------------------------------------------------------


@router.post("/enterprise-reports", response_model=EnterpriseReportOut, status_code=201,
             summary="File an accident report or a self-inspection result (enterprise account)")
def file_enterprise_report(body: EnterpriseReportIn,
                           ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE),
                           ) -> Response:
    def create() -> EnterpriseReportOut:
        report = enterprise.file_report(ctx.db, ctx.actor, ctx.settings, body,
                                        language=ctx.language)
        return EnterpriseReportOut.model_validate(enterprise.view(ctx.db, report, ctx.language))

    return idempotent(ctx, body, create)


@router.get("/enterprise-reports", response_model=Page[EnterpriseReportOut],
            summary="My enterprise's reports")
def list_enterprise_reports(
    kind: EnterpriseReportKind | None = None,
    sort: str | None = Query(default=None, description="id, created_at; -desc"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE),
) -> Page[EnterpriseReportOut]:
    rows, next_cursor = paginate(ctx.db, enterprise.own_reports_statement(ctx.actor, kind),
                                 id_column=EnterpriseReport.id, allowed_sorts=ENTERPRISE_SORTS,
                                 sort=sort, default_sort="-id", limit=limit, cursor=cursor)
    return Page(items=[EnterpriseReportOut.model_validate(enterprise.view(ctx.db, r, ctx.language))
                       for r in rows], next_cursor=next_cursor)


@router.get("/enterprise-reports/{report_id:int}", response_model=EnterpriseReportOut)
def get_enterprise_report(report_id: IntId,
                          ctx: RequestContext = require(Permission.ENTERPRISE_REPORT_FILE),
                          ) -> EnterpriseReportOut:
    report = enterprise.get_own_report(ctx.db, ctx.actor, report_id)
    return EnterpriseReportOut.model_validate(enterprise.view(ctx.db, report, ctx.language))


# --- Attachments ---------------------------------------------------------------------------


@router.get("/records/{record_id:int}/attachments", response_model=list[AttachmentOut],
            summary="Attachments of a risk record")
def list_attachments(record_id: IntId,
                     ctx: RequestContext = require(Permission.RECORD_READ)) -> list[AttachmentOut]:
    record = records.get_record(ctx.db, ctx.actor, record_id)
    return [AttachmentOut.model_validate(a) for a in attachments.attachments_of(ctx.db, record.id)]


@router.get("/attachments/{attachment_id:int}/content", response_class=Response,
            summary="Download an attachment (staff who may read its record)")
def download_attachment(attachment_id: IntId,
                        ctx: RequestContext = require(Permission.RECORD_READ)) -> Response:
    attachment = attachments.get_attachment(ctx.db, ctx.actor, attachment_id)
    data = attachments.read_file(Path(ctx.settings.attachments_dir), attachment)
    name = quote(attachment.original_name)
    return Response(data, media_type=attachment.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
        "Cache-Control": "private, no-store",
    })

