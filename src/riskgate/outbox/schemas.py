"""Bodies of the outbox, webhook and inbox API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, HttpUrl

from riskgate.core.schemas import InputModel, OutputModel
from riskgate.outbox.enums import Channel, EventStatus


class OutboxEventOut(OutputModel):
    id: int
    uid: str
    topic: str
    channel: Channel
    target: str
    payload: dict[str, Any]
    organisation_id: int | None
    status: EventStatus
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None


class ReplayInput(InputModel):
    reason: str | None = Field(default=None, max_length=500)


class WebhookCreate(InputModel):
    url: HttpUrl
    description: str | None = Field(default=None, max_length=300)
    topics: list[str] = Field(default_factory=lambda: ["*"], min_length=1, max_length=50)


class WebhookOut(OutputModel):
    id: int
    organisation_id: int
    url: str
    description: str | None
    topics: str
    active: bool
    created_at: dt.datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The signing secret; shown only once.")


class InboxMessageOut(OutputModel):
    id: int
    topic: str
    subject: str
    body: str
    link: str | None
    created_at: dt.datetime
    read_at: dt.datetime | None
