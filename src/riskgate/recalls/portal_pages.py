"""Portal pages of recalls: the public list (`/recalls`: search by product or brand text,
filters by origin, category and country, newest first, one page at a time) and one recall
(`/recalls/{id}`: product identification, remedy, what consumers should do, progress, the public
warning it follows). Anonymous; public recalls only (`recalls.public_api`)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse, Response

from riskgate.catalog import reference
from riskgate.core.errors import FieldProblem, NotFound, ValidationFailed
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_, gettext
from riskgate.core.permissions import Permission
from riskgate.recalls import public_api
from riskgate.recalls.enums import RecallOrigin
from riskgate.recalls.pages import labels
from riskgate.recalls.public_api import RecallFilters
from riskgate.warnings.publication.service import permalink
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 20
PUBLIC_CACHE = "public, max-age=60"


def _cacheable(response: Response) -> Response:
    """Anonymous pages may be kept a minute by proxies (as the warnings' portal pages)."""
    if (response.status_code == 200 and "Cache-Control" not in response.headers
            and "set-cookie" not in response.headers):
        response.headers["Cache-Control"] = PUBLIC_CACHE
        response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def _country_label(code: str | None, language: str) -> str:
    if not code:
        return ""
    entry = reference.country(code)
    return entry.label(language) if entry else code


@router.get("/recalls", response_class=HTMLResponse)
def recalls_list(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """The public recall list: search box, filters, newest first."""
    params = ctx.request.query_params
    raw = {name: (params.get(name) or "").strip()[:200]
           for name in ("q", "origin", "category", "country")}
    problems: list[FieldProblem] = []
    origin = None
    if raw["origin"]:
        try:
            origin = RecallOrigin(raw["origin"])
        except ValueError:
            problems.append(FieldProblem("origin", N_("Choose a kind of recall from the list.")))
    if raw["country"] and (len(raw["country"]) != 2 or not raw["country"].isalpha()):
        problems.append(FieldProblem("country", N_("Choose a country from the list.")))
    rows: list[Any] = []
    next_cursor = None
    if not problems:
        try:
            rows, next_cursor = public_api.list_public(
                ctx.db, RecallFilters(q=raw["q"] or None, origin=origin,
                                      category=raw["category"] or None,
                                      country=raw["country"] or None),
                limit=PAGE_SIZE, cursor=params.get("cursor") or None)
        except ValidationFailed as error:  # a damaged cursor
            problems = list(error.fields)
    language = ctx.language
    return _cacheable(render(ctx.request, "portal/recalls/list.html", {
        "raw": raw, "rows": rows, "next_cursor": next_cursor,
        "categories": public_api.categories(ctx.db),
        "errors": {p.loc: p.translated(language) for p in problems},
        "country_label": lambda code: _country_label(code, language), **labels(ctx),
    }, status_code=422 if problems else 200))


@router.get("/recalls/{recall_id:int}", response_class=HTMLResponse)
def recall_page(ctx: RequestContext = require(Permission.PUBLIC)) -> Response:
    """One public recall; a draft, a cancelled or a non-public recall is 404."""
    recall_id = ctx.request.path_params["recall_id"]
    if not 1 <= recall_id <= 2_147_483_647:
        raise NotFound(N_("recall"))
    recall = public_api.get_public(ctx.db, recall_id)
    warning = public_api.public_warning(ctx.db, recall)
    language = ctx.language
    return _cacheable(render(ctx.request, "portal/recalls/detail.html", {
        "recall": recall, "warning": warning,
        "warning_link": permalink(warning) if warning else None,
        "country_label": lambda code: _country_label(code, language),
        "remedy_advice": [gettext(REMEDY_ADVICE[r], language) for r in recall.remedies
                          if r in REMEDY_ADVICE],
        **labels(ctx),
    }))


REMEDY_ADVICE = {
    "repair": N_("Stop using the product and contact the enterprise for a free repair."),
    "replace": N_("Stop using the product and contact the enterprise for a free replacement."),
    "refund": N_("Stop using the product and contact the enterprise for a refund."),
}
