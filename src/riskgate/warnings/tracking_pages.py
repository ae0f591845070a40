"""Console pages of warning tracking: the performance view per issuing organisation and the
tracking panel of one warning (an htmx fragment; the warning page includes the same partial)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.catalog.reference import warning_level, warning_type
from riskgate.core.errors import ValidationFailed
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.warnings import tracking
from riskgate.web.forms import Form, apply_domain_error
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

BAD_DATE = N_("Enter a date as YYYY-MM-DD.")
# ECharts colours of the level bars: the badge colours of levels I–IV (red, orange, yellow, blue).
LEVEL_COLOURS = {"I": "#c62828", "II": "#f57c00", "III": "#fbc02d", "IV": "#1565c0"}


def _parse_dates(form: Form, language: str, default: tuple[dt.date, dt.date]
                 ) -> tuple[dt.date, dt.date] | None:
    parsed = []
    for name, fallback in zip(("start", "end"), default, strict=True):
        raw = (form.values.get(name) or "").strip()
        try:
            parsed.append(dt.date.fromisoformat(raw) if raw else fallback)
        except ValueError:
            form.add(name, gettext(BAD_DATE, language))
    if form.errors:
        form.message = gettext("Some fields are invalid; see the field errors.", language)
        return None
    return parsed[0], parsed[1]


def _chart(result: dict[str, Any], language: str) -> dict[str, Any]:
    """Stacked bars per organisation (at most 15, most warnings first), one series per level."""
    organisations = result["organisations"][:15]
    names = [o["name_en"] if language == "en" else o["name_zh"] for o in organisations]
    return {
        "title": gettext("Warnings issued per organisation, by level", language),
        "organisations": names,
        "series": [{"name": warning_level(level.value).display(language),  # type: ignore[union-attr]
                    "colour": LEVEL_COLOURS[level.value],
                    "data": [o["by_level"][level.value] for o in organisations]}
                   for level in WarningLevel],
    }


@router.get("/console/warnings/performance", response_class=HTMLResponse)
def warnings_performance_page(
    start: str | None = Query(default=None, max_length=20),
    end: str | None = Query(default=None, max_length=20),
    ctx: RequestContext = require(Permission.WARNING_TRACKING_READ),
) -> Response:
    timezone = ctx.settings.timezone
    today = dt.datetime.now(ZoneInfo(timezone)).date()
    default = (today - dt.timedelta(days=89), today)
    form = Form(values={"start": start or default[0].isoformat(),
                        "end": end or default[1].isoformat()})
    result: dict[str, Any] | None = None
    period = _parse_dates(form, ctx.language, default)
    if period is not None:
        try:
            result = tracking.performance(ctx.db, ctx.actor, start=period[0], end=period[1],
                                          timezone=timezone)
        except ValidationFailed as error:
            apply_domain_error(form, error, ctx.language, fields=("start", "end"))
    return render(ctx.request, "console/warnings/performance.html", {
        "form": form, "result": result,
        "chart": _chart(result, ctx.language) if result and result["organisations"] else None,
        "levels": [(level.value, warning_level(level.value)) for level in WarningLevel],
        "types": [(kind.value, warning_type(kind.value)) for kind in WarningType],
    }, status_code=200 if result is not None else 422)


@router.get("/console/warnings/{warning_id:int}/tracking", response_class=HTMLResponse)
def warning_tracking_panel(
    warning_id: IntId, ctx: RequestContext = require(Permission.WARNING_TRACKING_READ)
) -> Response:
    return render(ctx.request, "console/warnings/_tracking.html",
                  {"tracking": tracking.tracking_of(ctx.db, ctx.actor, warning_id)})
