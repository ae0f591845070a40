"""Issue 13 slot 0027 (response_escalation): a task closed unfinished keeps its reason.

Tasks gain the status `closed` (a plain string column, no constraint to change) and
`closed_reason` ("warning lifted" / "warning withdrawn").

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain add_column: task_report points at response_task, and SQLite's batch mode would
    # recreate the table.
    op.add_column("response_task", sa.Column("closed_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("response_task") as batch:
        batch.drop_column("closed_reason")
