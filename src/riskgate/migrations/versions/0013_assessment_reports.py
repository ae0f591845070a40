"""Assessment reports (A4): generated quarterly and per-category reports.

analysis_report keeps each requested report (kind, period, category, language, format, who asked),
its status (pending until the worker has generated it) and the generated file's SHA-256 and size;
the file itself is stored on disk (RISKGATE_ANALYSIS_REPORTS_DIR) under its hash.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _enum(name: str, values: tuple[str, ...], length: int) -> sa.Enum:
    # VARCHAR without a CHECK constraint (native_enum=False): the values only document.
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def upgrade() -> None:
    op.create_table(
        "analysis_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("reportkind", ("quarterly", "category"), 20), nullable=False),
        sa.Column("status", _enum("reportstatus", ("pending", "ready", "failed"), 10),
                  nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("period_label", sa.String(length=40), nullable=False),
        sa.Column(
            "category_dimension",
            _enum("categorydimension", ("hazard_class", "hs_chapter", "product_category"), 20),
            nullable=True,
        ),
        sa.Column("category_value", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("format", _enum("reportformat", ("pdf", "xlsx"), 10), nullable=False),
        sa.Column("requested_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("scheduled", sa.Boolean(), nullable=False),
        sa.Column("generated_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"],
            name=op.f("fk_analysis_report_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["app_user.id"],
            name=op.f("fk_analysis_report_requested_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_report")),
    )
    with op.batch_alter_table("analysis_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_report_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_analysis_report_requested_at"), ["requested_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_analysis_report_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_analysis_report_schedule",
            ["organisation_id", "kind", "period_start", "scheduled"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("analysis_report", schema=None) as batch_op:
        batch_op.drop_index("ix_analysis_report_schedule")
        batch_op.drop_index(batch_op.f("ix_analysis_report_status"))
        batch_op.drop_index(batch_op.f("ix_analysis_report_requested_at"))
        batch_op.drop_index(batch_op.f("ix_analysis_report_organisation_id"))
    op.drop_table("analysis_report")
