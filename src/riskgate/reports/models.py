"""Public reports (complaints, whistleblower reports), their notes and the whistleblower's
identity; enterprise reports; attachments of risk records; the rate-limit counters.

Personal data never goes into the risk record (which many officers read and search): a
complainant's contact stays on `public_report`, a whistleblower's identity in its own table that
only holders of `whistleblower.identity.read` can open.
"""

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow
from riskgate.reports.enums import (
    EnterpriseReportKind,
    ReportKind,
    ReportRoute,
    ReportStatus,
    RewardStatus,
)


class PublicReport(TimestampMixin, Base):
    """A complaint or whistleblower report filed on the portal, tracked by its number.

    `organisation_id` is the receiving organisation (the data scope); `access_code_hash` is the
    SHA-256 of the secret the reporter got with the tracking number (high entropy, so no slow
    hash is needed).
    """

    __tablename__ = "public_report"
    __table_args__ = (
        Index("ix_public_report_org_kind_status", "organisation_id", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[ReportKind] = mapped_column(string_enum(ReportKind, 20))
    tracking_number: Mapped[str] = mapped_column(String(24), unique=True)
    access_code_hash: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int] = mapped_column(ForeignKey("risk_record.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    route: Mapped[ReportRoute] = mapped_column(string_enum(ReportRoute, 10))
    status: Mapped[ReportStatus] = mapped_column(string_enum(ReportStatus, 20))
    status_reason: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    purchase_place: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    reward_status: Mapped[RewardStatus] = mapped_column(
        string_enum(RewardStatus, 20), default=RewardStatus.none
    )
    reward_eligible: Mapped[bool | None] = mapped_column(Boolean)
    reward_amount: Mapped[int | None] = mapped_column(Integer)  # yuan
    closed_at: Mapped[dt.datetime | None]

    notes: Mapped[list[PublicReportNote]] = relationship(
        back_populates="report", order_by="PublicReportNote.id", lazy="selectin",
        cascade="all, delete-orphan",
    )

    def snapshot(self) -> dict[str, Any]:
        """The audited workflow fields (never the contact or identity)."""
        return {
            "status": self.status,
            "status_reason": self.status_reason,
            "reward_status": self.reward_status,
            "reward_eligible": self.reward_eligible,
            "reward_amount": self.reward_amount,
        }


class PublicReportNote(Base):
    """A progress note on a public report; `public` ones are shown on the tracking page."""

    __tablename__ = "public_report_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("public_report.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    author_name: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ReportStatus | None] = mapped_column(string_enum(ReportStatus, 20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    report: Mapped[PublicReport] = relationship(back_populates="notes")


class WhistleblowerIdentity(Base):
    """Who filed a non-anonymous whistleblower report. Read only through
    `service.reveal_identity` (permission `whistleblower.identity.read`, audited with a reason)."""

    __tablename__ = "whistleblower_identity"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("public_report.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    id_number: Mapped[str | None] = mapped_column(String(40))


class EnterpriseReport(TimestampMixin, Base):
    """An accident report or self-inspection result filed by an enterprise from its account.

    The record belongs to the receiving regulator (`organisation_id`); the enterprise sees its
    own reports through `enterprise_organisation_id`.
    """

    __tablename__ = "enterprise_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[EnterpriseReportKind] = mapped_column(string_enum(EnterpriseReportKind, 20))
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("risk_record.id"), index=True)
    enterprise_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    route: Mapped[ReportRoute] = mapped_column(string_enum(ReportRoute, 10))
    submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RecordAttachment(Base):
    """A file attached to a risk record, stored once on disk under its SHA-256."""

    __tablename__ = "record_attachment"
    __table_args__ = (UniqueConstraint("record_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("risk_record.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
