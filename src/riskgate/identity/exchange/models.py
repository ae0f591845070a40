"""Exchange agreements between organisations and their filter terms (one row per code).

The terms are rows, not a JSON list, so the scope condition is a plain EXISTS that runs the same
on SQLite and PostgreSQL and uses the index (agreement_id, dimension, code).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskgate.core.db import Base, TimestampMixin, string_enum
from riskgate.identity.exchange.enums import AgreementStatus, ExchangeAccess, TermDimension


class ExchangeAgreement(TimestampMixin, Base):
    """What flows from the provider's subtree to the receiver (and the receiver's subtree)."""

    __tablename__ = "exchange_agreement"
    __table_args__ = (
        Index("ix_exchange_agreement_receiver_status", "receiver_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    receiver_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    access: Mapped[ExchangeAccess] = mapped_column(string_enum(ExchangeAccess, 10))
    status: Mapped[AgreementStatus] = mapped_column(string_enum(AgreementStatus, 20))
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # The side that proposed (the provider or the receiver); the other side accepts.
    proposed_by_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    proposed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    terms: Mapped[list[AgreementTerm]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AgreementTerm.id"
    )

    def codes(self, dimension: TermDimension) -> list[str]:
        return [t.code for t in self.terms if t.dimension == dimension]


class AgreementTerm(Base):
    """One code of one filter dimension of an agreement (no row of a dimension: all of it)."""

    __tablename__ = "agreement_term"
    __table_args__ = (
        Index("ix_agreement_term_lookup", "agreement_id", "dimension", "code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_agreement.id", ondelete="CASCADE")
    )
    dimension: Mapped[TermDimension] = mapped_column(string_enum(TermDimension, 20))
    code: Mapped[str] = mapped_column(String(40))
