"""Writing events to the outbox, and the console's view of it (dead letters, replay).

Producers call these inside their own transaction; nothing is sent until it commits. Delivery is
the worker's job (riskgate.outbox.worker).
"""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.core.context import Actor
from riskgate.core.db import bulk_insert, utcnow
from riskgate.core.errors import Conflict, NotFound
from riskgate.core.i18n import N_
from riskgate.core.workflow import move
from riskgate.identity.models import User
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.outbox.enums import Channel, EventStatus
from riskgate.outbox.models import InboxMessage, OutboxAttempt, OutboxEvent, WebhookEndpoint
from riskgate.outbox.workflow import DELIVERY_FLOW


def enqueue(
    db: Session,
    *,
    channel: Channel,
    topic: str,
    target: str,
    payload: dict[str, Any],
    organisation_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxEvent | None:
    """Add one delivery; with a dedupe_key already present, do nothing and return None."""
    if dedupe_key is not None and db.execute(
        select(OutboxEvent.id).where(OutboxEvent.dedupe_key == dedupe_key)
    ).first():
        return None
    event = OutboxEvent(
        channel=channel, topic=topic, target=target, payload=payload,
        organisation_id=organisation_id, dedupe_key=dedupe_key,
        status=EventStatus.PENDING, next_attempt_at=utcnow(),
    )
    db.add(event)
    db.flush()
    db.info["outbox_dirty"] = True  # the in-process worker wakes up after commit
    return event


def enqueue_many(db: Session, rows: list[dict[str, Any]]) -> int:
    """Add many deliveries in one bulk insert (a fan-out of thousands); returns how many.

    Each row has channel, topic, target, payload, organisation_id and dedupe_key (required here:
    rows whose key is already present are skipped, so a repeated fan-out adds nothing).
    """
    if not rows:
        return 0
    keys = [row["dedupe_key"] for row in rows]
    present: set[str | None] = set()
    for start in range(0, len(keys), 1000):
        present.update(db.execute(select(OutboxEvent.dedupe_key).where(
            OutboxEvent.dedupe_key.in_(keys[start:start + 1000]))).scalars())
    now = utcnow()
    fresh = [
        {"uid": str(uuid.uuid4()), "channel": row["channel"], "topic": row["topic"],
         "target": row["target"], "payload": row["payload"],
         "organisation_id": row.get("organisation_id"), "dedupe_key": row["dedupe_key"],
         "status": EventStatus.PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now}
        for row in rows if row["dedupe_key"] not in present
    ]
    if fresh:
        db.flush()
        # A mapped class's __table__ is its Table (typed as the wider FromClause).
        bulk_insert(db, OutboxEvent.__table__, fresh)  # type: ignore[arg-type]
        db.info["outbox_dirty"] = True
    return len(fresh)


def notify_user(
    db: Session,
    user: User,
    *,
    topic: str,
    subject: str,
    body: str,
    params: dict[str, Any] | None = None,
    link: str | None = None,
    dedupe_key: str | None = None,
) -> list[OutboxEvent]:
    """Tell a user through their inbox and, if they have an address, by e-mail.

    Subject and body are message ids, translated into the user's language at delivery.
    """
    payload = {"subject": subject, "body": body, "params": params or {}, "link": link,
               "language": user.language}
    events = [
        enqueue(db, channel=Channel.INBOX, topic=topic, target=str(user.id), payload=payload,
                organisation_id=user.organisation_id,
                dedupe_key=f"{dedupe_key}:inbox" if dedupe_key else None)
    ]
    if user.email:
        events.append(
            enqueue(db, channel=Channel.EMAIL, topic=topic, target=user.email, payload=payload,
                    organisation_id=user.organisation_id,
                    dedupe_key=f"{dedupe_key}:email" if dedupe_key else None)
        )
    return [e for e in events if e is not None]


def notify_webhooks(
    db: Session, organisation_id: int, *, topic: str, data: dict[str, Any],
    dedupe_key: str | None = None,
) -> list[OutboxEvent]:
    """Queue a signed POST of `data` to each active endpoint of the organisation that wants it."""
    endpoints = db.execute(
        select(WebhookEndpoint).where(
            WebhookEndpoint.organisation_id == organisation_id, WebhookEndpoint.active.is_(True)
        )
    ).scalars()
    events = []
    for endpoint in endpoints:
        if endpoint.wants(topic):
            event = enqueue(
                db, channel=Channel.WEBHOOK, topic=topic, target=str(endpoint.id),
                payload={"type": topic, "data": data}, organisation_id=organisation_id,
                dedupe_key=f"{dedupe_key}:webhook:{endpoint.id}" if dedupe_key else None,
            )
            if event is not None:
                events.append(event)
    return events


def events_statement(actor: Actor, *, status: EventStatus | None = None,
                     channel: Channel | None = None, topic: str | None = None) -> Select[Any]:
    stmt = scoped(select(OutboxEvent), actor, OutboxEvent.organisation_id)
    if status is not None:
        stmt = stmt.where(OutboxEvent.status == status)
    if channel is not None:
        stmt = stmt.where(OutboxEvent.channel == channel)
    if topic:
        stmt = stmt.where(OutboxEvent.topic == topic)
    return stmt


def get_event(db: Session, actor: Actor, event_id: int) -> OutboxEvent:
    return get_in_scope(db, OutboxEvent, event_id, actor, OutboxEvent.organisation_id,
                        object_name=N_("outbox event"))


def replay_event(db: Session, actor: Actor, event_id: int, reason: str | None) -> OutboxEvent:
    """Put a dead letter back in the queue with a fresh attempt budget."""
    event = get_event(db, actor, event_id)
    if event.status != EventStatus.DEAD:
        # Said in the outbox's own words (the status as the worker writes it), before the move
        # would refuse it as a transition.
        raise Conflict(N_("Only dead letters can be replayed; this event is {status}."),
                       status=event.status.value)
    # The status and the fresh attempt budget are audited; the schedule and the lock are set
    # beside the move, not audited (as before the workflow primitive).
    move(db, DELIVERY_FLOW, event, EventStatus.PENDING, actor=actor, action="outbox.replayed",
         reason=reason, attempts=0)
    event.next_attempt_at = utcnow()
    event.locked_by = None
    event.locked_until = None
    db.info["outbox_dirty"] = True
    return event


# --- Webhook endpoints ---------------------------------------------------------------------


def create_webhook(db: Session, actor: Actor, *, url: str, description: str | None,
                   topics: list[str]) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint for the actor's organisation; the signing secret is shown once."""
    # Standard Webhooks form: the key is the 32 random bytes behind the base64.
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    endpoint = WebhookEndpoint(
        organisation_id=actor.organisation_id, url=url, secret=secret, description=description,
        topics=" ".join(sorted(set(topics))) or "*", active=True,
    )
    db.add(endpoint)
    db.flush()
    audit.record(db, actor, "webhook.created", object_type="webhook_endpoint",
                 object_id=endpoint.id, after={"url": url, "topics": endpoint.topics})
    return endpoint, secret


def webhooks_statement(actor: Actor) -> Select[Any]:
    return scoped(select(WebhookEndpoint), actor, WebhookEndpoint.organisation_id)


def deactivate_webhook(db: Session, actor: Actor, endpoint_id: int) -> WebhookEndpoint:
    endpoint = get_in_scope(db, WebhookEndpoint, endpoint_id, actor,
                            WebhookEndpoint.organisation_id, object_name=N_("webhook endpoint"))
    if endpoint.active:
        endpoint.active = False
        audit.record(db, actor, "webhook.deactivated", object_type="webhook_endpoint",
                     object_id=endpoint.id, before={"active": True}, after={"active": False},
                     organisation_id=endpoint.organisation_id)
    return endpoint


# --- Inbox ---------------------------------------------------------------------------------


def inbox_statement(actor: Actor, *, unread_only: bool = False) -> Select[Any]:
    stmt = select(InboxMessage).where(InboxMessage.user_id == actor.user_id)
    if unread_only:
        stmt = stmt.where(InboxMessage.read_at.is_(None))
    return stmt


def mark_read(db: Session, actor: Actor, message_id: int) -> InboxMessage:
    """One of the actor's own messages, marked read (the first time)."""
    message = db.execute(
        select(InboxMessage).where(InboxMessage.id == message_id,
                                   InboxMessage.user_id == actor.user_id)
    ).scalar_one_or_none()
    if message is None:
        raise NotFound(N_("message"))
    if message.read_at is None:
        # Reading one's own message is not a state change worth an audit entry.
        message.read_at = utcnow()
    return message


def unread_count(db: Session, actor: Actor) -> int:
    return db.execute(
        select(func.count()).select_from(InboxMessage).where(
            InboxMessage.user_id == actor.user_id, InboxMessage.read_at.is_(None))
    ).scalar_one()


def event_attempts(db: Session, actor: Actor, event_id: int
                   ) -> tuple[OutboxEvent, list[OutboxAttempt]]:
    """An event the actor may see, with its delivery log (oldest attempt first)."""
    event = get_event(db, actor, event_id)
    attempts = list(
        db.execute(
            select(OutboxAttempt)
            .where(OutboxAttempt.event_id == event.id)
            .order_by(OutboxAttempt.attempt, OutboxAttempt.id)
        ).scalars()
    )
    return event, attempts
