"""Issue 13 slot 0029 (loop_defects): control rules target the products a warning names —
`control_rule.brands`, `.models`, `.batches` (matched against a declaration line's brand, model
and batch) — and declaration lines carry their batch (`declaration_line.batch`).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_RULE_LISTS = ("brands", "models", "batches")


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it too), not a batch copy: recreating control_rule or
    # declaration_line would fire the ON DELETE actions of the tables pointing to them.
    for name in _RULE_LISTS:
        op.add_column("control_rule", sa.Column(name, sa.JSON(), nullable=False,
                                                server_default=sa.text("'[]'")))
    op.add_column("declaration_line", sa.Column("batch", sa.String(length=200), nullable=True))


def downgrade() -> None:
    # DROP COLUMN in place on both databases (SQLite 3.35+), for the same reason.
    op.execute("ALTER TABLE declaration_line DROP COLUMN batch")
    for name in reversed(_RULE_LISTS):
        op.execute(f"ALTER TABLE control_rule DROP COLUMN {name}")
