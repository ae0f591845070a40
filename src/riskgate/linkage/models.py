"""Near-duplicate clusters of risk records, the keys they are found by, and recurrence flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgate.core.db import Base, TimestampMixin, UTCDateTime, string_enum
from riskgate.linkage.enums import ClusterStatus, KeyKind, MemberState


class RecordLinkKey(Base):
    """One normalised key of a record (GTIN, batch, brand+model, operator…) with its date.

    Candidates for a new record are found by an index lookup on (key, day), never by scanning
    records. `key` is a digest of the kind and the folded value.
    """

    __tablename__ = "record_link_key"
    __table_args__ = (Index("ix_record_link_key_key_day", "key", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("risk_record.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[KeyKind] = mapped_column(string_enum(KeyKind, 20))
    key: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)


class RecordCluster(TimestampMixin, Base):
    """Records that seem to report the same product and problem, across sources and languages."""

    __tablename__ = "record_cluster"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[ClusterStatus] = mapped_column(string_enum(ClusterStatus, 12), index=True)
    score: Mapped[float] = mapped_column(Float)

    members: Mapped[list[RecordClusterMember]] = relationship(
        back_populates="cluster", order_by="RecordClusterMember.id", lazy="selectin"
    )


class RecordClusterMember(Base):
    """A record in a cluster: its score and reasons against the record it matched."""

    __tablename__ = "record_cluster_member"
    __table_args__ = (UniqueConstraint("cluster_id", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("record_cluster.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[int] = mapped_column(
        ForeignKey("risk_record.id", ondelete="CASCADE"), index=True
    )
    # Denormalised from the record so scope filters need no join.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The member it matched (kept internal: it may lie outside a viewer's scope).
    matched_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("risk_record.id", ondelete="SET NULL")
    )
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    state: Mapped[MemberState] = mapped_column(string_enum(MemberState, 12))
    joined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(timezone=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    cluster: Mapped[RecordCluster] = relationship(back_populates="members")


class RecurrenceFlag(TimestampMixin, Base):
    """The same operator, hazard + product group, or origin + hazard recurring within a window.

    One row per key; `count_in_window` counts the records with the key in the window that ends
    at the key's latest record; `raised` when that reaches the kind's threshold. A record's flags
    are the flags of its keys (`record_link_key`). Read by the signal stage.
    """

    __tablename__ = "recurrence_flag"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[KeyKind] = mapped_column(string_enum(KeyKind, 20))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(300))
    window_days: Mapped[int] = mapped_column(Integer)
    count_in_window: Mapped[int] = mapped_column(Integer)
    total_count: Mapped[int] = mapped_column(Integer)
    first_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("risk_record.id", ondelete="SET NULL")
    )
    last_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("risk_record.id", ondelete="SET NULL")
    )
    first_on: Mapped[dt.date] = mapped_column(Date)
    last_on: Mapped[dt.date] = mapped_column(Date)
    raised: Mapped[bool] = mapped_column(Boolean, index=True)
