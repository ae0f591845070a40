"""The reference catalogue over HTTP: open to everyone, including the public portal."""

from __future__ import annotations

from fastapi import Query

from riskgate.catalog import reference
from riskgate.catalog.channels import ChannelEntry
from riskgate.catalog.countries import Country
from riskgate.catalog.enums import HazardClass, MeasureScope, SourceOwner
from riskgate.catalog.geography import CustomsDistrict, Port, Region
from riskgate.catalog.hazards import HazardClassEntry, HazardTypeEntry
from riskgate.catalog.hs import HsEntry, HsSection
from riskgate.catalog.warnings_and_measures import MeasureEntry, WarningLevelEntry, WarningTypeEntry
from riskgate.core.errors import NotFound
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import OutputModel

router = api_router(prefix="/api/v1/catalog", tags=["catalogue"])


class HsDetail(OutputModel):
    entry: HsEntry
    ancestors: list[HsEntry]
    children: list[HsEntry]
    section: HsSection | None


class CountryResolution(OutputModel):
    query: str
    country: Country | None


@router.get("/hs-sections", response_model=list[HsSection], summary="HS 2022 sections")
def hs_sections(ctx: RequestContext = require(Permission.CATALOG_READ)) -> list[HsSection]:
    return list(reference.hs_sections())


@router.get("/hs", response_model=list[HsEntry], summary="Search HS 2022 codes")
def hs_search(
    q: str | None = Query(
        default=None,
        max_length=100,
        description="Code or words (Chinese or English); empty: the chapters",
    ),
    limit: int = Query(default=20, ge=1, le=200),
    ctx: RequestContext = require(Permission.CATALOG_READ),
) -> list[HsEntry]:
    if not q or not q.strip():
        return list(reference.hs_chapters())[:limit]
    code = reference.normalise_hs_code(q)
    if code is not None and (entry := reference.hs_lookup(code)) is not None:
        return [entry, *reference.hs_children(code)][:limit]
    return list(reference.hs_search(q, ctx.language, limit=limit))


@router.get("/hs/{code}", response_model=HsDetail, summary="One HS code with its hierarchy")
def hs_detail(code: str, ctx: RequestContext = require(Permission.CATALOG_READ)) -> HsDetail:
    entry = reference.hs_lookup(code)
    if entry is None:
        raise NotFound(N_("HS code"))
    return HsDetail(
        entry=entry,
        ancestors=list(reference.hs_ancestors(entry.code)),
        children=list(reference.hs_children(entry.code)),
        section=reference.hs_section(entry.code),
    )


@router.get("/countries", response_model=list[Country], summary="Countries and territories")
def countries(
    q: str | None = Query(default=None, max_length=100, description="Filter by name or code"),
    ctx: RequestContext = require(Permission.CATALOG_READ),
) -> list[Country]:
    entries = reference.countries()
    if not q or not q.strip():
        return list(entries)
    needle = q.strip().lower()
    return [
        c
        for c in entries
        if needle in c.name_en.lower()
        or needle in c.name_zh
        or needle == c.code.lower()
        or needle == c.alpha3.lower()
    ]


@router.get(
    "/countries/resolve",
    response_model=CountryResolution,
    summary="Resolve a country name in any common spelling to ISO 3166",
)
def resolve_country(
    name: str = Query(min_length=1, max_length=200),
    ctx: RequestContext = require(Permission.CATALOG_READ),
) -> CountryResolution:
    return CountryResolution(query=name, country=reference.country_lookup(name))


@router.get("/hazard-classes", response_model=list[HazardClassEntry])
def hazard_classes(
    ctx: RequestContext = require(Permission.CATALOG_READ),
) -> list[HazardClassEntry]:
    return list(reference.hazard_classes())


@router.get("/hazard-types", response_model=list[HazardTypeEntry])
def hazard_types(
    hazard_class: HazardClass | None = None, ctx: RequestContext = require(Permission.CATALOG_READ)
) -> list[HazardTypeEntry]:
    return list(reference.hazard_types(hazard_class))


@router.get(
    "/source-channels",
    response_model=list[ChannelEntry],
    summary="Sources and collection channels of risk information (M2, M3)",
)
def source_channels(
    owner: SourceOwner | None = None, ctx: RequestContext = require(Permission.CATALOG_READ)
) -> list[ChannelEntry]:
    return list(reference.channels_owned_by(owner) if owner else reference.source_channels())


@router.get(
    "/measure-types", response_model=list[MeasureEntry], summary="Rapid-response measures (R2)"
)
def measure_types(
    scope: MeasureScope | None = None, ctx: RequestContext = require(Permission.CATALOG_READ)
) -> list[MeasureEntry]:
    return list(reference.measures_for_scope(scope) if scope else reference.measure_types())


@router.get("/warning-levels", response_model=list[WarningLevelEntry], summary="Levels I–IV (W1)")
def warning_levels(
    ctx: RequestContext = require(Permission.CATALOG_READ),
) -> list[WarningLevelEntry]:
    return list(reference.warning_levels())


@router.get("/warning-types", response_model=list[WarningTypeEntry], summary="Warning types (W2)")
def warning_types(ctx: RequestContext = require(Permission.CATALOG_READ)) -> list[WarningTypeEntry]:
    return list(reference.warning_types())


@router.get("/regions", response_model=list[Region], summary="Administrative divisions (GB/T 2260)")
def regions(
    parent: str | None = Query(
        default=None,
        pattern=r"^\d{6}$",
        description="Children of this division; empty: the provinces",
    ),
    ctx: RequestContext = require(Permission.CATALOG_READ),
) -> list[Region]:
    return list(reference.region_children(parent) if parent else reference.provinces())


@router.get("/ports", response_model=list[Port], summary="Ports of entry")
def ports(ctx: RequestContext = require(Permission.CATALOG_READ)) -> list[Port]:
    return list(reference.ports())


@router.get(
    "/customs-districts",
    response_model=list[CustomsDistrict],
    summary="District customs (直属海关)",
)
def customs_districts(
    ctx: RequestContext = require(Permission.CATALOG_READ),
) -> list[CustomsDistrict]:
    return list(reference.customs_districts())
