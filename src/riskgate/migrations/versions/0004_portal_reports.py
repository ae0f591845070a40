"""Portal and enterprise reports: complaints, whistleblower reports, accident and self-inspection reports, attachments.

public_report holds complaints and whistleblower reports (a whistleblower's identity sits in its
own table); enterprise_report ties an enterprise's report to its record; record_attachment links
files stored on disk by SHA-256 to records; rate_limit_counter backs the per-client limits of
the public forms.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ROUTE = ("market", "border")
STATUS = ("received", "accepted", "in_progress", "closed", "rejected")


def _enum(name: str, values: tuple[str, ...], length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", riskgate.core.db.UTCDateTime(timezone=True),
                  server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "rate_limit_counter",
        sa.Column("bucket", sa.String(length=100), nullable=False),
        sa.Column("window_number", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window_number", name=op.f("pk_rate_limit_counter")),
    )
    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rate_limit_counter_window_number"), ["window_number"], unique=False
        )

    op.create_table(
        "public_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("reportkind", ("complaint", "whistleblower"), 20), nullable=False),
        sa.Column("tracking_number", sa.String(length=24), nullable=False),
        sa.Column("access_code_hash", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("route", _enum("reportroute", ROUTE, 10), nullable=False),
        sa.Column("status", _enum("reportstatus", STATUS, 20), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("purchase_place", sa.String(length=300), nullable=True),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("contact_phone", sa.String(length=30), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column(
            "reward_status",
            _enum("rewardstatus", ("none", "proposed", "approved", "declined", "paid"), 20),
            nullable=False,
        ),
        sa.Column("reward_eligible", sa.Boolean(), nullable=True),
        sa.Column("reward_amount", sa.Integer(), nullable=True),
        sa.Column("closed_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_public_report_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["record_id"], ["risk_record.id"],
                                name=op.f("fk_public_report_record_id_risk_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_report")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_public_report_tracking_number")),
    )
    with op.batch_alter_table("public_report", schema=None) as batch_op:
        batch_op.create_index("ix_public_report_org_kind_status",
                              ["organisation_id", "kind", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_public_report_organisation_id"),
                              ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_public_report_record_id"), ["record_id"],
                              unique=False)

    op.create_table(
        "public_report_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("status", _enum("reportstatus", STATUS, 20), nullable=True),
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_user_id"], ["app_user.id"],
                                name=op.f("fk_public_report_note_author_user_id_app_user")),
        sa.ForeignKeyConstraint(["report_id"], ["public_report.id"],
                                name=op.f("fk_public_report_note_report_id_public_report"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_report_note")),
    )
    with op.batch_alter_table("public_report_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_report_note_report_id"), ["report_id"],
                              unique=False)

    op.create_table(
        "whistleblower_identity",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("id_number", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["public_report.id"],
                                name=op.f("fk_whistleblower_identity_report_id_public_report"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_whistleblower_identity")),
    )

    op.create_table(
        "enterprise_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("enterprisereportkind", ("accident", "self_inspection"), 20),
                  nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_organisation_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("route", _enum("reportroute", ROUTE, 10), nullable=False),
        sa.Column("submitted_by_user_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["enterprise_organisation_id"], ["organisation.id"],
            name=op.f("fk_enterprise_report_enterprise_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_enterprise_report_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["record_id"], ["risk_record.id"],
                                name=op.f("fk_enterprise_report_record_id_risk_record")),
        sa.ForeignKeyConstraint(["submitted_by_user_id"], ["app_user.id"],
                                name=op.f("fk_enterprise_report_submitted_by_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_report")),
        sa.UniqueConstraint("reference", name=op.f("uq_enterprise_report_reference")),
    )
    with op.batch_alter_table("enterprise_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_report_enterprise_organisation_id"),
                              ["enterprise_organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enterprise_report_organisation_id"),
                              ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enterprise_report_record_id"), ["record_id"],
                              unique=False)

    op.create_table(
        "record_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["risk_record.id"],
                                name=op.f("fk_record_attachment_record_id_risk_record"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_attachment")),
        sa.UniqueConstraint("record_id", "sha256",
                            name=op.f("uq_record_attachment_record_id_sha256")),
    )
    with op.batch_alter_table("record_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_attachment_record_id"), ["record_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_record_attachment_sha256"), ["sha256"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("record_attachment")
    op.drop_table("enterprise_report")
    op.drop_table("whistleblower_identity")
    op.drop_table("public_report_note")
    op.drop_table("public_report")
    op.drop_table("rate_limit_counter")
