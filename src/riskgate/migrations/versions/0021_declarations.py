"""Issue 6 slot 21 (declarations): the per-port, per-day lane ledger and each declaration's
snapshot of it (for replay).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "port_lane_ledger",
        sa.Column("port_code", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("red", sa.Integer(), nullable=False),
        sa.Column("yellow", sa.Integer(), nullable=False),
        sa.Column("blue", sa.Integer(), nullable=False),
        sa.Column("green", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("port_code", "day", name=op.f("pk_port_lane_ledger")),
    )
    with op.batch_alter_table("declaration") as batch:
        batch.add_column(sa.Column("ledger", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("declaration") as batch:
        batch.drop_column("ledger")
    op.drop_table("port_lane_ledger")
