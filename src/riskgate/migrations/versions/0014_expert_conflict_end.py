"""Ending a declared conflict of interest: expert_conflict.ended_on, end_reason, ended_by.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("expert_conflict") as batch:
        batch.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("end_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("ended_by", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("expert_conflict") as batch:
        batch.drop_column("ended_by")
        batch.drop_column("end_reason")
        batch.drop_column("ended_on")
