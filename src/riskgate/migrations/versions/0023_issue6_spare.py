"""Issue 6 slot 23 (issue6_spare); filled by its owner, or empty.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-21
"""

from __future__ import annotations

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
