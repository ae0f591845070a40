"""Issue 13 slot 0026 (warnings_authority): where a warning in review waits for its issue (the
organisation it was routed to, 报送签发) and the lifting or downgrading a first approver asked
for, which a second approver confirms (R2).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: many tables point at public_warning, and SQLite's batch mode would
    # recreate it (and cannot add a foreign key without doing so: the id is checked in code).
    op.add_column("public_warning", sa.Column("routed_organisation_id", sa.Integer(),
                                              nullable=True))
    op.create_index("ix_public_warning_routed_organisation_id", "public_warning",
                    ["routed_organisation_id"])
    op.add_column("public_warning", sa.Column("pending_change", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_index("ix_public_warning_routed_organisation_id", table_name="public_warning")
    with op.batch_alter_table("public_warning") as batch:
        batch.drop_column("pending_change")
        batch.drop_column("routed_organisation_id")
