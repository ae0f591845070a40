"""Import batches and the rows they quarantined."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow
from riskgate.intake.enums import BatchStatus, QuarantineStatus


class ImportBatch(Base):
    """One file run through one import profile; rows_read = imported + duplicates + quarantined."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    profile: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    encoding: Mapped[str | None] = mapped_column(String(20))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor_name: Mapped[str] = mapped_column(String(100))
    status: Mapped[BatchStatus] = mapped_column(
        string_enum(BatchStatus, 20, validate_strings=False)
    )
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    ignored_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]

    quarantined_rows: Mapped[list[QuarantinedRow]] = relationship(
        back_populates="batch", order_by="QuarantinedRow.line_number", lazy="raise"
    )

    def counts(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
        }


class QuarantinedRow(TimestampMixin, Base):
    """A row that failed validation, kept verbatim with its problems until corrected.

    `problems` is a list of {"field", "message" (an English msgid), "params"}, rendered in the
    reader's language; `fields` holds the row's values by column, which a correction edits.
    """

    __tablename__ = "quarantined_row"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    line_number: Mapped[int] = mapped_column(Integer)
    raw_content: Mapped[str] = mapped_column(Text)
    fields: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[QuarantineStatus] = mapped_column(
        string_enum(QuarantineStatus, 20, validate_strings=False)
    )
    record_id: Mapped[int | None] = mapped_column(ForeignKey("risk_record.id"))

    batch: Mapped[ImportBatch] = relationship(back_populates="quarantined_rows")


class ImportProfile(TimestampMixin, Base):
    """A column mapping saved in the console: how one organisation's files map to the standard.

    `mapping` is {source column (or XML/JSON field): record field}; `constants` fills record
    fields every row shares. Names are unique across organisations (a batch keeps the profile by
    name) and never reused: deleting a profile only marks it, so the quarantined rows of its
    batches can still be corrected and re-processed through it.
    """

    __tablename__ = "import_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    format: Mapped[str] = mapped_column(String(10))
    source_channel: Mapped[str | None] = mapped_column(String(40))
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    constants: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    date_format: Mapped[str | None] = mapped_column(String(40))
    encoding: Mapped[str | None] = mapped_column(String(20))
    record_path: Mapped[str | None] = mapped_column(String(200))
    restore_hs_zeros: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(String(500))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    deleted_at: Mapped[dt.datetime | None]

    def settings(self) -> dict[str, Any]:
        """The values an audit entry compares before and after a change."""
        return {
            "name": self.name, "organisation_id": self.organisation_id, "format": self.format,
            "source_channel": self.source_channel, "mapping": self.mapping,
            "constants": self.constants, "date_format": self.date_format,
            "encoding": self.encoding, "record_path": self.record_path,
            "restore_hs_zeros": self.restore_hs_zeros, "description": self.description,
        }  # fmt: skip
