"""Portal pages of warnings: the public list with search and filters, and the permalink page
of one warning (`/warnings/{id}-{number}`) with what to do, the products, the original as
published and the follow-ups apart. Public: announcements (公告) only (see
`warnings.publication.service`).

Filter values come in as text and are checked here: a wrong value is a message beside its
field on the page (status 422), never a 500 or a JSON error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.responses import HTMLResponse, RedirectResponse, Response

from riskgate.catalog import reference
from riskgate.catalog.enums import WarningLevel
from riskgate.core.errors import FieldProblem, NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.warnings.enums import PublicState
from riskgate.warnings.publication import service as portal
from riskgate.warnings.publication.service import PortalFilters
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

LIST_TEMPLATE = "portal/warnings/list.html"
DETAIL_TEMPLATE = "portal/warnings/detail.html"
PAGE_SIZE = 20  # a phone screen or two; the JSON API pages by 50 (up to 200)
PUBLIC_CACHE = "public, max-age=60"  # anonymous pages: a proxy may keep them for a minute
FILTER_FIELDS = ("q", "level", "category", "country", "date_from", "date_to", "state")
# Fields an adjustment may change, as the follow-up shows them.
CHANGE_LABELS = {
    "level": N_("Level"), "measures": N_("Measures"), "origin_countries": N_("Origin countries"),
    "regions": N_("Regions"), "ports": N_("Ports"), "products": N_("Products"),
    "effective_until": N_("Effective until"),
    "consumer_instructions": N_("What consumers should do"),
    "enterprise_instructions": N_("What enterprises should do"),
}


def _parse(raw: dict[str, str]) -> tuple[PortalFilters, list[FieldProblem]]:
    """Filters from the query string; problems for values that cannot be read."""
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}
    for name in ("q", "category", "country"):
        values[name] = raw.get(name) or None
    if raw.get("level"):
        try:
            values["level"] = WarningLevel(raw["level"])
        except ValueError:
            problems.append(FieldProblem("level", N_("Choose a level from the list.")))
    if raw.get("state"):
        try:
            values["state"] = PublicState(raw["state"])
        except ValueError:
            problems.append(FieldProblem("state", N_("Choose a state from the list.")))
    for name in ("date_from", "date_to"):
        if raw.get(name):
            try:
                values[name] = dt.date.fromisoformat(raw[name])
            except ValueError:
                problems.append(FieldProblem(name, N_("Give a date as YYYY-MM-DD.")))
    filters, found = PortalFilters(**values).checked()
    return filters, problems + found


def level_label(level: Any, language: str) -> str:
    entry = reference.warning_level(level)
    return entry.label(language) if entry else str(level)


def country_label(code: str, language: str) -> str:
    entry = reference.country(code)
    return entry.label(language) if entry else code


def measure_label(code: str, language: str) -> str:
    entry = reference.measure_type(code)
    return entry.label(language) if entry else code


def type_label(code: Any, language: str) -> str:
    entry = reference.warning_type(code)
    return entry.label(language) if entry else str(code)


def change_label(field: str, language: str) -> str:
    return gettext(CHANGE_LABELS.get(field, field), language)


def _helpers(language: str) -> dict[str, Any]:
    """Label functions the templates call, in the page's language."""
    return {
        "level_label": lambda code: level_label(code, language),
        "country_label": lambda code: country_label(code, language),
        "measure_label": lambda code: measure_label(code, language),
        "type_label": lambda code: type_label(code, language),
        "change_label": lambda field: change_label(field, language),
        "english": language == "en",
        "permalink": portal.permalink,
    }


@router.get("/warnings", response_class=HTMLResponse)
def warnings_list(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """The public list of warnings: search box, filters, newest first, one page at a time."""
    params = ctx.request.query_params
    raw = {name: (params.get(name) or "").strip()[:300] for name in FILTER_FIELDS}
    filters, problems = _parse(raw)
    cursor = params.get("cursor") or None
    rows: list[Any] = []
    next_cursor = None
    counts = None
    if not problems:
        # A damaged cursor (a hand-made link) fails alone: the filters are kept as they were.
        problems = portal.cursor_problems(cursor)
    if not problems:
        rows, next_cursor = portal.list_public(ctx.db, filters, limit=PAGE_SIZE, cursor=cursor,
                                               actor=ctx.actor)
        # The counts are those of the public list; a signed-in reader's list holds more.
        if not ctx.actor.is_authenticated:
            counts = portal.facet_counts(ctx.db, filters)
    language = ctx.language
    levels = [(level.code.value, level.display(language)) for level in reference.warning_levels()]
    states = PublicState.choices(language)
    categories = list(counts.categories) if counts else []
    countries = list(counts.countries) if counts else []
    if filters.category and all(v != filters.category for v, _ in categories):
        categories.insert(0, (filters.category, 0))
    if filters.country and all(v != filters.country for v, _ in countries):
        countries.insert(0, (filters.country, 0))
    errors = {p.loc: p.translated(language) for p in problems}
    return _cacheable(render(ctx.request, LIST_TEMPLATE, {
        "raw": raw, "filters": filters, "rows": rows, "next_cursor": next_cursor,
        "counts": counts, "levels": levels, "states": states, "categories": categories,
        "countries": countries, "errors": errors, **_helpers(language),
    }, status_code=422 if problems else 200))


@router.get("/warnings/{warning_id:int}-{number}", response_class=HTMLResponse)
def warning_page(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """One public warning at its permalink; a wrong or old number redirects to the right one."""
    warning_id = ctx.request.path_params["warning_id"]
    detail = portal.get_public(ctx.db, _bounded(warning_id), ctx.actor)
    if ctx.request.path_params["number"] != detail.warning.number:
        return RedirectResponse(detail.permalink, status_code=301)
    language = ctx.language
    return _cacheable(render(ctx.request, DETAIL_TEMPLATE, {
        "detail": detail, "warning": detail.warning, "original": detail.original,
        "original_products": detail.original_products, **_helpers(language),
    }))


def _cacheable(response: Response) -> Response:
    """Successful pages for anonymous visitors may be kept a minute by proxies and browsers
    (signed-in pages are `no-store`, set by `render`); they vary with the language."""
    if (response.status_code == 200 and "Cache-Control" not in response.headers
            and "set-cookie" not in response.headers):
        response.headers["Cache-Control"] = PUBLIC_CACHE
        response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@router.get("/warnings/{warning_id:int}", response_class=HTMLResponse)
def warning_by_id(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """A short address (/warnings/42) redirects to the permalink."""
    detail = portal.get_public(ctx.db, _bounded(ctx.request.path_params["warning_id"]),
                               ctx.actor)
    return RedirectResponse(detail.permalink, status_code=301)


def _bounded(warning_id: int) -> int:
    if not 1 <= warning_id <= 2_147_483_647:
        raise NotFound(N_("warning"))
    return warning_id
