"""Console pages for assessment reports: the list with its generate form, and downloads."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from riskgate.analysis_reports import periods, service
from riskgate.analysis_reports.enums import CategoryDimension, ReportFormat, ReportKind
from riskgate.analysis_reports.models import AnalysisReport
from riskgate.analysis_reports.schemas import ReportIn
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.identity.enums import Language
from riskgate.identity.models import Organisation
from riskgate.identity.scope import scoped
from riskgate.web.forms import Form, clean, optional_int, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LIST_SIZE = 100


def _organisations(ctx: RequestContext) -> list[tuple[int, str]]:
    stmt = scoped(select(Organisation), ctx.actor, Organisation.id, object_type="organisation",
                  id_column=Organisation.id)
    rows = ctx.db.execute(stmt.where(Organisation.org_type.in_(list(service.LEAD_TYPES)))
                          .order_by(Organisation.path).limit(200)).scalars()
    return [(o.id, o.name_en if ctx.language == "en" and o.name_en else o.name_zh) for o in rows]


def _page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    reports = ctx.db.execute(service.reports_statement(ctx.actor)
                             .order_by(AnalysisReport.id.desc()).limit(LIST_SIZE)).scalars().all()
    lang = ctx.language
    return render(ctx.request, "console/analysis_reports/list.html", {
        "reports": reports, "form": form,
        "has_pending": any(r.status.value == "pending" for r in reports),
        "kinds": ReportKind.choices(lang),
        "formats": ReportFormat.choices(lang),
        "dimensions": CategoryDimension.choices(lang),
        "languages": Language.choices(lang), "Language": Language,
        "organisations": _organisations(ctx) if ctx.actor.can(
            Permission.ANALYSIS_REPORT_GENERATE) else [],
    }, status_code=status_code)


@router.get("/console/analysis-reports", response_class=HTMLResponse)
def reports_page(ctx: RequestContext = require(Permission.ANALYSIS_REPORT_READ)) -> Response:
    last = periods.previous_quarter(service.local_today(ctx.settings))
    return _page(ctx, Form(values={"kind": "quarterly", "format": "pdf", "quarter": last.label,
                                   "language": ctx.language}))


@router.post("/console/analysis-reports", response_class=HTMLResponse)
def reports_generate(
    kind: str = FormField(default="quarterly", max_length=20),
    format: str = FormField(default="pdf", max_length=10),  # noqa: A002
    language: str = FormField(default="zh-CN", max_length=10),
    quarter: str = FormField(default="", max_length=20),
    start: str = FormField(default="", max_length=20),
    end: str = FormField(default="", max_length=20),
    category_dimension: str = FormField(default="", max_length=30),
    category_value: str = FormField(default="", max_length=400),
    organisation_id: str = FormField(default="", max_length=20),
    ctx: RequestContext = require(Permission.ANALYSIS_REPORT_GENERATE),
) -> Response:
    """Request a report; the page answers 422 with the problems beside their fields, whatever
    refused the request (as it always has)."""
    data = {
        "kind": clean(kind) or "quarterly", "format": clean(format) or "pdf",
        "language": clean(language) or ctx.language, "quarter": clean(quarter),
        "start": clean(start), "end": clean(end),
        "category_dimension": clean(category_dimension),
        "category_value": clean(category_value), "organisation_id": optional_int(organisation_id),
    }  # fmt: skip
    if data["start"] or data["end"]:
        data["quarter"] = None
    if data["kind"] == "quarterly":
        data["category_dimension"] = data["category_value"] = None
    return submit(
        ctx, None, ReportIn, form=Form(values=data), data=data,
        act=lambda body: service.request_report(ctx.db, ctx.actor, ctx.settings,
                                                service.ReportRequest.of(body)),
        done=lambda _report: ("/console/analysis-reports", N_(
            "The report was requested; it appears here when it has been generated.")),
        again=lambda form, _status: _page(ctx, form, 422))


@router.get("/console/analysis-reports/{report_id:int}/download")
def reports_download(report_id: IntId,
                     ctx: RequestContext = require(Permission.ANALYSIS_REPORT_READ)) -> Response:
    file = service.download(ctx.db, ctx.actor, ctx.settings, report_id)
    return Response(file.data, media_type=file.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file.file_name)}",
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
    })
