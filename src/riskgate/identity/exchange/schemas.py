"""What the exchange API and forms accept and answer."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from riskgate.catalog.enums import HazardClass, SourceChannel
from riskgate.core.schemas import InputModel, IntIdField
from riskgate.identity.exchange.enums import (
    AgreementStatus,
    ExchangeAccess,
    ShareCategory,
    ShareKind,
)


class AgreementIn(InputModel):
    """A proposal: the provider's subtree lets these categories flow to the receiver."""

    provider_id: IntIdField
    receiver_id: IntIdField
    title: str = Field(min_length=1, max_length=200)
    categories: list[ShareCategory] = Field(default_factory=list, max_length=10)
    hazards: list[HazardClass] = Field(default_factory=list, max_length=20)
    products: list[str] = Field(default_factory=list, max_length=100)
    channels: list[SourceChannel] = Field(default_factory=list, max_length=50)
    regions: list[str] = Field(default_factory=list, max_length=100)
    access: ExchangeAccess = ExchangeAccess.read
    note: str | None = Field(default=None, max_length=2000)


class ReasonIn(InputModel):
    reason: str | None = Field(default=None, max_length=2000)


class ShareIn(InputModel):
    """A one-off share of one object: to whom, transferred or copied, and why."""

    organisation_id: IntIdField
    kind: ShareKind = ShareKind.copy
    reason: str = Field(min_length=1, max_length=2000)


class AgreementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    provider_id: int
    receiver_id: int
    title: str
    access: ExchangeAccess
    status: AgreementStatus
    categories: list[str]
    hazards: list[str]
    products: list[str]
    channels: list[str]
    regions: list[str]
    note: str | None
    proposed_by_org_id: int
    decision_note: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime


class ShareOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    object_type: str
    object_id: int
    organisation_id: int
    kind: ShareKind
    reason: str | None
    granted_by_org_id: int | None
    created_at: dt.datetime
