"""Feed subscriptions, quarterly unit submissions and channel-health state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.catalog.enums import SourceChannel
from riskgate.channels.enums import FeedFormat, SubmissionStatus
from riskgate.core.db import Base, TimestampMixin, string_enum


class FeedSubscription(TimestampMixin, Base):
    """An Atom / RSS / JSON address polled on a schedule; each changed answer is one import batch.

    `defaults` fills record fields the entries lack (language, origin_country, hazard_type …);
    `field_map` says which keys of a plain JSON item hold id, title, description, link, published,
    category and country. The ETag / Last-Modified of the last answer make the next poll
    conditional (304 = nothing new); `last_sha256` skips an unchanged body served without them.
    """

    __tablename__ = "feed_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    format: Mapped[FeedFormat] = mapped_column(string_enum(FeedFormat, 10, validate_strings=False))
    source_channel: Mapped[SourceChannel] = mapped_column(
        string_enum(SourceChannel, 40, validate_strings=False)
    )
    poll_minutes: Mapped[int] = mapped_column(Integer, default=60)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    defaults: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    field_map: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    next_poll_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    last_polled_at: Mapped[dt.datetime | None]
    last_success_at: Mapped[dt.datetime | None]
    last_status: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_sha256: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL")
    )

    @property
    def profile_name(self) -> str:
        """The `import_batch.profile` of this feed's batches."""
        return f"feed:{self.id}"


class SubmissionUnit(TimestampMixin, Base):
    """An organisation registered as a responsible unit that submits risk information quarterly.

    The lead agency is any organisation whose subtree holds the unit: it sees the unit's row in
    the matrix through the ordinary data scope.
    """

    __tablename__ = "submission_unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class QuarterlySubmission(TimestampMixin, Base):
    """One unit's submission for one quarter (a row appears with the first upload or submit)."""

    __tablename__ = "quarterly_submission"
    __table_args__ = (UniqueConstraint("organisation_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    status: Mapped[SubmissionStatus] = mapped_column(
        string_enum(SubmissionStatus, 10, validate_strings=False)
    )
    due_on: Mapped[dt.date]
    submitted_at: Mapped[dt.datetime | None]
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    batch_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)


class ChannelExpectation(TimestampMixin, Base):
    """An override of a channel's expected cadence (the catalogue's cadence_days is the default)."""

    __tablename__ = "channel_expectation"

    source_channel: Mapped[SourceChannel] = mapped_column(
        string_enum(SourceChannel, 40, validate_strings=False), primary_key=True
    )
    cadence_days: Mapped[int] = mapped_column(Integer)
    monitored: Mapped[bool] = mapped_column(Boolean, default=True)


class ChannelSilence(Base):
    """One silence episode of a channel at an organisation: open until records arrive again."""

    __tablename__ = "channel_silence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_channel: Mapped[SourceChannel] = mapped_column(
        string_enum(SourceChannel, 40, validate_strings=False), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    last_record_at: Mapped[dt.datetime]
    cadence_days: Mapped[int] = mapped_column(Integer)
    detected_at: Mapped[dt.datetime]
    cleared_at: Mapped[dt.datetime | None]
    notified_users: Mapped[int] = mapped_column(Integer, default=0)
