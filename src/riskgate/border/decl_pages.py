"""Console pages of declaration screening (U3): the screening console (today's lines per port and
lane against the port's targets, the declarations with lane badges, filters, file upload), the
port officer's declaration page (each line's lane and reasons in words, the inspection form of
red and yellow lines, the risk record a failure created) and a batch's report."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import File, Query, UploadFile
from fastapi import Form as FormField
from fastapi.responses import HTMLResponse, Response

from riskgate.border import decl_batch, decl_files, inspection
from riskgate.border import declarations as service
from riskgate.border.decl_reasons import LANE_LABELS, lane_label, reason_text
from riskgate.border.enums import Lane
from riskgate.border.models import Declaration
from riskgate.catalog.reference import country, hazard_types, port
from riskgate.core.errors import DomainError, PayloadTooLarge
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LIST_LIMIT = 100
LANE_ORDER = (Lane.red, Lane.yellow, Lane.blue, Lane.green)


def _common(ctx: RequestContext) -> dict[str, Any]:
    lang = ctx.language
    return {
        "lanes": [(lane.value, gettext(LANE_LABELS[lane], lang)) for lane in LANE_ORDER],
        "lane_label": lambda lane, short=False: lane_label(lane, lang, short=short),
        "port_name": lambda code: (port(code).label(lang) if port(code) else code),
        "country_name": lambda code: (country(code).label(lang) if code and country(code)
                                      else code or ""),
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
    lane_value = Lane(lane) if lane in {v.value for v in Lane} else None
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


@router.post("/console/border/screening/file", response_class=HTMLResponse)
def screening_upload(file: UploadFile = File(),
                     ctx: RequestContext = require(Permission.DECLARATION_SUBMIT)) -> Response:
    try:
        limit = ctx.settings.max_body_bytes
        if file.size is not None and file.size > limit:
            raise PayloadTooLarge(limit=limit)
        result = decl_files.screen_file(ctx.db, ctx.actor, file.file, file.filename or "upload")
    except DomainError as error:
        if error.status == 404:
            raise
        ctx.db.rollback()
        return _screening_page(ctx, lane=None, port_code=None, day=None,
                               upload_error=error.translated(ctx.language),
                               upload_details=[p.translated(ctx.language) for p in error.fields],
                               status_code=422)
    batch = result.batch
    return redirect(ctx.request, f"/console/border/batches/{batch.id}", gettext(
        "{screened} lines screened, {rejected} rejected.", ctx.language,
        screened=batch.lines_screened, rejected=batch.lines_rejected))


def _declaration_page(ctx: RequestContext, declaration_id: int, *,
                      forms: dict[int, Form] | None = None, status_code: int = 200) -> Response:
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
              "form": (forms or {}).get(line.id) or Form(values={"outcome": "pass"})}
             for line in lines]
    return render(ctx.request, "console/border/declaration.html", {
        **_common(ctx), "declaration": declaration, "items": items,
        "outcomes": [(o.value, gettext(label, lang))
                     for o, label in inspection.OUTCOME_LABELS.items()],
        "hazards": [(h.code.value, h.label(lang)) for h in hazard_types()],
        "outcome_labels": {o.value: gettext(label, lang)
                           for o, label in inspection.OUTCOME_LABELS.items()},
    }, status_code=status_code)


@router.get("/console/border/declarations/{declaration_id:int}", response_class=HTMLResponse)
def declaration_page(declaration_id: IntId,
                     ctx: RequestContext = require(Permission.DECLARATION_READ)) -> Response:
    return _declaration_page(ctx, declaration_id)


@router.post("/console/border/lines/{line_id:int}/inspection", response_class=HTMLResponse)
def inspection_submit(
    line_id: IntId,
    outcome: str = FormField(default="", max_length=10),
    findings: str = FormField(default="", max_length=4000),
    hazard_type: str = FormField(default="", max_length=60),
    ctx: RequestContext = require(Permission.INSPECTION_RECORD),
) -> Response:
    form = Form(values={"outcome": outcome, "findings": findings, "hazard_type": hazard_type})
    try:
        result = inspection.record_inspection(ctx.db, ctx.actor, line_id, outcome, findings,
                                              hazard_type or None)
    except DomainError as error:
        if error.status == 404:
            raise
        ctx.db.rollback()
        apply_domain_error(form, error, ctx.language, ("outcome", "findings", "hazard_type"))
        declaration_id = inspection.declaration_of_line(ctx.db, line_id)
        return _declaration_page(ctx, declaration_id, forms={line_id: form},
                                 status_code=error.status)
    message = (N_("The inspection result was recorded and a risk record created.")
               if result.record_id else N_("The inspection result was recorded."))
    return redirect(ctx.request, f"/console/border/declarations/{result.declaration_id}",
                    gettext(message, ctx.language))


@router.get("/console/border/batches/{batch_id:int}", response_class=HTMLResponse)
def batch_page(batch_id: IntId,
               ctx: RequestContext = require(Permission.DECLARATION_READ)) -> Response:
    batch = service.get_batch(ctx.db, ctx.actor, batch_id)
    rejected = decl_batch.rejected_of(ctx.db, batch.id, limit=decl_batch.REJECTED_SHOWN + 1)
    lang = ctx.language
    from riskgate.core.errors import translate

    rows = [{"row": r, "problems": [
        f"{p.get('loc')}: {translate(p.get('message', ''), lang, p.get('params') or {})}"
        for p in r.problems]} for r in rejected[:decl_batch.REJECTED_SHOWN]]
    return render(ctx.request, "console/border/batch.html", {
        **_common(ctx), "batch": batch, "rejected": rows,
        "truncated": len(rejected) > decl_batch.REJECTED_SHOWN,
    })
