"""JSON routes of targeted push: my subscriptions, what I received, acknowledging a delivery,
and a warning's delivery log for its issuer. (Ids in paths are `:int`, so
`/api/v1/warnings/received` is never taken for a warning id.)
"""

from __future__ import annotations

from fastapi import Query, Response

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import IntId
from riskgate.warnings.enums import DeliveryState
from riskgate.warnings.models import WarningDelivery, WarningSubscription
from riskgate.warnings.push import acknowledgement, subscriptions
from riskgate.warnings.push.schemas import (
    AcknowledgeIn,
    DeliveryOut,
    ReceivedOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)

router = api_router(prefix="/api/v1", tags=["warning push"])


# --- Subscriptions -------------------------------------------------------------------------


@router.get("/warning-subscriptions", response_model=Page[SubscriptionOut],
            summary="My warning subscriptions")
def list_subscriptions(
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE),
) -> Page[SubscriptionOut]:
    rows, next_cursor = paginate(
        ctx.db, subscriptions.subscriptions_statement(ctx.actor), id_column=WarningSubscription.id,
        allowed_sorts={"id": WarningSubscription.id}, sort=None, default_sort="id", limit=limit,
        cursor=cursor,
    )  # fmt: skip
    return Page(items=[SubscriptionOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/warning-subscriptions", response_model=SubscriptionOut, status_code=201,
             summary="Subscribe to warnings (精准推送)")
def create_subscription(body: SubscriptionIn,
                        ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)) -> Response:
    def create() -> SubscriptionOut:
        created = subscriptions.create_subscription(ctx.db, ctx.actor, body.model_dump())
        return SubscriptionOut.model_validate(created)

    return idempotent(ctx, body, create)


@router.get("/warning-subscriptions/{subscription_id:int}", response_model=SubscriptionOut)
def get_subscription(subscription_id: IntId,
                     ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)
                     ) -> SubscriptionOut:
    return SubscriptionOut.model_validate(
        subscriptions.get_subscription(ctx.db, ctx.actor, subscription_id))


@router.patch("/warning-subscriptions/{subscription_id:int}", response_model=SubscriptionOut)
def update_subscription(subscription_id: IntId, body: SubscriptionPatch,
                        ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)
                        ) -> SubscriptionOut:
    changes = body.model_dump(exclude_unset=True)
    return SubscriptionOut.model_validate(
        subscriptions.update_subscription(ctx.db, ctx.actor, subscription_id, changes))


@router.delete("/warning-subscriptions/{subscription_id:int}", response_model=SubscriptionOut,
               summary="Deactivate a subscription (kept for the delivery log)")
def deactivate_subscription(subscription_id: IntId,
                            ctx: RequestContext = require(Permission.WARNING_SUBSCRIBE)
                            ) -> SubscriptionOut:
    return SubscriptionOut.model_validate(
        subscriptions.deactivate_subscription(ctx.db, ctx.actor, subscription_id))


# --- Received warnings and acknowledgement -------------------------------------------------


@router.get("/warnings/received", response_model=Page[ReceivedOut],
            summary="Warnings pushed to me or my organisation")
def received(
    open_only: bool = False,
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.WARNING_ACKNOWLEDGE),
) -> Page[ReceivedOut]:
    rows, next_cursor = paginate(
        ctx.db, acknowledgement.received_statement(ctx.actor, open_only=open_only),
        id_column=WarningDelivery.id, allowed_sorts={"id": WarningDelivery.id}, sort=None,
        default_sort="-id", limit=limit, cursor=cursor,
    )  # fmt: skip
    items = [
        ReceivedOut.model_validate({
            **DeliveryOut.model_validate(delivery).model_dump(),
            "number": warning.number, "title": warning.title, "level": warning.level,
            "warning_type": warning.warning_type, "follow_up_kind": kind})
        for delivery, warning, kind in acknowledgement.with_warnings(ctx.db, rows)
    ]
    return Page(items=items, next_cursor=next_cursor)


@router.post("/warning-deliveries/{delivery_id:int}/acknowledge", response_model=DeliveryOut,
             summary="Acknowledge receipt of a warning (签收)")
def acknowledge(delivery_id: IntId, body: AcknowledgeIn | None = None,
                ctx: RequestContext = require(Permission.WARNING_ACKNOWLEDGE)) -> DeliveryOut:
    delivery = acknowledgement.acknowledge(ctx.db, ctx.actor, delivery_id,
                                           body.note if body else None)
    return DeliveryOut.model_validate(delivery)


@router.get("/warnings/{warning_id:int}/deliveries", response_model=Page[DeliveryOut],
            summary="Delivery log of a warning my organisation issued")
def deliveries(
    warning_id: IntId,
    state: DeliveryState | None = None,
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.WARNING_TRACKING_READ),
) -> Page[DeliveryOut]:
    stmt = acknowledgement.deliveries_statement(ctx.db, ctx.actor, warning_id)
    if state:
        stmt = stmt.where(WarningDelivery.state == state)
    rows, next_cursor = paginate(
        ctx.db, stmt, id_column=WarningDelivery.id, allowed_sorts={"id": WarningDelivery.id},
        sort=None, default_sort="id", limit=limit, cursor=cursor,
    )  # fmt: skip
    statuses = acknowledgement.outbox_statuses(ctx.db, rows)
    return Page(items=[DeliveryOut.model_validate(r).model_copy(
        update={"outbox_status": str(statuses[r.id]) if r.id in statuses else None})
        for r in rows], next_cursor=next_cursor)
