"""Import batches and the rows they quarantined."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgate.core.db import Base, TimestampMixin, utcnow
from riskgate.intake.enums import BatchStatus, QuarantineStatus


def _enum(enum_cls: type) -> Enum:
    return Enum(
        enum_cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
    )


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
    status: Mapped[BatchStatus] = mapped_column(_enum(BatchStatus))
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
    status: Mapped[QuarantineStatus] = mapped_column(_enum(QuarantineStatus))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("risk_record.id"))

    batch: Mapped[ImportBatch] = relationship(back_populates="quarantined_rows")
