"""Risk assessments (A1) and draft public warnings.

risk_assessment holds the matrix inputs and outputs with the workflow state; signal_id is a
plain integer because the signal table comes later (0010). risk_assessment_record links the
records assessed; number_sequence hands out RA-/PW- numbers per year; public_warning is the
draft warning a concluded `unsafe` assessment creates (issue 5 builds the rest).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db
from riskgate.catalog.enums import HazardClass

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_NOW = sa.text("(CURRENT_TIMESTAMP)")
_LEVELS = ("I", "II", "III", "IV")
_TYPES = ("bulletin", "notice", "announcement")


def _enum(name: str, values: tuple[str, ...], length: int) -> sa.Enum:
    # VARCHAR without a CHECK constraint (native_enum=False): the values only document.
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, riskgate.core.db.UTCDateTime(timezone=True), nullable=nullable)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=_NOW, nullable=False),
        sa.Column("updated_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=_NOW, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "number_sequence",
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name=op.f("pk_number_sequence")),
    )
    op.create_table(
        "risk_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", _enum("assessmentstatus",
                                  ("draft", "in_review", "concluded", "withdrawn"), 20),
                  nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=True),
        sa.Column("hazard_class", _enum("hazardclass", tuple(c.value for c in HazardClass), 20),
                  nullable=True),
        sa.Column("product_category", sa.String(length=200), nullable=True),
        sa.Column("hs_code", sa.String(length=10), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("scenarios", sa.JSON(), nullable=False),
        sa.Column("urgency", _enum("urgency", ("immediate", "short_term", "long_term"), 20),
                  nullable=True),
        sa.Column("impact_scope", _enum("impactscope", ("nationwide", "regional", "local"), 20),
                  nullable=True),
        sa.Column("severity", sa.Integer(), nullable=True),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("risk_level", _enum("risklevel", ("serious", "high", "medium", "low"), 10),
                  nullable=True),
        sa.Column("warning_level", _enum("warninglevel", _LEVELS, 4), nullable=True),
        sa.Column("warning_type", _enum("warningtype", _TYPES, 20), nullable=True),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("matrix_result", sa.JSON(), nullable=True),
        _when("computed_at"),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        _when("submitted_at"),
        sa.Column("conclusion", _enum("conclusion", ("unsafe", "safe", "insufficient_evidence"),
                                      30), nullable=True),
        sa.Column("conclusion_rationale", sa.Text(), nullable=True),
        _when("concluded_at"),
        sa.Column("concluded_by", sa.String(length=100), nullable=True),
        sa.Column("committee_meeting_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_risk_assessment_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessment")),
        sa.UniqueConstraint("number", name=op.f("uq_risk_assessment_number")),
    )
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_assessment_organisation_id"),
                              ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_assessment_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_assessment_signal_id"), ["signal_id"],
                              unique=False)
    op.create_table(
        "risk_assessment_record",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["risk_assessment.id"], ondelete="CASCADE",
            name=op.f("fk_risk_assessment_record_assessment_id_risk_assessment"),
        ),
        sa.ForeignKeyConstraint(["record_id"], ["risk_record.id"], ondelete="CASCADE",
                                name=op.f("fk_risk_assessment_record_record_id_risk_record")),
        sa.PrimaryKeyConstraint("assessment_id", "record_id",
                                name=op.f("pk_risk_assessment_record")),
    )
    with op.batch_alter_table("risk_assessment_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_assessment_record_record_id"), ["record_id"],
                              unique=False)
    op.create_table(
        "public_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("level", _enum("warninglevel", _LEVELS, 4), nullable=False),
        sa.Column("warning_type", _enum("warningtype", _TYPES, 20), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("status", _enum("warningstatus", ("draft",), 20), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["assessment_id"], ["risk_assessment.id"],
                                name=op.f("fk_public_warning_assessment_id_risk_assessment")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_public_warning_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_warning")),
        sa.UniqueConstraint("number", name=op.f("uq_public_warning_number")),
    )
    with op.batch_alter_table("public_warning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_warning_assessment_id"), ["assessment_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_public_warning_organisation_id"),
                              ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_public_warning_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("public_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_warning_status"))
        batch_op.drop_index(batch_op.f("ix_public_warning_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_public_warning_assessment_id"))
    op.drop_table("public_warning")
    with op.batch_alter_table("risk_assessment_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessment_record_record_id"))
    op.drop_table("risk_assessment_record")
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessment_signal_id"))
        batch_op.drop_index(batch_op.f("ix_risk_assessment_status"))
        batch_op.drop_index(batch_op.f("ix_risk_assessment_organisation_id"))
    op.drop_table("risk_assessment")
    op.drop_table("number_sequence")
