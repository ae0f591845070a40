"""Custom import profiles (saved column mappings).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import riskgate.core.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("source_channel", sa.String(length=40), nullable=True),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("constants", sa.JSON(), nullable=False),
        sa.Column("date_format", sa.String(length=40), nullable=True),
        sa.Column("encoding", sa.String(length=20), nullable=True),
        sa.Column("record_path", sa.String(length=200), nullable=True),
        sa.Column("restore_hs_zeros", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", riskgate.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            riskgate.core.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            riskgate.core.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["app_user.id"],
            name=op.f("fk_import_profile_created_by_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_import_profile_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_profile")),
        sa.UniqueConstraint("name", name=op.f("uq_import_profile_name")),
    )
    with op.batch_alter_table("import_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_profile_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("import_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_profile_organisation_id"))
    op.drop_table("import_profile")
