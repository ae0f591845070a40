"""JSON routes for the outbox (operations), webhook endpoints and the personal inbox."""

from __future__ import annotations

from fastapi import Query, Response

from riskgate.core.http import RequestContext, api_router, require
from riskgate.core.idempotency import idempotent
from riskgate.core.pagination import Page, paginate
from riskgate.core.permissions import Permission
from riskgate.core.schemas import BigId, IntId
from riskgate.outbox import service
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import InboxMessage, OutboxEvent, WebhookEndpoint
from riskgate.outbox.schemas import (
    InboxMessageOut,
    OutboxEventOut,
    ReplayInput,
    WebhookCreate,
    WebhookCreated,
    WebhookOut,
)

router = api_router(prefix="/api/v1", tags=["outbox"])


@router.get(
    "/outbox/events", response_model=Page[OutboxEventOut], summary="Outbox and dead letters"
)
def list_events(
    status: EventStatus | None = None,
    channel: Channel | None = None,
    topic: str | None = Query(default=None, max_length=100),
    sort: str | None = Query(default=None, description="id, created_at; -desc (default -id)"),
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.OUTBOX_READ),
) -> Page[OutboxEventOut]:
    stmt = service.events_statement(ctx.actor, status=status, channel=channel, topic=topic)
    rows, next_cursor = paginate(
        ctx.db,
        stmt,
        id_column=OutboxEvent.id,
        allowed_sorts={"id": OutboxEvent.id, "created_at": OutboxEvent.created_at},
        sort=sort,
        default_sort="-id",
        limit=limit,
        cursor=cursor,
    )
    return Page(items=[OutboxEventOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/outbox/events/{event_id:int}", response_model=OutboxEventOut)
def get_event(
    event_id: BigId, ctx: RequestContext = require(Permission.OUTBOX_READ)
) -> OutboxEventOut:
    return OutboxEventOut.model_validate(service.get_event(ctx.db, ctx.actor, event_id))


@router.post(
    "/outbox/events/{event_id:int}/replay",
    response_model=OutboxEventOut,
    summary="Queue a dead letter again",
)
def replay_event(
    event_id: BigId, body: ReplayInput, ctx: RequestContext = require(Permission.OUTBOX_REPLAY)
) -> OutboxEventOut:
    return OutboxEventOut.model_validate(
        service.replay_event(ctx.db, ctx.actor, event_id, body.reason)
    )


@router.get("/webhooks", response_model=Page[WebhookOut], summary="My organisation's webhooks")
def list_webhooks(
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.WEBHOOK_MANAGE),
) -> Page[WebhookOut]:
    rows, next_cursor = paginate(
        ctx.db,
        service.webhooks_statement(ctx.actor),
        id_column=WebhookEndpoint.id,
        allowed_sorts={"id": WebhookEndpoint.id},
        sort=None,
        default_sort="id",
        limit=limit,
        cursor=cursor,
    )
    return Page(items=[WebhookOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/webhooks", response_model=WebhookCreated, status_code=201)
def create_webhook(
    body: WebhookCreate, ctx: RequestContext = require(Permission.WEBHOOK_MANAGE)
) -> Response:
    def create() -> WebhookCreated:
        endpoint, secret = service.create_webhook(
            ctx.db, ctx.actor, url=str(body.url), description=body.description, topics=body.topics
        )
        return WebhookCreated(**WebhookOut.model_validate(endpoint).model_dump(), secret=secret)

    return idempotent(ctx, body, create)


@router.delete("/webhooks/{endpoint_id:int}", response_model=WebhookOut)
def deactivate_webhook(
    endpoint_id: IntId, ctx: RequestContext = require(Permission.WEBHOOK_MANAGE)
) -> WebhookOut:
    return WebhookOut.model_validate(service.deactivate_webhook(ctx.db, ctx.actor, endpoint_id))


@router.get("/inbox", response_model=Page[InboxMessageOut], summary="My in-app messages")
def list_inbox(
    unread: bool = False,
    limit: int | None = Query(default=None, ge=1, le=200),
    cursor: str | None = Query(default=None, max_length=500),
    ctx: RequestContext = require(Permission.INBOX_READ),
) -> Page[InboxMessageOut]:
    rows, next_cursor = paginate(
        ctx.db,
        service.inbox_statement(ctx.actor, unread_only=unread),
        id_column=InboxMessage.id,
        allowed_sorts={"id": InboxMessage.id},
        sort=None,
        default_sort="-id",
        limit=limit,
        cursor=cursor,
    )
    return Page(items=[InboxMessageOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/inbox/{message_id:int}/read", response_model=InboxMessageOut)
def mark_read(
    message_id: BigId, ctx: RequestContext = require(Permission.INBOX_READ)
) -> InboxMessageOut:
    return InboxMessageOut.model_validate(service.mark_read(ctx.db, ctx.actor, message_id))
