"""The outbox: events written in the same transaction as the change that causes them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.core.db import Base, string_enum, utcnow
from riskgate.outbox.enums import Channel, EventStatus

_BIGINT = BigInteger().with_variant(Integer, "sqlite")


class OutboxEvent(Base):
    """One delivery to do: a message to one target through one channel.

    `uid` travels with the delivery (e-mail Message-ID, webhook-id header, inbox row) so that
    receivers can drop the duplicates that at-least-once delivery may produce.
    """

    __tablename__ = "outbox_event"
    __table_args__ = (
        Index("ix_outbox_event_due", "status", "next_attempt_at"),
        Index("ix_outbox_event_org_status", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    topic: Mapped[str] = mapped_column(String(100), index=True)
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, 20, validate_strings=False))
    target: Mapped[str] = mapped_column(String(300))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[EventStatus] = mapped_column(
        string_enum(EventStatus, 20, validate_strings=False), default=EventStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(100))
    locked_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]


class OutboxAttempt(Base):
    """The delivery log: one row per attempt, kept after success."""

    __tablename__ = "outbox_attempt"

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_event.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime]
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)


class InboxMessage(Base):
    """An in-app message. `event_uid` is unique: delivering an event twice cannot show it twice."""

    __tablename__ = "inbox_message"

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    event_uid: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]


class WebhookEndpoint(Base):
    """An organisation's HTTP endpoint; deliveries are signed with its secret (HMAC-SHA256)."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(300))
    topics: Mapped[str] = mapped_column(String(1000), default="*")  # space-separated, or *
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def wants(self, topic: str) -> bool:
        wanted = self.topics.split()
        return (
            "*" in wanted
            or topic in wanted
            or any(w.endswith(".*") and topic.startswith(w[:-1]) for w in wanted)
        )
