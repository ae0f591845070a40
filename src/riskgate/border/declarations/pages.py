"""Console pages of declaration screening (U3): the screening console (today's lines per port and
lane against the port's targets, the declarations with lane badges, filters, file upload), the
port officer's declaration page (each line's lane and reasons in words, the inspection form of
red and yellow lines, the risk record a failure created) and a batch's report."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any
from zoneinfo import ZoneInfo

from fastapi import File, Query, UploadFile
from fastapi.responses import HTMLResponse, Response

from riskgate.border.declarations import batch as decl_batch
from riskgate.border.declarations import files as decl_files
from riskgate.border.declarations import service
from riskgate.border.declarations.batch import BatchResult
from riskgate.border.declarations.reasons import lane_label, reason_text
from riskgate.border.enums import InspectionOutcome, Lane
from riskgate.border.inspection import service as inspection
from riskgate.border.models import Declaration
from riskgate.catalog.reference import country, hazard_types, port
from riskgate.core.errors import PayloadTooLarge, translate
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.web.forms import Form, attempt
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LIST_LIMIT = 100
LANE_ORDER = (Lane.red, Lane.yellow, Lane.blue, Lane.green)


def _port_name(code: str, language: str) -> str:
    entry = port(code)
    return entry.label(language) if entry else code


def _country_name(code: str | None, language: str) -> str:
    entry = country(code) if code else None
    return entry.label(language) if entry else code or ""


def _common(ctx: RequestContext) -> dict[str, Any]:
    lang = ctx.language
    return {
        "lanes": Lane.choices(lang, LANE_ORDER),
        "lane_label": lambda lane, short=False: lane_label(lane, lang, short=short),
        "port_name": lambda code: _port_name(code, lang),
        "country_name": lambda code: _country_name(code, lang),
    }


def _port_rows(ctx: RequestContext) -> list[dict[str, Any]]:
    """Today's lines per port and lane (local day), with the port's targets for comparison."""
    zone = ZoneInfo(ctx.settings.timezone)
    start = dt.datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    counts = service.lane_counts_by_port(ctx.db, ctx.actor, start.astimezone(dt.UTC))
    policy = service.current_policy(ctx.db)
    rows = []
    for code in sorted(counts):
        lanes = counts[code]
        total = sum(lanes.values())
        target = policy.port_targets.get(code, policy.default_target)
        rows.append({"port": code, "total": total, "lanes": lanes, "shares": {
            lane: (lanes.get(lane, 0) / total if total else 0.0) for lane in lanes},
            "targets": {"red": target.red_rate, "yellow": target.yellow_rate,
                        "blue": target.blue_rate}})
    return rows


def _screening_page(ctx: RequestContext, *, lane: str | None, port_code: str | None,
                    day: dt.date | None, upload_error: str | None = None,
                    upload_details: list[str] | None = None, status_code: int = 200) -> Response:
    lane_value = Lane.parse(lane)
    stmt = service.declarations_statement(ctx.actor, lane=lane_value, port=port_code or None,
                                          date_from=day, date_to=day)
    rows = list(ctx.db.execute(stmt.order_by(Declaration.id.desc()).limit(LIST_LIMIT + 1)
                               ).scalars())
    return render(ctx.request, "console/border/screening.html", {
        **_common(ctx), "declarations": rows[:LIST_LIMIT], "truncated": len(rows) > LIST_LIMIT,
        "ports": _port_rows(ctx), "filters": {"lane": lane_value.value if lane_value else "",
                                              "port": port_code or "",
                                              "day": day.isoformat() if day else ""},
        "upload_error": upload_error, "upload_details": upload_details or [],
    }, status_code=status_code)


@router.get("/console/border/screening", response_class=HTMLResponse)
def screening_console(
    lane: str | None = Query(default=None, max_length=10),
    port_code: str | None = Query(default=None, alias="port", max_length=40),
    day: dt.date | None = None,
    ctx: RequestContext = require(Permission.DECLARATION_READ),
) -> Response:
    return _screening_page(ctx, lane=lane, port_code=port_code, day=day)


def _screen_upload(ctx: RequestContext, file: IO[bytes], filename: str,
                   size: int | None) -> BatchResult:
    limit = ctx.settings.max_body_bytes
    if size is not None and size > limit:
        raise PayloadTooLarge(limit=limit)
    return decl_files.screen_file(ctx.db, ctx.actor, file, filename)


@router.post("/console/border/screening/file", response_class=HTMLResponse)
def screening_upload(file: UploadFile = File(),
                     ctx: RequestContext = require(Permission.DECLARATION_SUBMIT)) -> Response:
    """Screen a file; its report is the batch page. A file refused as a whole shows the console
    again with the reasons (422, whatever the refusal, as this page always answered)."""
    def again(form: Form, _status: int) -> Response:
        details = [message for _name, message in form.summary() if message != form.message]
        return _screening_page(ctx, lane=None, port_code=None, day=None,
                               upload_error=form.message, upload_details=details,
                               status_code=422)

    def done(result: BatchResult) -> tuple[str, str, dict[str, Any]]:
        batch = result.batch
        return (f"/console/border/batches/{batch.id}", N_("{screened} lines screened, "
                                                          "{rejected} rejected."),
                {"screened": batch.lines_screened, "rejected": batch.lines_rejected})

    return attempt(ctx, act=lambda: _screen_upload(ctx, file.file, file.filename or "upload",
                                                   file.size),
                   done=done, again=again)


def declaration_page(ctx: RequestContext, declaration_id: int, *,
                     forms: dict[int, Form] | None = None, status_code: int = 200) -> Response:
    """A declaration with its lines, their reasons and inspections (`forms`: an inspection form
    sent again with its problems, by line)."""
    declaration = service.get_declaration(ctx.db, ctx.actor, declaration_id)
    lines = service.lines_of(ctx.db, declaration.id)
    results = inspection.results_of(ctx.db, declaration.id)
    numbers = inspection.record_numbers(ctx.db, [r.record_id for r in results.values()
                                                 if r.record_id])
    lang = ctx.language
    items = [{"line": line, "reasons": [reason_text(r, lang) for r in line.reasons],
              "result": results.get(line.id),
              "record_number": numbers.get((results.get(line.id) and
                                            results[line.id].record_id) or 0),
              "inspectable": line.lane in inspection.INSPECTED_LANES and line.id not in results,
              "form": (forms or {}).get(line.id) or Form()}
             for line in lines]
    return render(ctx.request, "console/border/declaration.html", {
        **_common(ctx), "declaration": declaration, "items": items,
        "outcomes": InspectionOutcome.choices(lang),
        "hazards": [(h.code.value, h.label(lang)) for h in hazard_types()],
    }, status_code=status_code)


@router.get("/console/border/declarations/{declaration_id:int}", response_class=HTMLResponse)
def declaration_detail(declaration_id: IntId,
                       ctx: RequestContext = require(Permission.DECLARATION_READ)) -> Response:
    return declaration_page(ctx, declaration_id)


@router.get("/console/border/batches/{batch_id:int}", response_class=HTMLResponse)
def batch_page(batch_id: IntId,
               ctx: RequestContext = require(Permission.DECLARATION_READ)) -> Response:
    batch = service.get_batch(ctx.db, ctx.actor, batch_id)
    rejected = decl_batch.rejected_of(ctx.db, batch.id, limit=decl_batch.REJECTED_SHOWN + 1)
    lang = ctx.language
    rows = [{"row": r, "problems": [
        f"{p.get('loc')}: {translate(p.get('message', ''), lang, p.get('params') or {})}"
        for p in r.problems]} for r in rejected[:decl_batch.REJECTED_SHOWN]]
    return render(ctx.request, "console/border/batch.html", {
        **_common(ctx), "batch": batch, "rejected": rows,
        "truncated": len(rejected) > decl_batch.REJECTED_SHOWN,
    })
