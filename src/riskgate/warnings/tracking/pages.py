"""Console pages of warning tracking: the performance view per issuing organisation and the
tracking panel of one warning (an htmx fragment; the warning page includes the same partial)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog.reference import warning_levels, warning_types
from riskgate.core.errors import FieldProblem, ValidationFailed
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.warnings.tracking import service as tracking
from riskgate.web.forms import Form, attempt
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

BAD_DATE = N_("Enter a date as YYYY-MM-DD.")
# ECharts colours of the level bars: the badge colours of levels I–IV (red, orange, yellow, blue).
LEVEL_COLOURS = {"I": "#c62828", "II": "#f57c00", "III": "#fbc02d", "IV": "#1565c0"}


def _period(form: Form, default: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The period typed (a day left empty is the default's); a day that is not a date is a
    422 beside its field."""
    problems, days = [], []
    for name, fallback in zip(("start", "end"), default, strict=True):
        raw = (form.values.get(name) or "").strip()
        try:
            days.append(dt.date.fromisoformat(raw) if raw else fallback)
        except ValueError:
            problems.append(FieldProblem(name, BAD_DATE))
    if problems:
        raise ValidationFailed(fields=problems)
    return days[0], days[1]


def _chart(result: dict[str, Any], language: str) -> dict[str, Any]:
    """Stacked bars per organisation (at most 15, most warnings first), one series per level."""
    organisations = result["organisations"][:15]
    names = [o["name_en"] if language == "en" else o["name_zh"] for o in organisations]
    return {
        "title": gettext("Warnings issued per organisation, by level", language),
        "organisations": names,
        "series": [{"name": entry.display(language), "colour": LEVEL_COLOURS[entry.code.value],
                    "data": [o["by_level"][entry.code.value] for o in organisations]}
                   for entry in warning_levels()],
    }


def _performance_page(ctx: RequestContext, form: Form, result: dict[str, Any] | None,
                      status_code: int) -> Response:
    return render(ctx.request, "console/warnings/performance.html", {
        "form": form, "result": result,
        "chart": _chart(result, ctx.language) if result and result["organisations"] else None,
        "levels": [(entry.code.value, entry) for entry in warning_levels()],
        "types": [(entry.code.value, entry) for entry in warning_types()],
    }, status_code=status_code)


@router.get("/console/warnings/performance", response_class=HTMLResponse)
def warnings_performance_page(
    start: str | None = Query(default=None, max_length=20),
    end: str | None = Query(default=None, max_length=20),
    ctx: RequestContext = require(Permission.WARNING_TRACKING_READ),
) -> Response:
    timezone = ctx.settings.timezone
    default = tracking.default_period(timezone)
    form = Form(values={"start": start or default[0].isoformat(),
                        "end": end or default[1].isoformat()})

    def performance() -> dict[str, Any]:
        first, last = _period(form, default)
        return tracking.performance(ctx.db, ctx.actor, start=first, end=last,
                                    timezone=timezone)

    return attempt(ctx, act=performance, form=form,
                   done=lambda result: _performance_page(ctx, form, result, 200),
                   again=lambda failed, status: _performance_page(ctx, failed, None, status))


@router.get("/console/warnings/{warning_id:int}/tracking", response_class=HTMLResponse)
def warning_tracking_panel(
    warning_id: IntId, ctx: RequestContext = require(Permission.WARNING_TRACKING_READ)
) -> Response:
    return render(ctx.request, "console/warnings/_tracking.html",
                  {"tracking": tracking.tracking_of(ctx.db, ctx.actor, warning_id)})
