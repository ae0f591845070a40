"""Request and response bodies of targeted push (精准推送): subscriptions, deliveries and their
acknowledgement (签收). Filter values are only typed here; `push.subscriptions` checks each
against the catalogue and answers 422 with the offending field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from riskgate.catalog.enums import WarningLevel, WarningType
from riskgate.core.schemas import InputModel, IntIdField, OutputModel
from riskgate.warnings.enums import DeliveryReason, DeliveryState, PushChannel

FilterCode = Annotated[str, Field(min_length=1, max_length=20)]
Category = Annotated[str, Field(min_length=1, max_length=100)]


class SubscriptionIn(InputModel):
    """A new subscription; empty filter lists match everything."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    channel: PushChannel = PushChannel.inbox
    email: Annotated[str, Field(max_length=254)] | None = None
    webhook_endpoint_id: IntIdField | None = None
    hs_prefixes: Annotated[list[FilterCode], Field(max_length=100)] = []
    categories: Annotated[list[Category], Field(max_length=100)] = []
    countries: Annotated[list[FilterCode], Field(max_length=250)] = []
    levels: Annotated[list[WarningLevel], Field(max_length=4)] = []
    warning_types: Annotated[list[WarningType], Field(max_length=3)] = []
    regions: Annotated[list[FilterCode], Field(max_length=500)] = []


class SubscriptionPatch(InputModel):
    """Change a subscription: only the fields given change (`active: false` deactivates)."""

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    channel: PushChannel | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    webhook_endpoint_id: IntIdField | None = None
    hs_prefixes: Annotated[list[FilterCode], Field(max_length=100)] | None = None
    categories: Annotated[list[Category], Field(max_length=100)] | None = None
    countries: Annotated[list[FilterCode], Field(max_length=250)] | None = None
    levels: Annotated[list[WarningLevel], Field(max_length=4)] | None = None
    warning_types: Annotated[list[WarningType], Field(max_length=3)] | None = None
    regions: Annotated[list[FilterCode], Field(max_length=500)] | None = None
    active: bool | None = None


class SubscriptionOut(OutputModel):
    id: int
    organisation_id: int
    user_id: int | None
    name: str
    channel: PushChannel
    email: str | None
    webhook_endpoint_id: int | None
    hs_prefixes: list[str]
    categories: list[str]
    countries: list[str]
    levels: list[str]
    warning_types: list[str]
    regions: list[str]
    active: bool
    created_at: dt.datetime


class AcknowledgeIn(InputModel):
    note: Annotated[str, Field(max_length=2000)] | None = None


class DeliveryOut(OutputModel):
    id: int
    warning_id: int
    follow_up_id: int | None
    reason: DeliveryReason
    organisation_id: int
    user_id: int | None
    subscription_id: int | None
    channel: PushChannel
    state: DeliveryState
    created_at: dt.datetime
    ack_deadline: dt.datetime | None
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    ack_note: str | None
    reminded_at: dt.datetime | None
    escalated_at: dt.datetime | None
    outbox_status: str | None = None


class ReceivedOut(DeliveryOut):
    """A delivery as its recipient sees it, with the warning it is about."""

    number: str
    title: str
    level: WarningLevel
    warning_type: WarningType
    follow_up_kind: str | None = None
