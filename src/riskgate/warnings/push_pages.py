"""Console pages of targeted push: my subscriptions, received warnings with their
acknowledgement (签收), and a warning's delivery log (the `_deliveries.html` partial).

Imported by `web/pages.py` before the pages with `/console/warnings/{warning_id}`, so that
`/console/warnings/received` and `/console/warnings/subscriptions` are not taken for ids.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Form as FormField
from fastapi import Query
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.catalog.warnings_and_measures import warning_level, warning_type
from riskgate.core.errors import DomainError
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import gettext
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.outbox.models import WebhookEndpoint
from riskgate.warnings import acknowledgement, subscriptions
from riskgate.warnings.enums import (
    DELIVERY_STATE_LABELS,
    FOLLOW_UP_KIND_LABELS,
    PUSH_CHANNEL_LABELS,
    PushChannel,
)
from riskgate.warnings.models import PublicWarning, WarningSubscription
from riskgate.warnings.push_schemas import SubscriptionIn
from riskgate.web.flash import redirect
from riskgate.web.forms import Form, apply_domain_error, clean, parse
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

SUBSCRIPTION_FIELDS = ("name", "channel", "email", "webhook_endpoint_id", "hs_prefixes",
                       "categories", "countries", "levels", "warning_types", "regions")
_SPLIT = re.compile(r"[\s,;，；、]+")


def _codes(text: str | None) -> list[str]:
    return [part for part in _SPLIT.split(text or "") if part]


def _labels(language: str) -> dict[str, Any]:
    return {
        "channels": [(c.value, gettext(PUSH_CHANNEL_LABELS[c], language)) for c in PushChannel],
        "levels": [(lv.value, warning_level(lv.value).display(language)) for lv in WarningLevel],
        "types": [(t.value, warning_type(t.value).label(language)) for t in WarningType],
        "state_labels": {s.value: gettext(label, language)
                         for s, label in DELIVERY_STATE_LABELS.items()},
        "kind_labels": {k.value: gettext(label, language)
                        for k, label in FOLLOW_UP_KIND_LABELS.items()},
    }


# --- My subscriptions ----------------------------------------------------------------------


def _subscriptions_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    rows = ctx.db.execute(subscriptions.subscriptions_statement(ctx.actor)
                          .order_by(WarningSubscription.active.desc(), WarningSubscription.id)
                          ).scalars().all()
    endpoints = ctx.db.execute(select(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id == ctx.actor.organisation_id,
        WebhookEndpoint.active.is_(True)).order_by(WebhookEndpoint.id)).scalars().all()
    return render(ctx.request, "console/warnings/push/subscriptions.html", {
        "subscriptions": rows, "form": form,
        "endpoints": [(e.id, e.description or e.url) for e in endpoints], **_labels(ctx.language),
    }, status_code=status_code)


@router.get("/console/warnings/subscriptions", response_class=HTMLResponse)
def subscriptions_list(ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)) -> Response:
    return _subscriptions_page(ctx, Form(values={"channel": "inbox", "levels": [],
                                                 "warning_types": []}))


@router.post("/console/warnings/subscriptions", response_class=HTMLResponse)
def subscriptions_create(
    name: str = FormField(default="", max_length=400),
    channel: str = FormField(default="inbox", max_length=20),
    email: str = FormField(default="", max_length=254),
    webhook_endpoint_id: str = FormField(default="", max_length=12),
    hs_prefixes: str = FormField(default="", max_length=2000),
    categories: str = FormField(default="", max_length=4000),
    countries: str = FormField(default="", max_length=2000),
    regions: str = FormField(default="", max_length=4000),
    levels: list[str] = FormField(default=[], max_length=4),
    warning_types: list[str] = FormField(default=[], max_length=3),
    ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE),
) -> Response:
    values = {"name": name, "channel": channel, "email": email,
              "webhook_endpoint_id": webhook_endpoint_id, "hs_prefixes": hs_prefixes,
              "categories": categories, "countries": countries, "regions": regions,
              "levels": levels, "warning_types": warning_types}
    form = Form(values=values)
    data = {"name": clean(name) or "", "channel": clean(channel) or "inbox",
            "email": clean(email),
            "webhook_endpoint_id": int(webhook_endpoint_id) if webhook_endpoint_id.isdigit()
            else clean(webhook_endpoint_id),
            "hs_prefixes": _codes(hs_prefixes),
            "categories": [c.strip() for c in re.split(r"[,;，；、\n]+", categories) if c.strip()],
            "countries": _codes(countries), "regions": _codes(regions),
            "levels": levels, "warning_types": warning_types}
    if not data["name"]:
        form.add("name", gettext("This field is required.", ctx.language))
    body = parse(form, SubscriptionIn, data, ctx.language)
    created = None
    try:
        if body is not None:
            created = subscriptions.create_subscription(ctx.db, ctx.actor, body.model_dump())
    except DomainError as error:
        apply_domain_error(form, error, ctx.language, SUBSCRIPTION_FIELDS)
    if created is None or form.invalid:
        ctx.db.rollback()
        return _subscriptions_page(ctx, form, 422)
    return redirect(ctx.request, "/console/warnings/subscriptions",
                    gettext("The subscription was saved.", ctx.language))


@router.post("/console/warnings/subscriptions/{subscription_id:int}/deactivate",
             response_class=HTMLResponse)
def subscriptions_deactivate(subscription_id: IntId,
                             ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)
                             ) -> Response:
    subscriptions.deactivate_subscription(ctx.db, ctx.actor, subscription_id)
    return redirect(ctx.request, "/console/warnings/subscriptions",
                    gettext("The subscription was deactivated.", ctx.language))


# --- Received warnings ---------------------------------------------------------------------


@router.get("/console/warnings/received", response_class=HTMLResponse)
def received_list(
    warning: int | None = Query(default=None, ge=1, le=2**31 - 1),
    open_only: bool = False,
    ctx: RequestContext = require(Permission.WARNING_ACKNOWLEDGE),
) -> Response:
    stmt = acknowledgement.received_statement(ctx.actor, open_only=open_only, warning_id=warning)
    deliveries = list(ctx.db.execute(stmt.order_by(acknowledgement.WarningDelivery.id.desc())
                                     .limit(201)).scalars())
    truncated = len(deliveries) > 200
    return render(ctx.request, "console/warnings/push/received.html", {
        "rows": acknowledgement.with_warnings(ctx.db, deliveries[:200]),
        "truncated": truncated, "open_only": open_only, "warning_filter": warning,
        "now": acknowledgement.utcnow(), **_labels(ctx.language),
    })


@router.post("/console/warnings/received/{delivery_id:int}/acknowledge",
             response_class=HTMLResponse)
def received_acknowledge(
    delivery_id: IntId,
    note: str = FormField(default="", max_length=2000),
    ctx: RequestContext = require(Permission.WARNING_ACKNOWLEDGE),
) -> Response:
    delivery = acknowledgement.acknowledge(ctx.db, ctx.actor, delivery_id, clean(note))
    return redirect(ctx.request, f"/console/warnings/received?warning={delivery.warning_id}",
                    gettext("Receipt acknowledged.", ctx.language))


# --- Delivery log of a warning -------------------------------------------------------------


@router.get("/console/warnings/{warning_id:int}/deliveries", response_class=HTMLResponse)
def deliveries_partial(warning_id: IntId,
                       ctx: RequestContext = require(Permission.WARNING_TRACKING_READ)
                       ) -> Response:
    warning = acknowledgement._issued_warning(ctx.db, ctx.actor, warning_id)
    template = ("console/warnings/push/_deliveries.html" if ctx.request.headers.get(
        "hx-request") == "true" else "console/warnings/push/deliveries.html")
    return render(ctx.request, template, {
        "warning": warning,
        "deliveries": acknowledgement.delivery_summary(ctx.db, ctx.actor, warning),
        **_labels(ctx.language),
    })


def deliveries_context(db: Any, actor: Any, warning: PublicWarning,
                       language: str) -> dict[str, Any]:
    """What `_deliveries.html` needs, for the console helper's warning page."""
    return {"deliveries": acknowledgement.delivery_summary(db, actor, warning),
            **_labels(language)}
