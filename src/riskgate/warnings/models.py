"""Public warnings (预警, W1–W3): the warning and its products, enterprises, evidence,
attachments, follow-ups, comments, filter facets, issuing-authority rules, subscriptions and
deliveries with their acknowledgement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.audit.chain import to_jsonable
from riskgate.catalog.enums import HazardClass, WarningLevel, WarningType
from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow
from riskgate.warnings.enums import (
    DeliveryReason,
    DeliveryState,
    EnterpriseRole,
    EvidenceKind,
    FollowUpKind,
    PushChannel,
    WarningStatus,
)

# A warning's audited fields: its snapshot, and what every move of its workflow compares.
WARNING_FIELDS = (
    "number", "organisation_id", "assessment_id", "title", "title_en", "summary", "summary_en",
    "hazard", "hazard_class", "level", "warning_type", "measures", "origin_countries", "regions",
    "ports", "effective_from", "effective_until", "consumer_instructions",
    "enterprise_instructions", "status",
)


class PublicWarning(TimestampMixin, Base):
    """A risk warning: level I–IV, type (通报 bulletin / 通告 notice / 公告 announcement), what it
    is about, where it applies and what must be done.

    While a draft every field may change; at publication the content is frozen into `original`
    and later changes come only as numbered follow-ups (`WarningFollowUp`). The columns always
    hold the warning as currently in force (level, scope), so lists and filters read one row.
    """

    __tablename__ = "public_warning"
    __table_args__ = (
        UniqueConstraint("organisation_id", "number"),
        Index("ix_public_warning_status_published", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("risk_assessment.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    hazard: Mapped[str | None] = mapped_column(Text)
    hazard_class: Mapped[HazardClass | None] = mapped_column(string_enum(HazardClass, 20))
    level: Mapped[WarningLevel] = mapped_column(string_enum(WarningLevel, 4), index=True)
    warning_type: Mapped[WarningType] = mapped_column(string_enum(WarningType, 20), index=True)
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Scope: ISO 3166 alpha-2 origin countries, GB/T 2260 region codes, port codes.
    origin_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    ports: Mapped[list[str]] = mapped_column(JSON, default=list)
    effective_from: Mapped[dt.date | None]
    effective_until: Mapped[dt.date | None]
    consumer_instructions: Mapped[str | None] = mapped_column(Text)
    enterprise_instructions: Mapped[str | None] = mapped_column(Text)
    status: Mapped[WarningStatus] = mapped_column(string_enum(WarningStatus, 20), index=True)
    # Workflow.
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    comment_opened_at: Mapped[dt.datetime | None]
    comment_deadline: Mapped[dt.datetime | None]
    submitted_at: Mapped[dt.datetime | None]
    approved_at: Mapped[dt.datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    published_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[dt.datetime | None]  # lifted or withdrawn
    # The warning as published, kept unchanged whatever follow-ups come later.
    original: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    follow_up_count: Mapped[int] = mapped_column(Integer, default=0)
    # Where it waits for approval and publication (报送签发): the first organisation up the
    # drafter's chain whose level holds the issuing authority for its level (set at submission).
    # (No foreign key: SQLite cannot add one to this table without recreating it.)
    routed_organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # A lifting or downgrading of a level I–II warning asked by a first approver, waiting for a
    # second approver's confirmation (R2; see warnings/lifecycle/lifting.py).
    pending_change: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def snapshot(self) -> dict[str, Any]:
        """The audited fields (before/after of every change), as JSON."""
        return {name: to_jsonable(getattr(self, name)) for name in WARNING_FIELDS}


class WarningProduct(Base):
    """A product a warning is about: HS code, category, brand, model, batch, barcode."""

    __tablename__ = "warning_product"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(
        ForeignKey("public_warning.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    hs_code: Mapped[str | None] = mapped_column(String(10), index=True)
    category: Mapped[str | None] = mapped_column(String(100))
    brand: Mapped[str | None] = mapped_column(String(200))
    model: Mapped[str | None] = mapped_column(String(200))
    batch: Mapped[str | None] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(64), index=True)

    def snapshot(self) -> dict[str, Any]:
        return {"name": self.name, "hs_code": self.hs_code, "category": self.category,
                "brand": self.brand, "model": self.model, "batch": self.batch,
                "barcode": self.barcode}


class WarningEnterprise(Base):
    """An enterprise (a registered organisation) named in a warning, with its role."""

    __tablename__ = "warning_enterprise"
    __table_args__ = (UniqueConstraint("warning_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(
        ForeignKey("public_warning.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[EnterpriseRole] = mapped_column(string_enum(EnterpriseRole, 20))


class WarningEvidence(Base):
    """A record, signal or assessment a warning rests on (by id: those tables belong to other
    domains, and the link must survive their own life cycles)."""

    __tablename__ = "warning_evidence"
    __table_args__ = (UniqueConstraint("warning_id", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(
        ForeignKey("public_warning.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(string_enum(EvidenceKind, 20))
    object_id: Mapped[int] = mapped_column(Integer)


class WarningAttachment(Base):
    """A file attached to a warning, stored once on disk under its SHA-256 (as record files)."""

    __tablename__ = "warning_attachment"
    __table_args__ = (UniqueConstraint("warning_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(
        ForeignKey("public_warning.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WarningFacet(Base):
    """One filter value of a warning in force or published (country, HS chapter, category,
    region, port): portal filters and subscription matching use indexed lookups on it instead of
    reading JSON lists. Rebuilt by the service whenever the warning's scope changes."""

    __tablename__ = "warning_facet"
    __table_args__ = (
        Index("ix_warning_facet_lookup", "facet", "value", "warning_id"),
    )

    warning_id: Mapped[int] = mapped_column(
        ForeignKey("public_warning.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)


class WarningFollowUp(Base):
    """A numbered follow-up of a published warning: an adjustment (level up or down, scope widened
    or narrowed), the lifting (with the evaluation behind it) or the withdrawal. `changes` maps
    each changed field to [old, new]."""

    __tablename__ = "warning_follow_up"
    __table_args__ = (UniqueConstraint("warning_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(
        ForeignKey("public_warning.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[FollowUpKind] = mapped_column(string_enum(FollowUpKind, 20))
    reason: Mapped[str] = mapped_column(Text)
    evaluation: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    level_after: Mapped[WarningLevel] = mapped_column(string_enum(WarningLevel, 4))
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    def snapshot(self) -> dict[str, Any]:
        return {"warning_id": self.warning_id, "sequence": self.sequence, "kind": self.kind,
                "reason": self.reason, "evaluation": self.evaluation, "changes": self.changes,
                "level_after": self.level_after}


class WarningComment(Base):
    """A reply of a named enterprise during the comment window, kept with the warning."""

    __tablename__ = "warning_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(
        ForeignKey("public_warning.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    author: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IssuingAuthorityRule(TimestampMixin, Base):
    """Which organisation levels may approve (and so issue, adjust to or lift) a warning level
    (W3): `org_levels` is a list of `OrgLevel` values. One row per warning level."""

    __tablename__ = "issuing_authority_rule"

    level: Mapped[WarningLevel] = mapped_column(string_enum(WarningLevel, 4), primary_key=True)
    org_levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class WarningSubscription(TimestampMixin, Base):
    """What a regulator or enterprise user wants to be told of (精准推送): empty filter lists match
    everything; a filled list must contain the warning's value (HS codes match by prefix)."""

    __tablename__ = "warning_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[PushChannel] = mapped_column(string_enum(PushChannel, 10))
    email: Mapped[str | None] = mapped_column(String(254))
    webhook_endpoint_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_endpoint.id"), index=True
    )
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    warning_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_by: Mapped[str | None] = mapped_column(String(100))

    def snapshot(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id, "user_id": self.user_id,
                "name": self.name, "channel": self.channel, "email": self.email,
                "webhook_endpoint_id": self.webhook_endpoint_id,
                "hs_prefixes": self.hs_prefixes, "categories": self.categories,
                "countries": self.countries, "levels": self.levels,
                "warning_types": self.warning_types, "regions": self.regions,
                "active": self.active}


class WarningDelivery(Base):
    """One push of a warning (or of one of its follow-ups) to one recipient: the delivery log
    and the acknowledgement (签收) with its deadline, reminder and escalation."""

    __tablename__ = "warning_delivery"
    __table_args__ = (
        UniqueConstraint("warning_id", "follow_up_id", "recipient_key"),
        Index("ix_warning_delivery_due", "state", "ack_deadline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(
        ForeignKey("public_warning.id", ondelete="CASCADE"), index=True
    )
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("warning_follow_up.id"))
    # "sub:<id>" or "org:<id>": one delivery per recipient per message, however it matched.
    recipient_key: Mapped[str] = mapped_column(String(40))
    reason: Mapped[DeliveryReason] = mapped_column(string_enum(DeliveryReason, 20))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("warning_subscription.id"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    channel: Mapped[PushChannel] = mapped_column(string_enum(PushChannel, 10))
    outbox_event_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[DeliveryState] = mapped_column(string_enum(DeliveryState, 20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ack_deadline: Mapped[dt.datetime | None]
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    acknowledged_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    ack_note: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]
