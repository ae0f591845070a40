"""Reference catalogue browser: HS codes, countries, hazards, channels, warning levels, places.

Reads the pure, cached loaders of `riskgate.catalog.reference`; nothing here touches the database.
Owners, kinds, measure scopes and port types are labelled enums: the templates write `|label`.
"""

from __future__ import annotations

from typing import Any

from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog import reference as catalog
from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.web.forms import clean
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

HS_RESULTS = 50

SECTIONS = (  # (path, title, description)
    ("hs", N_("HS codes"),
     N_("Harmonized System 2022: sections, chapters, headings and subheadings.")),
    ("countries", N_("Countries and areas"),
     N_("ISO 3166-1 codes with Chinese and English names.")),
    ("hazards", N_("Hazards"), N_("The six hazard classes and their hazard types.")),
    ("channels", N_("Sources and channels"),
     N_("Where risk information comes from and how it arrives.")),
    ("warnings", N_("Warnings and measures"),
     N_("Warning levels, warning types and rapid-response measures.")),
    ("places", N_("Ports and customs districts"),
     N_("Provinces, district customs and ports of entry.")),
)


def _render(ctx: RequestContext, template: str, context: dict[str, Any], section: str
            ) -> Response:
    return render(ctx.request, f"console/catalog/{template}", {
        **context, "catalog_sections": SECTIONS, "section": section,
        "format_hs": catalog.format_hs_code,
    })


@router.get("/console/catalog", response_class=HTMLResponse)
def catalog_home(ctx: RequestContext = require(Permission.CATALOG_READ)) -> Response:
    return _render(ctx, "home.html", {"levels": catalog.warning_levels()}, "")


@router.get("/console/catalog/hs", response_class=HTMLResponse)
def hs_browse(q: str | None = Query(default=None, max_length=100),
              ctx: RequestContext = require(Permission.CATALOG_READ)) -> Response:
    text = clean(q)
    results = catalog.hs_search(text, ctx.language, limit=HS_RESULTS) if text else ()
    sections = [] if text else [(s, catalog.hs_section_chapters(s.code))
                                for s in catalog.hs_sections()]
    return _render(ctx, "hs.html", {"q": text or "", "results": results,
                                    "hs_sections": sections, "limit": HS_RESULTS}, "hs")


@router.get("/console/catalog/hs/{code}", response_class=HTMLResponse)
def hs_entry(code: str, ctx: RequestContext = require(Permission.CATALOG_READ)) -> Response:
    entry = catalog.hs_lookup(code)
    if entry is None:
        raise NotFound(N_("HS code"))
    return _render(ctx, "hs_entry.html", {
        "entry": entry, "ancestors": [a for a in catalog.hs_ancestors(entry.code) if a != entry],
        "children": catalog.hs_children(entry.code),
        "hs_section": catalog.hs_section(entry.section) if entry.section else None,
    }, "hs")


def _matches(country: catalog.Country, needle: str) -> bool:
    haystack = (country.code, country.alpha3, country.numeric, country.name_en, country.name_zh,
                country.name_zh_full, country.official_name_en)
    return any(needle in value.casefold() for value in haystack if value)


@router.get("/console/catalog/countries", response_class=HTMLResponse)
def countries(q: str | None = Query(default=None, max_length=100),
              ctx: RequestContext = require(Permission.CATALOG_READ)) -> Response:
    text = clean(q)
    found = list(catalog.countries())
    if text:
        resolved = catalog.country_lookup(text)  # aliases: "USA", "美国", "Holland"…
        found = [c for c in found if _matches(c, text.casefold()) or c == resolved]
        if resolved is not None:
            found.sort(key=lambda c: c != resolved)
    return _render(ctx, "countries.html", {"q": text or "", "countries": found}, "countries")


@router.get("/console/catalog/hazards", response_class=HTMLResponse)
def hazards(ctx: RequestContext = require(Permission.CATALOG_READ)) -> Response:
    classes = [(c, catalog.hazard_types(c.code)) for c in catalog.hazard_classes()]
    return _render(ctx, "hazards.html", {"classes": classes}, "hazards")


@router.get("/console/catalog/channels", response_class=HTMLResponse)
def channels(ctx: RequestContext = require(Permission.CATALOG_READ)) -> Response:
    return _render(ctx, "channels.html", {"channels": catalog.source_channels()}, "channels")


@router.get("/console/catalog/warnings", response_class=HTMLResponse)
def warnings(ctx: RequestContext = require(Permission.CATALOG_READ)) -> Response:
    return _render(ctx, "warnings.html", {
        "levels": catalog.warning_levels(), "types": catalog.warning_types(),
        "measures": catalog.measure_types(),
    }, "warnings")


@router.get("/console/catalog/places", response_class=HTMLResponse)
def places(ctx: RequestContext = require(Permission.CATALOG_READ)) -> Response:
    districts = catalog.customs_districts()
    return _render(ctx, "places.html", {
        "provinces": {p.code: p for p in catalog.provinces()},
        "districts": districts, "district_names": {d.code: d for d in districts},
        "ports": catalog.ports(),
    }, "places")
