"""The console list of risk records: search, filters and export.

The list takes the same filters as `GET /api/v1/records` and calls the same search service;
the export buttons link to `GET /api/v1/records/export` with the current filters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Query
from fastapi.responses import HTMLResponse, Response

from riskgate.catalog import reference
from riskgate.catalog.enums import HazardClass, SourceChannel
from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.permissions import Permission
from riskgate.identity.exchange import service as exchange
from riskgate.records.models import RiskRecord
from riskgate.records.pages import catalogue_label
from riskgate.search import service as search
from riskgate.search.service import MAX_QUERY, RecordFilters
from riskgate.web.forms import Form, apply_domain_error, clean
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

PAGE_SIZE = 25


def _choice(form: Form, name: str, value: str | None, enum: type, lang: str) -> Any:
    value = clean(value)
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        form.add(name, gettext("Choose a value from the list.", lang))
        return None


def _date(form: Form, name: str, value: str | None, lang: str) -> dt.date | None:
    value = clean(value)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        form.add(name, gettext("Must be a date (YYYY-MM-DD).", lang))
        return None


def _filters(form: Form, lang: str) -> RecordFilters:
    values = form.values
    country = clean(values.get("country"))
    if country and (len(country) != 2 or not country.isalpha()):
        form.add("country", gettext("Choose a value from the list.", lang))
        country = None
    hs_prefix = clean(values.get("hs_prefix"))
    if hs_prefix and not (hs_prefix.isdigit() and 2 <= len(hs_prefix) <= 10):
        form.add("hs_prefix", gettext("Enter 2 to 10 digits of an HS code.", lang))
        hs_prefix = None
    return RecordFilters(
        channel=_choice(form, "channel", values.get("channel"), SourceChannel, lang),
        hazard_class=_choice(form, "hazard_class", values.get("hazard_class"), HazardClass, lang),
        country=country, hs_prefix=hs_prefix,
        occurred_from=_date(form, "occurred_from", values.get("occurred_from"), lang),
        occurred_to=_date(form, "occurred_to", values.get("occurred_to"), lang),
        enterprise=clean(values.get("enterprise")),
    )  # fmt: skip


@router.get("/console/records", response_class=HTMLResponse)
def records_list(
    q: str | None = Query(default=None, max_length=MAX_QUERY),
    channel: str | None = Query(default=None, max_length=60),
    hazard_class: str | None = Query(default=None, max_length=30),
    country: str | None = Query(default=None, max_length=2),
    hs_prefix: str | None = Query(default=None, max_length=10),
    occurred_from: str | None = Query(default=None, max_length=10),
    occurred_to: str | None = Query(default=None, max_length=10),
    enterprise: str | None = Query(default=None, max_length=300),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.RECORD_READ),
) -> Response:
    values = {"q": q, "channel": channel, "hazard_class": hazard_class, "country": country,
              "hs_prefix": hs_prefix, "occurred_from": occurred_from,
              "occurred_to": occurred_to, "enterprise": enterprise}  # fmt: skip
    form = Form(values=values)
    filters = _filters(form, ctx.language)
    rows: list[RiskRecord] = []
    next_cursor = None
    status = 200
    if form.errors:
        form.message = gettext("Some fields are invalid; see the field errors.", ctx.language)
        status = 422
    else:
        # A GET list, not a form post: a stale or tampered cursor shows the list page again
        # with the service's message on top (422), which the form path (a POST that redirects
        # on success) does not do.
        try:
            rows, next_cursor = search.list_records(
                ctx.db, ctx.actor, q, filters, limit=PAGE_SIZE, cursor=cursor)
        except DomainError as error:
            apply_domain_error(form, error, ctx.language)
            status = 422
    return render(ctx.request, "console/records/list.html", {
        "form": form, "records": rows, "next_cursor": next_cursor,
        "filtered": any(clean(v) for v in values.values()),
        "ranked": bool(clean(q)),
        "channels": reference.source_channels(), "hazard_classes": reference.hazard_classes(),
        "can_export": ctx.actor.can(Permission.RECORD_EXPORT) and not form.errors,
        "export_query": {k: v for k, v in values.items() if clean(v)},
        "label": catalogue_label,
        "origins": exchange.origins(ctx.db, ctx.actor, rows, ctx.language),
    }, status_code=status)  # fmt: skip
