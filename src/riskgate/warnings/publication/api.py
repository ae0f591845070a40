"""The public JSON API of warnings: announcements (公告) as the portal shows them, for anyone.

`GET /api/v1/public/warnings` lists them newest first with the portal's filters and cursor
pagination (docs/api.md); `GET /api/v1/public/warnings/{id}` gives one with its products, the
original as published and its follow-ups. Bulletins, notices and unpublished warnings are 404.
Staff names and the enterprises named are left out: the public sees what the portal shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Depends, Query

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.pagination import Page
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId, OutputModel
from riskgate.search.service import MAX_QUERY
from riskgate.warnings.enums import FollowUpKind, PublicState, WarningStatus
from riskgate.warnings.publication import service as portal
from riskgate.warnings.publication.service import PortalFilters

router = api_router(prefix="/api/v1/public", tags=["public warnings"])


class PublicProductOut(OutputModel):
    name: str
    hs_code: str | None
    category: str | None
    brand: str | None
    model: str | None
    batch: str | None
    barcode: str | None


class PublicFollowUpOut(OutputModel):
    sequence: int
    kind: FollowUpKind
    reason: str
    evaluation: str | None
    changes: dict[str, Any]
    level_after: WarningLevel
    created_at: dt.datetime


class PublicWarningOut(OutputModel):
    id: int
    number: str
    title: str
    title_en: str | None
    summary: str | None
    summary_en: str | None
    level: WarningLevel
    warning_type: WarningType
    status: WarningStatus
    in_force: bool
    origin_countries: list[str]
    effective_from: dt.date | None
    effective_until: dt.date | None
    published_at: dt.datetime | None
    closed_at: dt.datetime | None
    follow_up_count: int
    url: str


class PublicWarningDetailOut(PublicWarningOut):
    hazard: str | None
    hazard_class: str | None
    measures: list[str]
    consumer_instructions: str | None
    products: list[PublicProductOut]
    original: dict[str, Any]
    follow_ups: list[PublicFollowUpOut]


def _summary(warning: Any) -> dict[str, Any]:
    return {
        "id": warning.id, "number": warning.number, "title": warning.title,
        "title_en": warning.title_en, "summary": warning.summary,
        "summary_en": warning.summary_en, "level": warning.level,
        "warning_type": warning.warning_type, "status": warning.status,
        "in_force": WarningStatus(warning.status).in_force,
        "origin_countries": list(warning.origin_countries or []),
        "effective_from": warning.effective_from, "effective_until": warning.effective_until,
        "published_at": warning.published_at, "closed_at": warning.closed_at,
        "follow_up_count": warning.follow_up_count, "url": portal.permalink(warning),
    }


def public_original(detail: portal.PublicDetail) -> dict[str, Any]:
    """The warning as first published, without the enterprises named (not public data)."""
    original = detail.original
    original.pop("enterprises", None)
    original.pop("organisation_id", None)
    original.pop("assessment_id", None)
    original.pop("enterprise_instructions", None)
    return original


def portal_filters(
    level: WarningLevel | None = None,
    category: str | None = Query(default=None, max_length=100, description="Product category"),
    country: str | None = Query(default=None, pattern="^[A-Za-z]{2}$",
                                description="Origin country, ISO 3166 alpha-2"),
    date_from: dt.date | None = Query(default=None, description="Published on or after (local)"),
    date_to: dt.date | None = Query(default=None, description="Published on or before (local)"),
    state: PublicState | None = Query(default=None, description="in_force or lifted"),
    q: str | None = Query(
        default=None, max_length=MAX_QUERY,
        description="Search text (Chinese or English words; all must match)"),
) -> PortalFilters:
    return PortalFilters(q=q, level=level, category=category, country=country,
                         date_from=date_from, date_to=date_to, state=state)


@router.get("/warnings", response_model=Page[PublicWarningOut],
            summary="Public warnings (announcements), newest first")
def list_public_warnings(
    filters: PortalFilters = Depends(portal_filters),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.PUBLIC),
) -> Page[PublicWarningOut]:
    rows, next_cursor = portal.list_public(ctx.db, filters, limit=limit, cursor=cursor)
    return Page[PublicWarningOut](
        items=[PublicWarningOut.model_validate(_summary(w)) for w in rows],
        next_cursor=next_cursor)


@router.get("/warnings/{warning_id:int}", response_model=PublicWarningDetailOut,
            summary="One public warning with its original and follow-ups")
def get_public_warning(
    warning_id: IntId, ctx: RequestContext = require(Permission.PUBLIC)
) -> PublicWarningDetailOut:
    detail = portal.get_public(ctx.db, warning_id)
    warning = detail.warning
    return PublicWarningDetailOut.model_validate({
        **_summary(warning),
        "hazard": warning.hazard,
        "hazard_class": str(warning.hazard_class) if warning.hazard_class else None,
        "measures": list(warning.measures or []),
        "consumer_instructions": warning.consumer_instructions,
        "products": [PublicProductOut.model_validate(p) for p in detail.products],
        "original": public_original(detail),
        "follow_ups": [PublicFollowUpOut.model_validate(f) for f in detail.follow_ups],
    })
