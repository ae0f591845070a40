"""Console pages of targeted push: my subscriptions, received warnings with their
acknowledgement (签收), and a warning's delivery log (the `_deliveries.html` partial, which the
warning page includes too)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from riskgate.catalog.warnings_and_measures import warning_level, warning_levels, warning_types
from riskgate.core.db import utcnow
from riskgate.core.http import RequestContext, require
from riskgate.core.i18n import N_
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.outbox.models import WebhookEndpoint
from riskgate.warnings.enums import FollowUpKind, PushChannel
from riskgate.warnings.models import WarningDelivery, WarningSubscription
from riskgate.warnings.push import acknowledgement, subscriptions
from riskgate.warnings.push.audience import subscribable_types
from riskgate.warnings.push.schemas import AcknowledgeIn, SubscriptionIn
from riskgate.web.forms import Form, Submitted, attempt, clean, read_submitted, submit
from riskgate.web.routing import page_router
from riskgate.web.templating import render

router = page_router()

RECEIVED_LIMIT = 200
# Typed as text: codes separated by commas or spaces; categories by commas only (they may hold
# spaces). Levels and types are checkboxes.
CODE_LISTS = ("hs_prefixes", "countries", "regions")
_SPLIT = re.compile(r"[\s,;，；、]+")
_SPLIT_CATEGORIES = re.compile(r"[,;，；、\n]+")


def _choices(language: str) -> dict[str, Any]:
    """Options of the subscription form and the enums the push templates label codes with."""
    return {
        "channels": PushChannel.choices(language),
        "levels": [(e.code.value, e.display(language)) for e in warning_levels()],
        "types": [(e.code.value, e.label(language)) for e in warning_types()],
        "FollowUpKind": FollowUpKind, "warning_level": warning_level,
    }


# --- My subscriptions ----------------------------------------------------------------------


def _subscriptions_page(ctx: RequestContext, form: Form, status_code: int = 200) -> Response:
    rows = ctx.db.execute(subscriptions.subscriptions_statement(ctx.actor)
                          .order_by(WarningSubscription.active.desc(), WarningSubscription.id)
                          ).scalars().all()
    endpoints = ctx.db.execute(select(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id == ctx.actor.organisation_id,
        WebhookEndpoint.active.is_(True)).order_by(WebhookEndpoint.id)).scalars().all()
    # A 通报 is not offered to an enterprise (and refused if posted anyway).
    offered = {kind.value for kind in subscribable_types(
        subscriptions.organisation_type(ctx.db, ctx.actor))}
    choices = _choices(ctx.language)
    choices["types"] = [(code, name) for code, name in choices["types"] if code in offered]
    return render(ctx.request, "console/warnings/push/subscriptions.html", {
        "subscriptions": rows, "form": _beside_fields(form),
        "endpoints": [(e.id, e.description or e.url) for e in endpoints], **choices,
    }, status_code=status_code)


def _beside_fields(form: Form) -> Form:
    """Problems the service finds in one item of a list (`countries/1`) shown beside the input
    the list was typed in."""
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        errors.setdefault(name.split("/")[0], []).extend(messages)
    form.errors = errors
    return form


def subscription_input(submitted: Submitted) -> tuple[Form, dict[str, Any]]:
    """(what the user typed, the input of `SubscriptionIn`): lists typed as text are split."""
    fields = submitted.fields
    values: dict[str, Any] = {name: fields.get(name, "") for name in (
        "name", "channel", "email", "webhook_endpoint_id", "categories", *CODE_LISTS)}
    values["levels"] = submitted.lists.get("levels", [])
    values["warning_types"] = submitted.lists.get("warning_types", [])
    data: dict[str, Any] = {name: values[name] for name in ("levels", "warning_types")}
    for name in ("name", "channel", "email", "webhook_endpoint_id"):
        if (text := clean(values[name])) is not None:
            data[name] = text
    for name in CODE_LISTS:
        data[name] = [part for part in _SPLIT.split(values[name]) if part]
    data["categories"] = [c.strip() for c in _SPLIT_CATEGORIES.split(values["categories"])
                          if c.strip()]
    return Form(values=values), data


@router.get("/console/warnings/subscriptions", response_class=HTMLResponse)
def subscriptions_list(ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)) -> Response:
    return _subscriptions_page(ctx, Form(values={"channel": "inbox", "levels": [],
                                                 "warning_types": []}))


@router.post("/console/warnings/subscriptions", response_class=HTMLResponse)
def subscriptions_create(submitted: Submitted = Depends(read_submitted),
                         ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)) -> Response:
    form, data = subscription_input(submitted)
    return submit(ctx, submitted, SubscriptionIn, form=form, data=data,
                  act=lambda body: subscriptions.create_subscription(ctx.db, ctx.actor,
                                                                     body.model_dump()),
                  done=lambda _: ("/console/warnings/subscriptions",
                                  N_("The subscription was saved.")),
                  again=lambda again, status: _subscriptions_page(ctx, again, status))


@router.post("/console/warnings/subscriptions/{subscription_id:int}/deactivate",
             response_class=HTMLResponse)
def subscriptions_deactivate(subscription_id: IntId,
                             ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)
                             ) -> Response:
    return attempt(ctx,
                   act=lambda: subscriptions.deactivate_subscription(ctx.db, ctx.actor,
                                                                     subscription_id),
                   done=lambda _: ("/console/warnings/subscriptions",
                                   N_("The subscription was deactivated.")),
                   again=lambda form, status: _subscriptions_page(ctx, form, status))


# --- Received warnings ---------------------------------------------------------------------


def _received_page(ctx: RequestContext, *, warning: int | None = None, open_only: bool = False,
                   form: Form | None = None, status_code: int = 200) -> Response:
    stmt = acknowledgement.received_statement(ctx.actor, open_only=open_only, warning_id=warning)
    deliveries = list(ctx.db.execute(stmt.order_by(WarningDelivery.id.desc())
                                     .limit(RECEIVED_LIMIT + 1)).scalars())
    return render(ctx.request, "console/warnings/push/received.html", {
        "rows": acknowledgement.with_warnings(ctx.db, deliveries[:RECEIVED_LIMIT]),
        "truncated": len(deliveries) > RECEIVED_LIMIT, "open_only": open_only,
        "warning_filter": warning, "now": utcnow(), "form": form or Form(),
        **_choices(ctx.language),
    }, status_code=status_code)


@router.get("/console/warnings/received", response_class=HTMLResponse)
def received_list(
    warning: int | None = Query(default=None, ge=1, le=2**31 - 1),
    open_only: bool = False,
    ctx: RequestContext = require(Permission.WARNING_ACKNOWLEDGE),
) -> Response:
    return _received_page(ctx, warning=warning, open_only=open_only)


@router.post("/console/warnings/received/{delivery_id:int}/acknowledge",
             response_class=HTMLResponse)
def received_acknowledge(delivery_id: IntId, submitted: Submitted = Depends(read_submitted),
                         ctx: RequestContext = require(Permission.WARNING_ACKNOWLEDGE)
                         ) -> Response:
    return submit(ctx, submitted, AcknowledgeIn,
                  act=lambda body: acknowledgement.acknowledge(ctx.db, ctx.actor, delivery_id,
                                                               body.note),
                  done=lambda delivery: (
                      f"/console/warnings/received?warning={delivery.warning_id}",
                      N_("Receipt acknowledged.")),
                  again=lambda form, status: _received_page(ctx, form=form, status_code=status))


# --- Delivery log of a warning -------------------------------------------------------------


@router.get("/console/warnings/{warning_id:int}/deliveries", response_class=HTMLResponse)
def deliveries_partial(warning_id: IntId,
                       ctx: RequestContext = require(Permission.WARNING_TRACKING_READ)
                       ) -> Response:
    warning = acknowledgement.issued_warning(ctx.db, ctx.actor, warning_id)
    template = ("console/warnings/push/_deliveries.html" if ctx.request.headers.get(
        "hx-request") == "true" else "console/warnings/push/deliveries.html")
    return render(ctx.request, template, {
        "warning": warning,
        "deliveries": acknowledgement.delivery_summary(ctx.db, ctx.actor, warning),
    })
