"""Border control: control rules, risk profiles (enterprise credit, country and commodity risk,
port lane targets), declarations with their screened lines, and inspection results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskgate.border.enums import (
    ControlAction,
    CreditGrade,
    DeclarationSource,
    Direction,
    InspectionOutcome,
    Lane,
    RuleOrigin,
    RuleStatus,
)
from riskgate.core.db import Base, TimestampMixin, string_enum, utcnow


class ControlRule(TimestampMixin, Base):
    """A control rule (布控指令): which declaration lines it targets and what it asks for.

    Scope: any of HS-code prefixes, origin countries, enterprise codes (consignee/consignor),
    keywords of the goods description or brand, barcodes; within one field the values are
    alternatives (OR), across fields all given fields must match (AND). `ports` empty = all.
    A rule derived from a warning follows its adjustments and is retired when it is lifted;
    enterprises whose lifting petition was accepted stay out of it."""

    __tablename__ = "control_rule"
    __table_args__ = (Index("ix_control_rule_live", "status", "valid_from", "valid_until"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("public_warning.id"), index=True)
    origin: Mapped[RuleOrigin] = mapped_column(string_enum(RuleOrigin, 10))
    title: Mapped[str] = mapped_column(String(300))
    direction: Mapped[Direction | None] = mapped_column(string_enum(Direction, 10))
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    enterprise_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    barcodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    ports: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The products a warning names, matched exactly against a line's brand, model and batch
    # (0029): a rule derived from a warning targets them, not the whole HS code.
    brands: Mapped[list[str]] = mapped_column(JSON, default=list)
    models: Mapped[list[str]] = mapped_column(JSON, default=list)
    batches: Mapped[list[str]] = mapped_column(JSON, default=list)
    action: Mapped[ControlAction] = mapped_column(string_enum(ControlAction, 30))
    sampling_rate: Mapped[float] = mapped_column(Float, default=1.0)
    priority: Mapped[int] = mapped_column(Integer, default=50)
    valid_from: Mapped[dt.datetime]
    valid_until: Mapped[dt.datetime | None]
    status: Mapped[RuleStatus] = mapped_column(string_enum(RuleStatus, 20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    retired_at: Mapped[dt.datetime | None]
    retired_reason: Mapped[str | None] = mapped_column(Text)
    # Codes that lifting petitions accepted against this rule took out of it: they stay out when
    # the rule is derived again from its warning (0024).
    excluded_enterprise_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))


class EnterpriseCredit(TimestampMixin, Base):
    """An enterprise's customs credit grade, by its code (USCC or customs registration)."""

    __tablename__ = "enterprise_credit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_code: Mapped[str] = mapped_column(String(40), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    grade: Mapped[CreditGrade] = mapped_column(string_enum(CreditGrade, 20))
    updated_by: Mapped[str | None] = mapped_column(String(100))


class CountryRisk(TimestampMixin, Base):
    """Origin-country risk score in [0, 1]."""

    __tablename__ = "country_risk"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class CommodityRisk(TimestampMixin, Base):
    """Commodity risk score in [0, 1] for an HS-code prefix (2 to 10 digits; longest wins)."""

    __tablename__ = "commodity_risk"

    hs_prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class PortLaneTarget(TimestampMixin, Base):
    """Expected share of lines per lane at a port (its inspection capacity), and the minimum
    random inspection rate. Selection tops up or holds back to keep to these."""

    __tablename__ = "port_lane_target"

    port_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    red_rate: Mapped[float] = mapped_column(Float)
    yellow_rate: Mapped[float] = mapped_column(Float)
    blue_rate: Mapped[float] = mapped_column(Float)
    min_random_rate: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class DeclarationBatch(Base):
    """One batch or file of declarations: counts and the rejected lines kept for re-processing."""

    __tablename__ = "declaration_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    source: Mapped[DeclarationSource] = mapped_column(string_enum(DeclarationSource, 10))
    filename: Mapped[str | None] = mapped_column(String(255))
    declarations: Mapped[int] = mapped_column(Integer, default=0)
    lines_screened: Mapped[int] = mapped_column(Integer, default=0)
    lines_rejected: Mapped[int] = mapped_column(Integer, default=0)
    lane_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RejectedDeclarationLine(Base):
    """A declaration line (or whole declaration) refused with its reasons, kept as given."""

    __tablename__ = "rejected_declaration_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("declaration_batch.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # line of the file, or index in the batch
    declaration_number: Mapped[str | None] = mapped_column(String(40))
    line_no: Mapped[int | None] = mapped_column(Integer)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(100))


class Declaration(Base):
    """A customs declaration (报关单) as screened. `seed` makes every random draw replayable."""

    __tablename__ = "declaration"
    __table_args__ = (
        UniqueConstraint("number"),
        Index("ix_declaration_org_received", "organisation_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("declaration_batch.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[DeclarationSource] = mapped_column(string_enum(DeclarationSource, 10))
    direction: Mapped[Direction] = mapped_column(string_enum(Direction, 10))
    port_code: Mapped[str] = mapped_column(String(40), index=True)
    trade_mode: Mapped[str | None] = mapped_column(String(10))
    declarant_name: Mapped[str | None] = mapped_column(String(300))
    declarant_code: Mapped[str | None] = mapped_column(String(40))
    trader_name: Mapped[str] = mapped_column(String(300))  # importer or exporter
    trader_code: Mapped[str] = mapped_column(String(40), index=True)
    origin_country: Mapped[str | None] = mapped_column(String(2))
    destination_country: Mapped[str | None] = mapped_column(String(2))
    declared_on: Mapped[dt.date]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seed: Mapped[int] = mapped_column(BigInteger)
    lane: Mapped[Lane] = mapped_column(string_enum(Lane, 10), index=True)
    credit_grade: Mapped[CreditGrade] = mapped_column(string_enum(CreditGrade, 20))
    created_by: Mapped[str | None] = mapped_column(String(100))
    # The port's ledger as this declaration saw it (seen, per-lane counts), for replay (0021).
    ledger: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class PortLaneLedger(Base):
    """Lines screened per port and day, per lane: the running counts that top-up and hold-back
    compare with the port's targets. One row per (port, day), locked while a declaration is
    screened so that concurrent requests see consistent counts (0021)."""

    __tablename__ = "port_lane_ledger"

    port_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    seen: Mapped[int] = mapped_column(Integer, default=0)
    red: Mapped[int] = mapped_column(Integer, default=0)
    yellow: Mapped[int] = mapped_column(Integer, default=0)
    blue: Mapped[int] = mapped_column(Integer, default=0)
    green: Mapped[int] = mapped_column(Integer, default=0)


class DeclarationLine(Base):
    """A line (商品项) with its lane, the reasons for it and what produced them."""

    __tablename__ = "declaration_line"
    __table_args__ = (
        UniqueConstraint("declaration_id", "line_no"),
        Index("ix_declaration_line_lane", "lane"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer)
    hs_code: Mapped[str] = mapped_column(String(10), index=True)
    description: Mapped[str] = mapped_column(Text)
    brand: Mapped[str | None] = mapped_column(String(200))
    model: Mapped[str | None] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(64))
    batch: Mapped[str | None] = mapped_column(String(200))  # production batch / lot (0029)
    quantity: Mapped[Any] = mapped_column(Numeric(18, 3))
    unit: Mapped[str | None] = mapped_column(String(20))
    value: Mapped[Any] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    lane: Mapped[Lane] = mapped_column(string_enum(Lane, 10))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    rule_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    risk_score: Mapped[float] = mapped_column(Float, default=0.0)
    draw: Mapped[float] = mapped_column(Float, default=0.0)


class InspectionResult(Base):
    """The port officer's result for an inspected line; a failure becomes a risk record."""

    __tablename__ = "inspection_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("declaration_line.id", ondelete="CASCADE"), unique=True
    )
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    outcome: Mapped[InspectionOutcome] = mapped_column(string_enum(InspectionOutcome, 10))
    findings: Mapped[str | None] = mapped_column(Text)
    inspected_by: Mapped[str] = mapped_column(String(100))
    inspected_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("risk_record.id"))
